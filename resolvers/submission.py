"""Source units submit records in batches and revoke their own (notice 一(三))."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from functools import partial

from domain.calendar import DateWindow
from domain.catalogue import CatalogueVersions
from domain.outcomes import (
    BatchPlan,
    BatchPlanner,
    ItemResult,
    Outcome,
    changed_meanwhile,
    lost_race,
)
from domain.records import Record, RecordStatus
from domain.source_units import SourceUnit
from domain.subjects import subject_identifier
from domain.submission import MAX_BATCH, MAX_REASON, RecordSubmission, revoked, text_problems
from resolvers.access import registered_source_unit
from resolvers.context import Context
from resolvers.errors import (
    AlreadyRevoked,
    BatchTooLarge,
    Conflict,
    InvalidArgument,
    NotFound,
    RateLimited,
)
from resolvers.records import RecordView, view_of, write_change
from resolvers.subjects import new_subject_id
from store import changes as change_store
from store import records as record_store
from store import subjects as subject_store
from store.changes import NewRecords
from store.counters import Window, add_to_window, count_in_window
from store.database import Database
from store.documents import update_optimistically
from store.errors import StaleRecord

PROBE_WINDOW_SECONDS = 3600
# Submissions judged (or accepted records made ready to write) between two turns of the event
# loop: half a millisecond of work. A batch of a thousand then does not hold up for a tenth of a
# second the requests served beside it, and the import's write in flight (server.record_import)
# goes on at each of its awaits, about eight a command, instead of waiting a turn at each.
JUDGED_PER_TURN = 5


@dataclass(frozen=True)
class BatchOutcome:
    """Each item's result in submission order, the subjects whose files the batch wrote, and
    those already on file that it named, whatever became of the items."""

    results: list[ItemResult]
    written_subject_ids: list[str]
    named_subject_ids: list[str]


@dataclass(frozen=True)
class _Judging:
    """What a batch is judged against: the unit, the catalogue versions, the day."""

    unit: SourceUnit
    catalogues: CatalogueVersions
    today: date
    now: datetime
    epidemic_window: DateWindow


async def _plan(
    db: Database, submissions: Sequence[RecordSubmission], judging: _Judging
) -> BatchPlan:
    """Judge the batch against what is stored and create its new subjects."""
    source_ids = list(dict.fromkeys(s.source_record_id for s in submissions))
    stored = await record_store.get_records_by_source(
        db, source_unit=judging.unit.code, source_record_ids=source_ids
    )
    by_source = {r.source_record_id: r for r in stored if r is not None}
    identifiers = list(
        dict.fromkeys(
            i
            for s in submissions
            if (i := subject_identifier(s.subject, today=judging.today)) is not None
        )
    )

    async def read() -> BatchPlan:
        found = await subject_store.get_subjects_by_identifiers(db, identifiers=identifiers)
        planner = BatchPlanner(
            stored=by_source,
            subjects={s.identifier: s for s in found if s is not None},
            catalogues=judging.catalogues,
            unit=judging.unit,
            today=judging.today,
            now=judging.now,
            epidemic_window=judging.epidemic_window,
            mint_subject_id=new_subject_id,
        )
        for index, submission in enumerate(submissions, start=1):
            planner.add(index - 1, submission)
            if index % JUDGED_PER_TURN == 0:
                await asyncio.sleep(0)
        return planner.plan

    async def creating(plan: BatchPlan) -> BatchPlan | None:
        return plan if plan.new_subjects else None

    async def create(_: BatchPlan, plan: BatchPlan) -> bool:
        # Another request may create one of this batch's new subjects between our read and
        # our insert; the batch is then judged again against the subjects as stored.
        wanted = len(plan.new_subjects)
        return await subject_store.insert_new_subjects(db, subjects=plan.new_subjects) == wanted

    plan, _ = await update_optimistically(
        read=read,
        apply=creating,
        write=create,
        what="the batch's new subjects kept being created by other requests",
        conflict=Conflict,
    )
    return plan


async def submit_batch(
    db: Database,
    *,
    unit: SourceUnit,
    submissions: Sequence[RecordSubmission],
    catalogues: CatalogueVersions,
    today: date,
    now: datetime,
    epidemic_window: DateWindow,
) -> BatchOutcome:
    """Store what passes of one unit's batch (at most `MAX_BATCH`), report every item.

    A batch sent twice changes nothing. The caller checks who is asking and audits the write.
    """
    planned = await plan_submissions(
        db,
        unit=unit,
        submissions=submissions,
        catalogues=catalogues,
        today=today,
        now=now,
        epidemic_window=epidemic_window,
    )
    return await store_planned(db, planned)


@dataclass(frozen=True)
class PlannedBatch:
    """A batch judged against the store, its new subjects created, its records not written."""

    unit: SourceUnit
    today: date
    plan: BatchPlan
    new: NewRecords  # the plan's new records, made ready to write


async def plan_submissions(
    db: Database,
    *,
    unit: SourceUnit,
    submissions: Sequence[RecordSubmission],
    catalogues: CatalogueVersions,
    today: date,
    now: datetime,
    epidemic_window: DateWindow,
) -> PlannedBatch:
    """The first half of `submit_batch`: judge the batch, create its new subjects and make its
    new records ready to write.

    The plan holds while the batch's source record ids are not written by anyone else before
    `store_planned` (a race it settles as `submit_batch` does); a pipeline planning one batch
    while the one before is written must therefore not plan a batch sharing a source record
    id with it (server/record_import.py).
    """
    judging = _Judging(unit, catalogues, today, now, epidemic_window)
    plan = await _plan(db, submissions, judging)
    new = NewRecords()
    for start in range(0, len(plan.new_records), JUDGED_PER_TURN):
        new.add(plan.new_records[start : start + JUDGED_PER_TURN])
        await asyncio.sleep(0)
    return PlannedBatch(unit, today, plan, new)


async def store_planned(db: Database, planned: PlannedBatch) -> BatchOutcome:
    """The second half of `submit_batch`: write the planned records and corrections."""
    unit, today, plan = planned.unit, planned.today, planned.plan
    results = list(plan.results)
    made = {s.id for s in plan.new_subjects}
    written = await change_store.write_prepared(db, planned.new, new_subjects=made)
    if written < len(plan.new_records):
        results = await _settle_races(db, unit, plan, results)
    position = {
        r.source_record_id: i for i, r in enumerate(results) if r.outcome is Outcome.ACCEPTED
    }
    subject_ids = []
    for before, after in plan.corrections:
        try:
            await change_store.write_change(db, before=before, after=after, today=today)
        except StaleRecord:
            index = position[after.source_record_id]
            results[index] = changed_meanwhile(results[index])
            continue
        subject_ids += [before.subject_id, after.subject_id]
    subject_ids += [record.subject_id for record in plan.new_records]
    return BatchOutcome(results, list(dict.fromkeys(subject_ids)), plan.named_subject_ids)


async def submit_records(ctx: Context, submissions: Sequence[RecordSubmission]) -> list[ItemResult]:
    """A source unit's batch, checked for its token and size, stored and audited."""
    unit = await registered_source_unit(ctx)
    if len(submissions) > MAX_BATCH:
        raise BatchTooLarge(
            f"a batch holds at most {MAX_BATCH} records, {len(submissions)} were sent; "
            "split it and send the parts one after another",
            field="records",
        )
    probes = _ProbeAllowance(ctx)
    await probes.check()
    outcome = await submit_batch(
        ctx.db,
        unit=unit,
        submissions=submissions,
        catalogues=ctx.catalogues,
        today=ctx.today,
        now=ctx.now,
        epidemic_window=ctx.epidemic_window,
    )
    for subject_id in outcome.written_subject_ids:
        ctx.audit.wrote_for(subject_id)
    # A batch that wrote nothing is audited too, on the files it named: a unit probing
    # identifiers with rejected records leaves the same trail as one that writes (art. 45).
    ctx.audit.asked_to_write(outcome.named_subject_ids)
    await probes.spend(sum(1 for r in outcome.results if r.outcome is Outcome.REJECTED))
    return outcome.results


