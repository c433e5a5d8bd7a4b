"""E-mail link scanners, through the real redirect and ingestion: recognised by their networks
(the address is never kept, only the flag), by the user agents they name themselves with, and
by their timing; counted apart with their own reason.

What each test reproduces, and where it is documented:

- Microsoft Defender for Office 365: Safe Links rewrites the mail's links and checks them at
  time of click from Microsoft's own infrastructure; Safe Attachments' sandbox renders the mail
  and opens its links with a Chrome user agent from Exchange Online Protection addresses
  (Microsoft Learn, "Safe Links in Microsoft Defender for Office 365"; the addresses are
  Exchange Online's in "Microsoft 365 URLs and IP address ranges"). Microsoft Q&A 12221247
  ("allowed clicks from Microsoft IP addresses … triggered by automated Microsoft services").
- Proofpoint URL Defense, Mimecast URL Protect, Barracuda Link Protection rewrite links to
  their own domain and fetch the destination from their published networks (each vendor's
  "IP addresses to allow" page, the sources in scanner_networks.txt).
- Every gateway opening every link of one mail within seconds of delivery (mautic/mautic#9162
  "False Clicks - Secure Email Gateways", anymail/django-anymail#200).
"""

from __future__ import annotations

import pytest

from portevoix.core.fetch import FetchError
from portevoix.core.testing import Answer as ServerAnswer
from portevoix.tracking.ingest import clicks_ingest
from portevoix.tracking.links import tracked_link_for
from portevoix.tracking.models import Click, ClickCount, ClickKind, ScannerNetwork
from portevoix.tracking.scanners import (
    SCANNER_MARK,
    ScannerCheck,
    ScannerRanges,
    parse_networks,
    scanner_networks_refresh,
    shipped_networks,
)
from portevoix.tracking.tasks import scanner_networks_update
from portevoix.tracking.tests.conftest import call, figures_verified, inbox_clicks

CHROME_WINDOWS = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/101.0.4951.54 Safari/537.36"
)
PERSON_IP = "203.0.113.7"


def kinds() -> list[int]:
    return list(Click.objects.order_by("id").values_list("kind", flat=True))


def scanner_count() -> int:
    return sum(
        ClickCount.objects.filter(dimension="all", property="scanner", frequency="day").values_list(
            "value", flat=True
        )
    )


@pytest.mark.parametrize(
    ("vendor", "address"),
    [
        ("Microsoft Defender (Exchange Online Protection)", "40.107.22.51"),
        ("Microsoft Defender over IPv6", "2a01:111:f400:fe1e::5"),
        ("Proofpoint URL Defense", "148.163.150.23"),
        ("Mimecast URL Protect", "205.139.110.61"),
        ("Barracuda Link Protection", "209.222.82.250"),
        ("an IPv4 address written the IPv6 way", "::ffff:40.107.22.51"),
    ],
)
def test_a_scanner_network_with_a_browser_agent_is_a_scanner(redirect_app, link, vendor, address):
    answer = call(redirect_app, f"/s/{link.code}", ip=address, user_agent=CHROME_WINDOWS)
    assert answer.status == 302, vendor  # the scanner is answered like anyone

    [raw] = inbox_clicks()
    assert raw.self_token == SCANNER_MARK
    assert address not in repr(tuple(raw))  # only the flag: the address is not kept

    report = clicks_ingest()
    assert report.by_kind == {"scanner": 1}
    assert kinds() == [ClickKind.SCANNER]
    assert scanner_count() == 1


def test_a_person_with_the_same_browser_elsewhere_counts(redirect_app, link):
    call(redirect_app, f"/s/{link.code}", ip=PERSON_IP, user_agent=CHROME_WINDOWS)
    assert inbox_clicks()[0].self_token == ""
    assert clicks_ingest().by_kind == {"verified": 1}


