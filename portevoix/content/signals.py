"""What the content hub tells the rest of the platform, after the change has committed."""

from django.dispatch import Signal

# post: a post just became visible to ambassadors (published now, or its scheduled time came).
post_published = Signal()
# suggestion: an editor accepted or declined it (see suggestion.status).
suggestion_decided = Signal()
