"""English: "5 Dec 2026" and "5 Dec 2026 17:01", day before month and a 24-hour clock, which
no reader on either side of the Atlantic takes for another day. Short formats are the same."""

DATE_FORMAT = "j M Y"
DATETIME_FORMAT = "j M Y H:i"
SHORT_DATE_FORMAT = DATE_FORMAT
SHORT_DATETIME_FORMAT = DATETIME_FORMAT
TIME_FORMAT = "H:i"
