"""Filing events (notice 三(十)): a lapse that a filing cures ends when the filing is reported.

An annual report filed late (企业年报逾期, 经营异常名录) outside the epidemic window, or not
caused by it, is recorded; once the firm files the report, the registration authority reports
the filing and the record is cleared (移出): its display ends and it no longer counts. That is
no credit repair (信用修复): no application, no measures, no minimum period. The catalogue says
which items a filing clears and which source-unit types report it (`cleared_by`).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime

from domain.catalogue import CatalogueItem, SourceUnitType
from domain.records import ChangeKind, Record, RecordStatus, next_version

FILED_ON = "filed_on"


class FilingRefused(ValueError):
    """A filing event that cannot clear the record; the message names the rule."""


class NotClearable(FilingRefused):
    """The item is not cleared by a filing, or the record is not an ACTIVE one to clear."""


class NotReporter(FilingRefused):
    """The unit is not of a type that reports filings for this item (notice 一(三))."""


class FilingDateInvalid(FilingRefused):
    """The filing day is in the future or before the decision it would cure."""


def cleared(
    record: Record,
    item: CatalogueItem,
    *,
    unit_types: Iterable[SourceUnitType],
    unit_code: str,
    filed_on: date,
    today: date,
    at: datetime,
) -> Record:
    """The record cleared by the filing reported on `filed_on`, or FilingRefused.

    The invariant: only an ACTIVE record of an item the catalogue marks `cleared_by` the
    reporting unit's type is cleared, by a filing on a day from its decision to today; the
    result is CLEARED (never REPAIRED), with `filed_on` kept as a data item where the item has
    one and the change in its history.
    """
    if not item.cleared_by:
        raise NotClearable(f"item {item.code} is not cleared by a filing; repair applies instead")
    if not set(unit_types) & set(item.cleared_by):
        allowed = ", ".join(item.cleared_by)
        raise NotReporter(f"filings for item {item.code} are reported by {allowed} units only")
    if record.status is not RecordStatus.ACTIVE:
        raise NotClearable(f"the record is {record.status.value}: there is nothing to clear")
    if filed_on > today:
        raise FilingDateInvalid("filedOn cannot be in the future")
    if filed_on < record.decision_date:
        raise FilingDateInvalid(
            "filedOn is before the decision: a record that should not exist is contested by "
            "an objection"
        )
    values = dict(record.data_items)
    if FILED_ON in item.specs:
        values[FILED_ON] = filed_on.isoformat()
    return next_version(
        record,
        kind=ChangeKind.CLEARED,
        at=at,
        by=unit_code,
        reason=f"已于{filed_on.isoformat()}补报，移出公示（通知三(十)）",
        status=RecordStatus.CLEARED,
        data_items=values,
    )
