"""Starting the real OpenID provider (oidc_provider.mjs, on oidc-provider) and signing in on it
the way a browser would: its sign-in form, its cookies, its redirects."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import urllib.error
import urllib.request
from http.cookiejar import CookieJar
from urllib.parse import urlencode, urljoin

SCRIPT = os.path.join(os.path.dirname(__file__), "oidc_provider.mjs")
CLIENT_ID = "portevoix"
CLIENT_SECRET = "a-client-secret-for-tests-only"
PASSWORD = "idp-password-1"

ACCOUNTS = {
    "sub-nina": {
        "email": "nina@acme.test",
        "email_verified": True,
        "name": "Nina Nouvelle",
        "department": "Marketing",
    },
    "sub-omar": {
        "email": "omar@acme.test",
        "email_verified": True,
        "name": "Omar Ventes",
        "department": ["Sales", "Lyon"],
    },
    "sub-alice": {"email": "alice@example.com", "email_verified": True, "name": "Alice M."},
    "sub-erin": {"email": "erin@example.com", "email_verified": False, "name": "Erin R."},
    "sub-dave": {"email": "dave@example.com", "email_verified": True, "name": "Dave A."},
    "sub-stranger": {"email": "someone@elsewhere.test", "email_verified": True, "name": "X"},
}


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


class OidcTestProvider:
    def __init__(self, node: str, redirect_uris: list[str]) -> None:
        config = {
            "clients": [
                {
                    "client_id": CLIENT_ID,
                    "client_secret": CLIENT_SECRET,
                    "redirect_uris": redirect_uris,
                    "grant_types": ["authorization_code"],
                    "response_types": ["code"],
                }
            ],
            "accounts": {sub: {**claims, "password": PASSWORD} for sub, claims in ACCOUNTS.items()},
        }
        env = {**os.environ, "OIDC_TEST_CONFIG": json.dumps(config)}
        self.process = subprocess.Popen(
            [node, SCRIPT], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=env
        )
        assert self.process.stdout is not None
        line = self.process.stdout.readline()
        if not line.startswith("OIDC-READY "):
            self.process.kill()
            raise RuntimeError(f"oidc-provider did not start: {line!r}")
        self.issuer = line.split()[1]

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=10)

    def tamper_next_token(self, **change: object) -> None:
        """The next ID token leaves the provider changed (see oidc_provider.mjs)."""
        request = urllib.request.Request(
            self.issuer + "/_harness/tamper", data=json.dumps(change).encode(), method="POST"
        )
        with urllib.request.urlopen(request, timeout=5) as answer:
            assert answer.status == 200

    def sign_in(self, authorization_url: str, *, email: str, password: str = PASSWORD) -> str:
        """Follow the provider's pages from the authorization URL, sign in on its form, and
        return the URL it finally sends the browser to (our callback)."""
        opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(CookieJar()), _NoRedirect
        )
        url, data = authorization_url, None
        for _hop in range(12):
            try:
                with opener.open(url, data=data, timeout=10) as answer:
                    page = answer.read().decode()
                    location = None
            except urllib.error.HTTPError as error:
                if error.code not in (302, 303):
                    raise AssertionError(
                        f"{error.code} from the provider: {error.read()!r}"
                    ) from None
                location = urljoin(url, error.headers["Location"])
            if location is not None:
                if not location.startswith(self.issuer):
                    return location
                url, data = location, None
                continue
            assert 'name="password"' in page, page
            assert "Wrong e-mail" not in page or data is None, "the provider refused the password"
            data = urlencode({"email": email, "password": password}).encode()
        raise AssertionError("the provider never sent the browser back")


def node_or_skip() -> str:
    from conftest import NODE_MODULES, _require_or_skip

    node = shutil.which("node")
    if node is None or not os.path.exists(os.path.join(NODE_MODULES, "oidc-provider")):
        _require_or_skip(
            "oidc-provider not found in node_modules: single sign-on tests need Node >= 20 "
            "and `npm ci` (make install)"
        )
    assert node is not None
    version = subprocess.run([node, "--version"], capture_output=True, text=True).stdout
    if int(version.lstrip("v").split(".")[0]) < 20:
        _require_or_skip(f"Node {version.strip()} found: oidc-provider needs Node >= 20")
    return node
