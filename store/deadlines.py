"""What repair applications and objections share in the store: list order, the one-open
rule and the overdue filter.

Both are lists newest first, paged by an `order_key` of "<submitted UTC time>|<id>"; both
allow one open item per record through a unique `open_key` that is the record id while open
and "<record id>|<id>" once closed (a unique index over a missing field is not portable, so
the key is always set); both are overdue while open past `due_on` (an ISO date string).
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from store.database import Document


def order_key(at: datetime, item_id: str) -> str:
    # Digits only before the id: nx-27017 0.8.1 compares a string operand that starts with
    # YYYY-MM-DD through SQLite datetime(), which is NULL for "2020-09-01T04:00:00|ra-1", so
    # `$lt` would match nothing; MongoDB compares strings, in the same order either way.
    return f"{at.astimezone(UTC).strftime('%Y%m%d%H%M%S%f')}|{item_id}"


def open_key(record_id: str, item_id: str, *, is_open: bool) -> str:
    return record_id if is_open else f"{record_id}|{item_id}"


def state_query(
    *, open_state: str, state: str | None, overdue: bool | None, today: date
) -> Document:
    """Items in `state` (any when None) that are, or are not, overdue on `today` (either when
    None). Overdue means open and due before today."""
    query: Document = {} if state is None else {"state": state}
    if overdue is None:
        return query
    day = today.isoformat()
    if overdue:
        if state not in (None, open_state):
            return {"state": {"$in": []}}
        return {"state": open_state, "due_on": {"$lt": day}}
    if state == open_state:
        return query | {"due_on": {"$gte": day}}
    if state is not None:
        return query
    return {"$or": [{"state": {"$ne": open_state}}, {"due_on": {"$gte": day}}]}
