"""`make bench ONLY=tracking`: the redirect under wrk and the ingestion of a million clicks.

Everything runs against a throw-away data directory (SQLite), in subprocesses configured by
environment variables only, so the benchmark never touches `var/`:

- redirect: Granian started as scripts/run.sh starts it (`portevoix.core.web`), serving
  `portevoix.wsgi:application` pinned to CPU 0 (`taskset -c 0`), wrk pinned to CPU 1 with 64
  connections, in alternation with the same server command serving a bare 302
  (`bare_application` below), three rounds each, medians reported; then the redirect with
  CLICK_INBOX_SYNCHRONOUS=FULL (fdatasync per group), with the threads that mode starts with.
  Lost clicks = 302s wrk received minus rows that reached the inbox. The tail is shown three
  ways, so that a regression shows in every run and not only on an unlucky machine: p99 and
  p99.9 latency (a wrk script reads them), the size of the groups committed together (each
  inbox record is one group), and the server's CPU time and context switches per request,
  read from /proc, which move less than throughput when the machine is shared.
- ingestion: 1,000,000 synthetic raw clicks written into the inbox, then `clicks_ingest()`
  timed, pinned to one CPU.
- the multi-node configuration, when TEST_POSTGRES_URL's server answers, in a scratch
  database: the redirect on the PostgreSQL inbox beside the bare 302 as above
  (`redirect.postgresql.*`; the PostgreSQL server is a system service, not pinned: it shares
  the two CPUs with Granian and wrk), then the same 1,000,000 clicks ingested by one worker
  pinned to CPU 0 (`ingest.*.postgresql`) and, on the same clicks again, by two workers pinned
  to CPU 0 and CPU 1 started together (`ingest.postgresql.two_workers_*`, with a check that
  every click was stored and counted once), and by one worker process on CPU 0 draining with
  two threads, as `run_huey`'s default two threads do when ingestion runs are queued faster
  than they finish (`ingest.postgresql.one_cpu_two_threads_*`). The three in turns,
  BENCH_INGEST_ROUNDS times (3): each figure is the median of the rounds, each speed-up the
  median of the rounds' own ratios, printed with the lowest and highest
  (`*_speedup_lowest`, `*_speedup_highest`), because this machine's speed drifts between runs
  more than a single pair can tell apart.

Figures only: a benchmark never passes or fails.
"""

from __future__ import annotations

import json
import os
import random
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from portevoix.core.bench.databases import postgres_drop, postgres_scratch
from portevoix.core.web import granian_command, web_threads
from portevoix.tracking.counters import Property
from portevoix.tracking.inbox_log import records, segments

ROOT = Path(__file__).resolve().parents[3]
CONNECTIONS = 64
DURATION = int(os.environ.get("BENCH_SECONDS", "15"))
ROUNDS = 3
INGEST_CLICKS = int(os.environ.get("BENCH_INGEST_CLICKS", "1000000"))
FILL_SECONDS = 6 * 3600  # the filled clicks are spread over the six hours before the bench
SERVER_CPU, LOAD_CPU = "0", "1"
# Per way of draining: the CPUs of its workers (one process each) and each one's threads.
INGEST_WAYS = {
    "one": ([SERVER_CPU], 1),
    "two": ([SERVER_CPU, LOAD_CPU], 1),
    "threads": ([SERVER_CPU], 2),
}
# wrk prints p50 to p99 only: this script adds p99.9 (in microseconds).
PERCENTILES_SCRIPT = """
done = function(summary, latency, requests)
  for _, p in pairs({50, 99, 99.9}) do
    io.write(string.format("percentile %g %d\\n", p, latency:percentile(p)))
  end
end
"""


def bare_application(environ, start_response):
    """The floor: a 302 with the same headers and nothing else."""
    start_response(
        "302 Found",
        [
            ("Location", "https://example.com/offres/42?utm_source=linkedin&pv_click=0"),
            ("Cache-Control", "no-store"),
            ("Referrer-Policy", "no-referrer"),
            ("X-Content-Type-Options", "nosniff"),
            ("Content-Length", "0"),
        ],
    )
    return [b""]


# --- helpers run in the orchestrating process -------------------------------------------------


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _pin(cpu: str) -> list[str]:
    return ["taskset", "-c", cpu] if shutil.which("taskset") and (os.cpu_count() or 1) > 1 else []


