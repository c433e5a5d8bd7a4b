from django.dispatch import receiver

from portevoix.content.models import Post, Suggestion
from portevoix.content.signals import post_published, suggestion_decided
from portevoix.notifications import tasks


@receiver(post_published, sender=Post, dispatch_uid="notifications_post_published")
def on_post_published(sender, post, **kwargs) -> None:
    tasks.announce_post(post.pk)


@receiver(suggestion_decided, sender=Suggestion, dispatch_uid="notifications_suggestion_decided")
def on_suggestion_decided(sender, suggestion, **kwargs) -> None:
    tasks.announce_suggestion_decision(suggestion.pk)
