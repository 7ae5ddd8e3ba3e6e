"""Credit reports (notice 二(六)): what one lists, issuing it, handing it out.

A report is issued to the subject itself or to the credit centre, and only they may download
it; resolvers/verification.py lets anyone holding one verify it. Its sections are read for the
requester and masked as the API masks: each with one query (two for records on display when
there are more than fit) whatever the size of the subject's file, and built from the views
the API returns.
"""

from __future__ import annotations

import asyncio
import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from auth.masking import revealed_keys
from auth.viewer import Scope
from domain.blacklist import BlacklistEntry
from domain.catalogue import Category
from domain.records import RecordStatus
from domain.repair import RepairState
from domain.reports import (
    CreditReport,
    ReportPurpose,
    ReportSection,
)
from domain.subjects import Subject
from reports.content import CommitmentEntry, Entry, ListingEntry, RepairLine, ReportContent
from reports.sections import printed
from resolvers import records as record_resolvers
from resolvers import subjects as subject_resolvers
from resolvers.access import disclosed_on, refuse, withheld
from resolvers.commitments import CommitmentView, subject_commitments
from resolvers.context import Context
from resolvers.errors import NotFound
from resolvers.records import RecordView
from resolvers.repair import repaired_records
from resolvers.sealed import may_have_report, sealed
from resolvers.subjects import SubjectView
from store import records as record_store
from store import repair as repair_store
from store import reports as report_store
from store import source_units as unit_store
from store.records import RecordFilter