def _helper(env: dict, *args: str, pin: list[str] | None = None) -> str:
    """Run this module as a subprocess in the benchmark's environment."""
    return subprocess.run(
        [*(pin or []), sys.executable, "-m", "portevoix.tracking.bench.redirect", *args],
        env=env,
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    ).stdout


def _serve(env: dict, target: str, port: int, threads: int) -> subprocess.Popen:
    command = granian_command(
        host="127.0.0.1", port=port, environ=env, target=target, threads=threads, workers=1
    )
    command[1:1] = ["--log-level", "error"]
    server = subprocess.Popen(
        [*_pin(SERVER_CPU), *command], env=env, cwd=ROOT, start_new_session=True
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return server
        except OSError:
            time.sleep(0.1)
    _stop(server)
    raise RuntimeError(f"{target} did not start")


def _server_usage(server: subprocess.Popen) -> tuple[float, int]:
    """CPU seconds and context switches so far of the server's worker process (Granian runs
    the application in a child of the process it was started as)."""
    pid = server.pid
    children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    worker = int(children[0]) if children else pid
    cpu = _process_cpu(worker)
    switches = 0
    for task in Path(f"/proc/{worker}/task").iterdir():
        for line in (task / "status").read_text().splitlines():
            if line.endswith("ctxt_switches") or "ctxt_switches:" in line:
                switches += int(line.split()[1])
    return cpu, switches


def _stop(server: subprocess.Popen) -> None:
    os.killpg(server.pid, signal.SIGTERM)
    try:
        server.wait(timeout=10)
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, signal.SIGKILL)
        server.wait()


