"""Our service-provider key pair for a SAML provider: made once, the private key sealed."""

from __future__ import annotations

import datetime
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID

from portevoix.core.secrets import secret_seal, secret_unseal
from portevoix.identity.models import IdentityProvider

KEY_PURPOSE = "identity.saml_sp_key"
CERTIFICATE_YEARS = 10


def saml_keys_ensure(*, provider: IdentityProvider) -> None:
    """Give the provider our key pair if it has none yet (a self-signed certificate: SAML
    trusts the key named in metadata, not a certificate authority)."""
    if provider.sp_certificate and provider.sp_key_sealed:
        return
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, f"Portevoix {provider.slug}")])
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=365 * CERTIFICATE_YEARS))
        .sign(key, hashes.SHA256())
    )
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    provider.sp_certificate = certificate.public_bytes(serialization.Encoding.PEM).decode()
    provider.sp_key_sealed = secret_seal(pem.decode(), purpose=KEY_PURPOSE)
    provider.save(update_fields=["sp_certificate", "sp_key_sealed"])


@contextmanager
def saml_key_files(provider: IdentityProvider) -> Iterator[tuple[str, str]]:
    """(key file, certificate file) for xmlsec1, which reads keys from files only: written
    private to this process (0600) and removed as soon as the request is done."""
    directory = tempfile.mkdtemp(prefix="portevoix-saml-")
    key_path = os.path.join(directory, "sp.key")
    cert_path = os.path.join(directory, "sp.crt")
    try:
        descriptor = os.open(key_path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w") as handle:
            handle.write(secret_unseal(provider.sp_key_sealed, purpose=KEY_PURPOSE))
        with open(cert_path, "w") as handle:
            handle.write(provider.sp_certificate)
        yield key_path, cert_path
    finally:
        for path in (key_path, cert_path):
            if os.path.exists(path):
                os.remove(path)
        os.rmdir(directory)
