"""A subject's repaired records (信用修复), as financing profiles and credit reports list them."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from domain.records import ChangeKind, Record, RecordStatus
from resolvers.access import withheld
from resolvers.context import Context


@dataclass(frozen=True)
class RepairEntry:
    """One repaired record: what it was and when its repair was approved."""

    record_id: str
    item_code: str
    item_title: str
    document_number: str
    decision_date: date
    repaired_at: datetime | None


def repaired_records(ctx: Context, records: Iterable[Record]) -> list[RepairEntry]:
    """The REPAIRED records among `records` that the viewer may be shown, in their order.

    Repair ends public display but the record stays in the file (DESIGN.md §4), so the fact of
    a repair is listed even though the record is off display; one removed from display on an
    objection, or refused by the person, is left out as the API leaves it out.
    """
    entries = []
    for record in records:
        if record.status is not RecordStatus.REPAIRED or withheld(ctx, record):
            continue
        repaired = [h.at for h in record.history if h.kind is ChangeKind.REPAIRED]
        item = ctx.catalogues.item(record.catalogue_version, record.item_code)
        entries.append(
            RepairEntry(
                record_id=record.id,
                item_code=record.item_code,
                item_title=item.title_zh,
                document_number=record.document_number,
                decision_date=record.decision_date,
                repaired_at=repaired[-1] if repaired else None,
            )
        )
    return entries
