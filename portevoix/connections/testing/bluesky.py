"""A real Bluesky network for the tests (`bluesky_network.js`: @atproto/dev-env's PLC directory,
PDS and AppView on 127.0.0.1), and what other people on it do: create accounts and app
passwords, follow, like, repost, reply, through plain XRPC as any client would."""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import select
import shutil
import socket
import string
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import IO, Any
from urllib.parse import urlencode, urlsplit

SCRIPT = os.path.join(os.path.dirname(__file__), "bluesky_network.js")
APPVIEW_DATABASE_URL = "postgresql://postgres@127.0.0.1:5432/portevoix_bsky_appview"
START_TIMEOUT = 120.0  # seconds; 10-25 s on a quiet 2-core machine


class NetworkUnavailable(Exception):
    """What the network needs is missing here (Node, the npm package, PostgreSQL)."""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def node_for_dev_env(node_modules: str) -> str:
    """The `node` to run, or NetworkUnavailable saying what is missing."""
    node = shutil.which("node")
    if node is None or not os.path.exists(os.path.join(node_modules, "@atproto", "dev-env")):
        raise NetworkUnavailable(
            "@atproto/dev-env not found in node_modules: the Bluesky tests need Node >= 20 and "
            "`npm ci` (make install)"
        )
    version = subprocess.run([node, "--version"], capture_output=True, text=True).stdout
    if int(version.lstrip("v").split(".")[0]) < 20:
        raise NetworkUnavailable(f"Node {version.strip()} found: @atproto/dev-env needs Node >= 20")
    return node


def ensure_database(url: str) -> None:
    """The AppView's database must exist; create it (on the same server) when missing."""
    import psycopg
    from psycopg import sql

    name = urlsplit(url).path.lstrip("/")
    try:
        with psycopg.connect(
            url.rsplit("/", 1)[0] + "/postgres", connect_timeout=3, autocommit=True
        ) as connection:
            exists = connection.execute(
                "SELECT 1 FROM pg_database WHERE datname = %s", [name]
            ).fetchone()
            if not exists:
                connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    except psycopg.OperationalError as error:
        raise NetworkUnavailable(
            f"PostgreSQL not reachable for the Bluesky AppView ({error.__class__.__name__})"
        ) from None


def drop_schemas(url: str, schema: str) -> None:
    import psycopg
    from psycopg import sql

    # A clean-up that fails must not hide the tests' result: the schemas are named per session.
    with (
        contextlib.suppress(psycopg.Error),
        psycopg.connect(url, connect_timeout=3, autocommit=True) as connection,
    ):
        for prefix in ("appview_", "ozone_"):
            connection.execute(
                sql.SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(sql.Identifier(prefix + schema))
            )


