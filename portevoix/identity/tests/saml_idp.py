"""pysaml2 acting as the company's SAML IdP, in the test process: it reads our SP metadata,
parses our signed AuthnRequest, and answers with a real signed SAML Response (xmlsec1)."""

from __future__ import annotations

import base64
import datetime
import os
import shutil
import tempfile
from urllib.parse import parse_qs, urlsplit

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from saml2 import BINDING_HTTP_REDIRECT
from saml2.config import IdPConfig
from saml2.metadata import create_metadata_string
from saml2.saml import NAMEID_FORMAT_PERSISTENT, NameID
from saml2.server import Server

ENTITY_ID = "https://idp.saml.test/metadata"


def _key_pair(directory: str) -> tuple[str, str]:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Test IdP")])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=30))
        .sign(key, hashes.SHA256())
    )
    key_path, cert_path = os.path.join(directory, "idp.key"), os.path.join(directory, "idp.crt")
    with open(key_path, "wb") as handle:
        handle.write(
            key.private_bytes(
                serialization.Encoding.PEM,
                serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption(),
            )
        )
    with open(cert_path, "wb") as handle:
        handle.write(cert.public_bytes(serialization.Encoding.PEM))
    return key_path, cert_path


class SamlTestIdp:
    def __init__(self, sp_metadata: str, *, lifetime: dict | None = None) -> None:
        self.directory = tempfile.mkdtemp(prefix="portevoix-test-idp-")
        key_path, cert_path = _key_pair(self.directory)
        self.config = IdPConfig()
        self.config.load(
            {
                "entityid": ENTITY_ID,
                "xmlsec_binary": shutil.which("xmlsec1"),
                "key_file": key_path,
                "cert_file": cert_path,
                "metadata": {"inline": [sp_metadata]},
                "service": {
                    "idp": {
                        "endpoints": {
                            "single_sign_on_service": [
                                ("https://idp.saml.test/sso", BINDING_HTTP_REDIRECT)
                            ],
                            "single_logout_service": [
                                ("https://idp.saml.test/slo", BINDING_HTTP_REDIRECT)
                            ],
                        },
                        "name_id_format": [NAMEID_FORMAT_PERSISTENT],
                        # Our AuthnRequests and LogoutRequests must carry a valid signature
                        # (query-string signature of the Redirect binding), by our SP key.
                        "want_authn_requests_signed": True,
                        "policy": {"default": {"lifetime": lifetime or {"minutes": 5}}},
                    }
                },
            }
        )
        self.server = Server(config=self.config)

    def stop(self) -> None:
        shutil.rmtree(self.directory, ignore_errors=True)

    def metadata(self) -> str:
        metadata = create_metadata_string(None, config=self.config)
        return metadata.decode() if isinstance(metadata, bytes) else metadata

    def logout_answer(self, request_url: str) -> tuple[str, str]:
        """(the name ID the SP asked to sign out, the URL of the SP the IdP answers at): the
        LogoutRequest's query-string signature is checked against the SP's metadata (pysaml2
        refuses it otherwise, `want_authn_requests_signed`)."""
        query = {k: v[0] for k, v in parse_qs(urlsplit(request_url).query).items()}
        request = self.server.parse_logout_request(
            query["SAMLRequest"],
            BINDING_HTTP_REDIRECT,
            relay_state=query.get("RelayState"),
            sigalg=query.get("SigAlg"),
            signature=query.get("Signature"),
        )
        response = self.server.create_logout_response(request.message, [BINDING_HTTP_REDIRECT])
        destination = self.server.metadata.single_logout_service(
            request.message.issuer.text, BINDING_HTTP_REDIRECT, "spsso"
        )[0]["location"]
        info = self.server.apply_binding(
            BINDING_HTTP_REDIRECT, str(response), destination, response=True
        )
        return request.message.name_id.text, dict(info["headers"])["Location"]

    def request_of(self, request_url: str):
        """Our AuthnRequest in the URL, its query-string signature checked."""
        query = {k: v[0] for k, v in parse_qs(urlsplit(request_url).query).items()}
        request = self.server.parse_authn_request(
            query["SAMLRequest"],
            BINDING_HTTP_REDIRECT,
            relay_state=query.get("RelayState"),
            sigalg=query.get("SigAlg"),
            signature=query.get("Signature"),
        )
        return request.message

    def answer(
        self,
        request_url: str,
        *,
        subject: str,
        attributes: dict[str, list[str]],
        sign_assertion: bool = True,
        sign_response: bool = False,
        audience: str | None = None,
    ) -> str:
        """The base64 SAMLResponse this IdP posts back for the AuthnRequest in the URL."""
        message = self.request_of(request_url)
        response = self.server.create_authn_response(
            identity=attributes,
            in_response_to=message.id,
            destination=message.assertion_consumer_service_url,
            sp_entity_id=audience or message.issuer.text,
            name_id=NameID(format=NAMEID_FORMAT_PERSISTENT, text=subject),
            authn={"class_ref": "urn:oasis:names:tc:SAML:2.0:ac:classes:Password"},
            sign_assertion=sign_assertion,
            sign_response=sign_response,
        )
        return base64.b64encode(str(response).encode()).decode()
