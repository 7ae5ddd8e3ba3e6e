"""Turning domain models into stored documents and back.

The portable subset (DESIGN.md §2.1): string ids, calendar dates as ISO strings (they sort and
compare as text, and nx-27017 mishandles datetimes in aggregation), no stored nulls.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from enum import Enum
from typing import Any

from pydantic import BaseModel
from pymongo.errors import BulkWriteError

from store.database import Database, Document


def _plain(value: Any) -> Any:
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime):
        return value
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items() if v is not None}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def position(moment: date, tie: str) -> str:
    """A list position as one string that sorts like (moment, tie): "20200301|r-1".

    Digits only, never "2020-03-01...": nx-27017 takes any compared string that starts like an
    ISO date for a date and compares it through SQLite's datetime(), which turns
    "2020-03-01|r-1" into NULL, so a `$lt` on such keys silently matches nothing. MongoDB
    compares strings bytewise either way.
    """
    if isinstance(moment, datetime):
        return f"{moment.astimezone(UTC).strftime('%Y%m%d%H%M%S%f')}|{tie}"
    return f"{moment.strftime('%Y%m%d')}|{tie}"


def to_document(model: BaseModel, *, key: str = "id") -> Document:
    """A model as a document: `key` becomes `_id`, dates become strings, None keys are left out."""
    data: dict[str, Any] = _plain(model.model_dump(mode="python", exclude_none=True))
    data["_id"] = data.pop(key)
    return data


def from_document(document: Document, *, key: str = "id") -> dict[str, Any]:
    """A stored document as model input: `_id` becomes `key`."""
    data = dict(document)
    data[key] = data.pop("_id")
    return data


async def insert_new(db: Database, collection: str, documents: list[Document]) -> int:
    """Insert the documents whose `_id` is not stored yet; returns how many were new.

    An unordered insert that skips duplicate keys is the portable form of "insert if
    missing": nx-27017 fails upserts filtered on `_id` ("JSON path error near '_id'").
    """
    if not documents:
        return 0
    try:
        result = await db[collection].insert_many(documents, ordered=False)
    except BulkWriteError as exc:
        errors = exc.details.get("writeErrors", [])
        if any(e.get("code") != DUPLICATE_KEY for e in errors):
            raise
        return int(exc.details.get("nInserted", 0))
    return len(result.inserted_ids)


DUPLICATE_KEY = 11000