async def issue_credit_report(
    ctx: Context, *, subject_id: str, purpose: ReportPurpose
) -> CreditReport:
    if not may_have_report(ctx.viewer, subject_id):
        refuse(
            f"a credit report is issued to the subject itself ({Scope.SUBJECT_SELF}) or to "
            f"the credit centre ({Scope.RESTRICTED_READ})",
            field="subject",
        )
    subject = await ctx.loaders.subjects.load(subject_id)
    if subject is None:
        raise NotFound("there is no subject with this id", field="subject")
    shown = await subject_resolvers.view_of(ctx, subject)
    sections = await read_sections(ctx, subject, purpose)
    content, pdf = await sealed(
        ctx,
        lambda serial, issued_at: report_content(
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
        ),
    )
    report = CreditReport(
        serial=content.serial,
        subject_id=subject_id,
        purpose=purpose.value,
        issued_at=content.issued_at,
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


# Records listed in one report; a file with more says how many it leaves out. Repairs are
# bounded the same, far above any real history.
MAX_LISTED = 200


@dataclass(frozen=True)
class Sections:
    """The report's sections as the requester may see them; `unit_names` names the records'
    source units as the registry does."""

    records: list[RecordView]
    omitted: int
    entries: list[BlacklistEntry]
    commitments: list[CommitmentView]
    repairs: list[RepairLine]
    unit_names: dict[str, str]


async def read_sections(ctx: Context, subject: Subject, purpose: ReportPurpose) -> Sections:
    """The sections `purpose` shows of the subject's report, the reads run side by side.

    Sections the purpose leaves out are left empty, so the report, its audit trail and its
    download reveal nothing from them.
    """
    (records, omitted), entries, commitments, repairs = await asyncio.gather(
        _listed_records(ctx, subject.id),
        _blacklist_entries(ctx, subject.id),
        subject_commitments(ctx, subject_id=subject.id, kind=subject.kind),
        _repairs(ctx, subject.id),
    )
    shown = set(purpose.sections)
    records = [r for r in records if r.category in purpose.categories]
    codes = sorted({r.source_unit for r in records})
    units = await unit_store.get_source_units(ctx.db, codes=codes)
    return Sections(
        records=records,
        omitted=omitted,
        entries=entries if ReportSection.BLACKLIST in shown else [],
        commitments=commitments if ReportSection.COMMITMENTS in shown else [],
        repairs=repairs if ReportSection.REPAIRS in shown else [],
        # An unregistered code (none should be) still prints, as the code.
        unit_names={code: unit.name for code, unit in zip(codes, units, strict=True) if unit},
    )


async def _listed_records(ctx: Context, subject_id: str) -> tuple[list[RecordView], int]:
    """The subject's records on public display today, newest first, and how many did not fit.

    A report is a public credit report (公共信用报告) that its requester may hand on: its
    record sections list what is on public display, as `publicly_visible` decides, for every
    requester. Records the subject and the centre also see through the API (past their period,
    removed from display on an objection, refused under art. 39) are not listed.
    """
    spec = RecordFilter(subject_id=subject_id, disclosed_on=ctx.today)
    found = await record_store.find_records(ctx.db, spec=spec, limit=MAX_LISTED + 1)
    omitted = 0
    if len(found) > MAX_LISTED:
        omitted = await record_store.count_records(ctx.db, spec=spec) - MAX_LISTED
    return [await record_resolvers.view_of(ctx, r) for r in found[:MAX_LISTED]], omitted


async def _blacklist_entries(ctx: Context, subject_id: str) -> list[BlacklistEntry]:
    """Entries in force, and past ones for whole-file viewers, as `blacklist` shows them."""
    entries = await ctx.loaders.blacklist_entries.load(subject_id)
    whole_file = disclosed_on(ctx, subject_id) is None
    return [e for e in entries if whole_file or e.in_force(ctx.today)]


async def _repairs(ctx: Context, subject_id: str) -> list[RepairLine]:
    """The subject's repair applications, newest first, then records repaired without one.

    Three reads whatever the history's length: repaired records, applications, and the
    records the applications name that were not read already.
    """
    repaired, applications = await asyncio.gather(
        record_store.find_records(
            ctx.db,
            spec=RecordFilter(subject_id=subject_id, status=RecordStatus.REPAIRED),
            limit=MAX_LISTED,
        ),
        repair_store.find_applications(
            ctx.db,
            subject_id=subject_id,
            state=None,
            overdue=None,
            today=ctx.today,
            after=None,
            limit=MAX_LISTED,
        ),
    )
    for record in repaired:
        ctx.loaders.records.prime(record.id, record)
    named = await ctx.loaders.records.load_many([a.record_id for a in applications])
    lines = []
    for application, found in zip(applications, named, strict=True):
        if found is None or withheld(ctx, found):
            continue
        item = ctx.catalogues.item(found.catalogue_version, found.item_code)
        lines.append(
            RepairLine(
                title=item.title_zh,
                document_number=found.document_number,
                decision_date=found.decision_date,
                state=application.state,
                submitted_at=application.submitted_at,
                decided_at=application.decided_at,
            )
        )
    approved = {a.record_id for a in applications if a.state is RepairState.APPROVED}
    lines.extend(
        RepairLine(
            title=e.item_title,
            document_number=e.document_number,
            decision_date=e.decision_date,
            state=None,
            submitted_at=None,
            decided_at=e.repaired_at,
        )
        for e in repaired_records(ctx, repaired)
        if e.record_id not in approved
    )
    return lines


def report_content(
    *,
    serial: str,
    issued_at: datetime,
    as_of: date,
    purpose: ReportPurpose,
    subject: SubjectView,
    records: Sequence[RecordView],
    entries: Sequence[BlacklistEntry] = (),
    commitments: Sequence[CommitmentView] = (),
    repairs: Sequence[RepairLine] = (),
    omitted: int = 0,
    unit_names: Mapping[str, str] | None = None,
) -> ReportContent:
    """The report of views already masked for the requester, its records by section."""
    names = unit_names or {}

    def listed(category: Category) -> tuple[Entry, ...]:
        return tuple(_entry(r, names) for r in records if r.category is category)

    return ReportContent(
        serial=serial,
        issued_at=issued_at,
        as_of=as_of,
        purpose=purpose,
        subject_kind=subject.kind,
        subject_name=subject.name,
        basic=tuple(subject.basic_items),
        level=subject.level,
        good=listed(Category.GOOD),
        dishonest=listed(Category.DISHONEST),
        blacklist=tuple(
            ListingEntry(
                listed_on=e.listed_on,
                until=e.until,
                in_force=e.in_force(as_of),
                reason=e.reason,
                basis=e.notice.basis,
                removed_on=e.removed_on,
                removal_reason=e.removal_reason,
            )
            for e in entries
        ),
        commitments=tuple(
            CommitmentEntry(
                status=c.commitment.status,
                fulfilled_on=c.commitment.fulfilled_on,
                violated_on=c.commitment.violated_on,
                data_items=tuple(c.data_items),
            )
            for c in commitments
        ),
        commitment_records=listed(Category.COMMITMENT),
        repairs=tuple(repairs),
        omitted=omitted,
    )


def _entry(view: RecordView, unit_names: Mapping[str, str]) -> Entry:
    return Entry(
        title=view.item.title_zh,
        document_number=view.document_number,
        decision_date=view.decision_date,
        source_unit=unit_names.get(view.source_unit, view.source_unit),
        disclosed_from=view.disclosure.start,
        disclosed_until=view.disclosure.end,
        severity=view.severity,
        data_items=printed(view.item, view.data_items),
    )
