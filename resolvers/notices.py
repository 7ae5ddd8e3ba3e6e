"""Notices to the subject on a decision (issue 12.5): a 信用修复决定书 when a repair is
approved, a 异议处理告知书 when an objection is decided, sealed, signed and verified like credit
reports (resolvers/reports.py) and downloaded by the subject and the centre."""

from __future__ import annotations

import hashlib
from datetime import datetime

from auth.masking import revealed_keys
from domain.masking import PublicAttribute
from domain.records import ObjectionOutcome
from domain.repair import RepairState
from domain.reports import CreditReport, ReportKind
from reports.content import NoticeContent
from resolvers.access import basic_item
from resolvers.context import Context
from resolvers.records import current_record
from resolvers.sealed import may_have_report, sealed
from resolvers.subjects import subject_view
from store import reports as report_store
from store import source_units as unit_store


async def issue_notice_once(
    ctx: Context,
    *,
    kind: ReportKind,
    regarding: str,
    record_id: str,
    filed_at: datetime,
    outcome: RepairState | ObjectionOutcome,
    reason: str,
    decided_at: datetime,
) -> CreditReport:
    """The notice of the decision on application or objection `regarding`, issued now unless
    it was already: one notice per decision, so repeating the decision (which completes an
    interrupted one) issues none twice, even when the two run at once (the store keeps the
    first: `store.reports.insert_report`)."""
    issued = await report_store.find_notice(ctx.db, regarding=regarding)
    if issued is not None:
        return issued
    record = await current_record(ctx, record_id)
    subject = await ctx.loaders.subjects.load(record.subject_id)
    if subject is None:
        raise LookupError(f"record {record_id} names a missing subject {record.subject_id}")
    # The notice is addressed to the subject: its values as the subject sees its own file.
    shown = subject_view(subject, basic_item(ctx, subject.kind), PublicAttribute.AUTHORIZED)
    item = ctx.catalogues.item(record.catalogue_version, record.item_code)
    [unit] = await unit_store.get_source_units(ctx.db, codes=[record.source_unit])
    content, pdf = await sealed(
        ctx,
        lambda serial, issued_at: NoticeContent(
            serial=serial,
            issued_at=issued_at,
            kind=kind,
            subject_kind=subject.kind,
            subject_name=shown.name,
            record_title=item.title_zh,
            document_number=record.document_number,
            decision_date=record.decision_date,
            source_unit=record.source_unit if unit is None else unit.name,
            filed_at=filed_at,
            outcome=outcome,
            reason=reason,
            decided_at=decided_at,
        ),
    )
    notice = CreditReport(
        serial=content.serial,
        subject_id=subject.id,
        kind=kind,
        purpose=kind.value,
        regarding=regarding,
        issued_at=content.issued_at,
        issued_to=subject.id,
        sha256=hashlib.sha256(pdf).hexdigest(),
        content_sha256=content.digest(),
        size=len(pdf),
        record_ids=(record.id,),
        data_item_keys=tuple(sorted(revealed_keys(shown.basic_items))),
    )
    return await report_store.insert_report(ctx.db, report=notice, pdf=pdf)


async def decision_notice(ctx: Context, *, regarding: str) -> CreditReport | None:
    """The notice on the decision of `regarding` for the subject and the centre; None alike
    when there is none and when it is someone else's."""
    notice = await report_store.find_notice(ctx.db, regarding=regarding)
    if notice is None or not may_have_report(ctx.viewer, notice.subject_id):
        return None
    return notice
