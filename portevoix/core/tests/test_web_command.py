"""The web server's command line (portevoix/core/web.py), shared by scripts/run.sh, the
benchmarks and the durability tests."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from portevoix.core.web import (
    EMBEDDED_THREADS,
    WAITING_THREADS,
    granian_command,
    web_threads,
)
from portevoix.env import SettingError

ROOT = Path(__file__).resolve().parents[3]


def option(command: list[str], name: str) -> str:
    return command[command.index(name) + 1]


def test_the_embedded_configuration_starts_few_threads():
    assert web_threads({}) == EMBEDDED_THREADS
    assert web_threads({"CLICK_INBOX_SYNCHRONOUS": "normal"}) == EMBEDDED_THREADS


@pytest.mark.parametrize(
    "environ",
    [
        {"CLICK_INBOX_SYNCHRONOUS": "FULL"},
        {"CLICK_INBOX_SYNCHRONOUS": "full"},
        {"CLICK_INBOX_SYNCHRONOUS": "FULL", "DATABASE_URL": "postgresql://pv@db.example/pv"},
    ],
)
def test_commits_that_wait_start_enough_threads_to_grow_their_groups(environ):
    assert web_threads(environ) == WAITING_THREADS


def test_postgresql_alone_does_not_make_the_redirect_wait():
    # The redirect writes the node's segment files; a thread ships them (tracking/spool.py).
    environ = {"DATABASE_URL": "postgresql://portevoix@db.example/portevoix"}
    assert web_threads(environ) == EMBEDDED_THREADS


def test_web_threads_overrides_the_default():
    assert web_threads({"WEB_THREADS": "12", "CLICK_INBOX_SYNCHRONOUS": "FULL"}) == 12


@pytest.mark.parametrize("value", ["eight", "0", "-2", "1.5"])
def test_nonsense_thread_counts_are_refused_naming_the_variable(value):
    with pytest.raises(SettingError, match="WEB_THREADS"):
        web_threads({"WEB_THREADS": value})


def test_the_command_serves_the_wsgi_application_with_the_chosen_threads_and_workers():
    command = granian_command(
        host="127.0.0.1", port=8123, environ={"WEB_THREADS": "3", "WEB_WORKERS": "2"}
    )
    assert Path(command[0]).name == "granian"
    assert option(command, "--interface") == "wsgi"
    assert option(command, "--port") == "8123"
    assert option(command, "--blocking-threads") == "3"
    assert option(command, "--workers") == "2"
    assert command[-1] == "portevoix.wsgi:application"


def test_run_sh_starts_the_web_server_through_this_module():
    run_sh = (ROOT / "scripts" / "run.sh").read_text()
    assert "-m portevoix.core.web" in run_sh
    assert "granian" not in run_sh.replace("# Granian", "")


def test_a_bad_port_stops_the_launcher_with_a_message_naming_it():
    result = subprocess.run(
        [sys.executable, "-m", "portevoix.core.web"],
        env={"PORT": "eighty", "PATH": "/usr/bin:/bin"},
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert result.returncode != 0
    assert "PORT must be a whole number" in result.stderr


def test_the_application_takes_what_start_up_made_out_of_the_cycle_collector():
    """A full collection no longer walks the modules, functions and settings of start-up:
    frozen once the application is loaded, in a process of its own as the server's."""
    script = "import gc, portevoix.wsgi\nprint(gc.get_freeze_count())\n"
    found = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, check=True, capture_output=True, text=True
    ).stdout
    assert int(found.split()[-1]) > 50_000


def launch(env: dict[str, str], tmp_path: Path) -> subprocess.Popen:
    environ = {"PATH": "/usr/bin:/bin", "PORTEVOIX_DATA_DIR": str(tmp_path), **env}
    return subprocess.Popen(
        [sys.executable, "-m", "portevoix.core.web"],
        env=environ,
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_a_web_node_refuses_the_public_demo_key_on_a_published_site(tmp_path):
    # Management commands run the system checks; a web node starts none, so its launcher does.
    node = launch({"SITE_URL": "https://advocacy.example.com", "PORT": "8000"}, tmp_path)
    _out, err = node.communicate(timeout=60)
    assert node.returncode != 0
    assert "portevoix.E001" in err
    assert "SECRET_KEY" in err


def test_a_web_node_with_its_own_key_serves(tmp_path):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {
        "SITE_URL": "https://advocacy.example.com",
        "SECRET_KEY": "a-long-random-secret-for-this-test-only-0123456789abcdef",
        "PORT": str(port),
    }
    node = launch(env, tmp_path)
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and node.poll() is None:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.2)
        assert node.poll() is None, node.communicate()[1]
        socket.create_connection(("127.0.0.1", port), timeout=1).close()
    finally:
        node.terminate()
        node.wait(timeout=30)
