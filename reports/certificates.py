"""A development CA and the centre's report-signing certificate, made by `keys init`.

Production installs a key and certificate issued by a real CA and points the settings at
them; these files only let a development service sign reports that a test (or a reader told
to trust the development CA) can validate.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from reports.content import CENTRE
from reports.errors import ReportSetupError

CA_FILE = "report-ca.pem"
KEY_FILE = "report-signing.key"
CERT_FILE = "report-signing.pem"
CA_NAME = "creditgraph development CA"
# ECDSA P-256 (PAdES readers accept it since PDF 1.7 ext. 3): quick to load for every signature.
CURVE = ec.SECP256R1()
CA_LIFETIME = timedelta(days=10 * 365)
SIGNING_LIFETIME = timedelta(days=5 * 365)


@dataclass(frozen=True)
class ReportCertificateFiles:
    ca: Path
    key: Path
    cert: Path

    @classmethod
    def under(cls, directory: Path) -> ReportCertificateFiles:
        return cls(ca=directory / CA_FILE, key=directory / KEY_FILE, cert=directory / CERT_FILE)


def init_report_certificates(
    directory: Path, *, now: datetime, ca_name: str = CA_NAME
) -> ReportCertificateFiles:
    """Write a development CA and a signing key and certificate, keeping a set that exists.

    The CA's own key is not kept: it signs the one certificate and is dropped, so a copy of
    the development files can never issue more.
    """
    files = ReportCertificateFiles.under(directory)
    present = [p for p in (files.ca, files.key, files.cert) if p.exists()]
    if len(present) == 3:
        return files
    if present:
        raise ReportSetupError(
            f"{', '.join(map(str, present))} exist without the rest of the report signing set; "
            "refusing to replace them"
        )
    directory.mkdir(mode=0o700, parents=True, exist_ok=True)
    ca_key = ec.generate_private_key(CURVE)
    ca = _ca_certificate(ca_key, ca_name, now)
    key = ec.generate_private_key(CURVE)
    cert = _signing_certificate(key, ca, ca_key, now)
    _write_new(files.ca, ca.public_bytes(serialization.Encoding.PEM), mode=0o644)
    _write_new(files.cert, cert.public_bytes(serialization.Encoding.PEM), mode=0o644)
    _write_new(
        files.key,
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        ),
        mode=0o600,
    )
    return files


def _name(common_name: str, organisation: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "CN"),
            x509.NameAttribute(NameOID.LOCALITY_NAME, "Shenzhen"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, organisation),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
        ]
    )


def _ca_certificate(key: ec.EllipticCurvePrivateKey, name: str, now: datetime) -> x509.Certificate:
    subject = _name(name, "creditgraph (development)")
    return (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + CA_LIFETIME)
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(_usage(cert_sign=True), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )


def _signing_certificate(
    key: ec.EllipticCurvePrivateKey,
    ca: x509.Certificate,
    ca_key: ec.EllipticCurvePrivateKey,
    now: datetime,
) -> x509.Certificate:
    return (
        x509.CertificateBuilder()
        .subject_name(_name(CENTRE, CENTRE))
        .issuer_name(ca.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + SIGNING_LIFETIME)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        # Non-repudiation (contentCommitment): the centre stands by what it signs; pyHanko's
        # validation asks for it by default.
        .add_extension(_usage(cert_sign=False), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False
        )
        .sign(ca_key, hashes.SHA256())
    )


def _usage(*, cert_sign: bool) -> x509.KeyUsage:
    return x509.KeyUsage(
        digital_signature=not cert_sign,
        content_commitment=not cert_sign,
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=cert_sign,
        crl_sign=cert_sign,
        encipher_only=False,
        decipher_only=False,
    )


def _write_new(path: Path, data: bytes, *, mode: int) -> None:
    # O_EXCL and the mode at creation: never overwrite, and a private key is never readable
    # by others, not even for a moment (as auth/keys.py writes JWKS files).
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
    with os.fdopen(descriptor, "wb") as file:
        os.fchmod(file.fileno(), mode)
        file.write(data)
