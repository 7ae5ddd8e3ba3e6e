"""Records stored for tests the way the service stores them: through the change feed.

A test that needs a record in some state seeds it as the service would have come to it: created
by its source unit (`store.changes.write_new_records`, the submission's write), then
brought to its state by the changes the service logs (`write_change`, which also re-judges the
blacklist entries citing the record). No test writes a record document directly, so no test
stands on a state the service cannot produce.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from domain.records import ChangeKind, Record, RecordStatus, first_version, next_version
from store.changes import write_change, write_new_records
from store.database import Database

# The day tests stand on unless they pick another (tests/conftest.py TODAY).
TODAY = date(2020, 9, 1)

# Statuses a record is submitted with: 审慎包容 (notice 三(十)) excuses it at submission.
# EXPIRED is written by no change of the service; a table of every status stores it as created.
_CREATED_AS = (RecordStatus.ACTIVE, RecordStatus.EXCUSED, RecordStatus.EXPIRED)
# The change that brings a record to each later status: repair, revocation by its unit, and
# clearing on a late filing (notice 三(十)).
_STATUS_CHANGE = {
    RecordStatus.REPAIRED: ChangeKind.REPAIRED,
    RecordStatus.REVOKED: ChangeKind.REVOKED,
    RecordStatus.CLEARED: ChangeKind.CLEARED,
}


def _as_created(record: Record) -> Record:
    """The record as its source unit submitted it, before any later change."""
    status = record.status if record.status in _CREATED_AS else RecordStatus.ACTIVE
    created = record.model_copy(update={"status": status, "hidden": False, "opted_out": False})
    return first_version(created, at=record.created_at, by=record.source_unit)


def _later_changes(record: Record) -> list[tuple[ChangeKind, dict[str, object]]]:
    """The changes, in order, that bring the created record to `record`'s state: an objection
    resolved by removal from display, the person's refusal (art. 39), then the status."""
    changes: list[tuple[ChangeKind, dict[str, object]]] = []
    if record.hidden:
        changes.append((ChangeKind.OBJECTION_RESOLVED, {"hidden": True}))
    if record.opted_out:
        changes.append((ChangeKind.HIDDEN, {"opted_out": True}))
    if record.status in _STATUS_CHANGE:
        changes.append((_STATUS_CHANGE[record.status], {"status": record.status}))
    return changes


async def seed_records(
    db: Database, records: Sequence[Record], *, today: date = TODAY
) -> list[Record]:
    """Store `records` through the service's write path, changed on `today`; returns them as
    stored (with their versions and history), in the order given.

    A change already in a record's history (one made with `domain.records.next_version`) is
    logged with its own time, author and reason; others at the record's creation, by its unit.
    """
    created = [_as_created(r) for r in records]
    await write_new_records(db, records=created)
    stored = []
    for record, current in zip(records, created, strict=True):
        logged = {entry.kind: entry for entry in record.history}
        for kind, changes in _later_changes(record):
            # A record made by `next_version` keeps when, by whom and why it was changed.
            entry = logged.get(kind)
            after = next_version(
                current,
                kind=kind,
                at=record.created_at if entry is None else entry.at,
                by=record.source_unit if entry is None else entry.by,
                reason="" if entry is None else entry.reason,
                **changes,
            )
            current = await write_change(db, before=current, after=after, today=today)
        stored.append(current)
    return stored
