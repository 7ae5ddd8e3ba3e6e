"""Objections: the subject files, the credit centre or the record's source unit resolves.

Filing stores the objection first and annotates the record second; resolving updates the
objection first and the record second. The objection's conditional write is what lets one
answer win, and should a request die between the two writes, repeating it completes the
record's side (resolving again with the same outcome is accepted for that reason).
"""

from __future__ import annotations

import secrets
from collections.abc import Awaitable, Callable

from pydantic import ValidationError

from auth.viewer import Scope
from domain import objections
from domain.calendar import AlreadyExtended, DeadlinePassed
from domain.objections import Objection
from domain.records import ObjectionGrounds, ObjectionOutcome, ObjectionState, Record
from domain.reports import ReportKind
from resolvers import errors
from resolvers.access import own_subject, refuse
from resolvers.calendar import published_years, working_days
from resolvers.context import Context
from resolvers.errors import Conflict, InvalidArgument, NotFound, invalid_argument
from resolvers.notices import issue_notice_once
from resolvers.pagination import Page, keyset_page
from resolvers.records import change_record, current_record
from store import objections as objection_store
from store import source_units as unit_store
from store.documents import landed, update_optimistically
from store.errors import AlreadyOpen, ChangedMeanwhile

CURSOR_TAG = "objections"
ARGUMENT_NAMES = {"description": "description", "reason": "reason"}


def _subject(ctx: Context) -> str:
    refusal = f"filing an objection needs a subject's own token ({Scope.SUBJECT_SELF})"
    return own_subject(ctx, Scope.SUBJECT_SELF, refusal)


async def file_objection(
    ctx: Context, *, record_id: str, grounds: ObjectionGrounds, description: str | None
) -> Objection:
    subject_id = _subject(ctx)
    record = await ctx.loaders.records.load(record_id)
    # Another subject's record is answered as missing: its existence is not this subject's to know.
    if record is None or record.subject_id != subject_id:
        raise NotFound("you have no record with this id", field="record")
    if await objection_store.find_open_objection(ctx.db, record_id=record.id) is not None:
        raise _already_open()
    with published_years():
        check_by, decide_by = objections.deadlines(ctx.today, await working_days(ctx))
    try:
        objection = Objection(
            id=f"ob-{secrets.token_hex(10)}",
            record_id=record.id,
            subject_id=subject_id,
            source_unit=record.source_unit,
            grounds=grounds,
            description=(description or "").strip(),
            filed_at=ctx.now,
            filed_by=ctx.viewer.sub or subject_id,
            check_by=check_by,
            decide_by=decide_by,
        )
    except ValidationError as exc:
        raise invalid_argument(exc, ARGUMENT_NAMES) from None
    try:
        await objection_store.insert_objection(ctx.db, objection=objection)
    except AlreadyOpen:
        raise _already_open() from None
    await change_record(
        ctx,
        objection.record_id,
        lambda r: objections.annotated(r, objection),
        doing="the objection was written",
    )
    ctx.audit.wrote_for(subject_id)
    return objection


def _already_open() -> errors.ObjectionAlreadyOpen:
    return errors.ObjectionAlreadyOpen(
        "this record has a pending objection; wait for its outcome", field="record"
    )


async def _answerable(ctx: Context, objection_id: str) -> Objection:
    """The objection if the viewer answers it: the credit centre, or the record's source unit."""
    viewer = ctx.viewer
    is_centre = viewer.has(Scope.REPAIR_REVIEW)
    if not is_centre and not (viewer.has(Scope.RECORDS_SUBMIT) and viewer.unit is not None):
        refuse(
            f"objections are answered by the credit centre ({Scope.REPAIR_REVIEW}) "
            f"or the record's source unit ({Scope.RECORDS_SUBMIT})"
        )
    objection = await objection_store.get_objection(ctx.db, objection_id=objection_id)
    # Another unit's objection is answered as missing: its existence is not this unit's to know.
    if objection is None or not (is_centre or objection.source_unit == viewer.unit):
        raise NotFound("no objection you may answer has this id", field="id")
    return objection


