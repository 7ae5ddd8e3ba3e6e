"""Credit reports (notice 二(六)): issuing one, handing it out, verifying it.

A report is issued to the subject itself or to the credit centre, and only they may download
it; anyone holding a report may verify it by serial and SHA-256 without learning more than
the report already tells (the issue time and the name as the public sees it).
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from auth.masking import revealed_keys
from auth.viewer import Scope, Viewer
from domain.catalogue import Category, PublicAttribute
from domain.reports import SERIAL, SHA256_HEX, CreditReport, same_digest
from reports.content import Entry, ReportContent
from resolvers import records as record_resolvers
from resolvers import subjects as subject_resolvers
from resolvers.access import basic_item
from resolvers.audit import record_trail
from resolvers.audit_trail import AuditTrail
from resolvers.context import Context
from resolvers.errors import Forbidden, InvalidArgument, NotFound
from resolvers.views import RecordView, SubjectView, subject_view
from store import records as record_store
from store import reports as report_store
from store.database import Database
from store.records import RecordFilter

# Records listed in one report; a file with more says how many it leaves out.
MAX_LISTED = 200
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
        raise Forbidden(
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
    records, omitted = await _listed_records(ctx, subject_id)
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
        records=records,
        omitted=omitted,
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
        record_ids=tuple(r.id for r in records if revealed_keys(r.data_items)),
        data_item_keys=tuple(
            sorted(
                {*revealed_keys(shown.basic_items)}
                | {k for r in records for k in revealed_keys(r.data_items)}
            )
        ),
    )
    await report_store.insert_report(ctx.db, report=report, pdf=pdf)
    ctx.audit.wrote_for(subject_id)
    return report


async def _listed_records(ctx: Context, subject_id: str) -> tuple[list[RecordView], int]:
    """The subject's records in disclosure today, newest first, and how many did not fit."""
    spec = RecordFilter(subject_id=subject_id, disclosed_on=ctx.today)
    found = await record_store.find_records(ctx.db, spec=spec, limit=MAX_LISTED + 1)
    omitted = 0
    if len(found) > MAX_LISTED:
        omitted = await record_store.count_records(ctx.db, spec=spec) - MAX_LISTED
    return [await record_resolvers.view_of(ctx, r) for r in found[:MAX_LISTED]], omitted


def report_content(
    *,
    serial: str,
    issued_at: datetime,
    as_of: date,
    purpose: str,
    subject: SubjectView,
    records: Sequence[RecordView],
    omitted: int = 0,
) -> ReportContent:
    """The report of views already masked for the requester, its records by section."""

    def entries(category: Category) -> tuple[Entry, ...]:
        return tuple(_entry(r) for r in records if r.category is category)

    return ReportContent(
        serial=serial,
        issued_at=issued_at,
        as_of=as_of,
        purpose=purpose,
        subject_kind=subject.kind,
        subject_name=subject.name,
        basic=tuple(subject.basic_items),
        level=subject.level,
        good=entries(Category.GOOD),
        dishonest=entries(Category.DISHONEST),
        commitments=entries(Category.COMMITMENT),
        omitted=omitted,
    )


def _entry(view: RecordView) -> Entry:
    return Entry(
        title=view.item.title_zh,
        document_number=view.document_number,
        decision_date=view.decision_date,
        source_unit=view.source_unit,
        disclosed_from=view.disclosure.start,
        disclosed_until=view.disclosure.end,
        severity=view.severity,
        data_items=tuple(view.data_items),
    )


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
