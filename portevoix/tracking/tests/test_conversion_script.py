"""The conversion script, on a company page of another origin, in a real browser."""

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.db import connection
from django.utils import timezone

from portevoix.tracking.hotpath.app import new_click_id
from portevoix.tracking.models import Click, ClickKind, Conversion
from portevoix.tracking.tests.conftest import call, click_id_of

pytestmark = pytest.mark.browser


@pytest.fixture
def company_site(live_server):
    """A careers page on its own origin that loads the script from the platform."""
    page = f"""<!doctype html><html><head><title>Carrières</title>
<script src="{live_server.url}/static/tracking/conversions.js" defer></script></head>
<body><h1>Technicien·ne de maintenance</h1>
<form data-portevoix-goal="job_application" onsubmit="event.preventDefault();
  document.getElementById('sent').textContent = 'Candidature envoyée';">
<button type="submit">Postuler</button></form><p id="sent"></p></body></html>""".encode()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.end_headers()
            self.wfile.write(page)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def test_a_visitor_who_applies_is_a_conversion_of_the_ambassadors_link(
    page, company_site, redirect_app, link
):
    click_id = click_id_of(call(redirect_app, f"/s/{link.code}"))
    page.goto(f"{company_site}/offres/42?utm_source=linkedin&pv_click={click_id}")
    page.goto(f"{company_site}/offres/42#postuler")  # a later page of the visit: no parameter
    page.get_by_role("button", name="Postuler").click()
    page.get_by_text("Candidature envoyée").wait_for()
    page.wait_for_function(
        "() => performance.getEntriesByType('resource')"
        ".some(e => e.name.includes('/tracking/api/conversions/script'))"
    )
    for _ in range(50):
        if Conversion.objects.exists():
            break
        page.wait_for_timeout(100)
    conversion = Conversion.objects.get()
    assert (conversion.click_id, conversion.goal, conversion.source, conversion.link) == (
        click_id,
        "job_application",
        "script",
        link,
    )


def test_without_a_click_id_the_script_reports_nothing(page, company_site, db):
    page.goto(f"{company_site}/offres/42")
    assert page.evaluate("() => portevoix.convert('lead')") is False
    assert not Conversion.objects.exists()


def test_a_click_still_on_its_way_is_reported_again_once_it_has_arrived(page, company_site, link):
    """With several web nodes (PostgreSQL inbox), the company site may report a click still on
    its way from another node: the platform answers 503 with Retry-After, and the script waits
    that long and tries again."""
    if connection.vendor != "postgresql":
        pytest.skip("only with the PostgreSQL inbox is a click ever on its way between nodes")
    click_id = new_click_id()
    page.goto(f"{company_site}/offres/42?pv_click={click_id}")
    with page.expect_response(
        lambda response: "/conversions/script" in response.url and response.status == 503
    ):
        page.evaluate("() => { window.converted = portevoix.convert('lead'); }")
    assert not Conversion.objects.exists()
    Click.objects.create(
        click_id=click_id,
        link=link,
        at=timezone.now(),
        kind=ClickKind.VERIFIED,
        visitor="0123456789abcdef" * 2,
        device="desktop",
    )
    assert page.evaluate("() => window.converted") is True
    conversion = Conversion.objects.get()
    assert (conversion.click_id, conversion.goal, conversion.link) == (click_id, "lead", link)
