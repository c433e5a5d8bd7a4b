"""The installable app: a manifest with the icons browsers ask for, a service worker served
from the site's root whose cache version follows the deployed files, and an offline page."""

import json
from pathlib import Path

from django.contrib.staticfiles import finders
from django.urls import reverse
from PIL import Image

from portevoix.core.pwa import PUSH_HANDLERS, SHELL_FILES, cache_version


def test_the_manifest_offers_png_and_maskable_icons_and_screenshots_that_exist(client, db):
    manifest = client.get(reverse("core:manifest")).json()
    assert manifest["display"] == "standalone" and manifest["theme_color"] == "#1f4e79"
    assert manifest["start_url"] == "/" and manifest["scope"] == "/"
    sizes = {(icon["sizes"], icon.get("purpose", "any")) for icon in manifest["icons"]}
    assert {("192x192", "any"), ("512x512", "any"), ("512x512", "maskable")} <= sizes
    for entry in manifest["icons"] + manifest["screenshots"]:
        path = finders.find(entry["src"].removeprefix("/static/"))
        assert path, entry["src"]
        if entry["type"] == "image/png":
            with Image.open(path) as image:
                assert f"{image.width}x{image.height}" == entry["sizes"]


def test_every_page_links_the_apple_touch_icon_and_the_app_script(client, db):
    page = client.get(reverse("accounts:login")).content.decode()
    assert 'rel="apple-touch-icon" href="/static/portevoix/icons/apple-touch-icon.png"' in page
    assert 'src="/static/portevoix/app.js"' in page and 'data-sw="/sw.js"' in page


def test_the_service_worker_is_served_from_the_root_for_anyone(client, db):
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    assert response["Service-Worker-Allowed"] == "/"
    body = response.content.decode()
    config = json.loads(body.split("const CONFIG = ", 1)[1].split(";\n", 1)[0])
    assert config["version"] == cache_version()
    assert config["offline"] == "/offline/" and config["feed"] == "/"
    assert "/static/portevoix/app.js" in config["shell"]
    # The Web Push handlers of the notifications app run in the same worker.
    assert f'importScripts("/static/{PUSH_HANDLERS}");' in body


def test_a_deploy_that_changes_a_kept_file_changes_the_cache_version(settings, tmp_path, db):
    before = cache_version()
    assert cache_version() == before  # the same files, the same version
    changed = tmp_path / "portevoix" / "app.js"
    changed.parent.mkdir()
    original = Path(finders.find("portevoix/app.js")).read_text()
    changed.write_text(original + "\n// the next release\n")
    settings.STATICFILES_DIRS = [tmp_path]  # found before the app's own file, as a deploy would
    assert finders.find("portevoix/app.js") == str(changed)
    assert cache_version() != before


def test_every_kept_file_exists(db):
    for path in (*SHELL_FILES, PUSH_HANDLERS):
        assert finders.find(path), path


def test_the_offline_page_needs_no_login_and_says_what_is_kept(client, db):
    response = client.get(reverse("core:offline"), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert b"You are offline" in response.content and b"keeps only the feed" in response.content
