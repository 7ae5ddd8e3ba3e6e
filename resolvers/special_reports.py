"""专项信用报告 (信用报告代替无违法违规证明, issue 12.4): a firm's violations per field and
period, sealed, signed and verified like the credit report (resolvers/reports.py)."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from datetime import date

from auth.masking import revealed_keys
from auth.viewer import Scope
from domain.catalogue import Category, CreditField
from domain.reports import (
    SPECIAL_REPORT_KINDS,
    CreditReport,
    ReportKind,
    special_period_problem,
    violations_by_field,
)
from reports.content import FieldFinding, SpecialReportContent, Violation
from resolvers import subjects as subject_resolvers
from resolvers.access import refuse
from resolvers.context import Context
from resolvers.errors import InvalidArgument, NotFound
from resolvers.reports import MAX_LISTED
from resolvers.sealed import may_have_report, sealed
from store import records as record_store
from store import reports as report_store
from store import source_units as unit_store
from store.records import RecordFilter


async def may_request(ctx: Context, subject_id: str) -> bool:
    """The subject itself, the credit centre, and a funding department or bank holding the
    subject's live grant that covers dishonesty (Shenzhen regulation arts. 40-41: the report
    shows records off display, which only the subject's authorisation opens to them)."""
    if may_have_report(ctx.viewer, subject_id):
        return True
    viewer = ctx.viewer
    if viewer.org is None or not (
        viewer.has(Scope.ELIGIBILITY_READ) or viewer.has(Scope.FINANCING_READ)
    ):
        return False
    grants = await ctx.loaders.grants.load(subject_id)
    return any(g.covers(Category.DISHONEST) for g in grants)


async def issue_special_report(
    ctx: Context,
    *,
    subject_id: str,
    fields: Sequence[CreditField],
    start: date,
    end: date,
) -> CreditReport:
    if not await may_request(ctx, subject_id):
        refuse(
            "a special credit report is issued to the subject itself, the credit centre, or a "
            "funding department or bank holding the subject's live grant covering DISHONEST",
            field="subject",
        )
    if not fields:
        raise InvalidArgument("name at least one field", field="fields")
    problem = special_period_problem(start, end, today=ctx.today)
    if problem is not None:
        raise InvalidArgument(problem[1], field=problem[0])
    subject = await ctx.loaders.subjects.load(subject_id)
    if subject is None:
        raise NotFound("there is no subject with this id", field="subject")
    if subject.kind not in SPECIAL_REPORT_KINDS:
        # 信用报告代替无违法违规证明 is for enterprises and other organisations.
        raise InvalidArgument(
            "a special credit report is for a legal person or other organisation",
            field="subject",
        )
    shown = await subject_resolvers.view_of(ctx, subject)
    spec = RecordFilter(
        subject_id=subject_id, category=Category.DISHONEST, decided_from=start, decided_to=end
    )
    records = await record_store.find_records(ctx.db, spec=spec, limit=MAX_LISTED + 1)
    omitted = 0
    if len(records) > MAX_LISTED:
        omitted = await record_store.count_records(ctx.db, spec=spec) - MAX_LISTED
    chosen = list(dict.fromkeys(fields))
    found = violations_by_field(
        records[:MAX_LISTED], ctx.catalogues, fields=chosen, start=start, end=end
    )
    listed = {r.id: r for rs in found.values() for r in rs}
    codes = sorted({r.source_unit for r in listed.values()})
    units = await unit_store.get_source_units(ctx.db, codes=codes)
    names = {code: unit.name for code, unit in zip(codes, units, strict=True) if unit}

    def violation(record_id: str) -> Violation:
        record = listed[record_id]
        item = ctx.catalogues.item(record.catalogue_version, record.item_code)
        return Violation(
            title=item.title_zh,
            document_number=record.document_number,
            decision_date=record.decision_date,
            source_unit=names.get(record.source_unit, record.source_unit),
            status=record.status,
        )

    content, pdf = await sealed(
        ctx,
        lambda serial, issued_at: SpecialReportContent(
            serial=serial,
            issued_at=issued_at,
            subject_kind=subject.kind,
            subject_name=shown.name,
            basic=tuple(shown.basic_items),
            start=start,
            end=end,
            findings=tuple(
                FieldFinding(field=f, found=tuple(violation(r.id) for r in found[f]))
                for f in chosen
            ),
            omitted=omitted,
        ),
    )
    report = CreditReport(
        serial=content.serial,
        subject_id=subject_id,
        kind=ReportKind.SPECIAL,
        purpose=",".join(chosen),
        issued_at=content.issued_at,
        issued_to=ctx.viewer.sub or subject_id,
        sha256=hashlib.sha256(pdf).hexdigest(),
        content_sha256=content.digest(),
        size=len(pdf),
        # Records off display are shown too: each download is audited as revealing them.
        record_ids=tuple(listed),
        data_item_keys=tuple(sorted(revealed_keys(shown.basic_items))),
    )
    await report_store.insert_report(ctx.db, report=report, pdf=pdf)
    ctx.audit.wrote_for(subject_id)
    return report
