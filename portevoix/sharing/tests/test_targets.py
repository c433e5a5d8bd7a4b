"""Share URLs, one per network, against the formats the networks document, with the characters
that break naive encoding: accents, emoji, &, #, + and newlines."""

from urllib.parse import parse_qs, unquote, urlsplit

import pytest

from portevoix.accounts.models import Network
from portevoix.sharing.targets import TARGETS, target_for
from portevoix.sharing.targets.mastodon import Mastodon

TEXT = "Fiers de nos équipes 💪 & de #Lumière !\nÀ lire : 1+1=2"
LINK = "https://portevoix.example/s/Ab3dEf7h"


def query(url: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(url).query, keep_blank_values=True)


def test_every_network_has_a_target_except_none():
    assert set(TARGETS) == set(Network.values)


def test_linkedin_takes_only_the_url():
    url = TARGETS["linkedin"]().share_url(TEXT, LINK)
    assert (
        url
        == "https://www.linkedin.com/sharing/share-offsite/?url=https%3A%2F%2Fportevoix.example%2Fs%2FAb3dEf7h"
    )
    assert not TARGETS["linkedin"].takes_text


def test_x_takes_the_text_and_the_url_apart():
    url = TARGETS["x"]().share_url(TEXT, LINK)
    assert url.startswith("https://twitter.com/intent/tweet?text=")
    assert query(url) == {"text": [TEXT], "url": [LINK]}
    # Percent-encoded as UTF-8, spaces as %20 (never "+", which would read as a plus sign).
    assert "%F0%9F%92%AA" in url and "%C3%A9" in url and "%0A" in url
    assert "%26" in url and "%23" in url and "%2B" in url and "+" not in url


def test_facebook_and_xing_take_only_the_url():
    facebook = TARGETS["facebook"]().share_url(TEXT, LINK)
    assert facebook.startswith("https://www.facebook.com/sharer/sharer.php?u=")
    assert query(facebook) == {"u": [LINK]}
    xing = TARGETS["xing"]().share_url(TEXT, LINK)
    assert xing.startswith("https://www.xing.com/spi/shares/new?url=")
    assert query(xing) == {"url": [LINK]}


@pytest.mark.parametrize(
    "network,prefix",
    [("whatsapp", "https://wa.me/?text="), ("bluesky", "https://bsky.app/intent/compose?text=")],
)
def test_networks_with_one_text_parameter_get_the_link_inside_it(network, prefix):
    url = TARGETS[network]().share_url(TEXT, LINK)
    assert url.startswith(prefix)
    assert query(url) == {"text": [f"{TEXT}\n\n{LINK}"]}
    assert "+" not in url


def test_mastodon_goes_to_my_own_instance():
    url = Mastodon(instance="piaille.fr").share_url(TEXT, LINK)
    assert url.startswith("https://piaille.fr/share?text=")
    assert query(url) == {"text": [f"{TEXT}\n\n{LINK}"]}


def test_mastodon_without_an_instance_is_not_ready(alice):
    target = target_for("mastodon", person=alice)
    assert not target.is_ready
    with pytest.raises(ValueError):
        target.share_url(TEXT, LINK)
    alice.mastodon_instance = "mastodon.social"
    assert target_for("mastodon", person=alice).is_ready


def test_telegram_takes_url_and_text():
    url = TARGETS["telegram"]().share_url(TEXT, LINK)
    assert url.startswith("https://t.me/share/url?url=")
    assert query(url) == {"url": [LINK], "text": [TEXT]}


def test_email_is_a_mailto_uri_with_crlf_line_breaks():
    url = TARGETS["email"]().share_url(TEXT, LINK, subject="Éoliennes & co")
    assert url.startswith("mailto:?subject=")
    parts = dict(p.split("=", 1) for p in url.removeprefix("mailto:?").split("&"))
    assert unquote(parts["subject"]) == "Éoliennes & co"
    assert unquote(parts["body"]) == f"{TEXT}\n\n{LINK}".replace("\n", "\r\n")
    assert "%20" in url and "+" not in url


def test_copy_opens_nothing_and_copies_text_with_link():
    target = TARGETS["copy"]()
    assert not target.opens_page
    assert target.share_url(TEXT, LINK) == ""
    assert target.clipboard_text(TEXT, LINK) == f"{TEXT}\n\n{LINK}"


def test_networks_without_text_copy_the_text_alone():
    assert TARGETS["linkedin"]().clipboard_text(f"  {TEXT} ", LINK) == TEXT


def test_an_empty_text_shares_the_link_alone():
    assert query(TARGETS["whatsapp"]().share_url("  ", LINK)) == {"text": [LINK]}
    assert TARGETS["x"]().posted_text("", LINK) == LINK


def test_posted_text_puts_the_link_where_the_network_does():
    assert TARGETS["x"]().posted_text("Salut", LINK) == f"Salut {LINK}"
    assert TARGETS["bluesky"]().posted_text("Salut", LINK) == f"Salut\n\n{LINK}"
    assert TARGETS["linkedin"]().posted_text("Salut", LINK) == "Salut"
