"""Several machines, for real: two web nodes and two Huey workers on PostgreSQL and Redis,
started with scripts/node.sh exactly as docs/deploy.md tells an operator. A bounded stream of
clicks goes to both nodes; one web node and one worker are killed with SIGKILL mid-stream and
started again. Afterwards every acknowledged 302 is exactly one click, the figures are the ones
a single node computes for the same clicks, and each periodic task ran once a minute although
both workers schedule them.

Needs PostgreSQL (DATABASE_URL) and Redis (PORTEVOIX_TEST_REDIS_URL); scripts/test.sh runs it
in the PostgreSQL pass. Elsewhere it is skipped, loudly with PORTEVOIX_REQUIRE_ALL (a failure).
"""

from __future__ import annotations

import contextlib
import http.client
import json
import os
import re
import signal
import socket
import subprocess
import threading
import time
import uuid
from collections import Counter
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
import redis
from django.db import connection

from portevoix.core.periodic import periodic_tasks
from portevoix.tracking.tests.test_durability import (
    FIREFOX,
    ROOT,
    free_port,
    manage,
    marked,
    wait_for_other_sessions_to_end,
)

pytestmark = [pytest.mark.scale_out, pytest.mark.django_db(transaction=True)]

NODE = str(ROOT / "scripts" / "node.sh")
THREADS = 16  # visitors' connections, half to each node at first
REQUESTS = 200  # per thread: the stream is bounded
TIMEOUT = 10  # seconds a visitor's browser waits for an answer
REPEATS = 2  # each visitor clicks their link twice: one verified click, one repeat

SETUP = """
from django.utils import timezone
from portevoix.accounts.models import Person
from portevoix.content.models import Post
from portevoix.tracking.links import tracked_link_for
codes = []
for n in range(3):
    person = Person.objects.create_user(
        email=f"noeud{n}@example.com", full_name=f"Ambassadeur {n}", opted_in_at=timezone.now()
    )
    for p in range(2):
        post = Post.objects.create(title=f"Offre {n}.{p}", url=f"https://carrieres.example.com/{n}/{p}")
        for network in ("linkedin", "x"):
            codes.append(tracked_link_for(post=post, ambassador=person, network=network).code)
print("CODES", " ".join(codes))
"""
CHECK = """
import json
from collections import defaultdict
from portevoix.core.models import PeriodicRun
from portevoix.tracking.models import Click, ClickCount
def counts(dimension, prop, frequency):
    totals = defaultdict(int)
    for key, value in ClickCount.objects.filter(
        dimension=dimension, property=prop, frequency=frequency
    ).values_list("key", "value"):
        totals[key] += value
    return totals
print("RESULT", json.dumps({
    "clicks": list(Click.objects.values_list("click_id", "link__code", "referrer_host", "kind")),
    "raw_day": counts("all", "raw", "day")[""],
    "raw_hour": counts("all", "raw", "hour")[""],
    "verified_day": counts("all", "verified", "day")[""],
    "verified_hour": counts("all", "verified", "hour")[""],
    "link_raw": counts("link", "raw", "day"),
    "link_verified": counts("link", "verified", "day"),
    "link_ids": {str(pk): code for pk, code in Click.objects.values_list("link_id", "link__code").distinct()},
    "runs": list(PeriodicRun.objects.values_list("task", "minute", "finished_at", "duplicates")),
}, default=str))
"""


def node(env: dict, role: str, log: Path | None = None) -> subprocess.Popen:
    """`scripts/node.sh web|worker` in its own process group (SIGKILL reaches all of it)."""
    output = log.open("ab") if log else subprocess.DEVNULL
    return subprocess.Popen(
        [NODE, role],
        env=env,
        cwd=ROOT,
        start_new_session=True,
        stdout=output,
        stderr=output,
    )


