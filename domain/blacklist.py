"""The blacklist (黑名单): subjects under joint punishment for serious dishonesty.

Notice 二(八): a subject that meets the blacklist standard is listed at once and loses every
award, preferential support, reward and incentive. A listing rests on serious dishonesty that
is on public display, and only while some of it is (DESIGN.md §4): every change to a basis
record re-judges the entries citing it (`rejudged`), and an entry's `until` never outlasts the
display of its serious bases, so it ends by itself when the last of them leaves display. The
subject is told why, what follows, how it ends and how to contest it (`domain.listing_notice`).

What a listing rests on is one judgement, `supports`, made when an entry is listed
(`check_listing`) and whenever a basis record changes (`rejudged`); `last_display_day` bounds
how long an entry may last.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from enum import StrEnum
from typing import Self

from pydantic import BaseModel, ConfigDict, Field, model_validator

from domain.catalogue import Category
from domain.disclosure import DisclosureState, Severity
from domain.listing_notice import BlacklistNotice, Reason
from domain.records import ChangeKind, Record, RecordStatus, publicly_visible, stands


class EntryEvent(StrEnum):
    LISTED = "LISTED"
    SHORTENED = "SHORTENED"  # a basis changed: `until` follows the serious bases still on display
    REMOVED = "REMOVED"


class EntryChange(BaseModel):
    """One line of an entry's history: what happened, on which day, by whom and why.

    A change caused by a basis record names the record and what happened to it, so the subject
    can tell why the entry left or was shortened.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    event: EntryEvent
    on: date
    by: str
    reason: str
    until: date
    record_id: str | None = None
    record_change: ChangeKind | None = None


class BlacklistEntry(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str = Field(pattern=r"^[A-Za-z0-9_\-]{1,64}$")
    subject_id: str
    basis_record_ids: tuple[str, ...] = Field(min_length=1, max_length=20)
    reason: Reason
    listed_on: date
    until: date
    listed_by: str
    notice: BlacklistNotice
    removed_on: date | None = None
    removed_by: str | None = None
    removal_reason: Reason | None = None
    created_at: datetime
    # Raised by every change, so a writer replaces only the version it judged.
    version: int = Field(default=1, ge=1)
    history: tuple[EntryChange, ...] = ()

    @model_validator(mode="after")
    def _until_from_listing(self) -> Self:
        # A listing is for at least a day after it; re-judgement may shorten it to its first.
        if self.until < self.listed_on:
            raise ValueError("until must not be before the listing day")
        return self

    @property
    def removed(self) -> bool:
        return self.removed_on is not None

    def in_force(self, today: date) -> bool:
        """Listed, not removed, and not past its `until` day (which it is in force on)."""
        return not self.removed and self.listed_on <= today <= self.until


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


def rejudged(
    entry: BlacklistEntry, *, changed: Record, basis: Sequence[Record], day: date
) -> BlacklistEntry | None:
    """The entry after its basis record `changed` changed on `day`; None when it stays as is.

    Invariant (DESIGN.md §4, notice 二(八)): an entry is in force only while at least one of its
    basis records is the subject's serious dishonesty, standing and on public display. So an
    entry in force on `day` whose bases (as they are now, `changed` among them) no longer
    include such a record is removed, its history naming the record and what happened to it;
    otherwise its `until` is brought forward to the last display day of the serious bases still
    on display, so that it ends by itself, without a job, when the last of them leaves display.
    A general basis never carries an entry, so repairing or revoking one changes nothing while a
    serious basis stands. Entries already removed or ended keep their history as it was: a
    basis shown again later does not bring one back (the centre lists anew).
    """
    if not entry.in_force(day):
        return None
    cited = [r for r in basis if r.id in entry.basis_record_ids]
    change = changed.history[-1] if changed.history else None
    kind = None if change is None else change.kind
    by = "credit-centre" if change is None else change.by
    standing = standing_of(changed, subject_id=entry.subject_id, day=day)
    # The record's version names the event; its reason stays in the record's own history,
    # which is not public as an entry in force is.
    event = ""
    if change is not None:
        event = f"（第{change.version}版{CHANGE_WORDS.get(change.kind, change.kind.value)}）"
    cause = f"列入依据{changed.id}{standing}{event}"
    latest = latest_until(cited, subject_id=entry.subject_id, today=day)
    if latest is None:
        reason = f"{cause}，已无公示中的严重失信记录，移出黑名单"
        line = EntryChange(
            event=EntryEvent.REMOVED,
            on=day,
            by=by,
            reason=reason,
            until=entry.until,
            record_id=changed.id,
            record_change=kind,
        )
        return _next(entry, line, removed_on=day, removed_by=by, removal_reason=reason)
    if latest >= entry.until:
        return None
    line = EntryChange(
        event=EntryEvent.SHORTENED,
        on=day,
        by=by,
        reason=f"{cause}，列入期限随仍在公示的严重失信记录缩短至{latest.isoformat()}",
        until=latest,
        record_id=changed.id,
        record_change=kind,
    )
    return _next(entry, line, until=latest)


def _next(entry: BlacklistEntry, line: EntryChange, **changes: object) -> BlacklistEntry:
    data = entry.model_dump() | changes
    data |= {"version": entry.version + 1, "history": [*entry.history, line]}
    return BlacklistEntry.model_validate(data)


def listed(
    *, basis: Sequence[Record], subject_id: str, until: date, on: date, by: str
) -> EntryChange:
    """The first line of an entry's history: listed until `until`, bounded by which basis."""
    latest = latest_until(basis, subject_id=subject_id, today=on)
    bound = next(
        r.id
        for r in basis
        if supports(r, subject_id=subject_id, day=on) and last_display_day(r) == latest
    )
    return EntryChange(
        event=EntryEvent.LISTED,
        on=on,
        by=by,
        reason=f"列入黑名单至{until.isoformat()}，至迟于严重失信记录{bound}公示期届满时移出",
        until=until,
    )


def removed(entry: BlacklistEntry, *, on: date, by: str, reason: str) -> BlacklistEntry:
    """The entry removed by the credit centre on `on`; raises pydantic's ValidationError for a
    bad reason."""
    line = EntryChange(event=EntryEvent.REMOVED, on=on, by=by, reason=reason, until=entry.until)
    return _next(entry, line, removed_on=on, removed_by=by, removal_reason=reason)
