# Takes over accounts' Person.topics (removed from accounts' state in accounts 0006) as
# Topic.followers, on the same table and columns (accounts_person_topics: person_id, topic_id):
# only the models' state changes, no row moves.

from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0006_person_topics_to_content'),
        ('content', '0002_content_hub'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AddField(
                    model_name='topic',
                    name='followers',
                    field=models.ManyToManyField(
                        blank=True,
                        db_table='accounts_person_topics',
                        related_name='topics',
                        to=settings.AUTH_USER_MODEL,
                        verbose_name='followers',
                    ),
                ),
            ],
            database_operations=[],
        ),
    ]