def listening(port: int, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            assert process.poll() is None, "the web node did not start"
            time.sleep(0.1)
    raise AssertionError("the web node did not listen in time")


def kill(process: subprocess.Popen, sig: int = signal.SIGKILL) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, sig)
    process.wait(timeout=60)


def closed(port: int) -> None:
    """Wait until nothing listens on the port: a killed node's worker processes hold it a
    moment after the node's main process is gone, and a node started again meanwhile would
    seem to listen at once."""
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
        except OSError:
            return
        time.sleep(0.01)
    raise AssertionError("the killed web node still listens")


class Stream:
    """THREADS visitors' browsers, each sending REQUESTS clicks then stopping. A request whose
    node is gone is not retried (a retry is another click): the browser goes to the other node,
    as a load balancer would send it. Each request names itself in its referrer's host, which
    the click keeps, so the test knows which requests became clicks."""

    def __init__(self, ports: list[int], codes: list[str]) -> None:
        self.ports, self.codes = ports, codes
        self.acknowledged: dict[str, str] = {}  # click id -> request
        self.unanswered: set[str] = set()  # requests that got no answer: maybe a click
        self.failures: list[tuple[float, int, str, int]] = []  # when, node, error, visitor
        self.visitor_of: dict[str, tuple[str, str]] = {}  # request -> (visitor, code)
        self.other: Counter[int] = Counter()
        self.lock = threading.Lock()
        self.threads = [threading.Thread(target=self.browse, args=(t,)) for t in range(THREADS)]
        for thread in self.threads:
            thread.start()

    def browse(self, t: int) -> None:
        port_index = t % 2
        client = None
        for i in range(REQUESTS):
            visitor = f"{t}.{i // REPEATS}"
            code = self.codes[(t * 7 + i // REPEATS) % len(self.codes)]
            request = f"r{t}-{i}"
            with self.lock:
                self.visitor_of[request] = (visitor, code)
            headers = {
                # One browser and one address per visitor: its second click is a repeat.
                "User-Agent": f"{FIREFOX} scaleout/{visitor}",
                "X-Forwarded-For": f"2001:db8:5:{t:x}::{i // REPEATS + 1:x}",
                "Referer": f"https://{request}.example.net/",
            }
            try:
                if client is None:
                    client = http.client.HTTPConnection(
                        "127.0.0.1", self.ports[port_index], timeout=TIMEOUT
                    )
                client.request("GET", f"/s/{code}", headers=headers)
                response = client.getresponse()
                response.read()
            except (OSError, http.client.HTTPException) as error:
                with self.lock:
                    self.unanswered.add(request)
                    self.failures.append(
                        (time.monotonic(), self.ports[port_index], type(error).__name__, t)
                    )
                client = None
                port_index = 1 - port_index  # that node is down: the other one
                time.sleep(0.05)
                continue
            with self.lock:
                if response.status == 302:
                    location = urlsplit(response.getheader("Location", ""))
                    self.acknowledged[parse_qs(location.query)["pv_click"][0]] = request
                else:
                    self.other[response.status] += 1

    def wait_for(self, count: int) -> None:
        deadline = time.monotonic() + 120
        while len(self.acknowledged) < count:
            assert time.monotonic() < deadline, f"only {len(self.acknowledged)} redirects"
            assert any(t.is_alive() for t in self.threads), f"visitors stopped: {self.other}"
            time.sleep(0.01)

    def join(self) -> None:
        for thread in self.threads:
            thread.join(timeout=120)


def status(env: dict) -> dict:
    return json.loads(manage(env, "status", "--json"))


def wait_until_ingested(env: dict) -> None:
    deadline = time.monotonic() + 90
    while (waiting := status(env)["inbox"]["clicks_waiting"]) > 0:
        assert time.monotonic() < deadline, f"{waiting} clicks still wait for ingestion"
        time.sleep(1)


def executions(logs: list[Path]) -> Counter[str]:
    """Periodic tasks the workers ran to the end, by name, from Huey's own log lines
    ("<module>.<task>: <id> executed in <s>s"): evidence independent of the run records. By
    task id: the consumer's log handler and the root one both print each line."""
    pattern = re.compile(r"(portevoix\.[\w.]+): ([0-9a-f-]{36}) executed in ")
    done = {found.groups() for log in logs for found in pattern.finditer(log.read_text())}
    periodic = set(periodic_tasks())
    return Counter(task for task, _id in done if task in periodic)


@pytest.fixture
def redis_url():
    url = os.environ.get("PORTEVOIX_TEST_REDIS_URL")
    if connection.vendor != "postgresql" or not url:
        message = (
            "scale_out needs PostgreSQL (DATABASE_URL) and Redis (PORTEVOIX_TEST_REDIS_URL): "
            "the several-machines test did not run"
        )
        if os.environ.get("PORTEVOIX_REQUIRE_ALL") and connection.vendor == "postgresql":
            pytest.fail(message)
        pytest.skip(message)
    return url


@pytest.fixture
def env(tmp_path, redis_url):
    """What every node of the deployment gets: the same database, Redis and namespace."""
    namespace = f"pvscale{uuid.uuid4().hex[:10]}"
    db = connection.settings_dict
    auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    env = {
        **os.environ,
        "PORTEVOIX_DATA_DIR": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "portevoix.settings",
        "DATABASE_URL": f"postgresql://{auth}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "REDIS_URL": redis_url,
        "REDIS_NAMESPACE": namespace,
        "CLIENT_IP_HEADER": "X-Forwarded-For",  # behind a load balancer
        "LOG_LEVEL": "INFO",  # the workers' "executed in" lines (see `executions`)
        "HUEY_WORKERS": "2",
    }
    env.pop("HUEY_IMMEDIATE", None)
    yield env
    wait_for_other_sessions_to_end()
    server = redis.Redis.from_url(redis_url)
    for key in server.scan_iter(f"*{namespace}*"):
        server.delete(key)


def test_two_nodes_and_two_workers_lose_nothing_count_nothing_twice_and_run_periodic_tasks_once(
    env, tmp_path
):
    started = time.monotonic()
    subprocess.run([NODE, "release"], env=env, cwd=ROOT, check=True, capture_output=True)
    logs = [tmp_path / "worker-1.log", tmp_path / "worker-2.log"]
    ports = [free_port(), free_port()]
    # Each web node its own spool directory, as on separate machines: a node killed must ship
    # its own leftovers when it starts again (nobody else can see them).
    web_env = [
        {
            **env,
            "HOST": "127.0.0.1",
            "PORT": str(port),
            "CLICK_INBOX_DIR": str(tmp_path / f"node-{n}"),
        }
        for n, port in enumerate(ports)
    ]
    total = THREADS * REQUESTS
    workers: list[subprocess.Popen] = []
    webs: list[subprocess.Popen] = []
    try:
        workers = [node(env, "worker", logs[0]), node(env, "worker", logs[1])]
        workers_started = time.monotonic()
        codes = marked(manage(env, "shell", "-c", SETUP), "CODES").split()
        webs = [node(web_env[0], "web"), node(web_env[1], "web")]
        for web, port in zip(webs, ports, strict=True):
            listening(port, web)

        stream = Stream(ports, codes)
        stream.wait_for(total // 4)
        killed_at = time.monotonic()
        kill(webs[0])  # SIGKILL, requests in flight
        closed(ports[0])
        webs[0] = node(web_env[0], "web")
        listening(ports[0], webs[0])
        stream.wait_for(total // 2)
        kill(workers[0])  # perhaps mid-ingestion, perhaps mid-periodic task
        workers[0] = node(env, "worker", logs[0])
        stream.join()
        assert not stream.other, f"only 302s expected: {stream.other}"
        wait_until_ingested(env)
        # Both workers schedule the periodic tasks: go past a minute of theirs, so that each
        # has enqueued them at least twice.
        while time.monotonic() - workers_started < 65:
            time.sleep(1)
        wait_until_ingested(env)
    finally:
        for web in webs:
            kill(web)
        for worker in workers:
            kill(worker, signal.SIGINT)  # Huey's graceful stop: running tasks finish
    print(
        f"scale_out: {len(stream.acknowledged)} redirects acknowledged, {time.monotonic() - started:.0f} s"
    )
    result = json.loads(marked(manage(env, "shell", "-c", CHECK), "RESULT"))

    # Every acknowledged 302 is exactly one click; other clicks only from unanswered requests.
    clicks = {click_id: (code, host) for click_id, code, host, _kind in result["clicks"]}
    assert len(clicks) == len(result["clicks"])
    requests = Counter(host.removesuffix(".example.net") for _c, host in clicks.values())
    assert max(requests.values()) == 1, "a request became two clicks"
    lost = [click_id for click_id in stream.acknowledged if click_id not in clicks]
    assert lost == [], f"{len(lost)} acknowledged clicks lost"
    for click_id, request in stream.acknowledged.items():
        assert clicks[click_id] == (stream.visitor_of[request][1], f"{request}.example.net")
    extra = set(requests) - set(stream.acknowledged.values())
    assert extra <= stream.unanswered
    assert len(stream.acknowledged) + len(stream.unanswered) == total
    # Requests go unanswered only because of the kill: those in flight to the node killed, or
    # sent to it before each visitor moved to the other node (each sends without pause, so
    # within moments). A request to a node that is up may still time out on a loaded machine:
    # a late answer, not a drop.
    failures = [(round(when - killed_at, 2), *rest) for when, *rest in stream.failures]
    at_kill = [f for f in failures if f[1] == ports[0] and 0 <= f[0] <= TIMEOUT]
    beyond = [f for f in failures if f not in at_kill and f[2] != "TimeoutError"]
    assert beyond == [], f"unanswered beyond the kill: {failures}"
    assert at_kill, "the kill cut no request: it did not happen mid-stream"
    visitors_at_kill = Counter(visitor for *_rest, visitor in at_kill)
    assert max(visitors_at_kill.values(), default=0) <= 1, f"a visitor lost two: {failures}"

    # The figures a single node computes for these clicks: every visitor's first click on its
    # link verified, the second a repeat, whichever node took it and whichever worker counted it.
    stored = [stream.visitor_of[request] for request in requests]
    raw_by_link = Counter(code for _visitor, code in stored)
    verified_by_link = Counter(code for _visitor, code in set(stored))
    assert result["raw_day"] == result["raw_hour"] == len(clicks)
    assert result["verified_day"] == result["verified_hour"] == len(set(stored))
    code_of = result["link_ids"]
    assert {code_of[k]: v for k, v in result["link_raw"].items()} == raw_by_link
    assert {code_of[k]: v for k, v in result["link_verified"].items()} == verified_by_link
    kinds = Counter(kind for *_rest, kind in result["clicks"])
    assert sum(kinds.values()) == len(clicks) and len(kinds) == 2  # verified and repeat

    # Periodic tasks: two schedulers, yet one run per task and minute, and every run that the
    # workers' own logs show finished is one recorded run (none ran twice unrecorded).
    runs = result["runs"]
    ingest = "portevoix.tracking.tasks.ingest_clicks_periodically"
    minutes = Counter((task, minute) for task, minute, _f, _d in runs)
    assert max(minutes.values()) == 1
    assert len({minute for task, minute, _f, _d in runs if task == ingest}) >= 2
    assert sum(duplicates for _t, _m, _f, duplicates in runs) >= 1, "only one scheduler ran"
    finished = Counter(task for task, _m, finished_at, _d in runs if finished_at)
    assert executions(logs) == finished
    assert status(env)["periodic_tasks"][ingest]["finished_at"] is not None
    assert time.monotonic() - started < 150
