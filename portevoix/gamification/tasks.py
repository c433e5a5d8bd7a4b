from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task


@db_task(retries=3, retry_delay=30)
def score_verified_clicks(clicks: list) -> None:
    from portevoix.gamification.activity import verified_clicks_score

    verified_clicks_score(clicks=clicks)


@db_task(retries=3, retry_delay=30)
def score_conversion(conversion_id: int) -> None:
    from portevoix.gamification.activity import conversion_score
    from portevoix.tracking.models import Conversion

    conversion = (
        Conversion.objects.select_related("link__ambassador").filter(pk=conversion_id).first()
    )
    if conversion is not None:
        conversion_score(conversion=conversion)


@db_periodic_task(crontab(minute="*"))
def close_due_challenges() -> None:
    from portevoix.gamification.challenges import challenges_announce_started, challenges_close_due

    challenges_announce_started()
    challenges_close_due()
