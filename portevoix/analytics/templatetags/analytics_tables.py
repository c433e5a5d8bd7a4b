"""The rows of a dashboard table, and the options of the filters, as HTML built in Python: a
year's dashboard has about a thousand cells, and the template loop spent more time on them than
the page's queries did."""

from __future__ import annotations

from django import template
from django.conf import settings
from django.utils.formats import localize
from django.utils.html import conditional_escape, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from portevoix.analytics.tables import Table

register = template.Library()


@register.simple_tag
def table_rows(table: Table) -> SafeString:
    """`<tr>` per row, each cell localised and escaped as `{{ cell }}` would be; None is shown
    as a dash that says the figure is not measured for this selection."""
    if not table.rows:
        empty = conditional_escape(_("Nothing in this period."))
        return mark_safe(f'<tr><td colspan="{len(table.headers)}" class="muted">{empty}</td></tr>')
    missing = '<td><span class="muted" title="{}">—</span></td>'.format(
        conditional_escape(_("not measured for this selection"))
    )
    # Whole numbers are most cells: without thousand separators, localising one is str().
    plain_ints = not settings.USE_THOUSAND_SEPARATOR
    html = []
    for row in table.rows:
        html.append("<tr>")
        for cell in row:
            if cell is None:
                html.append(missing)
            elif plain_ints and type(cell) is int:
                html.append(f"<td>{cell}</td>")
            else:
                html.append(f"<td>{conditional_escape(localize(cell))}</td>")
        html.append("</tr>\n")
    return mark_safe("".join(html))


@register.simple_tag
def select_options(choices, selected: object) -> SafeString:
    """`<option>` per (value, label), the one equal to `selected` (compared as text, as the
    query string gives it) selected: built here for the same reason as the table rows."""
    chosen = "" if selected is None else str(selected)
    return format_html_join(
        "",
        '<option value="{}"{}>{}</option>',
        (
            (value, mark_safe(" selected") if str(value) == chosen else "", label)
            for value, label in choices
        ),
    )
