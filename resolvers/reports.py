"""Credit reports (notice 二(六)): issuing one, handing it out, verifying it.

A report is issued to the subject itself or to the credit centre, and only they may download
it; anyone holding a report may verify it by serial and SHA-256 without learning more than
the report already tells (the issue time and the name as the public sees it).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date, datetime

from auth.masking import revealed_keys
from auth.viewer import Scope, Viewer
from domain.catalogue import PublicAttribute
from domain.catalogue_versions import CatalogueVersions
from domain.reports import (
    SERIAL,
    SHA256_HEX,
    CreditReport,
    ReportPurpose,
    matches_content,
    same_digest,
)
from domain.subjects import Subject
from reports.content import CENTRE
from reports.errors import TimestampUnavailable
from resolvers import subjects as subject_resolvers
from resolvers.access import refuse
from resolvers.audit import AuditTrail, record_trail
from resolvers.context import Context
from resolvers.errors import InvalidArgument, NotFound, ServiceUnavailable
from resolvers.report_sections import read_sections, report_content
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


def may_have_report(viewer: Viewer, subject_id: str) -> bool:
    """The subject itself or the credit centre: a report is not a way round a grant."""
    return viewer.owns(subject_id) or viewer.has(Scope.RESTRICTED_READ)


async def issue_credit_report(
    ctx: Context, *, subject_id: str, purpose: ReportPurpose
) -> CreditReport:
    if not may_have_report(ctx.viewer, subject_id):
        refuse(
            f"a credit report is issued to the subject itself ({Scope.SUBJECT_SELF}) or to "
            f"the credit centre ({Scope.RESTRICTED_READ})",
            field="subject",
        )
    if ctx.reports is None:
        raise LookupError("credit reports are not set up in this service")
    subject = await ctx.loaders.subjects.load(subject_id)
    if subject is None:
        raise NotFound("there is no subject with this id", field="subject")
    shown = await subject_resolvers.view_of(ctx, subject)
    sections = await read_sections(ctx, subject, purpose)
    serial = await report_store.next_serial(
        ctx.db, region_code=ctx.reports.region_code, day=ctx.today
    )
    # Stored as a BSON date, which keeps milliseconds: the time answered now is the time
    # every later read (verification, the report itself) answers.
    issued_at = ctx.now.replace(microsecond=ctx.now.microsecond // 1000 * 1000)
    content = report_content(
        serial=serial,
        issued_at=issued_at,
        as_of=ctx.today,
        purpose=purpose,
        subject=shown,
        records=sections.records,
        entries=sections.entries,
        commitments=sections.commitments,
        repairs=sections.repairs,
        omitted=sections.omitted,
        unit_names=sections.unit_names,
    )
    try:
        pdf = await ctx.reports.produce(content)
    except TimestampUnavailable:
        # The serial stays unused: serials are allocated, not guaranteed gap-free.
        raise ServiceUnavailable(
            "the time-stamping authority did not answer; no report was issued, try again later"
        ) from None
    report = CreditReport(
        serial=serial,
        subject_id=subject_id,
        purpose=purpose.value,
        issued_at=issued_at,
        issued_to=ctx.viewer.sub or subject_id,
        sha256=hashlib.sha256(pdf).hexdigest(),
        content_sha256=content.digest(),
        size=len(pdf),
        record_ids=tuple(r.id for r in sections.records if revealed_keys(r.data_items)),
        data_item_keys=tuple(
            sorted(
                {*revealed_keys(shown.basic_items)}
                | {k for r in sections.records for k in revealed_keys(r.data_items)}
                | {k for c in sections.commitments for k in revealed_keys(c.data_items)}
            )
        ),
    )
    await report_store.insert_report(ctx.db, report=report, pdf=pdf)
    ctx.audit.wrote_for(subject_id)
    return report


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


async def report_for_download(
    db: Database,
    viewer: Viewer,
    *,
    serial: str,
    at: datetime,
    purpose: str | None,
    request_id: str | None,
) -> tuple[CreditReport, bytes] | None:
    """The report and its PDF for the subject or the centre, the download audited; else None.

    None alike for an unknown serial and for someone else's report, so a download cannot
    tell a stranger which serials exist.
    """
    if not SERIAL.match(serial):
        return None
    found = await report_store.get_report_pdf(db, serial=serial)
    if found is None or not may_have_report(viewer, found[0].subject_id):
        return None
    report = found[0]
    # Shenzhen regulation art. 45: the download reveals what the report shows, so it is
    # recorded like the query that made it.
    trail = AuditTrail(
        subject_ids={report.subject_id},
        record_ids=set(report.record_ids),
        data_item_keys=set(report.data_item_keys),
    )
    event = trail.event(
        viewer,
        operation=f"GET {report.download_path}",
        at=at,
        purpose=purpose,
        request_id=request_id,
    )
    await record_trail(db, event)
    return found
