"""What accounts tells the rest of the platform, after the change has committed."""

from django.dispatch import Signal

# person: they joined the ambassador programme (opted in).
ambassador_opted_in = Signal()
# person: they left it (opted out).
ambassador_opted_out = Signal()
# person: they are about to be deactivated (still active when this is sent): offered their
# personal-brand file by e-mail while they can still receive it.
person_leaving = Signal()
