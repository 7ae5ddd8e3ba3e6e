"""Reading records: one, a filtered list, and a subject's own list (batched)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

from domain.catalogue import Category
from domain.records import Record, RecordStatus
from resolvers.access import access_for, note_shown, record_filter
from resolvers.context import Context, SubjectSlice
from resolvers.errors import CountNotOffered, InvalidArgument
from resolvers.pagination import Page, decode_cursor, encode_cursor, page_size
from resolvers.views import RecordView, record_view
from store import records as record_store
from store.records import RecordFilter, order_key

CURSOR_TAG = "records"


@dataclass(frozen=True)
class RecordQuery:
    """The filter a client may give; `subject` is a subject id."""

    subject: str | None = None
    category: Category | None = None
    item: str | None = None
    status: RecordStatus | None = None
    decided_from: date | None = None
    decided_to: date | None = None


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
    note_shown(ctx, record)
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
