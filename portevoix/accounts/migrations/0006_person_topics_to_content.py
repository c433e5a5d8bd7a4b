# Person.topics becomes content's Topic.followers (content 0003), so that accounts no longer
# names a model of content. Only the models' state changes: the table accounts_person_topics
# and its rows stay as they are.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0005_two_factor'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveField(model_name='person', name='topics'),
            ],
            database_operations=[],
        ),
    ]
