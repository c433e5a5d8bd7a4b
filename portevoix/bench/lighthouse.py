"""`make bench ONLY=lighthouse`: Lighthouse (npm, pinned by package-lock.json) on the pages an
ambassador uses on a phone and the editors' dashboard, in Debian's Chromium with Lighthouse's
default mobile emulation, against the platform served by Granian on the demo company.

Prints `lighthouse.<page>.<category>` (0–100) for performance, accessibility and best
practices. Performance varies with the machine's load; accessibility and best practices do not.
A figure, never a test: it does not fail on a score.
"""

from __future__ import annotations

import http.cookiejar
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

from portevoix.core.web import granian_command

ROOT = Path(__file__).resolve().parents[2]
LIGHTHOUSE = ROOT / "node_modules" / ".bin" / "lighthouse"
CHROMIUM = os.environ.get("PORTEVOIX_CHROMIUM", "/usr/bin/chromium")
CATEGORIES = ("performance", "accessibility", "best-practices")
DEMO_PASSWORD = "portevoix-demo"
AMBASSADOR = "ambassadrice@lumiere-demo.fr"
EDITOR = "editeur@lumiere-demo.fr"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _manage(env: dict, *args: str) -> None:
    subprocess.run(
        [sys.executable, "manage.py", *args], env=env, cwd=ROOT, check=True, capture_output=True
    )


def _serve(env: dict, port: int) -> subprocess.Popen:
    command = granian_command(host="127.0.0.1", port=port, environ=env, workers=1)
    command[1:1] = ["--log-level", "error"]
    server = subprocess.Popen(command, env=env, cwd=ROOT, start_new_session=True)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return server
        except OSError:
            time.sleep(0.1)
    _stop(server)
    raise RuntimeError("the web server did not start")


def _stop(server: subprocess.Popen) -> None:
    server.terminate()
    try:
        server.wait(timeout=10)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()


def _found(pattern: str, page: str, what: str) -> str:
    match = re.search(pattern, page)
    if match is None:
        raise RuntimeError(f"lighthouse bench: {what} not found on the page")
    return match.group(1)


def _log_in(base: str, email: str) -> tuple[str, str]:
    """The session cookie of a person logged in through the real form, and their feed's HTML."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    form = opener.open(f"{base}/accounts/login/").read().decode()
    token = _found(r'name="csrfmiddlewaretoken" value="([^"]+)"', form, "the log-in form's token")
    data = urllib.parse.urlencode(
        {"csrfmiddlewaretoken": token, "username": email, "password": DEMO_PASSWORD}
    ).encode()
    request = urllib.request.Request(
        f"{base}/accounts/login/", data=data, headers={"Referer": f"{base}/accounts/login/"}
    )
    home = opener.open(request).read().decode()
    session = next(cookie.value for cookie in jar if cookie.name == "sessionid")
    return f"sessionid={session}", home


def _lighthouse(url: str, cookie: str) -> dict[str, int]:
    with tempfile.TemporaryDirectory(prefix="portevoix-lighthouse-") as profile:
        completed = subprocess.run(
            [
                str(LIGHTHOUSE),
                url,
                "--output=json",
                "--output-path=stdout",
                "--quiet",
                f"--only-categories={','.join(CATEGORIES)}",
                f"--chrome-flags=--headless=new --no-sandbox --disable-gpu "
                f"--disable-background-networking --disable-component-update "
                f"--disable-sync --no-first-run --user-data-dir={profile}",
                f"--extra-headers={json.dumps({'Cookie': cookie})}",
            ],
            env={**os.environ, "CHROME_PATH": CHROMIUM},
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=300,
        )
    if not completed.stdout.strip():
        raise RuntimeError(f"lighthouse gave no report: {completed.stderr[-500:]}")
    report = json.loads(completed.stdout)
    if "/accounts/login/" in report.get("finalDisplayedUrl", ""):
        raise RuntimeError(f"lighthouse measured the log-in page instead of {url}")
    return {
        name: round((category["score"] or 0) * 100)
        for name, category in report["categories"].items()
    }


def run() -> dict[str, float]:
    if not LIGHTHOUSE.exists() or not os.path.exists(CHROMIUM):
        print("# Lighthouse (npm ci) or Chromium (apt-get install chromium) missing: skipped")
        return {}
    data = Path(tempfile.mkdtemp(prefix="portevoix-bench-lighthouse-"))
    env = {
        **os.environ,
        "PORTEVOIX_DATA_DIR": str(data),
        "DJANGO_SETTINGS_MODULE": "portevoix.settings",
        "LOG_LEVEL": "WARNING",
    }
    env.pop("DATABASE_URL", None)
    env.pop("REDIS_URL", None)
    only = {page for page in os.environ.get("LIGHTHOUSE_PAGES", "").split(",") if page}
    server = None
    try:
        _manage(env, "migrate", "--no-input", "-v0")
        _manage(env, "demo")
        port = _free_port()
        server = _serve(env, port)
        base = f"http://127.0.0.1:{port}"
        ambassador, feed = _log_in(base, AMBASSADOR)
        editor, _ = _log_in(base, EDITOR)
        post = _found(r'href="/share/(\d+)/"', feed, "a post to share on the feed")
        pages = {
            "feed": (f"{base}/", ambassador),
            "share": (f"{base}/share/{post}/", ambassador),
            "my_statistics": (f"{base}/analytics/mine/", ambassador),
            "dashboard": (f"{base}/analytics/", editor),
        }
        figures: dict[str, float] = {}
        for page, (url, cookie) in pages.items():
            if only and page not in only:
                continue
            for category, score in _lighthouse(url, cookie).items():
                figures[f"lighthouse.{page}.{category}"] = score
        return figures
    finally:
        if server is not None:
            _stop(server)
        shutil.rmtree(data, ignore_errors=True)
