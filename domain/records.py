"""Credit records (信用记录) and their status."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field

from domain.catalogue import Category
from domain.disclosure import DisclosurePeriod, DisclosureState, Severity
from domain.identifiers import SubjectKind
from domain.masking import PublicAttribute


class RecordStatus(StrEnum):
    ACTIVE = "ACTIVE"
    REPAIRED = "REPAIRED"  # 信用修复: disclosure ended early, the record stays in the file
    REVOKED = "REVOKED"  # the decision was overturned by its source unit
    EXCUSED = "EXCUSED"  # 审慎包容 (notice 三(十)): not recorded as dishonesty
    EXPIRED = "EXPIRED"
    CLEARED = "CLEARED"  # 三(十): the lapse was cured (annual report filed); display ended


class ChangeKind(StrEnum):
    """What happened to a record; every change is reported on (notice 一(三))."""

    CREATED = "CREATED"
    CORRECTED = "CORRECTED"
    REVOKED = "REVOKED"
    REPAIRED = "REPAIRED"
    OBJECTION_FILED = "OBJECTION_FILED"
    OBJECTION_RESOLVED = "OBJECTION_RESOLVED"
    HIDDEN = "HIDDEN"
    SHOWN = "SHOWN"
    CLEARED = "CLEARED"


class RecordChange(BaseModel):
    """One entry of a record's history: the version it produced, who, when and why."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    version: int = Field(ge=1)
    kind: ChangeKind
    at: datetime
    by: str
    reason: str = ""


# Objections (异议, domain/objections.py) annotate the record they dispute.


class ObjectionGrounds(StrEnum):
    ERROR = "ERROR"  # the record's content is wrong
    SHOWN_PAST_PERIOD = "SHOWN_PAST_PERIOD"  # still shown after its disclosure period
    WRONGLY_LISTED = "WRONGLY_LISTED"  # the subject should not have such a record at all
    OTHER = "OTHER"  # explained in the description


class ObjectionOutcome(StrEnum):
    CORRECTED = "CORRECTED"  # the source unit corrected the record's data items
    REMOVED_FROM_DISPLAY = "REMOVED_FROM_DISPLAY"  # no longer shown to the public
    UPHELD = "UPHELD"  # the record stands as it is


class ObjectionState(StrEnum):
    PENDING = "PENDING"
    CORRECTED = ObjectionOutcome.CORRECTED.value
    REMOVED_FROM_DISPLAY = ObjectionOutcome.REMOVED_FROM_DISPLAY.value
    UPHELD = ObjectionOutcome.UPHELD.value


class ObjectionNote(BaseModel):
    """The annotation on a disputed record (异议标注), shown to every viewer of the record."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    objection_id: str
    state: ObjectionState
    grounds: ObjectionGrounds
    filed_at: datetime
    resolved_at: datetime | None = None


class Record(BaseModel):
    """One record in a subject's file, as submitted by its source unit."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str = Field(pattern=r"^[A-Za-z0-9_\-]{1,64}$")
    subject_id: str
    subject_kind: SubjectKind
    item_code: str
    catalogue_version: str
    category: Category
    severity: Severity | None = None
    source_unit: str
    source_record_id: str
    document_number: str
    decision_date: date
    epidemic_related: bool = False
    data_items: dict[str, str] = Field(default_factory=dict)
    disclosure: DisclosurePeriod
    status: RecordStatus = RecordStatus.ACTIVE
    # Removed from public display on an objection (异议); whole-file viewers still see it.
    hidden: bool = False
    # Shenzhen regulation art. 39: the person refused its recording; see `sees_opted_out`.
    opted_out: bool = False
    objection: ObjectionNote | None = None
    # The commitment whose breach this record is (notice 一(二)5); linked both ways.
    commitment_id: str | None = None
    version: int = Field(default=1, ge=1)
    history: tuple[RecordChange, ...] = ()
    created_at: datetime


def stands(record: Record) -> bool:
    """Whether a record may be held against or for its subject at all, on display or not.

    Only an ACTIVE record stands; not one removed from display on an objection, nor one the
    person refused (Shenzhen regulation art. 39: not recorded or shown, so never used).
    """
    return record.status is RecordStatus.ACTIVE and not record.hidden and not record.opted_out


