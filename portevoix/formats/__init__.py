"""Date and time formats per language (settings.FORMAT_MODULE_PATH): one unambiguous way to
write a date in each language, used by every `|date`, every `{{ date }}` and `date_format()`
in place of Django's defaults ("Dec. 5, 2026" beside "12/05/2026 5:01 p.m.", which Europe reads
as 12 May). Only the display formats are set; input formats stay Django's."""
