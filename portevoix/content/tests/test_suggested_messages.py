import random

from portevoix.content.messages import message_pick, message_problems
from portevoix.content.tests.factories import make_post
from portevoix.sharing.message_lengths import sample_link_url
from portevoix.tracking.links import tracked_link_for


def test_the_sample_link_is_as_long_as_a_real_one(alice):
    post = make_post()
    assert len(sample_link_url()) == len(
        tracked_link_for(post=post, ambassador=alice, network="x").short_url
    )


def test_a_variant_for_my_network_and_language_comes_first(db):
    post = make_post(
        messages=[
            ("x", "fr", "X en français"),
            ("", "fr", "Partout en français"),
            ("x", "en", "X in English"),
            ("", "en", "Everywhere in English"),
        ]
    )
    assert message_pick(post=post, network="x", language="en").text == "X in English"
    assert message_pick(post=post, network="bluesky", language="en").text == "Everywhere in English"
    assert message_pick(post=post, network="bluesky", language="fr").text == "Partout en français"


def test_variants_are_picked_at_random(db):
    post = make_post(
        messages=[("linkedin", "fr", "Un"), ("linkedin", "fr", "Deux"), ("linkedin", "fr", "Trois")]
    )
    rng = random.Random(1)
    seen = {
        message_pick(post=post, network="linkedin", language="fr", rng=rng).text for _ in range(30)
    }
    assert seen == {"Un", "Deux", "Trois"}


def test_the_default_language_then_anything_is_the_fallback(db):
    french_only = make_post(messages=[("linkedin", "fr", "Seulement en français")])
    assert (
        message_pick(post=french_only, network="x", language="en").text == "Seulement en français"
    )
    assert message_pick(post=make_post(), network="x", language="fr") is None


def test_a_message_for_every_network_must_fit_every_limit(db):
    assert message_problems(network="linkedin", text="a" * 2999) == []
    assert message_problems(network="", text="a" * 250) == []
    problems = message_problems(network="", text="a" * 270)
    # X counts the link as 23, Bluesky counts it in full: both are over.
    assert len(problems) == 2 and "280" in problems[0] and "300" in problems[1]
    assert len(message_problems(network="", text="a" * 480)) == 3  # X, Bluesky, Mastodon
