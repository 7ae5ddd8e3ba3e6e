"""Credit repair: the subject applies, the credit centre decides (notice 三(十一)).

Approval writes the application first and the record second: the application's conditional
update is what lets one decision win when two operators decide at once. Should the request die
between the two writes, approving again completes the record's repair. A subject's repaired
records are listed for financing profiles and credit reports.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from pydantic import ValidationError

from auth.viewer import Scope
from domain import fast_track, repair
from domain.calendar import AlreadyExtended, DeadlinePassed, WorkingDayCalendar
from domain.records import ChangeKind, Record, RecordStatus, next_version
from domain.repair import (
    Evidence,
    RepairApplication,
    RepairDecision,
    RepairMeasure,
    RepairState,
)
from domain.reports import ReportKind
from resolvers import errors
from resolvers.access import own_subject, refuse, require, withheld
from resolvers.calendar import published_years, working_days
from resolvers.context import Context
from resolvers.errors import Conflict, ForbiddenFilter, InvalidArgument, NotFound
from resolvers.notices import issue_notice_once
from resolvers.pagination import Page, keyset_page
from resolvers.records import change_record, current_record
from store import records as record_store
from store import repair as repair_store
from store.documents import landed, update_optimistically
from store.errors import AlreadyOpen, ChangedMeanwhile

CURSOR_TAG = "repairApplications"
QUEUE_CURSOR_TAG = "repairQueue"
# Enough to find one standing good-behaviour record among a subject's records.
FAST_TRACK_SCAN = 100


@dataclass(frozen=True)
class EvidenceGiven:
    kind: RepairMeasure
    description: str
    document_number: str | None


def _applicant(ctx: Context) -> str:
    refusal = f"this needs a subject's own token with scope {Scope.REPAIR_APPLY}"
    return own_subject(ctx, Scope.REPAIR_APPLY, refusal)


def _reviewer(ctx: Context) -> str:
    refusal = f"reviewing repair needs the credit centre's scope {Scope.REPAIR_REVIEW}"
    require(ctx, Scope.REPAIR_REVIEW, refusal)
    return ctx.viewer.sub or "credit-centre"


def _evidence(given: list[EvidenceGiven]) -> list[Evidence]:
    if len(given) > repair.MAX_EVIDENCE:
        raise InvalidArgument(f"at most {repair.MAX_EVIDENCE} pieces of evidence", field="evidence")
    evidence = []
    for i, e in enumerate(given):
        try:
            evidence.append(
                Evidence(
                    kind=e.kind,
                    description=e.description.strip(),
                    document_number=None
                    if e.document_number is None
                    else e.document_number.strip(),
                )
            )
        except ValidationError as exc:
            error = exc.errors()[0]
            name = EVIDENCE_NAMES.get(str(error["loc"][0]), "")
            raise InvalidArgument(
                f"evidence[{i}].{name}: {error['msg']}", field="evidence"
            ) from None
    return evidence


async def apply_for_repair(
    ctx: Context, *, record_id: str, measures: list[RepairMeasure], evidence: list[EvidenceGiven]
) -> RepairApplication:
    subject_id = _applicant(ctx)
    record = await ctx.loaders.records.load(record_id)
    # Another subject's record is answered as missing: its existence is not this subject's to know.
    if record is None or record.subject_id != subject_id:
        raise NotFound("you have no record with this id", field="record")
    try:
        repair.check_repairable(record, ctx.today)
    except repair.NotRepairable as exc:
        raise errors.RepairNotApplicable(str(exc), field="record") from None
    except repair.TooEarly as exc:
        raise errors.RepairTooEarly(str(exc), field="record") from None
    if await repair_store.find_open_application(ctx.db, record_id=record.id) is not None:
        raise _already_open()
    item = ctx.catalogues.item(record.catalogue_version, record.item_code)
    held = await record_store.find_records_of_items(
        ctx.db,
        subject_id=subject_id,
        item_codes=fast_track.support_item_codes(ctx.catalogues),
        limit=FAST_TRACK_SCAN,
    )
    calendar = await working_days(ctx)
    with published_years():
        application = repair.submitted(
            application_id=f"ra-{secrets.token_hex(10)}",
            record=record,
            applicant=ctx.viewer.sub or subject_id,
            measures=measures,
            evidence=_evidence(evidence),
            required=repair.required_measures(record, penalty=fast_track.carries_penalty(item)),
            fast_track=fast_track.fast_track_reasons(record, item, held),
            at=ctx.now,
            today=ctx.today,
            calendar=calendar,
        )
    try:
        await repair_store.insert_application(ctx.db, application=application)
    except AlreadyOpen:
        raise _already_open() from None
    ctx.audit.wrote_for(subject_id)
    return application


def _already_open() -> errors.RepairAlreadyOpen:
    return errors.RepairAlreadyOpen(
        "this record has an application under review; wait for its decision", field="record"
    )


async def review_repair(
    ctx: Context, *, application_id: str, decision: RepairDecision, reason: str | None
) -> RepairApplication:
    reviewer = _reviewer(ctx)
    calendar = await working_days(ctx)

    async def read() -> RepairApplication:
        found = await repair_store.get_application(ctx.db, application_id=application_id)
        if found is None:
            raise NotFound("no repair application has this id", field="id")
        return found

    async def decide(application: RepairApplication) -> RepairApplication | None:
        if decision is RepairDecision.APPROVE and application.state is RepairState.APPROVED:
            return None  # approved already: what may be left is the record's repair
        if decision is RepairDecision.APPROVE:
            await _check_still_repairable(ctx, application)
        with published_years():
            return _decided(ctx, application, decision, reason or "", reviewer, calendar)

    application, written = await update_optimistically(
        read=read,
        apply=decide,
        write=lambda before, after: landed(
            repair_store.update_application(ctx.db, before=before, after=after),
            ChangedMeanwhile,
        ),
        what=f"application {application_id} kept changing while it was reviewed",
        conflict=Conflict,
    )
    if application.state is RepairState.APPROVED:
        await _repair_record(ctx, application)  # also completes an interrupted approval
        # Issue 12.5: the approval reaches the subject as a sealed 信用修复决定书.
        await issue_notice_once(
            ctx,
            kind=ReportKind.REPAIR_DECISION,
            regarding=application.id,
            record_id=application.record_id,
            filed_at=application.submitted_at,
            outcome=application.state,
            reason=application.reason,
            decided_at=application.decided_at or ctx.now,
        )
    if written:
        ctx.audit.wrote_for(application.subject_id)
    return application


def _decided(
    ctx: Context,
    application: RepairApplication,
    decision: RepairDecision,
    reason: str,
    reviewer: str,
    calendar: WorkingDayCalendar,
) -> RepairApplication:
    try:
        return repair.reviewed(
            application,
            decision=decision,
            reason=reason,
            at=ctx.now,
            today=ctx.today,
            by=reviewer,
            calendar=calendar,
        )
    except repair.NotOpen as exc:
        raise errors.NotOpen(str(exc), field="id") from None
    except repair.ReasonRequired as exc:
        raise InvalidArgument(str(exc), field="reason") from None
    except AlreadyExtended as exc:
        raise errors.AlreadyExtended(str(exc), field="decision") from None
    except DeadlinePassed as exc:
        raise errors.DeadlinePassed(str(exc), field="decision") from None


async def _check_still_repairable(ctx: Context, application: RepairApplication) -> None:
    record = await current_record(ctx, application.record_id)
    if record.status is not RecordStatus.ACTIVE:
        raise errors.RepairNotApplicable(
            f"the record is {record.status.value} now; reject the application instead",
            field="decision",
        )


async def _repair_record(ctx: Context, application: RepairApplication) -> None:
    """The record leaves public disclosure and stays in the file with its history."""

    # DESIGN.md §4: the change re-judges the blacklist entries citing the record
    # (store.changes.write_change): they leave unless a serious basis still stands.
    def repaired(record: Record) -> Record | None:
        if record.status is not RecordStatus.ACTIVE:
            return None  # repaired already, or revoked meanwhile: disclosure has ended either way
        return next_version(
            record,
            kind=ChangeKind.REPAIRED,
            at=ctx.now,
            by=application.decided_by or "credit-centre",
            reason=f"repair application {application.id} approved",
            status=RecordStatus.REPAIRED,
        )

    await change_record(ctx, application.record_id, repaired, doing="it was repaired")


async def repair_applications(
    ctx: Context,
    *,
    state: RepairState | None,
    overdue: bool | None,
    subject_id: str | None,
    first: int | None,
    after: str | None,
) -> Page[RepairApplication]:
    """All applications for the credit centre, in its review order (fast track first, then
    oldest: domain.repair.queue_rank); a subject's own for the subject, newest first."""
    viewer = ctx.viewer
    reviewer = viewer.has(Scope.REPAIR_REVIEW)
    if not reviewer:
        own = viewer.subject_id if viewer.has(Scope.SUBJECT_SELF) else None
        if own is None:
            refuse(
                f"repair applications are for the credit centre ({Scope.REPAIR_REVIEW}) "
                f"and the subject itself ({Scope.SUBJECT_SELF})"
            )
        if subject_id not in (None, own):
            raise ForbiddenFilter("a subject lists its own applications only", field="subject")
        subject_id = own
    find = repair_store.find_queue if reviewer else repair_store.find_applications
    return await keyset_page(
        QUEUE_CURSOR_TAG if reviewer else CURSOR_TAG,
        first,
        after,
        find=lambda key, limit: find(
            ctx.db,
            subject_id=subject_id,
            state=state,
            overdue=overdue,
            today=ctx.today,
            after=key,
            limit=limit,
        ),
        key=repair_store.queue_key if reviewer else repair_store.application_cursor_key,
        count=lambda: repair_store.count_applications(
            ctx.db, subject_id=subject_id, state=state, overdue=overdue, today=ctx.today
        ),
    )


EVIDENCE_NAMES = {"kind": "kind", "description": "description", "document_number": "documentNumber"}


@dataclass(frozen=True)
class RepairEntry:
    """One repaired record: what it was and when its repair was approved."""

    record_id: str
    item_code: str
    item_title: str
    document_number: str
    decision_date: date
    repaired_at: datetime | None


def repaired_records(ctx: Context, records: Iterable[Record]) -> list[RepairEntry]:
    """The REPAIRED records among `records` that the viewer may be shown, in their order.

    Repair ends public display but the record stays in the file (DESIGN.md §4), so the fact of
    a repair is listed even though the record is off display; one removed from display on an
    objection, or refused by the person, is left out as the API leaves it out.
    """
    entries = []
    for record in records:
        if record.status is not RecordStatus.REPAIRED or withheld(ctx, record):
            continue
        repaired = [h.at for h in record.history if h.kind is ChangeKind.REPAIRED]
        item = ctx.catalogues.item(record.catalogue_version, record.item_code)
        entries.append(
            RepairEntry(
                record_id=record.id,
                item_code=record.item_code,
                item_title=item.title_zh,
                document_number=record.document_number,
                decision_date=record.decision_date,
                repaired_at=repaired[-1] if repaired else None,
            )
        )
    return entries
