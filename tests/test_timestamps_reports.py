"""PAdES B-T with a time-stamping authority, B-B without; pyHanko's CLI validates a report.

The authority is a real RFC 3161 responder over HTTP on loopback: pyHanko's DummyTimeStamper
(its test TSA) answering on an aiohttp server, with its own CA.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
from aiohttp import web
from asgi_lifespan import LifespanManager
from asn1crypto import keys as asn1_keys
from asn1crypto import tsp
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from pyhanko.sign.timestamps import DummyTimeStamper
from pyhanko_certvalidator.registry import CertificateRegistry

from domain.catalogue import Catalogue
from reports.certificates import ReportCertificateFiles
from reports.fonts import report_font
from reports.issuer import ReportIssuer
from reports.signing import ReportSigner, load_signer, verify
from server.app import create_app
from server.settings import Settings
from store.database import Database
from store.subjects import insert_new_subjects
from tests import factories
from tests.conftest import TODAY, TokenFactory, at
from tests.helpers import data_of, graphql

NOW = datetime.now(UTC)
ISSUE = """
mutation Issue($subject: ID!) {
  issueCreditReport(subject: $subject, purpose: BIDDING) {
    __typename
    ... on IssueCreditReportSuccess { report { serial downloadPath } }
    ... on UserError { code message }
  }
}
"""


def _cert(
    subject: str,
    key: rsa.RSAPrivateKey,
    issuer: x509.Certificate | None,
    signer: rsa.RSAPrivateKey,
) -> x509.Certificate:
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, subject)])
    builder = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name if issuer is None else issuer.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(NOW - timedelta(days=1))
        .not_valid_after(NOW + timedelta(days=30))
    )
    if issuer is None:
        builder = builder.add_extension(x509.BasicConstraints(ca=True, path_length=0), True)
    else:
        # RFC 3161 §2.3: a TSA's certificate has the one critical extended key usage.
        builder = builder.add_extension(
            x509.ExtendedKeyUsage([ExtendedKeyUsageOID.TIME_STAMPING]), critical=True
        )
    return builder.sign(signer, hashes.SHA256())


def _asn1(cert: x509.Certificate) -> asn1_x509.Certificate:
    return asn1_x509.Certificate.load(cert.public_bytes(serialization.Encoding.DER))


@asynccontextmanager
async def loopback_tsa() -> AsyncIterator[tuple[str, asn1_x509.Certificate]]:
    """A time-stamping authority at an http://127.0.0.1 URL, and its root certificate."""
    # pyHanko's test TSA signs with RSA only.
    ca_key, tsa_key = (rsa.generate_private_key(65537, 2048) for _ in range(2))
    ca = _cert("test TSA root", ca_key, None, ca_key)
    tsa = _cert("test TSA", tsa_key, ca, ca_key)
    der_key = tsa_key.private_bytes(
        serialization.Encoding.DER,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    stamper = DummyTimeStamper(
        tsa_cert=_asn1(tsa),
        tsa_key=asn1_keys.PrivateKeyInfo.load(der_key),
        certs_to_embed=CertificateRegistry.build([_asn1(ca)]),
    )

    async def answer(request: web.Request) -> web.Response:
        reply = await stamper.async_request_tsa_response(
            tsp.TimeStampReq.load(await request.read())
        )
        return web.Response(body=reply.dump(), content_type="application/timestamp-reply")

    app = web.Application()
    app.router.add_post("/", answer)
    runner = web.AppRunner(app)
    await runner.setup()
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    await web.SockSite(runner, sock).start()
    try:
        yield f"http://127.0.0.1:{sock.getsockname()[1]}/", _asn1(ca)
    finally:
        await runner.cleanup()
        sock.close()


def signer(keys_dir: Path, tsa_url: str | None = None) -> ReportSigner:
    files = ReportCertificateFiles.under(keys_dir)
    return load_signer(key=files.key, cert=files.cert, ca=files.ca, tsa_url=tsa_url)


async def signed(catalogue: Catalogue, with_signer: ReportSigner) -> bytes:
    issuer = ReportIssuer(
        region_code="440300", font=report_font(None), signer=with_signer, base_url="http://test"
    )
    return await issuer.produce(factories.report(catalogue, factories.firm()))


async def test_signature_without_tsa_is_pades_b_b(catalogue: Catalogue, keys_dir: Path) -> None:
    plain = signer(keys_dir)

    check = await verify(await signed(catalogue, plain), [plain.ca])

    assert check.ok
    assert (check.timestamped, check.level) == (False, "B-B")


async def test_signature_with_tsa_is_pades_b_t_with_a_trusted_time_stamp(
    catalogue: Catalogue, keys_dir: Path
) -> None:
    async with loopback_tsa() as (url, tsa_root):
        stamped = signer(keys_dir, url)
        pdf = await signed(catalogue, stamped)

    check = await verify(pdf, [stamped.ca, tsa_root])

    assert check.ok
    assert (check.timestamped, check.timestamp_trusted, check.level) == (True, True, "B-T")


async def test_issue_with_unreachable_tsa_is_refused_and_issues_nothing(
    db: Database, catalogue: Catalogue, token: TokenFactory, settings: Settings, store_uri: str
) -> None:
    firm = factories.firm()
    await insert_new_subjects(db, subjects=[firm])
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))  # bound, never listening: connections are refused
    dead = settings.model_copy(update={"tsa_url": f"http://127.0.0.1:{sock.getsockname()[1]}/"})
    app = create_app(dead, mongodb_uri=store_uri, clock=lambda: at(TODAY))

    async with LifespanManager(app) as manager:
        transport = httpx.ASGITransport(app=manager.app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as http:
            body = await graphql(http, ISSUE, {"subject": firm.id}, token=token("credit_centre"))
    sock.close()

    result = data_of(body)["issueCreditReport"]
    assert (result["__typename"], result["code"]) == ("UserError", "SERVICE_UNAVAILABLE")
    assert await db["credit_reports"].count_documents({}) == 0


async def test_issued_report_is_b_t_and_validates_with_the_readme_pyhanko_command(
    db: Database,
    catalogue: Catalogue,
    token: TokenFactory,
    settings: Settings,
    store_uri: str,
    keys_dir: Path,
    tmp_path: Path,
) -> None:
    firm = factories.firm()
    await insert_new_subjects(db, subjects=[firm])
    centre = token("credit_centre")
    async with loopback_tsa() as (url, tsa_root):
        app = create_app(
            settings.model_copy(update={"tsa_url": url}),
            mongodb_uri=store_uri,
            clock=lambda: at(TODAY),
        )
        async with LifespanManager(app) as manager:
            transport = httpx.ASGITransport(app=manager.app)
            async with httpx.AsyncClient(transport=transport, base_url="http://test") as http:
                body = await graphql(http, ISSUE, {"subject": firm.id}, token=centre)
                path = data_of(body)["issueCreditReport"]["report"]["downloadPath"]
                download = await http.get(path, headers={"authorization": f"Bearer {centre}"})
    report = tmp_path / "report.pdf"
    report.write_bytes(download.content)
    tsa_pem = tmp_path / "tsa-root.pem"
    tsa_pem.write_bytes(
        x509.load_der_x509_certificate(tsa_root.dump()).public_bytes(serialization.Encoding.PEM)
    )
    ca = ReportCertificateFiles.under(keys_dir).ca
    pyhanko = shutil.which("pyhanko", path=str(Path(sys.executable).parent))
    assert pyhanko is not None

    # The README's command, with the test's own CA and TSA root as the trust roots.
    validated = subprocess.run(
        [pyhanko, "sign", "validate", "--pretty-print", "--trust-replace"]
        + ["--trust", str(ca), "--trust", str(tsa_pem), str(report)],
        capture_output=True,
        text=True,
    )

    assert validated.returncode == 0, validated.stdout + validated.stderr
    for line in (
        "The signer's certificate is trusted.",
        "Signature timestamp token:",
        "The TSA certificate is trusted.",
        "The signature covers the entire file.",
        "The signature is judged VALID.",
    ):
        assert line in validated.stdout
