"""Verifying a credit report (notice 二(六)): anyone holding one checks it by serial and digest
without learning more than the report already tells (the issue time and the name as the public
sees it)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from domain.catalogue import CatalogueVersions
from domain.masking import PublicAttribute
from domain.reports import SERIAL, SHA256_HEX, matches_content, same_digest
from domain.subjects import Subject
from reports.content import CENTRE
from resolvers.context import Context
from resolvers.errors import InvalidArgument
from resolvers.subjects import subject_view
from store import reports as report_store
from store import subjects as subject_store
from store.database import Database


@dataclass(frozen=True)
class Verification:
    valid: bool
    issued_at: datetime | None = None
    subject_name: str | None = None
    withdrawn: bool | None = None


@dataclass(frozen=True)
class ReportStanding:
    """What the public verification page says of a report whose copy matched it."""

    serial: str
    issued_at: datetime
    subject_name: str | None
    centre: str
    withdrawn: bool


async def verify_credit_report(ctx: Context, *, serial: str, sha256: str) -> Verification:
    """Valid only for a stored serial with this digest; otherwise nothing else is said."""
    if not SERIAL.match(serial):
        raise InvalidArgument("serial is 20 digits: region code, date, sequence", field="serial")
    if not SHA256_HEX.match(sha256.strip().lower()):
        raise InvalidArgument("sha256 must be 64 hexadecimal digits", field="sha256")
    report = await report_store.get_report(ctx.db, serial=serial)
    if report is None or not same_digest(report.sha256, sha256):
        return Verification(valid=False)
    subject = await ctx.loaders.subjects.load(report.subject_id)
    name = _public_name(ctx.catalogues, subject, today=ctx.today)
    return Verification(
        valid=True,
        issued_at=report.issued_at,
        subject_name=name,
        withdrawn=report.withdrawn_at is not None,
    )


async def standing_of_copy(
    db: Database,
    catalogues: CatalogueVersions,
    *,
    serial: str,
    today: date,
    content_digest: str | None = None,
    file_sha256: str | None = None,
) -> ReportStanding | None:
    """The report's standing when the copy in hand matches it, else None.

    A printed copy matches by its content digest (the QR code's, or the 核验码 typed), an
    uploaded file by its SHA-256. None alike for an unknown serial and a copy that does not
    match: the public page is no oracle for which serials exist or whom they are about.
    """
    if not SERIAL.match(serial) or (content_digest is None and file_sha256 is None):
        return None
    report = await report_store.get_report(db, serial=serial)
    if report is None:
        return None
    printed = content_digest is not None and matches_content(report.content_sha256, content_digest)
    uploaded = file_sha256 is not None and same_digest(report.sha256, file_sha256)
    if not (printed or uploaded):
        return None
    [subject] = await subject_store.get_subjects(db, ids=[report.subject_id])
    return ReportStanding(
        serial=report.serial,
        issued_at=report.issued_at,
        subject_name=_public_name(catalogues, subject, today=today),
        centre=CENTRE,
        withdrawn=report.withdrawn_at is not None,
    )


def _public_name(
    catalogues: CatalogueVersions, subject: Subject | None, *, today: date
) -> str | None:
    """The subject's name as the public sees it (a verifier is the public)."""
    catalogue = catalogues.in_force(today)
    if subject is None or catalogue is None:
        return None
    # Shenzhen regulation art. 38: a verifier is the public, so the name is de-identified.
    basic = catalogue.basic_item(subject.kind)
    return subject_view(subject, basic, PublicAttribute.PUBLIC).name.value