class BlueskyTestNetwork:
    """Started once per test session: `start()`, then `stop()`."""

    def __init__(self, node_modules: str, database_url: str = APPVIEW_DATABASE_URL) -> None:
        self.node_modules = node_modules
        self.database_url = database_url
        # Letters and underscores only (the AppView builds schema names from it).
        self.schema = "pv_" + "".join(secrets.choice(string.ascii_lowercase) for _ in range(8))
        self.scratch = ""
        self.process: subprocess.Popen[str] | None = None
        self._log: IO[str] | None = None
        self.plc = self.pds = self.appview = ""

    def start(self) -> BlueskyTestNetwork:
        node = node_for_dev_env(self.node_modules)
        ensure_database(self.database_url)
        self.scratch = tempfile.mkdtemp(prefix="portevoix-bluesky-")
        ports = [str(free_port()) for _ in range(4)]
        environment = {
            **os.environ,
            "DB_POSTGRES_URL": self.database_url,
            "DB_POSTGRES_SCHEMA": self.schema,
            "REDIS_HOST": "127.0.0.1:6379",  # required by dev-env, not used by these services
            "TMPDIR": self.scratch,  # the PDS writes its repos and blobs under os.tmpdir()
            "LOG_ENABLED": "false",
        }
        # The services' own messages, kept beside their data for a failed start.
        self._log = open(os.path.join(self.scratch, "network.log"), "w")  # noqa: SIM115
        self.process = subprocess.Popen(
            [node, SCRIPT, self.node_modules, *ports],
            stdout=subprocess.PIPE,
            stderr=self._log,
            text=True,
            env=environment,
        )
        assert self.process.stdout is not None
        deadline = time.monotonic() + START_TIMEOUT
        line = ""
        while time.monotonic() < deadline:
            ready, _, _ = select.select([self.process.stdout], [], [], 1.0)
            if ready:
                line = self.process.stdout.readline()
                if line.startswith(("ready ", "failed ")) or not line:
                    break
        if not line.startswith("ready "):
            self._log.flush()
            with open(self._log.name, encoding="utf-8", errors="replace") as messages:
                said = messages.read()[-2000:]
            self.stop()
            raise RuntimeError(f"the Bluesky network did not start: {line[:2000]!r}\n{said}")
        urls = json.loads(line.removeprefix("ready "))
        self.plc, self.pds, self.appview = urls["plc"], urls["pds"], urls["appview"]
        return self

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if self._log is not None:
            self._log.close()
        drop_schemas(self.database_url, self.schema)
        if self.scratch:
            shutil.rmtree(self.scratch, ignore_errors=True)

    # --- XRPC as another client would speak it -------------------------------------------------

    def xrpc(
        self,
        nsid: str,
        *,
        token: str = "",
        payload: dict[str, Any] | None = None,
        query: dict[str, str] | None = None,
    ) -> dict[str, Any]:
        url = f"{self.pds}/xrpc/{nsid}" + (f"?{urlencode(query)}" if query else "")
        headers = {"Content-Type": "application/json"} if payload is not None else {}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        data = json.dumps(payload).encode() if payload is not None else None
        request = urllib.request.Request(url, data=data, headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=30) as answer:
                body = answer.read()
        except urllib.error.HTTPError as error:
            raise AssertionError(f"{nsid}: {error.code} {error.read()[:500]!r}") from None
        return json.loads(body) if body else {}

    def blob(self, did: str, cid: str) -> bytes:
        query = urlencode({"did": did, "cid": cid})
        with urllib.request.urlopen(
            f"{self.pds}/xrpc/com.atproto.sync.getBlob?{query}", timeout=30
        ) as answer:
            return bytes(answer.read())

    def account(self, name: str) -> Account:
        """A fresh account (the handle is unique to the test) with its session."""
        handle = f"{name}-{secrets.token_hex(3)}.test"
        session = self.xrpc(
            "com.atproto.server.createAccount",
            payload={
                "handle": handle,
                "email": f"{handle}@example.com",
                "password": secrets.token_urlsafe(16),
            },
        )
        return Account(self, session["handle"], session["did"], session["accessJwt"])


@dataclass
class Account:
    network: BlueskyTestNetwork
    handle: str
    did: str
    access_token: str

    def app_password(self, name: str = "Portevoix") -> str:
        answer = self.network.xrpc(
            "com.atproto.server.createAppPassword", token=self.access_token, payload={"name": name}
        )
        return str(answer["password"])

    def create(self, collection: str, record: dict[str, Any]) -> dict[str, Any]:
        return self.network.xrpc(
            "com.atproto.repo.createRecord",
            token=self.access_token,
            payload={
                "repo": self.did,
                "collection": collection,
                "record": {"$type": collection, "createdAt": now(), **record},
            },
        )

    def follow(self, other: Account) -> None:
        self.create("app.bsky.graph.follow", {"subject": other.did})

    def like(self, uri: str, cid: str) -> None:
        self.create("app.bsky.feed.like", {"subject": {"uri": uri, "cid": cid}})

    def repost(self, uri: str, cid: str) -> None:
        self.create("app.bsky.feed.repost", {"subject": {"uri": uri, "cid": cid}})

    def reply(self, uri: str, cid: str, text: str) -> None:
        parent = {"uri": uri, "cid": cid}
        self.create(
            "app.bsky.feed.post", {"text": text, "reply": {"root": parent, "parent": parent}}
        )

    def record(self, uri: str) -> dict[str, Any]:
        """A record read back from the PDS as stored: `{"uri", "cid", "value"}`."""
        _did, collection, rkey = uri.removeprefix("at://").split("/")
        return self.network.xrpc(
            "com.atproto.repo.getRecord",
            query={"repo": _did, "collection": collection, "rkey": rkey},
        )

    def records(self, collection: str) -> list[dict[str, Any]]:
        answer = self.network.xrpc(
            "com.atproto.repo.listRecords", query={"repo": self.did, "collection": collection}
        )
        return list(answer["records"])


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def silent_server() -> tuple[socket.socket, str]:
    """A socket that accepts connections and never answers: a PDS that hangs."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(8)
    return server, f"http://127.0.0.1:{server.getsockname()[1]}"
