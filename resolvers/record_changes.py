"""The provincial feed (一(三): report records on to the provincial platform): every change once."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from auth.viewer import Scope
from domain.records import ChangeKind, Record
from resolvers.access import hides_opted_out, require
from resolvers.context import Context
from resolvers.errors import InvalidCursor
from resolvers.pagination import Page, decode_cursor, encode_cursor, page_size
from resolvers.records import view_of
from resolvers.views import RecordView
from store import changes as change_store

CURSOR_TAG = "changes"


@dataclass(frozen=True)
class RecordChangeView:
    seq: int
    kind: ChangeKind
    at: datetime
    record: RecordView | None


def _after(after: str | None) -> int:
    if after is None:
        return 0
    (seq,) = decode_cursor(CURSOR_TAG, after, 1)
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
    found = await change_store.find_changes(ctx.db, after=_after(after), limit=size + 1)
    views = [
        RecordChangeView(c.seq, c.kind, c.at, await _shown(ctx, c.record)) for c in found[:size]
    ]

    async def count() -> int:
        return await change_store.count_changes(ctx.db)

    return Page(
        edges=[(encode_cursor(CURSOR_TAG, str(v.seq)), v) for v in views],
        has_next_page=len(found) > size,
        has_previous_page=after is not None,
        count=count,
    )
