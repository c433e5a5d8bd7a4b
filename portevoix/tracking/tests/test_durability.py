"""The real server (Granian, as scripts/run.sh starts it), killed with SIGKILL mid-stream: every
request that got a 302 has exactly one click, and nothing is counted twice — also when the
ingestion itself is killed half-way.

The server, the link's creation, ingestion and the checks run in subprocesses against a
database of their own (SQLite in a temporary data directory) or the test database
(PostgreSQL, through DATABASE_URL): the same code paths as production.
"""

from __future__ import annotations

import contextlib
import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from django.db import connection

from portevoix.core.web import granian_command

pytestmark = [pytest.mark.durability, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parents[3]
FIREFOX = "Mozilla/5.0 (X11; Linux x86_64; rv:121.0) Gecko/20100101 Firefox/121.0"

SETUP = """
from django.utils import timezone
from portevoix.accounts.models import Person
from portevoix.content.models import Post
from portevoix.tracking.links import tracked_link_for
person = Person.objects.create_user(
    email="durable@example.com", full_name="Camille Durable", opted_in_at=timezone.now()
)
post = Post.objects.create(title="Nous recrutons", url="https://carrieres.example.com/offres/7")
print("CODE", tracked_link_for(post=post, ambassador=person, network="linkedin").code)
"""
CHECK = """
import json
from django.db.models import Sum
from portevoix.tracking.inbox import inbox_pending
from portevoix.tracking.models import Click, ClickCount
def total(prop, frequency):
    rows = ClickCount.objects.filter(dimension="all", property=prop, frequency=frequency)
    return rows.aggregate(n=Sum("value"))["n"] or 0
print("RESULT", json.dumps({
    "ids": list(Click.objects.values_list("click_id", flat=True)),
    "raw_day": total("raw", "day"),
    "raw_hour": total("raw", "hour"),
    "verified_day": total("verified", "day"),
    "link_raw": sum(ClickCount.objects.filter(dimension="link", property="raw", frequency="day").values_list("value", flat=True)),
    "pending": inbox_pending(),
}))
"""


def manage(env: dict, *args: str) -> str:
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def marked(output: str, marker: str) -> str:
    return next(line for line in output.splitlines() if line.startswith(marker + " "))[
        len(marker) + 1 :
    ]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_server(env: dict) -> tuple[subprocess.Popen, int]:
    """The web server exactly as scripts/run.sh starts it (portevoix/core/web.py)."""
    port = free_port()
    server = subprocess.Popen(
        granian_command(host="127.0.0.1", port=port, environ=env, workers=1),
        env=env,
        cwd=ROOT,
        start_new_session=True,  # its own process group: SIGKILL reaches every worker
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return server, port
        except OSError:
            assert server.poll() is None, "the server did not start"
            time.sleep(0.1)
    kill(server)
    raise AssertionError("the server did not listen in time")


def kill(process: subprocess.Popen) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=30)


class Stream:
    """Visitors hammering a link on keep-alive connections until the server dies."""

    def __init__(self, port: int, code: str, *, name: str, visitors: int = 8) -> None:
        self.port, self.code, self.name = port, code, name
        self.acknowledged: list[str] = []  # click ids of the 302s received
        self.other: Counter[int] = Counter()
        self.stop = threading.Event()
        self.threads = [
            threading.Thread(target=self.visit, args=(n,), daemon=True) for n in range(visitors)
        ]
        for thread in self.threads:
            thread.start()

    def visit(self, visitor: int) -> None:
        n = 0
        try:
            client = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
            while not self.stop.is_set():
                n += 1
                # A browser and an address per request: every click is a distinct (verified)
                # visitor (browsers of one address within minutes would be one visitor).
                agent = f"{FIREFOX} durability/{self.name}.{visitor}.{n}"
                address = f"2001:db8:{self.name.encode().hex()[:4]}:{visitor:x}::{n:x}"
                headers = {"User-Agent": agent, "X-Forwarded-For": address}
                client.request("GET", f"/s/{self.code}", headers=headers)
                response = client.getresponse()
                response.read()
                if response.status == 302:
                    location = urlsplit(response.getheader("Location", ""))
                    self.acknowledged.append(parse_qs(location.query)["pv_click"][0])
                else:
                    self.other[response.status] += 1
        except (OSError, http.client.HTTPException):
            return  # the server is gone

    def wait_for(self, count: int) -> None:
        deadline = time.monotonic() + 120
        while len(self.acknowledged) < count:
            assert time.monotonic() < deadline, f"only {len(self.acknowledged)} redirects"
            assert any(t.is_alive() for t in self.threads), f"visitors stopped: {self.other}"
            time.sleep(0.01)

    def join(self) -> None:
        self.stop.set()
        for thread in self.threads:
            thread.join(timeout=30)


def wait_for_other_sessions_to_end() -> None:
    """Backends of killed processes go away on their own, a moment later; the test database
    can only be dropped once they have."""
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
            if cursor.fetchone()[0] == 0:
                return
        time.sleep(0.2)


@pytest.fixture
def env(tmp_path):
    env = {
        **os.environ,
        "PORTEVOIX_DATA_DIR": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "portevoix.settings",
        "LOG_LEVEL": "WARNING",
        "CLIENT_IP_HEADER": "X-Forwarded-For",  # each visitor its own address (see `visit`)
    }
    env.pop("REDIS_URL", None)
    if connection.vendor == "postgresql":
        db = connection.settings_dict
        auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
        env["DATABASE_URL"] = f"postgresql://{auth}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
        yield env
        wait_for_other_sessions_to_end()
    else:
        env.pop("DATABASE_URL", None)
        manage(env, "migrate", "--no-input", "-v0")
        yield env


def test_every_acknowledged_click_survives_kill_9_exactly_once(env):
    code = marked(manage(env, "shell", "-c", SETUP), "CODE")
    acknowledged: list[str] = []
    for name in ("first", "second"):
        server, port = start_server(env)
        stream = Stream(port, code, name=name)
        try:
            stream.wait_for(300)
        finally:
            kill(server)  # SIGKILL, mid-stream: requests are in flight
            stream.join()
        assert not stream.other, f"only 302s expected before the kill: {stream.other}"
        acknowledged += stream.acknowledged

    # Ingestion killed half-way through, then run again.
    ingestion = subprocess.Popen(
        [sys.executable, "manage.py", "ingest_clicks", "-v2", "--batch-size", "7"],
        env=env,
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    batches = 0
    for line in ingestion.stdout:
        batches += line.startswith("batch ")
        if batches == 3:
            break
    kill(ingestion)
    ingestion.stdout.close()
    halfway = json.loads(marked(manage(env, "shell", "-c", CHECK), "RESULT"))
    assert halfway["pending"] > 0, "the ingestion was not killed half-way"
    assert halfway["raw_day"] == halfway["raw_hour"] == len(halfway["ids"])  # whole batches only
    manage(env, "ingest_clicks")
    result = json.loads(marked(manage(env, "shell", "-c", CHECK), "RESULT"))

    stored = Counter(result["ids"])
    assert len(acknowledged) >= 600
    missing = [click_id for click_id in acknowledged if stored[click_id] != 1]
    assert missing == [], f"{len(missing)} acknowledged clicks lost"
    assert max(stored.values()) == 1
    # Every stored click counted once, whatever was killed when.
    total = len(result["ids"])
    assert result["raw_day"] == result["raw_hour"] == result["link_raw"] == total
    assert result["verified_day"] == total
    assert result["pending"] == 0

    manage(env, "ingest_clicks")  # once more: nothing new, nothing twice
    again = json.loads(marked(manage(env, "shell", "-c", CHECK), "RESULT"))
    assert again["raw_day"] == total and len(again["ids"]) == total
    # Every counter, recounted from the raw clicks the kills left, is what ingestion wrote.
    assert "equals its recount" in manage(env, "figures_verify")


RAW_REQUESTS = {
    "traversal": b"GET /s/../../etc/passwd HTTP/1.1\r\nHost: t\r\n\r\n",
    "encoded traversal": b"GET /s/..%2F..%2Fetc%2Fpasswd HTTP/1.1\r\nHost: t\r\n\r\n",
    "unicode": b"GET /s/%C3%A9t%C3%A9 HTTP/1.1\r\nHost: t\r\n\r\n",
    "raw utf-8": "GET /s/été HTTP/1.1\r\nHost: t\r\n\r\n".encode(),
    "10 KB code": b"GET /s/" + b"a" * 10240 + b" HTTP/1.1\r\nHost: t\r\n\r\n",
}


def status_of(port: int, request: bytes) -> int:
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.sendall(request)
        head = sock.recv(65536).split(b"\r\n", 1)[0]
    return int(head.split()[1])


def test_the_real_server_refuses_bad_codes_and_takes_huge_headers(env):
    code = marked(manage(env, "shell", "-c", SETUP), "CODE")
    server, port = start_server(env)
    try:
        for name, request in RAW_REQUESTS.items():
            assert status_of(port, request) in (400, 404, 414), name
        huge = (
            f"GET /s/{code} HTTP/1.1\r\nHost: t\r\nUser-Agent: {FIREFOX} {'x' * 10240}\r\n"
            f"Referer: https://www.linkedin.com/{'y' * 10240}\r\n\r\n"
        ).encode()
        assert status_of(port, huge) == 302
        assert status_of(port, f"GET /s/{code} HTTP/1.1\r\nHost: t\r\n\r\n".encode()) == 302
    finally:
        kill(server)
    manage(env, "ingest_clicks")
    result = json.loads(marked(manage(env, "shell", "-c", CHECK), "RESULT"))
    assert len(result["ids"]) == 2  # the two real clicks, nothing else
