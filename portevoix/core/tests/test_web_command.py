"""The web server's command line (portevoix/core/web.py), shared by scripts/run.sh, the
benchmarks and the durability tests."""

from __future__ import annotations

import subprocess
import sys
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
