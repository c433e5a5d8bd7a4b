"""French: "5 déc. 2026" and "5 déc. 2026 17:01" (`N`: the month abbreviated, as French
writes it: "janv.", "mars", "déc."). Short formats are the same: "05/12/2026" is read the other
way round by half of the readers of an exported screenshot."""

DATE_FORMAT = "j N Y"
DATETIME_FORMAT = "j N Y H:i"
SHORT_DATE_FORMAT = DATE_FORMAT
SHORT_DATETIME_FORMAT = DATETIME_FORMAT
TIME_FORMAT = "H:i"
