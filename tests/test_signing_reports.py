"""The report's PAdES signature, checked by pyHanko, and the development certificates."""

from __future__ import annotations

import stat
from datetime import UTC, datetime
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.x509.oid import NameOID

from domain.catalogue import Catalogue
from reports.certificates import CA_NAME, ReportCertificateFiles, init_report_certificates
from reports.content import CENTRE
from reports.errors import ReportSetupError
from reports.fonts import report_font
from reports.issuer import ReportIssuer
from reports.pdf import render
from reports.signing import NOT_SIGNED, ReportSigner, load_signer, verify
from tests import factories

NOW = datetime.now(UTC)


def signer_in(directory: Path) -> ReportSigner:
    files = ReportCertificateFiles.under(directory)
    return load_signer(key=files.key, cert=files.cert, ca=files.ca)


async def signed_report(catalogue: Catalogue, signer: ReportSigner) -> bytes:
    issuer = ReportIssuer(
        region_code="440300", font=report_font(None), signer=signer, base_url="http://test"
    )
    return await issuer.produce(factories.report(catalogue, factories.firm()))


async def test_signed_report_validates_against_the_development_ca(
    catalogue: Catalogue, keys_dir: Path
) -> None:
    signer = signer_in(keys_dir)

    check = await verify(await signed_report(catalogue, signer), [signer.ca])

    assert (check.intact, check.valid, check.trusted, check.covers_whole_file) == (True,) * 4
    assert check.ok
    assert check.signer is not None
    assert f"Common Name: {CENTRE}" in check.signer


async def test_signed_report_is_pades(catalogue: Catalogue, keys_dir: Path) -> None:
    pdf = await signed_report(catalogue, signer_in(keys_dir))

    assert b"/SubFilter /ETSI.CAdES.detached" in pdf


async def test_signed_report_with_one_byte_changed_is_not_intact(
    catalogue: Catalogue, keys_dir: Path
) -> None:
    signer = signer_in(keys_dir)
    pdf = await signed_report(catalogue, signer)
    # A byte of the document's Creator entry: inside the signed range, and still a valid PDF.
    at = pdf.index(b"creditgraph")
    changed = pdf[:at] + b"C" + pdf[at + 1 :]

    check = await verify(changed, [signer.ca])

    assert not check.intact
    assert not check.ok


async def test_signed_report_with_bytes_appended_is_not_whole_file(
    catalogue: Catalogue, keys_dir: Path
) -> None:
    signer = signer_in(keys_dir)
    pdf = await signed_report(catalogue, signer)

    check = await verify(pdf + b"\n% appended after signing\n", [signer.ca])

    assert check.intact
    assert not check.ok


async def test_signed_report_is_not_trusted_under_another_ca(
    catalogue: Catalogue, keys_dir: Path, tmp_path: Path
) -> None:
    other = signer_in(init_report_certificates(tmp_path, now=NOW).ca.parent)
    pdf = await signed_report(catalogue, other)

    check = await verify(pdf, [signer_in(keys_dir).ca])

    assert (check.intact, check.valid, check.trusted) == (True, True, False)
    assert not check.ok


@pytest.mark.parametrize("pdf", [b"", b"%PDF-1.4 not really", b"\x00" * 100])
async def test_verify_not_a_pdf_is_not_signed(keys_dir: Path, pdf: bytes) -> None:
    assert await verify(pdf, [signer_in(keys_dir).ca]) == NOT_SIGNED


async def test_verify_unsigned_report_is_not_signed(catalogue: Catalogue, keys_dir: Path) -> None:
    pdf = render(
        factories.report(catalogue, factories.firm()), report_font(None), base_url="http://test"
    )

    assert await verify(pdf, [signer_in(keys_dir).ca]) == NOT_SIGNED


def test_init_report_certificates_writes_ca_key_and_certificate(tmp_path: Path) -> None:
    files = init_report_certificates(tmp_path / "keys", now=NOW)

    ca = x509.load_pem_x509_certificate(files.ca.read_bytes())
    cert = x509.load_pem_x509_certificate(files.cert.read_bytes())
    usage = cert.extensions.get_extension_for_class(x509.KeyUsage).value
    assert ca.subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value == CA_NAME
    assert ca.extensions.get_extension_for_class(x509.BasicConstraints).value.ca
    assert cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value == CENTRE
    assert cert.issuer == ca.subject
    assert (usage.digital_signature, usage.content_commitment) == (True, True)
    assert not usage.key_cert_sign
    assert stat.S_IMODE(files.key.stat().st_mode) == 0o600
    assert files.key.read_bytes().startswith(b"-----BEGIN PRIVATE KEY-----")


def test_init_report_certificates_twice_keeps_the_first_set(tmp_path: Path) -> None:
    first = init_report_certificates(tmp_path, now=NOW)
    written = [p.read_bytes() for p in (first.ca, first.key, first.cert)]

    second = init_report_certificates(tmp_path, now=NOW)

    assert second == first
    assert [p.read_bytes() for p in (second.ca, second.key, second.cert)] == written


@pytest.mark.parametrize("kept", ["ca", "key", "cert"])
def test_init_report_certificates_partial_set_is_refused(tmp_path: Path, kept: str) -> None:
    files = init_report_certificates(tmp_path, now=NOW)
    for name in {"ca", "key", "cert"} - {kept}:
        getattr(files, name).unlink()

    with pytest.raises(ReportSetupError, match="refusing to replace"):
        init_report_certificates(tmp_path, now=NOW)


@pytest.mark.parametrize("missing", ["ca", "key", "cert"])
def test_load_signer_missing_file_is_a_setup_error(tmp_path: Path, missing: str) -> None:
    files = init_report_certificates(tmp_path, now=NOW)
    getattr(files, missing).unlink()

    with pytest.raises(ReportSetupError, match="cannot load the report signing key"):
        load_signer(key=files.key, cert=files.cert, ca=files.ca)


def test_load_signer_certificate_file_with_a_key_instead_is_a_setup_error(tmp_path: Path) -> None:
    files = init_report_certificates(tmp_path, now=NOW)

    with pytest.raises(ReportSetupError):
        load_signer(key=files.key, cert=files.key, ca=files.ca)
