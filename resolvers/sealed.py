"""What every sealed document of the centre shares (credit and special reports, decision
notices): its serial and signing, and who may hold it."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TypeVar

from auth.viewer import Scope, Viewer
from domain.reports import SERIAL, CreditReport, ReportKind
from reports.content import NoticeContent, ReportContent, SpecialReportContent
from reports.errors import TimestampUnavailable
from resolvers.audit import AuditTrail, record_trail
from resolvers.context import Context
from resolvers.errors import ServiceUnavailable
from store import reports as report_store
from store.database import Database


def may_have_report(viewer: Viewer, subject_id: str) -> bool:
    """The subject itself or the credit centre: a report is not a way round a grant."""
    return viewer.owns(subject_id) or viewer.has(Scope.RESTRICTED_READ)


C = TypeVar("C", ReportContent, SpecialReportContent, NoticeContent)


async def sealed(ctx: Context, content_of: Callable[[str, datetime], C]) -> tuple[C, bytes]:
    """The content made under the day's next serial and the issue time, and its signed PDF."""
    if ctx.reports is None:
        raise LookupError("credit reports are not set up in this service")
    serial = await report_store.next_serial(
        ctx.db, region_code=ctx.reports.region_code, day=ctx.today
    )
    # Stored as a BSON date, which keeps milliseconds: the time answered now is the time
    # every later read (verification, the report itself) answers.
    issued_at = ctx.now.replace(microsecond=ctx.now.microsecond // 1000 * 1000)
    content = content_of(serial, issued_at)
    try:
        return content, await ctx.reports.produce(content)
    except TimestampUnavailable:
        # The serial stays unused: serials are allocated, not guaranteed gap-free.
        raise ServiceUnavailable(
            "the time-stamping authority did not answer; no report was issued, try again later"
        ) from None


def may_download(viewer: Viewer, report: CreditReport) -> bool:
    """The subject and the centre, and whoever a special report was issued to (a funding
    department or bank that held the subject's grant when it asked)."""
    issued_to_viewer = report.kind is ReportKind.SPECIAL and viewer.sub == report.issued_to
    return issued_to_viewer or may_have_report(viewer, report.subject_id)


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
    if found is None or not may_download(viewer, found[0]):
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
