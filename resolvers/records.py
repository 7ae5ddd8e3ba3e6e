"""Records: the masked view that leaves the API, reading one, a filtered list and a subject's
own list (batched), the public lists, changing one on behalf of another use case, and the
provincial change feed."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, datetime
from functools import partial

from auth.masking import ShownValue, show_items
from auth.viewer import Scope
from domain.catalogue import CatalogueItem, Category
from domain.disclosure import DisclosurePeriod, DisclosureState, Severity
from domain.masking import PublicAttribute
from domain.records import (
    ChangeKind,
    ObjectionNote,
    Record,
    RecordStatus,
    disclosure_state,
)
from resolvers.access import (
    access_for,
    hides_opted_out,
    note_shown,
    read_grants,
    record_filter,
    require,
)
from resolvers.context import Context, SubjectSlice
from resolvers.errors import Conflict, CountNotOffered, InvalidArgument, InvalidCursor
from resolvers.pagination import Page, keyset_page
from store import blacklist as blacklist_store
from store import changes as change_store
from store import feed
from store import records as record_store
from store.documents import landed, update_optimistically
from store.errors import StaleRecord
from store.feed import LoggedChange
from store.records import RecordFilter as RecordFilter  # what `records` takes, for the schema
from store.records import order_key

CURSOR_TAG = "records"
CHANGES_CURSOR_TAG = "changes"


@dataclass(frozen=True)
class RecordView:
    id: str
    subject_id: str
    item: CatalogueItem
    catalogue_version: str
    category: Category
    severity: Severity | None
    source_unit: str
    document_number: str
    decision_date: date
    epidemic_related: bool
    data_items: list[ShownValue]
    disclosure: DisclosurePeriod
    disclosure_state: DisclosureState
    status: RecordStatus
    level: PublicAttribute
    objection: ObjectionNote | None = None


def record_view(
    record: Record, item: CatalogueItem, level: PublicAttribute, today: date
) -> RecordView:
    return RecordView(
        id=record.id,
        subject_id=record.subject_id,
        item=item,
        catalogue_version=record.catalogue_version,
        category=record.category,
        severity=record.severity,
        source_unit=record.source_unit,
        document_number=record.document_number,
        decision_date=record.decision_date,
        epidemic_related=record.epidemic_related,
        data_items=show_items(item, record.data_items, level),
        disclosure=record.disclosure,
        disclosure_state=disclosure_state(record, today),
        status=record.status,
        level=level,
        objection=record.objection,
    )


def _spec(ctx: Context, wanted: RecordFilter, subject_id: str | None) -> RecordFilter:
    """The client's filter within what the gate shows the viewer of `subject_id` (None: any)."""
    if wanted.decided_from and wanted.decided_to and wanted.decided_from > wanted.decided_to:
        raise InvalidArgument("decidedFrom must not be after decidedTo", field="decidedFrom")
    return record_filter(ctx, subject_id, wanted)


async def view_of(ctx: Context, record: Record) -> RecordView:
    access = await access_for(ctx, record.subject_id, record.category)
    item = ctx.catalogues.item(record.catalogue_version, record.item_code)
    view = record_view(record, item, access.level, ctx.today)
    note_shown(ctx, record)
    ctx.audit.saw(record.subject_id, view.data_items, record_id=record.id, grant_id=access.grant_id)
    return view


async def record(ctx: Context, record_id: str) -> RecordView | None:
    found = await ctx.loaders.records.load(record_id)
    if found is None or not ctx.gate.shows_record(found):
        return None
    return await view_of(ctx, found)


async def records(
    ctx: Context, *, wanted: RecordFilter, first: int | None, after: str | None
) -> Page[RecordView]:
    """The records the client's filter wants (its `subject_id`: one subject's, else any)."""
    return await page_of(ctx, _spec(ctx, wanted, wanted.subject_id), first, after)


async def page_of(
    ctx: Context, spec: RecordFilter, first: int | None, after: str | None
) -> Page[RecordView]:
    """One page of the records `spec` selects (already narrowed to what the viewer is shown),
    newest decision first, masked for the viewer."""

    async def find(key: str | None, limit: int) -> list[Record]:
        found = await record_store.find_records(ctx.db, spec=spec, after=key, limit=limit)
        await read_grants(ctx, (r.subject_id for r in found))
        return found

    return await keyset_page(
        CURSOR_TAG,
        first,
        after,
        find=find,
        key=order_key,
        count=lambda: count_of(ctx, spec),
        view=partial(view_of, ctx),
    )