# Why a record that is not ACTIVE is off display; EXPIRED is simply past its period.
_STATE_OF_STATUS = {
    RecordStatus.REPAIRED: DisclosureState.REPAIRED,
    RecordStatus.REVOKED: DisclosureState.WITHDRAWN,
    RecordStatus.EXCUSED: DisclosureState.EXCUSED,
    RecordStatus.CLEARED: DisclosureState.CLEARED,
    RecordStatus.EXPIRED: DisclosureState.ENDED,
}


def disclosure_state(record: Record, today: date) -> DisclosureState:
    """The record's public display today, the one answer for the API, reports and exports.

    DISCLOSED only for an ACTIVE record, not removed on an objection nor refused by the person
    (art. 39), between its start and its end day, both shown (民法典 arts. 201–203). Otherwise
    the state says why it is not shown: its status first, then the objection, then the refusal,
    then where today falls in the period.
    """
    if record.status is not RecordStatus.ACTIVE:
        return _STATE_OF_STATUS[record.status]
    if record.hidden:
        return DisclosureState.WITHDRAWN
    if record.opted_out:
        return DisclosureState.OPTED_OUT
    return record.disclosure.state(today)


def publicly_visible(record: Record, today: date) -> bool:
    """Whether an anonymous portal viewer may see the record today (DESIGN.md §5)."""
    return disclosure_state(record, today) is DisclosureState.DISCLOSED


def sees_whole_file(level: PublicAttribute, *, own: bool) -> bool:
    """Whether a viewer sees every record of a subject, not only those in disclosure.

    The subject sees its own file; government sharing (政务共享) and the credit centre see
    records past their disclosure too. Everyone else, grant holders included, sees what is
    disclosed: a grant widens the data items shown, not the records.
    """
    return own or level.allows(PublicAttribute.GOVERNMENT)


def sees_opted_out(level: PublicAttribute, *, own: bool) -> bool:
    """Whether a viewer sees records whose recording the person refused (art. 39).

    Shenzhen regulation art. 39: such records are "not recorded or shown", so no one uses them,
    government sharing included; the person still sees its own file, and the credit centre
    keeps them (restricted) to show them again should the person withdraw the refusal.
    """
    return own or level.allows(PublicAttribute.RESTRICTED)


@dataclass(frozen=True)
class RecordScope:
    """Which records of a subject a viewer is shown: the one visibility rule (DESIGN.md §5).

    `on_display` is the day records must be on public display (`publicly_visible`), None for
    a whole-file viewer; `with_opted_out` admits records the person refused (art. 39). The
    store's filter (store.records.RecordFilter) is built from these two fields, and a table
    test on the real store (tests/test_gate.py) checks it against `admits`.
    """

    on_display: date | None
    with_opted_out: bool

    def admits(self, record: Record) -> bool:
        if self.on_display is not None and not publicly_visible(record, self.on_display):
            return False
        return self.with_opted_out or not record.opted_out


def record_scope(level: PublicAttribute, *, own: bool, today: date) -> RecordScope:
    """The records a viewer at `level` (the subject's own token if `own`) is shown today."""
    return RecordScope(
        on_display=None if sees_whole_file(level, own=own) else today,
        with_opted_out=sees_opted_out(level, own=own),
    )


def next_version(
    record: Record, *, kind: ChangeKind, at: datetime, by: str, reason: str = "", **changes: object
) -> Record:
    """The record after one change: fields replaced, version raised, the change in its history."""
    version = record.version + 1
    entry = RecordChange(version=version, kind=kind, at=at, by=by, reason=reason)
    data = record.model_dump() | changes | {"version": version}
    data["history"] = [*record.history, entry]
    return Record.model_validate(data)


def first_version(record: Record, *, at: datetime, by: str) -> Record:
    """A new record with its creation as the first entry of its history."""
    entry = RecordChange(version=1, kind=ChangeKind.CREATED, at=at, by=by)
    return record.model_copy(update={"version": 1, "history": (entry,)})
