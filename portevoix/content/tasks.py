"""Background work for the content hub; each task is a thin wrapper around a service."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from portevoix.content.models import Post
from portevoix.content.preview import post_attach_preview_image
from portevoix.content.workflow import posts_expire_due, posts_publish_due


@db_periodic_task(crontab(minute="*"))
def publish_and_expire_due_posts() -> tuple[int, int]:
    """Scheduled posts appear, and expired ones leave, without anyone acting."""
    return posts_publish_due(), posts_expire_due()


@db_task()
def attach_preview_image(post_id: int) -> bool:
    post = Post.objects.filter(pk=post_id).first()
    return post is not None and post_attach_preview_image(post=post)
