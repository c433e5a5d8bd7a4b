"""What tracking tells the rest of the platform (gamification awards points on these).

Both are sent after the transaction that recorded the facts has committed.
"""

from django.dispatch import Signal

# clicks: list of (click id, link id, ambassador id, post id, Unix time), verified only.
verified_clicks_ingested = Signal()
# Sent after each ingestion batch that consumed clicks: the counters moved (analytics then
# forgets its kept dashboard tables). No argument.
clicks_ingested = Signal()
# conversion: the Conversion just recorded (counted or not: see `conversion.counted`).
conversion_recorded = Signal()