async def subject_records(
    ctx: Context, *, subject_id: str, wanted: RecordFilter, first: int | None, after: str | None
) -> Page[RecordView]:
    """A subject's records; the first page of many subjects is read in one batch."""
    spec = _spec(ctx, wanted, subject_id)

    async def find(key: str | None, limit: int) -> list[Record]:
        if key is None:
            batch_spec = replace(spec, subject_id=None)
            return await ctx.loaders.subject_records.load(
                SubjectSlice(subject_id, batch_spec, limit)
            )
        return await record_store.find_records(ctx.db, spec=spec, after=key, limit=limit)

    return await keyset_page(
        CURSOR_TAG,
        first,
        after,
        find=find,
        key=order_key,
        count=lambda: count_of(ctx, spec),
        view=partial(view_of, ctx),
    )


async def count_of(ctx: Context, spec: RecordFilter) -> int:
    """A list's `totalCount`: not offered across subjects on public display (a scan)."""
    if spec.subject_id is None and spec.disclosed_on is not None:
        # DESIGN.md §2.1: counting what is on display today reads every record shown, a
        # scan that a portal asking on each page would repeat; pages use hasNextPage.
        raise CountNotOffered(
            "totalCount is not offered on the public list of records: use "
            "pageInfo.hasNextPage, or a subject's own records",
            field="totalCount",
        )
    if spec.subject_id is None:
        return await record_store.count_records(ctx.db, spec=spec)
    batch_spec = replace(spec, subject_id=None)
    return await ctx.loaders.subject_record_counts.load((spec.subject_id, batch_spec))


async def current_record(ctx: Context, record_id: str) -> Record:
    """The record as stored now; a case that names it guarantees it exists."""
    [record] = await record_store.get_records(ctx.db, ids=[record_id])
    if record is None:
        raise LookupError(f"a repair application or objection names a missing record {record_id}")
    return record


async def write_change(ctx: Context, before: Record, after: Record) -> bool:
    """Write one change through the change feed; False when another writer came first."""
    return await landed(
        change_store.write_change(ctx.db, before=before, after=after, today=ctx.today),
        StaleRecord,
    )


async def change_record(
    ctx: Context, record_id: str, change: Callable[[Record], Record | None], *, doing: str
) -> None:
    """Apply `change` to the record as it is now (None: nothing left to change), again if
    another writer came first; `doing` names the change in the CONFLICT when it never lands."""

    async def apply(record: Record) -> Record | None:
        return change(record)

    record, written = await update_optimistically(
        read=lambda: current_record(ctx, record_id),
        apply=apply,
        write=partial(write_change, ctx),
        what=f"record {record_id} kept changing while {doing}",
        conflict=Conflict,
    )
    if written:
        ctx.audit.wrote_for(record.subject_id)
    else:
        # Written already, perhaps by a request interrupted before it re-judged the
        # blacklist entries citing the record: finish that (idempotent).
        await blacklist_store.rejudge_entries_citing(ctx.db, record=record, day=ctx.today)


@dataclass(frozen=True)
class RecordChangeView:
    seq: int
    kind: ChangeKind
    at: datetime
    record: RecordView | None


def _change_after(key: str | None) -> int:
    if key is None:
        return 0
    if not key.isdigit():
        raise InvalidCursor("after is not a cursor of this list", field="after")
    return int(key)


async def _shown(ctx: Context, record: Record) -> RecordView | None:
    """The record as changed, withheld where the person refused its recording (art. 39).

    The change itself stays in the feed, so every consumer's cursor still moves past it.
    """
    if record.opted_out and hides_opted_out(ctx, record.subject_id):
        return None
    return await view_of(ctx, record)


async def record_changes(
    ctx: Context, *, after: str | None, first: int | None
) -> Page[RecordChangeView]:
    """Changes after the cursor in feed order; a consumer resumes from the last cursor it saw."""
    require(ctx, Scope.RECORDS_READ, f"the change feed needs scope {Scope.RECORDS_READ}")

    async def view(change: LoggedChange) -> RecordChangeView:
        return RecordChangeView(
            change.seq, change.kind, change.at, await _shown(ctx, change.record)
        )

    return await keyset_page(
        CHANGES_CURSOR_TAG,
        first,
        after,
        find=lambda key, limit: feed.find_changes(ctx.db, after=_change_after(key), limit=limit),
        key=lambda change: str(change.seq),
        count=lambda: feed.count_changes(ctx.db),
        view=view,
    )
