"""In a real Chromium: the service worker keeps the app's files under the deploy's version; after
a deploy that changes a kept file, the browser takes the new worker, which keeps the new file
and deletes the caches of the version before: nothing kept outlives its deploy."""

import time
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders

from conftest import PASSWORD
from portevoix.core.pwa import cache_version

pytestmark = [pytest.mark.browser]

CACHE_NAMES = "async () => (await caches.keys()).sort()"
KEPT_APP_SCRIPT = """async () => {
  const kept = await caches.match("/static/portevoix/app.js");
  return kept ? await kept.text() : null;
}"""


def test_a_deploy_replaces_the_kept_files_and_deletes_the_old_caches(
    page, live_server, alice, settings, tmp_path
):
    page.goto("/accounts/login/")
    page.fill("input[name=username]", alice.email)
    page.fill("input[name=password]", PASSWORD)
    page.click("form:has(input[name=password]) button[type=submit]")
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
    page.evaluate("async () => { await navigator.serviceWorker.ready; }")
    page.reload()  # now under the worker: the feed is kept too
    page.wait_for_function("() => navigator.serviceWorker.controller !== null")
    before = cache_version()
    assert page.evaluate(CACHE_NAMES) == [f"portevoix-pages-{before}", f"portevoix-shell-{before}"]

    # The deploy: a new app.js.
    new_script = tmp_path / "portevoix" / "app.js"
    new_script.parent.mkdir()
    new_script.write_text(
        Path(finders.find("portevoix/app.js")).read_text() + "\n// the next release\n"
    )
    settings.STATICFILES_DIRS = [tmp_path]
    after = cache_version()
    assert after != before

    # The browser checks the worker (at a navigation, or as here when asked) and takes the new one.
    page.evaluate(
        "async () => { await (await navigator.serviceWorker.getRegistration()).update(); }"
    )
    deadline = time.monotonic() + 10
    # The feed kept by the version before goes with it.
    while page.evaluate(CACHE_NAMES) != [f"portevoix-shell-{after}"]:
        assert time.monotonic() < deadline, page.evaluate(CACHE_NAMES)
        page.wait_for_timeout(100)
    assert "the next release" in page.evaluate(KEPT_APP_SCRIPT)
    page.reload()  # the feed, from the network, kept again under the new version
    assert page.evaluate(CACHE_NAMES) == [f"portevoix-pages-{after}", f"portevoix-shell-{after}"]
    page.wait_for_load_state("networkidle")
