"""The recording opt-out: a person refuses (or allows again) the recording of some records."""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial

from auth.viewer import Scope
from domain import recording_preference
from domain.records import Record
from resolvers.access import own_subject
from resolvers.context import Context
from resolvers.errors import Conflict, NotApplicable, NotFound
from resolvers.records import current_record, write_change
from store import records as record_store
from store import subjects as subject_store
from store.documents import update_optimistically

# Far above the commendations, volunteering and donations one person could have on file.
MAX_REFUSABLE_RECORDS = 1000


@dataclass(frozen=True)
class RecordingPreference:
    opted_out: bool
    records_changed: int


async def set_recording_preference(ctx: Context, *, opt_out: bool) -> RecordingPreference:
    """Store the choice first, then withhold or show the records already on file.

    Repeating the request finishes what a failed one left undone: records already in the
    chosen state are skipped.
    """
    subject_id = own_subject(
        ctx, Scope.SUBJECT_SELF, f"this needs a subject's own token with scope {Scope.SUBJECT_SELF}"
    )
    subject = await ctx.loaders.subjects.load(subject_id)
    if subject is None:
        raise NotFound("your subject is not on file", field="optOut")
    if not recording_preference.applies_to(subject.kind):
        raise NotApplicable(
            "only a natural person may refuse recording (Shenzhen regulation art. 39)",
            field="optOut",
        )
    await subject_store.update_opted_out(ctx.db, subject_id=subject_id, opted_out=opt_out)
    ctx.audit.wrote_for(subject_id)
    records = await record_store.find_records_of_items(
        ctx.db,
        subject_id=subject_id,
        item_codes=recording_preference.refusable_item_codes(ctx.catalogues),
        limit=MAX_REFUSABLE_RECORDS,
    )
    changed = 0
    for record in records:
        changed += await _apply(ctx, record, opt_out)
    return RecordingPreference(opted_out=opt_out, records_changed=changed)


async def _apply(ctx: Context, found: Record, opt_out: bool) -> int:
    """1 when the record changed, 0 when it was in the chosen state already."""

    async def choose(record: Record) -> Record | None:
        item = ctx.catalogues.item(record.catalogue_version, record.item_code)
        return recording_preference.with_preference(
            record, item, opted_out=opt_out, at=ctx.now, by=ctx.viewer.sub or record.subject_id
        )

    _, written = await update_optimistically(
        read=lambda: current_record(ctx, found.id),
        apply=choose,
        write=partial(write_change, ctx),
        what=f"record {found.id} kept changing while the preference was applied",
        conflict=Conflict,
    )
    return int(written)
