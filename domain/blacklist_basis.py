"""What a blacklist listing rests on (notice 二(八)): serious dishonesty on public display.

One judgement, `supports`, used when an entry is listed and whenever a basis record changes
(`domain.blacklist.rejudged`); `last_display_day` bounds how long an entry may last.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from domain.catalogue import Category
from domain.disclosure import DisclosureState, Severity
from domain.records import ChangeKind, Record, RecordStatus, publicly_visible, stands


class BasisInvalid(ValueError):
    """The basis records do not support a listing; `record_id` names the one at fault."""

    def __init__(self, message: str, *, record_id: str | None) -> None:
        super().__init__(message)
        self.record_id = record_id


class UntilInvalid(ValueError):
    """`until` is missing its bounds: after the listing day, within the basis's display."""


def _fault(record: Record, subject_id: str, today: date) -> str | None:
    """Why a record cannot be part of a listing's basis, or None."""
    if record.subject_id != subject_id:
        return "is about another subject"
    if record.category is not Category.DISHONEST:
        return "is not a dishonesty record"
    if record.status is not RecordStatus.ACTIVE:
        return f"is {record.status.value}, not ACTIVE"
    if not stands(record):
        return "is removed from public display"
    if not publicly_visible(record, today):
        return "is not on public display today"
    return None


def last_display_day(record: Record) -> date:
    """The last day the record's disclosure period shows it: its `end` (民法典 arts. 201-203)."""
    return record.disclosure.end


def supports(record: Record, *, subject_id: str, day: date) -> bool:
    """Whether the record alone can carry a listing of the subject on `day` (notice 二(八)):
    the subject's serious dishonesty, standing and on public display that day."""
    return (
        record.subject_id == subject_id
        and record.category is Category.DISHONEST
        and record.severity is Severity.SERIOUS
        and publicly_visible(record, day)
    )


def latest_until(basis: Sequence[Record], *, subject_id: str, today: date) -> date | None:
    """The last day a listing may last: the last display day of its longest serious basis on
    display today (None when there is none), so it never outlives what it rests on."""
    days = [last_display_day(r) for r in basis if supports(r, subject_id=subject_id, day=today)]
    return max(days, default=None)


def check_listing(
    *,
    subject_id: str,
    requested_ids: Sequence[str],
    basis: Sequence[Record],
    until: date,
    today: date,
) -> None:
    """Raise unless the records support listing the subject until `until` (notice 二(八)).

    Every basis record must exist and be a dishonesty record of the subject, standing and on
    public display today; at least one must be serious.
    """
    by_id = {r.id: r for r in basis}
    for record_id in requested_ids:
        found = by_id.get(record_id)
        fault = "does not exist" if found is None else _fault(found, subject_id, today)
        if fault is not None:
            raise BasisInvalid(f"record {record_id} {fault}", record_id=record_id)
    latest = latest_until(basis, subject_id=subject_id, today=today)
    if latest is None:
        first = requested_ids[0] if requested_ids else None
        raise BasisInvalid(
            "no basis record is a serious dishonesty record on public display today "
            f"(checked: {', '.join(requested_ids)})",
            record_id=first,
        )
    if until <= today:
        raise UntilInvalid("until must be after today")
    if until > latest:
        raise UntilInvalid(
            f"until may be {latest} at the latest: the last day its serious basis is on display"
        )


# What happened to a basis record, in the words of the entry's history.
CHANGE_WORDS = {
    ChangeKind.CREATED: "记录",
    ChangeKind.CORRECTED: "更正",
    ChangeKind.REVOKED: "撤销",
    ChangeKind.REPAIRED: "信用修复",
    ChangeKind.OBJECTION_FILED: "异议标注",
    ChangeKind.OBJECTION_RESOLVED: "异议处理",
    ChangeKind.HIDDEN: "不予公示",
    ChangeKind.SHOWN: "恢复公示",
    ChangeKind.CLEARED: "补报年度报告后移出",
}


def standing_of(record: Record, *, subject_id: str, day: date) -> str:
    """Where the record stands as a basis of a listing of the subject on `day`, in words."""
    if record.subject_id != subject_id:
        return "已更正为其他主体的记录"
    if record.category is not Category.DISHONEST:
        return "已不是失信记录"
    if record.status is RecordStatus.REVOKED:
        return "已撤销"
    if record.status is RecordStatus.REPAIRED:
        return "已完成信用修复"
    if record.status is RecordStatus.EXCUSED:
        return "已按审慎包容不作为失信记录"
    if record.status is RecordStatus.EXPIRED:
        return "已失效"
    if not stands(record):
        return "已不予公示"
    if record.severity is not Severity.SERIOUS:
        return "不是严重失信记录"
    state = record.disclosure.state(day)
    if state is DisclosureState.PENDING:
        return "尚未公示"
    if state is DisclosureState.ENDED:
        return f"公示期已于{last_display_day(record).isoformat()}届满"
    return f"公示至{last_display_day(record).isoformat()}"
