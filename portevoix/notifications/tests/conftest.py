import socket

import pytest
from aiosmtpd.controller import Controller


class Inbox:
    def __init__(self) -> None:
        self.messages: list = []
        self.recipients_tried: list[str] = []
        # address → the server's answer to RCPT TO, e.g. "550 5.1.1 No such mailbox"
        self.refuse: dict[str, str] = {}

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        self.recipients_tried.append(address)
        if address in self.refuse:
            return self.refuse[address]
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        from email import message_from_bytes, policy

        self.messages.append(message_from_bytes(envelope.content, policy=policy.default))
        return "250 OK"


@pytest.fixture
def smtp_server(settings):
    """A real SMTP server on loopback; Django sends through it with the SMTP backend."""
    inbox = Inbox()
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = controller.port
    settings.EMAIL_USE_TLS = False
    yield inbox
    controller.stop()


class PushService:
    """web-push-testing, a push service (RFC 8030) that issues subscriptions the way a browser's
    push service does, checks the VAPID signature (RFC 8292) and decrypts each message it
    receives (RFC 8291, aes128gcm) with the subscription's private key."""

    def __init__(self, url: str) -> None:
        self.url = url

    def _post(self, path: str, data: dict) -> tuple[int, dict]:
        import json
        import urllib.error
        import urllib.request

        request = urllib.request.Request(
            self.url + path,
            data=json.dumps(data).encode(),
            headers={"Content-Type": "application/json"},
        )
        try:
            with urllib.request.urlopen(request, timeout=5) as answer:
                body = answer.read()
                is_json = answer.headers.get_content_type() == "application/json"
                return answer.status, json.loads(body) if is_json else {}
        except urllib.error.HTTPError as error:
            return error.code, {}

    def subscribe(self, application_server_key: str) -> dict:
        """What PushManager.subscribe() gives a page: endpoint and keys (plus the clientHash)."""
        status, answer = self._post(
            "/subscribe",
            {"userVisibleOnly": "true", "applicationServerKey": application_server_key},
        )
        assert status == 200, answer
        return answer["data"]

    def expire(self, subscription: dict) -> None:
        status, _ = self._post(f"/expire-subscription/{subscription['clientHash']}", {})
        assert status == 200

    def messages(self, subscription: dict) -> list[str]:
        """The decrypted messages the service received for this subscription."""
        status, answer = self._post(
            "/get-notifications", {"clientHash": subscription["clientHash"]}
        )
        assert status == 200, answer
        return answer["data"]["messages"]


@pytest.fixture(scope="session")
def push_service_process():
    import os
    import shutil
    import subprocess

    from conftest import NODE_MODULES, _require_or_skip

    node = shutil.which("node")
    package = os.path.join(NODE_MODULES, "web-push-testing", "package.json")
    if node is None or not os.path.exists(package):
        _require_or_skip(
            "web-push-testing not found in node_modules: push delivery tests need Node >= 20 "
            "and `npm ci` (make install)"
        )
    version = subprocess.run([node, "--version"], capture_output=True, text=True).stdout
    if int(version.lstrip("v").split(".")[0]) < 20:
        _require_or_skip(f"Node {version.strip()} found: web-push-testing needs Node >= 20")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    script = os.path.join(os.path.dirname(__file__), "push_service.js")
    process = subprocess.Popen(
        [node, script, NODE_MODULES, str(port)], stdout=subprocess.PIPE, text=True
    )
    lines = [process.stdout.readline() for _ in range(2)]  # the package's line, then ours
    if "ready" not in lines[-1]:
        process.kill()
        pytest.fail(f"web-push-testing did not start: {lines!r}")
    yield PushService(f"http://127.0.0.1:{port}")
    process.terminate()
    process.wait(timeout=10)


@pytest.fixture
def push_service(push_service_process, settings):
    """The local push service; its loopback endpoints pass the fetch guard (tests only)."""
    settings.FETCH_ALLOWED_PRIVATE_HOSTS = ["127.0.0.1"]
    return push_service_process
