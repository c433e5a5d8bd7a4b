"""What accounts tells the rest of the platform, after the change has committed."""

from django.dispatch import Signal

# person: they joined the ambassador programme (opted in).
ambassador_opted_in = Signal()
# person: they left it (opted out).
ambassador_opted_out = Signal()
