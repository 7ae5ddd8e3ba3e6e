"""The report's digital signature: PAdES by the centre's key, and its check.

The embedded seal is a picture anyone can copy; the signature is what proves the centre
issued these exact bytes. PAdES (ETSI EN 319 142, `/ETSI.CAdES.detached`) is what PDF
readers show as a signature and what long-term validation builds on. With a time-stamping
authority configured (RFC 3161, `CREDITGRAPH_TSA_URL`) the signature carries its time stamp
token: baseline B-T, which proves the signature existed at that time even after the signing
certificate expires; without one it is baseline B-B.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path

from asn1crypto import x509
from pyhanko.keys import load_certs_from_pemder_data, load_private_key_from_pemder
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.misc import PdfError
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.fields import SigSeedSubFilter
from pyhanko.sign.signers import PdfSignatureMetadata, PdfSigner, SimpleSigner
from pyhanko.sign.timestamps import HTTPTimeStamper, TimeStamper
from pyhanko.sign.timestamps.common_utils import TimestampRequestError
from pyhanko.sign.validation import async_validate_pdf_signature
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext
from pyhanko_certvalidator.registry import CertificateRegistry

from reports.content import CENTRE
from reports.errors import ReportSetupError, TimestampUnavailable

FIELD = "CentreSignature"


@dataclass(frozen=True)
class ReportSigner:
    """The centre's signing key and certificate, the CA a verifier should trust, and the
    time-stamping authority that makes signatures B-T (None: B-B)."""

    signer: SimpleSigner
    ca: x509.Certificate
    timestamper: TimeStamper | None = None


@dataclass(frozen=True)
class SignatureCheck:
    """What a verifier learns: bytes unchanged, signature sound, signer trusted, whole file,
    and the time stamp's check when there is one (B-T)."""

    intact: bool
    valid: bool
    trusted: bool
    covers_whole_file: bool
    signer: str | None = None
    timestamped: bool = False
    timestamp_trusted: bool = False

    @property
    def level(self) -> str:
        """The PAdES baseline level the signature reaches: B-T with a time stamp, else B-B."""
        return "B-T" if self.timestamped else "B-B"

    @property
    def ok(self) -> bool:
        return self.intact and self.valid and self.trusted and self.covers_whole_file


NOT_SIGNED = SignatureCheck(intact=False, valid=False, trusted=False, covers_whole_file=False)


def load_signer(*, key: Path, cert: Path, ca: Path, tsa_url: str | None = None) -> ReportSigner:
    """The signer from PEM or DER files; any that cannot be read stops start-up.

    With `tsa_url`, every signature is time-stamped there (RFC 3161 over HTTP): B-T.
    """
    try:
        signing_key = load_private_key_from_pemder(str(key), passphrase=None)
        signing_cert = _certificate(cert)
        ca_cert = _certificate(ca)
    except (OSError, ValueError, TypeError) as error:
        raise ReportSetupError(
            f"cannot load the report signing key or certificates: {error}"
        ) from None
    # The CA goes into the signature too, so a reader can build the chain from the file.
    chain = CertificateRegistry.build([ca_cert])
    signer = SimpleSigner(signing_cert=signing_cert, signing_key=signing_key, cert_registry=chain)
    timestamper = None if tsa_url is None else HTTPTimeStamper(tsa_url, timeout=10)
    return ReportSigner(signer=signer, ca=ca_cert, timestamper=timestamper)


def _certificate(path: Path) -> x509.Certificate:
    found: list[x509.Certificate] = list(load_certs_from_pemder_data(path.read_bytes()))
    if len(found) != 1:
        raise ValueError(f"{path} holds {len(found)} certificates, not one")
    return found[0]


async def sign(pdf: bytes, signer: ReportSigner, *, reason: str) -> bytes:
    """`pdf` with the centre's signature appended as an incremental update.

    With a time-stamping authority configured the signature is B-T or nothing: a report is
    never silently issued at a lower level than configured.
    """
    metadata = PdfSignatureMetadata(
        field_name=FIELD,
        md_algorithm="sha256",
        subfilter=SigSeedSubFilter.PADES,
        reason=reason,
        location="深圳市",
        name=CENTRE,
    )
    writer = IncrementalPdfFileWriter(BytesIO(pdf))
    pdf_signer = PdfSigner(metadata, signer.signer, timestamper=signer.timestamper)
    try:
        output = await pdf_signer.async_sign_pdf(writer, output=BytesIO())
    except TimestampRequestError as error:
        raise TimestampUnavailable(f"the time-stamping authority did not answer: {error}") from None
    signed: bytes = output.getvalue()
    return signed


async def verify(pdf: bytes, trust_roots: Sequence[x509.Certificate]) -> SignatureCheck:
    """The check of the document's one signature against `trust_roots` (and nothing else)."""
    try:
        signatures = PdfFileReader(BytesIO(pdf)).embedded_regular_signatures
    except (PdfError, ValueError):
        return NOT_SIGNED
    if len(signatures) != 1:
        return NOT_SIGNED
    context = ValidationContext(trust_roots=list(trust_roots))
    try:
        status = await async_validate_pdf_signature(signatures[0], context)
    except (PdfError, ValueError):
        return NOT_SIGNED
    stamp = status.timestamp_validity
    return SignatureCheck(
        intact=status.intact,
        valid=status.valid,
        trusted=status.trusted,
        covers_whole_file=status.coverage is SignatureCoverageLevel.ENTIRE_FILE,
        signer=status.signing_cert.subject.human_friendly,
        timestamped=stamp is not None,
        timestamp_trusted=stamp is not None and stamp.intact and stamp.valid and stamp.trusted,
    )
