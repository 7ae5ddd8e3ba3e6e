"""Reading records: one, a filtered list, a subject's own list (batched) and the public lists."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date

from domain.catalogue import CatalogueItem, Category, PublicAttribute
from domain.records import Record, RecordStatus, record_scope
from resolvers.access import access_for, note_shown, record_filter
from resolvers.context import Context, SubjectSlice
from resolvers.errors import CountNotOffered, InvalidArgument
from resolvers.pagination import Page, decode_cursor, encode_cursor, page_size
from resolvers.views import RecordView, record_view
from store import records as record_store
from store import source_units as unit_store
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


@dataclass(frozen=True)
class PublicList:
    """A list of records the portal shows everyone alike; `name` is for refusals."""

    name: str
    admits: Callable[[CatalogueItem], bool]


# 守信激励名单: the good behaviours of notice 一(一); the epidemic column (二(五)) adds 一(二).
RED_LIST = PublicList("the red list", lambda item: item.epidemic_good_behaviour)
EPIDEMIC_COLUMN = PublicList(
    "the epidemic column", lambda item: item.epidemic_good_behaviour or item.epidemic_offence
)


async def public_list(
    ctx: Context,
    listed: PublicList,
    *,
    query: RecordQuery,
    district: str | None,
    first: int | None,
    after: str | None,
) -> Page[RecordView]:
    """Records of `listed`'s items on public display today, newest decision first.

    Invariant: the same records for every viewer, the public's (`record_scope` at PUBLIC): a
    public list never shows a record off display nor one a person refused (Shenzhen
    regulation art. 39), whoever asks; each is masked at the viewer's own level. `district`
    keeps records decided by the units registered in it.
    """
    size = page_size(first)
    codes = frozenset(
        item.code for catalogue in ctx.catalogues for item in catalogue.items if listed.admits(item)
    )
    if query.item is not None and query.item not in codes:
        raise InvalidArgument(
            f"item {query.item} is not on {listed.name}: its items are {', '.join(sorted(codes))}",
            field="item",
        )
    units = None
    if district is not None:
        units = frozenset(
            u.code for u in await unit_store.units_of_district(ctx.db, district=district)
        )
        if not units:
            raise InvalidArgument(
                f"no source unit is registered in district {district}", field="district"
            )
    if query.decided_from and query.decided_to and query.decided_from > query.decided_to:
        raise InvalidArgument("decidedFrom must not be after decidedTo", field="decidedFrom")
    spec = RecordFilter.of_scope(
        record_scope(PublicAttribute.PUBLIC, own=False, today=ctx.today),
        category=query.category,
        item_code=query.item,
        item_codes=codes,
        source_units=units,
        decided_from=query.decided_from,
        decided_to=query.decided_to,
    )
    found = await record_store.find_records(ctx.db, spec=spec, after=_after(after), limit=size + 1)
    return await _page(ctx, found, size, after, spec)
