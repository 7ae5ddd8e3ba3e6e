"""Changing a record on behalf of another use case (repair, objections), racing other writers."""

from __future__ import annotations

from collections.abc import Callable

from domain.records import Record
from resolvers.context import Context
from store import blacklist as blacklist_store
from store import changes as change_store
from store import records as record_store
from store.errors import StaleRecord

ATTEMPTS = 3


async def current_record(ctx: Context, record_id: str) -> Record:
    """The record as stored now; a case that names it guarantees it exists."""
    [record] = await record_store.get_records(ctx.db, ids=[record_id])
    if record is None:
        raise LookupError(f"a repair application or objection names a missing record {record_id}")
    return record


async def change_record(
    ctx: Context, record_id: str, change: Callable[[Record], Record | None], *, doing: str
) -> None:
    """Apply `change` to the record as it is now (None: nothing left to change), again if
    another writer came first; `doing` names the change in the error when it never lands."""
    for _ in range(ATTEMPTS):
        record = await current_record(ctx, record_id)
        after = change(record)
        if after is None:
            # Written already, perhaps by a request interrupted before it re-judged the
            # blacklist entries citing the record: finish that (idempotent).
            await blacklist_store.rejudge_entries_citing(ctx.db, record=record, day=ctx.today)
            return
        try:
            await change_store.write_change(ctx.db, before=record, after=after, today=ctx.today)
        except StaleRecord:
            continue
        ctx.audit.wrote_for(record.subject_id)
        return
    raise StaleRecord(f"record {record_id} kept changing while {doing}")