class _ProbeAllowance:
    """Issue 8.9: one token learns the fate of at most so many rejected identifiers an hour.

    Rejections are counted in the store per token and hour, so the cap holds across workers;
    a batch is refused (RATE_LIMITED) once the count has reached the allowance, so one token
    gets at most the allowance plus one batch (`MAX_BATCH`) of rejections an hour.
    """

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.window = Window(now=ctx.now, seconds=PROBE_WINDOW_SECONDS)
        self.counted = f"rejected:{ctx.viewer.token_id or ctx.viewer.sub}"

    async def check(self) -> None:
        used = await count_in_window(self.ctx.db, counted=self.counted, window=self.window)
        allowance = self.ctx.rejected_identifiers_per_hour
        if used >= allowance:
            raise RateLimited(
                f"this token had {used} rejected records this hour, the allowance is "
                f"{allowance}; check the data before sending more",
                retry_after=self.window.seconds_left,
            )

    async def spend(self, rejected: int) -> None:
        if rejected:
            await add_to_window(
                self.ctx.db, counted=self.counted, window=self.window, amount=rejected
            )


async def _settle_races(
    db: Database, unit: SourceUnit, plan: BatchPlan, results: list[ItemResult]
) -> list[ItemResult]:
    """Fewer records were new than planned: another request stored some first. Re-read them."""
    ours = {r.source_record_id: r for r in plan.new_records}
    stored = await record_store.get_records_by_source(
        db, source_unit=unit.code, source_record_ids=list(ours)
    )
    theirs = {r.source_record_id: r for r in stored if r is not None}
    return [
        lost_race(r, ours[r.source_record_id], theirs.get(r.source_record_id))
        if r.outcome is Outcome.ACCEPTED and r.source_record_id in ours
        else r
        for r in results
    ]


async def revoke_record(ctx: Context, *, record_id: str, reason: str) -> RecordView:
    """The unit that submitted a record revokes it (the decision was overturned)."""
    unit = await registered_source_unit(ctx)
    problems = text_problems("reason", reason, MAX_REASON)
    if problems:
        raise InvalidArgument(f"reason: {problems[0].message}", field="reason")

    async def read() -> Record:
        [record] = await record_store.get_records(ctx.db, ids=[record_id])
        # Another unit's record is answered as missing: its existence is not this unit's to know.
        if record is None or record.source_unit != unit.code:
            raise NotFound("your unit has submitted no record with this id", field="id")
        return record

    async def revoke(record: Record) -> Record:
        if record.status is RecordStatus.REVOKED:
            raise AlreadyRevoked("this record is revoked already", field="id")
        return revoked(record, at=ctx.now, by=unit.code, reason=reason.strip())

    after, _ = await update_optimistically(
        read=read,
        apply=revoke,
        write=partial(write_change, ctx),
        what=f"record {record_id} kept changing while it was revoked",
        conflict=Conflict,
    )
    ctx.audit.wrote_for(after.subject_id)
    return await view_of(ctx, after)