@pytest.mark.parametrize(
    "user_agent",
    [
        # Safe Links' time-of-click check, from Office (Microsoft Learn, Safe Links settings
        # for Office apps): the request names Office, not a browser.
        "Microsoft Office/16.0 (Windows NT 10.0; Microsoft Outlook 16.0.17029; Pro)",
        "ms-office; MSOffice 16",
        "Mozilla/5.0 (compatible; Proofpoint URL Defense)",
        "Mimecast URL Protect",
        "Barracuda Sentinel (EE)",
    ],
)
def test_a_scanner_naming_itself_is_a_scanner_not_a_bot(redirect_app, link, user_agent):
    call(redirect_app, f"/s/{link.code}", ip=PERSON_IP, user_agent=user_agent)
    assert clicks_ingest().by_kind == {"scanner": 1}


def test_every_link_of_a_mail_opened_within_seconds_is_a_scanner(redirect_app, post, alice):
    """A gateway outside the published networks still reads the whole mail at once."""
    links = [tracked_link_for(post=post, ambassador=alice, network=n) for n in ("email", "x")]
    links.append(tracked_link_for(post=post, ambassador=alice, network="linkedin"))
    for link in links:
        call(redirect_app, f"/s/{link.code}", ip="198.51.100.90", user_agent=CHROME_WINDOWS)
    # A person opening two of the links in a row is a person.
    for link in links[:2]:
        call(redirect_app, f"/s/{link.code}", ip=PERSON_IP, user_agent=CHROME_WINDOWS)

    report = clicks_ingest()

    assert report.by_kind == {"scanner": 3, "verified": 2}
    assert kinds() == [ClickKind.SCANNER] * 3 + [ClickKind.VERIFIED] * 2
    figures_verified()


def test_ranges_look_up_and_merge():
    ranges = ScannerRanges(["10.0.0.0/24", "10.0.1.0/24", "2001:db8::/32", "10.0.0.128/25"])
    assert len(ranges) == 2  # the two /24 touch: one range; the /25 is inside
    assert ranges.contains("10.0.1.255")
    assert not ranges.contains("10.0.2.0")
    assert not ranges.contains("9.255.255.255")
    assert ranges.contains("2001:db8:ffff::1")
    assert not ranges.contains("2001:db9::1")
    assert not ranges.contains("")  # no address at all
    assert not ranges.contains("not an address")


def test_the_shipped_list_reads():
    networks = shipped_networks()
    assert "40.107.0.0/16" in networks
    assert len(networks) >= 15


def test_a_bad_list_names_its_line():
    with pytest.raises(ValueError, match="line 2"):
        parse_networks(["10.0.0.0/8", "Mimecast EU", "11.0.0.0/8"])


def test_the_task_refreshes_from_the_configured_list(local_http, settings, make_app, link):
    local_http.route("/scanners.txt", ServerAnswer(body=b"# test list\n192.0.2.0/24\n"))
    settings.SCANNER_NETWORKS_URL = local_http.url("/scanners.txt")

    scanner_networks_update()

    assert list(ScannerNetwork.objects.values_list("network", flat=True)) == ["192.0.2.0/24"]
    app = make_app(scanners=ScannerCheck())  # a new process reads the refreshed list
    call(app, f"/s/{link.code}", ip="192.0.2.77", user_agent=CHROME_WINDOWS)
    call(app, f"/s/{link.code}", ip="40.107.22.51", user_agent=CHROME_WINDOWS)  # not listed now
    assert clicks_ingest().by_kind == {"scanner": 1, "verified": 1}


@pytest.mark.django_db
@pytest.mark.parametrize(
    "answer",
    [
        ServerAnswer(body=b"192.0.2.0/24\n<html>oops</html>\n"),
        ServerAnswer(body=b"# nothing\n"),
        ServerAnswer(status=500, body=b"10.0.0.0/8\n"),
    ],
)
def test_a_list_that_fails_changes_nothing(local_http, answer):
    ScannerNetwork.objects.create(network="198.18.0.0/15", source="before")
    local_http.route("/scanners.txt", answer)
    with pytest.raises((FetchError, ValueError)):
        scanner_networks_refresh(local_http.url("/scanners.txt"))
    assert list(ScannerNetwork.objects.values_list("network", flat=True)) == ["198.18.0.0/15"]


@pytest.mark.django_db
def test_the_fetch_guard_refuses_a_private_list_address(settings):
    settings.FETCH_ALLOWED_PRIVATE_HOSTS = []
    with pytest.raises(FetchError):
        scanner_networks_refresh("http://127.0.0.1:9/list.txt")
