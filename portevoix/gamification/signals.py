"""What gamification tells the rest of the platform (notifications announce it), once the
change has committed. Gamification imports no capability that listens."""

from django.dispatch import Signal

# challenge: it has started; sent once per challenge, when the start is claimed.
challenge_started = Signal()
# challenge: it has closed; its frozen standings are in `challenge.results`.
challenge_closed = Signal()