def _wrk(url: str, seconds: int, server: subprocess.Popen | None = None) -> dict[str, float]:
    with tempfile.NamedTemporaryFile("w", suffix=".lua") as script:
        script.write(PERCENTILES_SCRIPT)
        script.flush()
        before = _server_usage(server) if server else None
        output = subprocess.run(
            [
                *_pin(LOAD_CPU),
                "wrk",
                "-t1",
                f"-c{CONNECTIONS}",
                f"-d{seconds}s",
                "-s",
                script.name,
                url,
            ],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        after = _server_usage(server) if server else None
    rps = re.search(r"Requests/sec:\s+([\d.]+)", output)
    requests = re.search(r"(\d+) requests in", output)
    assert rps and requests, f"wrk did not report its requests: {output}"
    figures = {"rps": float(rps.group(1))}
    figures["requests"] = float(requests.group(1))
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    figures["errors"] = float(errors.group(1)) if errors else 0.0
    for name, micros in re.findall(r"^percentile ([\d.]+) (\d+)$", output, re.MULTILINE):
        figures[f"p{name.replace('.', '')}_ms"] = int(micros) / 1000
    if before and after and figures["requests"]:
        figures["cpu_us"] = (after[0] - before[0]) * 1e6 / figures["requests"]
        figures["switches"] = (after[1] - before[1]) / figures["requests"]
    return figures


def _median(runs: list[dict[str, float]], name: str) -> float:
    return statistics.median(run.get(name, float("nan")) for run in runs)


def _redirect(env: dict, code: str, inbox: Path) -> dict[str, float]:
    """The redirect and the bare 302 served side by side, measured in alternation (ROUNDS
    rounds of DURATION / ROUNDS seconds each): load from elsewhere on a shared machine then
    weighs on both alike. Medians are reported."""
    durable_port, bare_port, full_port = _free_port(), _free_port(), _free_port()
    threads = web_threads(env)
    durable = _serve(env, "portevoix.wsgi:application", durable_port, threads)
    bare = _serve(env, "portevoix.tracking.bench.redirect:bare_application", bare_port, threads)
    durable_url = f"http://127.0.0.1:{durable_port}/s/{code}"
    bare_url = f"http://127.0.0.1:{bare_port}/s/{code}"
    seconds = max(1, DURATION // ROUNDS)
    durable_runs, bare_runs, groups, lost = [], [], [], 0.0
    try:
        _wrk(durable_url, 2)  # warm-up: caches, the key of the day, connections
        _wrk(bare_url, 1)
        for _round in range(ROUNDS):
            before = _inbox_groups(inbox)
            run = _wrk(durable_url, seconds, durable)
            # The server has answered these 302s: their rows must all be in the inbox.
            written = _inbox_groups(inbox)[len(before) :]
            lost += max(0.0, run["requests"] - run["errors"] - sum(written))
            groups += written
            durable_runs.append(run)
            bare_runs.append(_wrk(bare_url, seconds, bare))
    finally:
        _stop(durable)
        _stop(bare)
    full_env = {**env, "CLICK_INBOX_SYNCHRONOUS": "FULL"}
    full_threads = web_threads(full_env)
    server = _serve(full_env, "portevoix.wsgi:application", full_port, full_threads)
    try:
        full_url = f"http://127.0.0.1:{full_port}/s/{code}"
        _wrk(full_url, 1)
        before = _inbox_groups(inbox)
        full = _wrk(full_url, seconds, server)
        full_groups = _inbox_groups(inbox)[len(before) :]
        lost += max(0.0, full["requests"] - full["errors"] - sum(full_groups))
    finally:
        _stop(server)
    durable_rps, bare_rps = _median(durable_runs, "rps"), _median(bare_runs, "rps")
    return {
        "redirect.durable_rps": durable_rps,
        "redirect.p50_ms": _median(durable_runs, "p50_ms"),
        "redirect.p99_ms": _median(durable_runs, "p99_ms"),
        "redirect.p999_ms": _median(durable_runs, "p999_ms"),
        "redirect.bare_rps": bare_rps,
        "redirect.bare_p99_ms": _median(bare_runs, "p99_ms"),
        "redirect.bare_p999_ms": _median(bare_runs, "p999_ms"),
        "redirect.ratio_vs_bare": durable_rps / bare_rps,
        "redirect.cpu_us_per_request": _median(durable_runs, "cpu_us"),
        "redirect.bare_cpu_us_per_request": _median(bare_runs, "cpu_us"),
        "redirect.switches_per_request": _median(durable_runs, "switches"),
        "redirect.bare_switches_per_request": _median(bare_runs, "switches"),
        "redirect.group_rows_mean": statistics.fmean(groups) if groups else float("nan"),
        "redirect.group_rows_p99": _percentile(groups, 0.99),
        "redirect.errors": sum(run["errors"] for run in durable_runs),
        "redirect.lost_clicks": lost,
        "redirect.web_threads": float(threads),
        "redirect.full_sync_rps": full["rps"],
        "redirect.full_sync_p99_ms": full.get("p99_ms", float("nan")),
        "redirect.full_sync_p999_ms": full.get("p999_ms", float("nan")),
        "redirect.full_sync_group_rows_mean": (
            statistics.fmean(full_groups) if full_groups else float("nan")
        ),
        "redirect.full_sync_web_threads": float(full_threads),
    }


def _percentile(values: list[int], fraction: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return float(ordered[min(len(ordered) - 1, int(len(ordered) * fraction))])


def _inbox_groups(inbox: Path) -> list[int]:
    """Rows of each record in the inbox, oldest first: a record is one committed group."""
    return [len(record.rows) for path in segments(inbox) for record in records(path, 0)]


def _ingest_rounds() -> int:
    """Rounds of the PostgreSQL ingestion (BENCH_INGEST_ROUNDS, 3), each one worker, two
    workers, then one worker with two threads, on the same clicks filled again before each.
    Read when this bench runs, not when it is imported: another bench (`ONLY=analytics`) does
    not stop on it."""
    asked = os.environ.get("BENCH_INGEST_ROUNDS", "3")
    if not asked.isdigit() or int(asked) < 1:
        raise SystemExit(f"BENCH_INGEST_ROUNDS={asked!r}: a whole number of rounds, 1 or more")
    return int(asked)


def run() -> dict[str, float]:
    rounds = _ingest_rounds()  # before minutes of redirect figures, not after them
    if not shutil.which("wrk"):
        print("# wrk is not installed (apt-get install wrk): redirect figures skipped")
    data = Path(tempfile.mkdtemp(prefix="portevoix-bench-"))
    env = {
        **os.environ,
        "PORTEVOIX_DATA_DIR": str(data),
        "DJANGO_SETTINGS_MODULE": "portevoix.settings",
        "LOG_LEVEL": "WARNING",
    }
    env.pop("DATABASE_URL", None)
    env.pop("REDIS_URL", None)
    try:
        codes = json.loads(_helper(env, "setup"))
        figures: dict[str, float] = {}
        if shutil.which("wrk"):
            figures.update(_redirect(env, codes[0], data / "click-inbox"))
        # Pinned to one CPU: the target is per core.
        ingest = _helper(env, "ingest", str(INGEST_CLICKS), pin=_pin(SERVER_CPU))
        figures.update(json.loads(ingest))
        figures.update(_ingest_postgres(env, rounds))
        return figures
    finally:
        shutil.rmtree(data, ignore_errors=True)


def _ingest_postgres(env: dict, rounds_asked: int) -> dict[str, float]:
    """The multi-node configuration, in a scratch database: the redirect on the PostgreSQL
    inbox beside a bare 302, then the same ingestion with DATABASE_URL (inbox table, seen sets
    and counters in PostgreSQL), by one worker and then by two in parallel."""
    scratch = postgres_scratch("portevoix_bench_tracking")
    if scratch is None:
        print("# PostgreSQL not reachable (TEST_POSTGRES_URL): its figures skipped")
        return {}
    try:
        # The web node's spool apart from the file inbox's segments measured before.
        spool = Path(env["PORTEVOIX_DATA_DIR"]) / "postgresql-spool"
        postgres_env = {**env, "DATABASE_URL": scratch, "CLICK_INBOX_DIR": str(spool)}
        codes = json.loads(_helper(postgres_env, "setup"))
        figures: dict[str, float] = {}
        if shutil.which("wrk"):
            figures.update(_redirect_postgres(postgres_env, codes[0], scratch))
        # Pinned to one CPU; the PostgreSQL server is not (a system service) and runs beside.
        # The three ways in turns, `rounds_asked` times: a machine whose speed drifts between
        # runs moved a single pair's ratio from ×1.14 to ×1.64 (docs/tracking.md).
        # Every way and round drains the very same clicks: the same six hours, however long
        # the rounds take (at another time, they could cross midnight and count otherwise).
        start = time.time() - FILL_SECONDS
        rounds = [
            {
                way: _drain_filled(postgres_env, cpus, threads, start)
                for way, (cpus, threads) in INGEST_WAYS.items()
            }
            for _round in range(rounds_asked)
        ]
    finally:
        postgres_drop(scratch)
    return {**figures, **_ingest_rounds_medians(rounds)}


def _drain_filled(env: dict, cpus: list[str], threads: int, start: float) -> dict[str, float]:
    _helper(env, "fill", str(INGEST_CLICKS), repr(start))
    return _drain_parallel(env, cpus, threads=threads)


def _ingest_rounds_medians(rounds: list[dict[str, dict[str, float]]]) -> dict[str, float]:
    """Each figure's median over the rounds; each speed-up the median of the rounds' own
    ratios (a worker against the single worker of its round), with the lowest and highest;
    counted once only when every round counted every click once."""

    def median(way: str, name: str) -> float:
        return statistics.median(found[way][name] for found in rounds)

    def ratios(way: str) -> list[float]:
        """Per round: this way's rate over the single worker's of the same round."""
        return [
            found[way]["ingest.clicks_per_s"] / found["one"]["ingest.clicks_per_s"]
            for found in rounds
        ]

    one = {name: median("one", name) for name in rounds[0]["one"]}
    one["ingest.counted_once"] = min(found["one"]["ingest.counted_once"] for found in rounds)
    figures = {f"{name}.postgresql": value for name, value in one.items()}
    figures["ingest.postgresql.rounds"] = float(len(rounds))
    for way, prefix in (("two", "two_workers"), ("threads", "one_cpu_two_threads")):
        figures[f"ingest.postgresql.{prefix}_clicks_per_s"] = median(way, "ingest.clicks_per_s")
        speedups = ratios(way)
        figures[f"ingest.postgresql.{prefix}_speedup"] = statistics.median(speedups)
        figures[f"ingest.postgresql.{prefix}_speedup_lowest"] = min(speedups)
        figures[f"ingest.postgresql.{prefix}_speedup_highest"] = max(speedups)
        figures[f"ingest.postgresql.{prefix}_counted_once"] = min(
            found[way]["ingest.counted_once"] for found in rounds
        )
        # Against the single worker of the same round, the largest difference of any round in
        # the verified clicks and the unique visitors counted (0: the same figures). Bursts of
        # an e-mail scanner are found within a batch, and batches end elsewhere (docs/tracking.md).
        for name in ("verified", "visitors"):
            figures[f"ingest.postgresql.{prefix}_{name}_difference"] = max(
                abs(found[way][f"ingest.{name}"] - found["one"][f"ingest.{name}"])
                for found in rounds
            )
    # What a click costs while both CPUs work, beside the single worker's (docs/tracking.md,
    # "The two workers taken apart").
    for name in ("worker_cpu_us_per_click", "server_cpu_us_per_click"):
        figures[f"ingest.postgresql.two_workers_{name}"] = median("two", f"ingest.{name}")
    # Both CPUs busy with nothing but ingestion (workers and PostgreSQL alike) at the one
    # worker's CPU per click: the most any number of workers can drain on this machine.
    cpu_per_click = one["ingest.worker_cpu_us_per_click"] + one["ingest.server_cpu_us_per_click"]
    cpus = len(os.sched_getaffinity(0))
    figures["ingest.postgresql.all_cpus_clicks_per_s_bound"] = cpus / cpu_per_click * 1e6
    figures["ingest.postgresql.two_workers_speedup_bound"] = (
        figures["ingest.postgresql.all_cpus_clicks_per_s_bound"] / one["ingest.clicks_per_s"]
    )
    return figures


def _drain_parallel(env: dict, cpus: list[str], threads: int = 1) -> dict[str, float]:
    """One ingestion worker per CPU on the filled inbox, each draining with `threads` threads,
    started together once each has loaded Django: the time from the start to the last worker
    done."""
    drain = [sys.executable, "-m", "portevoix.tracking.bench.redirect", "drain", str(threads)]
    workers = [
        subprocess.Popen(
            [*_pin(cpu), *drain],
            env=env,
            cwd=ROOT,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        for cpu in cpus
    ]
    for worker in workers:
        assert worker.stdout and worker.stdout.readline().strip() == "ready"
    started = time.perf_counter()
    for worker in workers:
        assert worker.stdin
        worker.stdin.write("go\n")
        worker.stdin.close()
    reports = []
    for worker in workers:
        assert worker.stdout
        reports.append(json.loads(worker.stdout.read()))
        worker.wait()
    elapsed = time.perf_counter() - started
    raw = sum(report["raw"] for report in reports)
    check = json.loads(_helper(env, "check"))
    return {
        "ingest.clicks": float(raw),
        "ingest.seconds": elapsed,
        "ingest.clicks_per_s": raw / elapsed,
        # CPU per click of the workers and of their database backends: together, what the
        # machine's cores must give per click, which bounds any number of workers on it.
        "ingest.worker_cpu_us_per_click": sum(r["worker_cpu"] for r in reports) / raw * 1e6,
        "ingest.server_cpu_us_per_click": sum(r["server_cpu"] for r in reports) / raw * 1e6,
        "ingest.verified_share": check["verified"] / max(check["stored"], 1),
        "ingest.verified": float(check["verified"]),
        "ingest.visitors": float(check["visitors"]),
        # Every click stored once and counted once, whatever worker took it.
        "ingest.counted_once": float(
            check["stored"] == check["distinct"] == check["raw_counted"] and check["pending"] == 0
        ),
    }


def _redirect_postgres(env: dict, code: str, database: str) -> dict[str, float]:
    """The redirect on the PostgreSQL configuration and the bare 302, the same server command
    on the same CPU under the same wrk load, in alternation as for the file inbox; then the
    redirect with CLICK_INBOX_SYNCHRONOUS=FULL. The redirect writes the node's segment files and
    its shipping thread moves them to the inbox table (spool.py): lost clicks = 302s wrk
    received minus clicks that reached the table, once shipping has caught up; the time it took
    after the load stopped is `ship_lag_ms`."""
    import psycopg

    def inbox_rows() -> int:
        """Clicks in the inbox table (a row is one shipment)."""
        with psycopg.connect(database, autocommit=True) as db:
            row = db.execute("SELECT coalesce(sum(size), 0) FROM tracking_clickinbox").fetchone()
            return int(row[0]) if row else 0

    def inbox_groups() -> int:
        with psycopg.connect(database, autocommit=True) as db:
            row = db.execute("SELECT count(*) FROM tracking_clickinbox").fetchone()
            return int(row[0]) if row else 0

    def shipped_after(before: int, expected: float) -> tuple[int, float]:
        """Clicks that reached the table since `before`, waiting (10 s at most) for the
        shipping thread to catch up; and how long that took, in milliseconds."""
        started = time.perf_counter()
        while True:
            shipped = inbox_rows() - before
            if shipped >= expected or time.perf_counter() - started > 10:
                return shipped, (time.perf_counter() - started) * 1000
            time.sleep(0.002)

    threads = web_threads(env)
    durable_port, bare_port, full_port = _free_port(), _free_port(), _free_port()
    durable = _serve(env, "portevoix.wsgi:application", durable_port, threads)
    bare = _serve(env, "portevoix.tracking.bench.redirect:bare_application", bare_port, threads)
    durable_url = f"http://127.0.0.1:{durable_port}/s/{code}"
    bare_url = f"http://127.0.0.1:{bare_port}/s/{code}"
    seconds = max(1, DURATION // ROUNDS)
    durable_runs, bare_runs, lost, groups, lags = [], [], 0.0, 0, []
    try:
        _wrk(durable_url, 2)
        _wrk(bare_url, 1)
        shipped_after(0, 1)  # the warm-up's clicks, shipped before counting
        time.sleep(0.1)
        for _round in range(ROUNDS):
            before, groups_before = inbox_rows(), inbox_groups()
            run = _wrk(durable_url, seconds, durable)
            acknowledged = run["requests"] - run["errors"]
            shipped, lag = shipped_after(before, acknowledged)
            lost += max(0.0, acknowledged - shipped)
            lags.append(lag)
            groups += inbox_groups() - groups_before
            durable_runs.append(run)
            bare_runs.append(_wrk(bare_url, seconds, bare))
    finally:
        _stop(durable)
        _stop(bare)
    full_env = {**env, "CLICK_INBOX_SYNCHRONOUS": "FULL"}
    full_threads = web_threads(full_env)
    server = _serve(full_env, "portevoix.wsgi:application", full_port, full_threads)
    try:
        full_url = f"http://127.0.0.1:{full_port}/s/{code}"
        _wrk(full_url, 1)
        shipped_after(0, 1)
        time.sleep(0.1)
        before = inbox_rows()
        full = _wrk(full_url, seconds, server)
        acknowledged = full["requests"] - full["errors"]
        shipped, _lag = shipped_after(before, acknowledged)
        lost += max(0.0, acknowledged - shipped)
    finally:
        _stop(server)
    durable_rps, bare_rps = _median(durable_runs, "rps"), _median(bare_runs, "rps")
    print(
        f"# redirect.postgresql: Granian pinned to CPU {SERVER_CPU}, wrk to CPU {LOAD_CPU} "
        f"({CONNECTIONS} connections); the PostgreSQL server is not pinned and shares the "
        "machine's two CPUs with them"
    )
    return {
        "redirect.postgresql.durable_rps": durable_rps,
        "redirect.postgresql.bare_rps": bare_rps,
        "redirect.postgresql.ratio_vs_bare": durable_rps / bare_rps,
        "redirect.postgresql.p50_ms": _median(durable_runs, "p50_ms"),
        "redirect.postgresql.p99_ms": _median(durable_runs, "p99_ms"),
        "redirect.postgresql.p999_ms": _median(durable_runs, "p999_ms"),
        "redirect.postgresql.bare_p99_ms": _median(bare_runs, "p99_ms"),
        "redirect.postgresql.cpu_us_per_request": _median(durable_runs, "cpu_us"),
        "redirect.postgresql.bare_cpu_us_per_request": _median(bare_runs, "cpu_us"),
        "redirect.postgresql.switches_per_request": _median(durable_runs, "switches"),
        # Clicks per inbox row: what one shipping transaction carried.
        "redirect.postgresql.shipped_rows_mean": (
            sum(run["requests"] for run in durable_runs) / groups if groups else float("nan")
        ),
        "redirect.postgresql.ship_lag_ms": max(lags),
        "redirect.postgresql.errors": sum(run["errors"] for run in durable_runs),
        "redirect.postgresql.lost": lost,
        "redirect.postgresql.web_threads": float(threads),
        "redirect.postgresql.full_sync_rps": full["rps"],
        "redirect.postgresql.full_sync_p99_ms": full.get("p99_ms", float("nan")),
        "redirect.postgresql.full_sync_web_threads": float(full_threads),
    }


# --- roles run inside the subprocess ------------------------------------------------------


def _setup() -> list[str]:
    """Migrate the throw-away database and create people, posts and their tracked links."""
    from django.core.management import call_command
    from django.utils import timezone

    from portevoix.accounts.models import Group, Person
    from portevoix.content.models import Campaign, Post
    from portevoix.tracking.links import tracked_link_for

    call_command("migrate", verbosity=0)
    now = timezone.now()
    groups = [Group.objects.create(name=f"Équipe {n}") for n in range(6)]
    campaign = Campaign.objects.create(name="Recrutement", utm_campaign="recrutement")
    people = []
    for n in range(200):
        person = Person.objects.create_user(
            email=f"ambassadeur{n}@bench.example",
            full_name=f"Ambassadeur {n}",
            opted_in_at=now,
        )
        person.groups.set(random.sample(groups, 2))
        people.append(person)
    posts = [
        Post.objects.create(
            title=f"Offre {n}",
            url=f"https://carrieres.example.com/offres/{n}",
            campaign=campaign if n % 2 else None,
        )
        for n in range(50)
    ]
    networks = ["linkedin", "x", "facebook", "bluesky", "mastodon"]
    return [
        tracked_link_for(
            post=posts[n % len(posts)], ambassador=people[n % len(people)], network=networks[n % 5]
        ).code
        for n in range(2000)
    ]


def _fill(count: int, start: float | None = None) -> None:
    """Empty the click tables and fill the inbox with `count` realistic raw clicks over the
    FILL_SECONDS from `start` (Unix time; that long ago by default): the same ones at every call
    with the same start and links."""
    from django.conf import settings
    from django.db import connection

    from portevoix.tracking.hotpath.app import new_click_id
    from portevoix.tracking.inbox import inbox_writer, spool_ship_here
    from portevoix.tracking.models import TrackedLink
    from portevoix.tracking.seen import seen_memory_forget
    from portevoix.tracking.selfclick import self_token_for
    from portevoix.tracking.tests.user_agents import BOTS, BROWSERS

    rng = random.Random(7)
    links = list(TrackedLink.objects.order_by("pk").values_list("code", "ambassador_id"))
    agents = [f"{agent} Build/{n}" for agent in BROWSERS for n in range(10)]
    visitors = [f"{rng.getrandbits(128):032x}" for _ in range(count // 3)]
    start = time.time() - FILL_SECONDS if start is None else start
    rows = []
    for n in range(count):
        code, ambassador = rng.choice(links)
        roll = rng.random()
        agent = rng.choice(BOTS) if roll < 0.15 else rng.choice(agents)
        token = self_token_for(ambassador) if 0.15 <= roll < 0.17 else ""
        at = start + n * (FILL_SECONDS / count)
        rows.append(
            (
                code,
                at,
                agent,
                rng.choice(["https://www.linkedin.com/", "https://t.co/x", ""]),
                new_click_id(at),
                rng.choice(visitors),
                token,
            )
        )
    shutil.rmtree(settings.CLICK_INBOX_DIR, ignore_errors=True)
    tables = ["tracking_click", "tracking_clickcount", "tracking_seenbatch", "tracking_seenstate"]
    with connection.cursor() as cursor:
        for table in [*tables, "tracking_clickinbox", "tracking_ingestcheckpoint"]:
            cursor.execute(f"DELETE FROM {table}")
        if connection.vendor == "postgresql":
            cursor.execute("DELETE FROM tracking_spoolcheckpoint")
    seen_memory_forget()
    writer = inbox_writer()
    # Groups as the redirect commits them under load.
    group = 32
    for start in range(0, len(rows), group):
        writer.write(rows[start : start + group])
    writer.reset()
    if connection.vendor == "postgresql":
        # In the table before the clock starts, as the web nodes' shipping threads put them:
        # the ingestion figures measure ingestion.
        spool_ship_here()


def _ingest(count: int) -> dict[str, float]:
    """Fill the inbox with realistic raw clicks, then time their ingestion."""
    from portevoix.tracking.ingest import clicks_ingest

    _fill(count)
    started = time.perf_counter()
    report = clicks_ingest()
    elapsed = time.perf_counter() - started
    return {
        "ingest.clicks": float(report.raw),
        "ingest.seconds": elapsed,
        "ingest.clicks_per_s": report.raw / elapsed,
        "ingest.verified_share": report.by_kind.get(Property.VERIFIED, 0) / max(report.stored, 1),
    }


def _drain(threads: int) -> dict[str, float]:
    """One ingestion worker: ready once Django is loaded, drains the inbox after a line on
    stdin (so that parallel workers start together), with `threads` runs of `clicks_ingest()`
    at once, each on its own connection, as Huey's worker threads run them. Also the CPU
    seconds the worker and its database backends spent (the server runs on this machine)."""
    import resource
    import threading

    from django.db import connection

    from portevoix.tracking.ingest import IngestReport, clicks_ingest

    reports: list[IngestReport] = []
    server_cpu: list[float] = []

    def run() -> None:
        try:
            connection.ensure_connection()
            # Only a server on this machine has its backends in this machine's /proc.
            local = connection.settings_dict["HOST"] in ("", "localhost", "127.0.0.1", "::1")
            backend = connection.connection.info.backend_pid
            before = _process_cpu(backend) if local else 0.0
            reports.append(clicks_ingest())
            server_cpu.append(_process_cpu(backend) - before if local else float("nan"))
        finally:
            connection.close()

    print("ready", flush=True)
    sys.stdin.readline()
    usage = resource.getrusage(resource.RUSAGE_SELF)
    runs = [threading.Thread(target=run) for _ in range(threads)]
    for thread in runs:
        thread.start()
    for thread in runs:
        thread.join()
    assert len(reports) == threads, "an ingestion thread failed"
    after = resource.getrusage(resource.RUSAGE_SELF)
    return {
        "raw": sum(report.raw for report in reports),
        "stored": sum(report.stored for report in reports),
        "worker_cpu": after.ru_utime + after.ru_stime - usage.ru_utime - usage.ru_stime,
        "server_cpu": sum(server_cpu),
    }


def _process_cpu(pid: int) -> float:
    """CPU seconds so far (user and system) of a process of this machine."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _check() -> dict[str, int]:
    """What the workers left: clicks stored, distinct click ids, clicks counted, and the
    verified clicks and unique visitors counted."""
    from django.db.models import Count, Sum

    from portevoix.tracking.inbox import inbox_pending
    from portevoix.tracking.models import Click, ClickCount

    clicks = Click.objects.aggregate(stored=Count("id"), distinct=Count("click_id", distinct=True))
    counted = ClickCount.objects.filter(dimension="all", property="raw", frequency="day")
    verified = ClickCount.objects.filter(dimension="all", property="verified", frequency="day")
    # Unique visitors of the programme's days: what the seen sets decided, corrections included.
    visitors = ClickCount.objects.filter(dimension="all", property="visitors", frequency="day")
    return {
        **clicks,
        "raw_counted": counted.aggregate(n=Sum("value"))["n"] or 0,
        "verified": verified.aggregate(n=Sum("value"))["n"] or 0,
        "visitors": visitors.aggregate(n=Sum("value"))["n"] or 0,
        "pending": inbox_pending(),
    }


def main(argv: list[str]) -> None:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portevoix.settings")
    django.setup()
    if argv[0] == "setup":
        print(json.dumps(_setup()))
    elif argv[0] == "ingest":
        print(json.dumps(_ingest(int(argv[1]))))
    elif argv[0] == "fill":
        _fill(int(argv[1]), *map(float, argv[2:3]))
    elif argv[0] == "drain":
        print(json.dumps(_drain(int(argv[1]))))
    elif argv[0] == "check":
        print(json.dumps(_check()))


if __name__ == "__main__":
    main(sys.argv[1:])
