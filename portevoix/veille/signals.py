"""What veille tells the rest of the platform, after the change has committed."""

from django.dispatch import Signal

# alert: a veille alert was just raised (its notifications are committed with it).
alert_raised = Signal()
