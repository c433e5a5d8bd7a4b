from django.core.management import call_command

from portevoix.accounts.models import Person
from portevoix.content.messages import message_problems
from portevoix.content.models import Campaign, Post, PostKind, PostStatus, SuggestedMessage, Topic
from portevoix.sharing.models import Share
from portevoix.sharing.selectors import visible_posts


def test_the_demo_has_posts_of_every_kind_campaigns_and_shares(db):
    call_command("demo")
    assert Campaign.objects.count() == 3
    assert Topic.objects.count() >= 5
    assert 20 <= Post.objects.count() <= 40
    assert set(Post.objects.values_list("kind", flat=True)) == set(PostKind.values)
    assert set(Post.objects.values_list("status", flat=True)) == set(PostStatus.values)
    assert Post.objects.filter(languages__contains=",en,").exists()
    assert SuggestedMessage.objects.filter(language="en").exists()
    # Every suggested message passes the demo's own compliance rules and length limits.
    for message in SuggestedMessage.objects.all():
        assert message_problems(network=message.network, text=message.text) == [], message.text
    assert Share.objects.count() > 100
    assert Share.objects.values("network").distinct().count() >= 4
    assert not Share.objects.filter(post__kind=PostKind.ANNOUNCEMENT).exists()
    sophie = Person.objects.get(email="ambassadrice@lumiere-demo.fr")
    assert visible_posts(person=sophie).count() >= 10
