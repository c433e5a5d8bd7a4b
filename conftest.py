"""Shared fixtures: named people (alice the ambassador, bob the editor, carol the admin,
dave the alumni, erin who has not opted in) and a real Chromium for browser tests."""

from __future__ import annotations

import functools
import os
import shutil

import pytest

# Playwright's sync API runs an event loop in the test thread; Django's ORM would otherwise
# refuse to run there.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("PORTEVOIX_CHROMIUM", "/usr/bin/chromium")
NODE_MODULES = os.path.join(os.path.dirname(os.path.abspath(__file__)), "node_modules")
AXE_SCRIPT = os.path.join(NODE_MODULES, "axe-core", "axe.min.js")
PASSWORD = "correct-horse-battery-9"


@functools.cache
def axe_source() -> str:
    with open(AXE_SCRIPT, encoding="utf-8") as handle:
        return handle.read()


@pytest.fixture(autouse=True)
def _fresh_cache():
    from django.core.cache import cache

    from portevoix.analytics.click_figures.settled import settled_forget

    # Each test's database starts from the same settled-counters token: sums kept in this
    # process's memory under it by another test are another data set's.
    settled_forget()
    cache.clear()
    yield
    cache.clear()


def make_person(
    email: str, name: str, role: str, *, opted_in: bool = True, accept_charter: bool = True
):
    from django.utils import timezone

    from portevoix.accounts.charter import charter_accept, current_charter
    from portevoix.accounts.models import Person

    person = Person.objects.create_user(
        email=email, password=PASSWORD, full_name=name, role=role, activated_at=timezone.now()
    )
    if opted_in:
        person.opted_in_at = timezone.now()
        person.save(update_fields=["opted_in_at"])
        charter = current_charter()
        if accept_charter and charter is not None:
            charter_accept(person=person, version_number=charter.number)
    return person


@pytest.fixture
def charter(db):
    from portevoix.accounts.models import CharterVersion

    return CharterVersion.objects.create(number=1, title="Charte", text="Soyez **authentiques**.")


@pytest.fixture
def alice(db, charter):
    return make_person("alice@example.com", "Alice Martin", "ambassador")


@pytest.fixture
def bob(db, charter):
    return make_person("bob@example.com", "Bob Durand", "editor")


@pytest.fixture
def carol(db, charter):
    return make_person("carol@example.com", "Carol Admin", "admin")


@pytest.fixture
def dave(db, charter):
    return make_person("dave@example.com", "Dave Ancien", "alumni")


@pytest.fixture
def erin(db, charter):
    return make_person("erin@example.com", "Erin Réservée", "ambassador", opted_in=False)


@pytest.fixture
def client_for(client):
    """Log a person in on the test client: `client_for(alice).get(...)`."""

    def login(person):
        client.force_login(person)
        return client

    return login


@pytest.fixture(scope="session")
def browser():
    if not shutil.which(CHROMIUM) and not os.path.exists(CHROMIUM):
        if os.environ.get("PORTEVOIX_REQUIRE_ALL"):
            pytest.fail(f"Chromium not found at {CHROMIUM}: browser tests cannot run")
        pytest.skip(f"Chromium not found at {CHROMIUM} (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(locale="fr-FR", base_url=live_server.url)
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def _require_or_skip(message: str) -> None:
    if os.environ.get("PORTEVOIX_REQUIRE_ALL"):
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture
def axe():
    """`axe(page)` runs axe-core (npm, `make install` puts it in node_modules) on the page as it
    is and fails on any serious or critical violation, naming the rule and the elements."""
    if not os.path.exists(AXE_SCRIPT):
        _require_or_skip(f"axe-core not found at {AXE_SCRIPT} (Node >= 20 and `npm ci`)")

    def check(page, *, impacts: tuple[str, ...] = ("serious", "critical")) -> list[dict]:
        # Evaluated by the debugging protocol, not as a <script>: our pages' CSP forbids inline
        # scripts (add_script_tag inlines the file), and the check must not loosen it.
        if not page.evaluate("() => typeof window.axe !== 'undefined'"):
            page.evaluate(axe_source())
        result = page.evaluate("async () => await axe.run(document)")
        found = [v for v in result["violations"] if v["impact"] in impacts]
        assert not found, "axe: " + "; ".join(
            f"{v['id']} ({v['impact']}) on {[n['target'] for n in v['nodes']][:5]}" for v in found
        )
        return result["violations"]

    return check


@pytest.fixture
def local_http(settings):
    """A real HTTP server on 127.0.0.1 that the fetch guard lets through (tests only)."""
    from portevoix.core.testing import LocalHTTPServer

    settings.FETCH_ALLOWED_PRIVATE_HOSTS = ["127.0.0.1"]
    server = LocalHTTPServer().start()
    yield server
    server.stop()
