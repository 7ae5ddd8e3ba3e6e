"""Credit reports (notice 二(六)): issuing one, handing it out, verifying it.

A report is issued to the subject itself or to the credit centre, and only they may download
it; anyone holding a report may verify it by serial and SHA-256 without learning more than
the report already tells (the issue time and the name as the public sees it).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime

from auth.masking import revealed_keys
from auth.viewer import Scope, Viewer
from domain.catalogue import PublicAttribute
from domain.reports import SERIAL, SHA256_HEX, CreditReport, same_digest
from resolvers import subjects as subject_resolvers
from resolvers.access import basic_item, refuse
from resolvers.audit import record_trail
from resolvers.audit_trail import AuditTrail
from resolvers.context import Context
from resolvers.errors import InvalidArgument, NotFound
from resolvers.report_sections import read_sections, report_content
from resolvers.views import subject_view
from store import reports as report_store
from store.database import Database

MAX_PURPOSE = 200


@dataclass(frozen=True)
class Verification:
    valid: bool
    issued_at: datetime | None = None
    subject_name: str | None = None


def may_have_report(viewer: Viewer, subject_id: str) -> bool:
    """The subject itself or the credit centre: a report is not a way round a grant."""
    return viewer.owns(subject_id) or viewer.has(Scope.RESTRICTED_READ)


async def issue_credit_report(ctx: Context, *, subject_id: str, purpose: str) -> CreditReport:
    if not may_have_report(ctx.viewer, subject_id):
        refuse(
            f"a credit report is issued to the subject itself ({Scope.SUBJECT_SELF}) or to "
            f"the credit centre ({Scope.RESTRICTED_READ})",
            field="subject",
        )
    purpose = purpose.strip()
    if not 1 <= len(purpose) <= MAX_PURPOSE:
        raise InvalidArgument(f"purpose must have 1 to {MAX_PURPOSE} characters", field="purpose")
    if ctx.reports is None:
        raise LookupError("credit reports are not set up in this service")
    subject = await ctx.loaders.subjects.load(subject_id)
    if subject is None:
        raise NotFound("there is no subject with this id", field="subject")
    shown = await subject_resolvers.view_of(ctx, subject)
    sections = await read_sections(ctx, subject)
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
    )
    pdf = await ctx.reports.produce(content)
    report = CreditReport(
        serial=serial,
        subject_id=subject_id,
        purpose=purpose,
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
    name = None
    if subject is not None:
        # Shenzhen regulation art. 38: a verifier is the public, so the name is de-identified.
        public = subject_view(subject, basic_item(ctx, subject.kind), PublicAttribute.PUBLIC)
        name = public.name.value
    return Verification(valid=True, issued_at=report.issued_at, subject_name=name)


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
