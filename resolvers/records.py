"""Records: the masked view that leaves the API, reading one, a filtered list and a subject's
own list (batched), changing one on behalf of another use case, and the provincial change feed."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, datetime
from functools import partial

from auth.masking import ShownValue, show_items
from auth.viewer import Scope
from domain.catalogue import CatalogueItem, Category, PublicAttribute
from domain.disclosure import DisclosurePeriod, DisclosureState, Severity
from domain.records import ChangeKind, ObjectionNote, Record, RecordStatus, disclosure_state
from resolvers.access import access_for, hides_opted_out, record_filter, require
from resolvers.context import Context, SubjectSlice
from resolvers.errors import Conflict, CountNotOffered, InvalidArgument, InvalidCursor
from resolvers.pagination import Page, decode_cursor, encode_cursor, page_size
from store import blacklist as blacklist_store
from store import record_changes as change_store
from store import records as record_store
from store.documents import landed, update_optimistically
from store.errors import StaleRecord
from store.records import RecordFilter, order_key

CURSOR_TAG = "records"
CHANGES_CURSOR_TAG = "changes"


@dataclass(frozen=True)
class RecordQuery:
    """The filter a client may give; `subject` is a subject id."""

    subject: str | None = None
    category: Category | None = None
    item: str | None = None
    status: RecordStatus | None = None
    decided_from: date | None = None
    decided_to: date | None = None


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


def _cursor(record: Record) -> str:
    return encode_cursor(CURSOR_TAG, order_key(record))


def _after(after: str | None) -> str | None:
    return None if after is None else decode_cursor(CURSOR_TAG, after, 1)[0]


def _spec(ctx: Context, query: RecordQuery, subject_id: str | None) -> RecordFilter:
    """The client's filter within what the gate shows the viewer of `subject_id` (None: any)."""
    if query.decided_from and query.decided_to and query.decided_from > query.decided_to:
        raise InvalidArgument("decidedFrom must not be after decidedTo", field="decidedFrom")
    return record_filter(
        ctx,
        subject_id,
        category=query.category,
        item_code=query.item,
        status=query.status,
        decided_from=query.decided_from,
        decided_to=query.decided_to,
    )


async def view_of(ctx: Context, record: Record) -> RecordView:
    access = await access_for(ctx, record.subject_id, record.category)
    item = ctx.catalogues.item(record.catalogue_version, record.item_code)
    view = record_view(record, item, access.level, ctx.today)
    ctx.audit.saw(record.subject_id, view.data_items, record_id=record.id, grant_id=access.grant_id)
    return view


async def record(ctx: Context, record_id: str) -> RecordView | None:
    found = await ctx.loaders.records.load(record_id)
    if found is None or not ctx.gate.shows_record(found):
        return None
    return await view_of(ctx, found)


async def records(
    ctx: Context, *, query: RecordQuery, first: int | None, after: str | None
) -> Page[RecordView]:
    size = page_size(first)
    spec = _spec(ctx, query, query.subject)
    found = await record_store.find_records(ctx.db, spec=spec, after=_after(after), limit=size + 1)
    return await _page(ctx, found, size, after, spec)


async def subject_records(
    ctx: Context, *, subject_id: str, query: RecordQuery, first: int | None, after: str | None
) -> Page[RecordView]:
    """A subject's records; the first page of many subjects is read in one batch."""
    size = page_size(first)
    spec = _spec(ctx, query, subject_id)
    if after is None:
        batch_spec = replace(spec, subject_id=None)
        found = await ctx.loaders.subject_records.load(
            SubjectSlice(subject_id, batch_spec, size + 1)
        )
    else:
        found = await record_store.find_records(
            ctx.db, spec=spec, after=_after(after), limit=size + 1
        )
    return await _page(ctx, found, size, after, spec)


async def _page(
    ctx: Context, found: list[Record], size: int, after: str | None, spec: RecordFilter
) -> Page[RecordView]:
    views = [await view_of(ctx, r) for r in found[:size]]

    async def count() -> int:
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

    return Page(
        edges=[(_cursor(r), v) for r, v in zip(found[:size], views, strict=False)],
        has_next_page=len(found) > size,
        has_previous_page=after is not None,
        count=count,
    )


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


def _change_after(after: str | None) -> int:
    if after is None:
        return 0
    (seq,) = decode_cursor(CHANGES_CURSOR_TAG, after, 1)
    if not seq.isdigit():
        raise InvalidCursor("after is not a cursor of this list", field="after")
    return int(seq)


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
    size = page_size(first)
    found = await change_store.find_changes(ctx.db, after=_change_after(after), limit=size + 1)
    views = [
        RecordChangeView(c.seq, c.kind, c.at, await _shown(ctx, c.record)) for c in found[:size]
    ]

    async def count() -> int:
        return await change_store.count_changes(ctx.db)

    return Page(
        edges=[(encode_cursor(CHANGES_CURSOR_TAG, str(v.seq)), v) for v in views],
        has_next_page=len(found) > size,
        has_previous_page=after is not None,
        count=count,
    )