async def resolve_objection(
    ctx: Context,
    *,
    objection_id: str,
    outcome: ObjectionOutcome,
    reason: str | None,
    corrections: dict[str, str],
) -> Objection:
    by = ctx.viewer.sub or ctx.viewer.unit or "credit-centre"

    async def resolve(objection: Objection) -> Objection | None:
        if objection.state is ObjectionState(outcome.value):
            return None  # resolved so already: what may be left is the outcome's record change
        try:
            after = objections.resolved(
                objection,
                outcome=outcome,
                corrections=corrections,
                at=ctx.now,
                by=by,
                reason=(reason or "").strip(),
            )
            record = await current_record(ctx, objection.record_id)
            # Checked before anything is written: a bad correction changes nothing.
            (await _resolver(ctx, after))(record)
        except objections.NotOpen as exc:
            raise errors.NotOpen(str(exc), field="id") from None
        except objections.UnknownDataItem as exc:
            raise errors.NotInCatalogue(str(exc), field="correctedDataItems") from None
        except objections.CorrectionBreaksRule as exc:
            # The submission's own code for a rule the correction would break (issue 8.4).
            raise errors.problem_error(
                exc.problem.code, str(exc), field="correctedDataItems"
            ) from None
        except objections.InvalidCorrection as exc:
            raise InvalidArgument(str(exc), field="correctedDataItems") from None
        except ValidationError as exc:
            raise invalid_argument(exc, ARGUMENT_NAMES) from None
        return after

    objection, written = await _update(ctx, objection_id, resolve, doing="it was resolved")
    await _apply_outcome(ctx, objection)  # also completes an interrupted resolution
    # Issue 12.5: the decision reaches the subject as a sealed 异议处理告知书.
    await issue_notice_once(
        ctx,
        kind=ReportKind.OBJECTION_NOTICE,
        regarding=objection.id,
        record_id=objection.record_id,
        filed_at=objection.filed_at,
        outcome=outcome,
        reason=objection.reason,
        decided_at=objection.resolved_at or ctx.now,
    )
    if written:
        ctx.audit.wrote_for(objection.subject_id)
    return objection


async def extend_objection(ctx: Context, *, objection_id: str, reason: str | None) -> Objection:
    """The one extension of the source unit's decision by 3 working days."""
    if not (reason or "").strip():
        raise InvalidArgument("an extension needs a reason for the subject", field="reason")
    calendar = await working_days(ctx)

    async def extend(objection: Objection) -> Objection:
        try:
            with published_years():
                return objections.extended(objection, today=ctx.today, calendar=calendar)
        except objections.NotOpen as exc:
            raise errors.NotOpen(str(exc), field="id") from None
        except AlreadyExtended as exc:
            raise errors.AlreadyExtended(str(exc), field="id") from None
        except DeadlinePassed as exc:
            raise errors.DeadlinePassed(str(exc), field="id") from None

    objection, _ = await _update(ctx, objection_id, extend, doing="it was extended")
    ctx.audit.wrote_for(objection.subject_id)
    return objection


async def _update(
    ctx: Context,
    objection_id: str,
    decide: Callable[[Objection], Awaitable[Objection | None]],
    *,
    doing: str,
) -> tuple[Objection, bool]:
    """`decide` on the objection as the viewer may answer it, written if it still stands so."""
    return await update_optimistically(
        read=lambda: _answerable(ctx, objection_id),
        apply=decide,
        write=lambda before, after: landed(
            objection_store.update_objection(ctx.db, before=before, after=after),
            ChangedMeanwhile,
        ),
        what=f"objection {objection_id} kept changing while {doing}",
        conflict=Conflict,
    )


async def _resolver(ctx: Context, objection: Objection) -> Callable[[Record], Record]:
    """`domain.objections.resolution` of this objection on the city's day (ctx.today, not the
    UTC day of `resolved_at`), with the record's source unit as registered."""
    [unit] = await unit_store.get_source_units(ctx.db, codes=[objection.source_unit])

    def resolve(record: Record) -> Record:
        item = ctx.catalogues.item(record.catalogue_version, record.item_code)
        return objections.resolution(
            record,
            objection,
            item,
            unit=unit,
            today=ctx.today,
            epidemic_window=ctx.epidemic_window,
        )

    return resolve


async def _apply_outcome(ctx: Context, objection: Objection) -> None:
    resolve = await _resolver(ctx, objection)

    def change(record: Record) -> Record | None:
        note = record.objection
        if note is not None and note == objection.note():
            return None  # applied already
        return resolve(record)

    await change_record(ctx, objection.record_id, change, doing="the objection was written")


async def objections_list(
    ctx: Context,
    *,
    state: ObjectionState | None,
    overdue: bool | None,
    first: int | None,
    after: str | None,
) -> Page[Objection]:
    """All for the credit centre; those about its records for a source unit; own for a subject."""
    viewer = ctx.viewer
    subject_id = source_unit = None
    if viewer.has(Scope.REPAIR_REVIEW):
        pass
    elif viewer.has(Scope.RECORDS_SUBMIT) and viewer.unit is not None:
        source_unit = viewer.unit
    elif viewer.has(Scope.SUBJECT_SELF) and viewer.subject_id is not None:
        subject_id = viewer.subject_id
    else:
        refuse(
            f"objections are for the credit centre ({Scope.REPAIR_REVIEW}), source units "
            f"({Scope.RECORDS_SUBMIT}) and the subject itself ({Scope.SUBJECT_SELF})"
        )
    return await keyset_page(
        CURSOR_TAG,
        first,
        after,
        find=lambda key, limit: objection_store.find_objections(
            ctx.db,
            subject_id=subject_id,
            source_unit=source_unit,
            state=state,
            overdue=overdue,
            today=ctx.today,
            after=key,
            limit=limit,
        ),
        key=objection_store.objection_cursor_key,
        count=lambda: objection_store.count_objections(
            ctx.db,
            subject_id=subject_id,
            source_unit=source_unit,
            state=state,
            overdue=overdue,
            today=ctx.today,
        ),
    )
