"""What a report shows, as values already masked for its requester.

The resolver builds this from the same views the API returns (the record, subject and
commitment views of resolvers/, masked by auth/masking.py), so a report never shows more than
the API would show the same viewer; this package only lays it out, draws the seal and QR code,
and signs.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass
from datetime import date, datetime
from typing import Protocol

from auth.masking import ShownValue
from domain.catalogue import CreditField
from domain.commitments import CommitmentStatus
from domain.disclosure import Severity
from domain.identifiers import SubjectKind
from domain.listing_notice import BasisLine
from domain.masking import PublicAttribute
from domain.records import ObjectionOutcome, RecordStatus
from domain.repair import RepairState
from domain.reports import ReportKind, ReportPurpose

CENTRE = "深圳市公共信用中心"


class Sealed(Protocol):
    """A document the centre seals and signs: a serial, the issuer, a content digest."""

    @property
    def serial(self) -> str: ...

    @property
    def centre(self) -> str: ...

    def digest(self) -> str: ...


@dataclass(frozen=True)
class Entry:
    """One record in a section: its catalogue item, decision and disclosure, its data items."""

    title: str
    document_number: str
    decision_date: date
    source_unit: str  # its name in the source-unit registry
    disclosed_from: date
    disclosed_until: date
    severity: Severity | None
    data_items: tuple[ShownValue, ...]


@dataclass(frozen=True)
class ListingEntry:
    """A blacklist entry (黑名单), in force or past, as the API shows it."""

    listed_on: date
    until: date
    in_force: bool
    reason: str
    basis: tuple[BasisLine, ...]
    removed_on: date | None
    removal_reason: str | None


@dataclass(frozen=True)
class CommitmentEntry:
    """A commitment registered by its managing unit; its data items (kind, number, content,
    managing unit, validity ...) masked for the requester as the API masks them."""

    status: CommitmentStatus
    fulfilled_on: date | None
    violated_on: date | None
    data_items: tuple[ShownValue, ...]


@dataclass(frozen=True)
class RepairLine:
    """A repair of one record: an application and its state, or a repair with none on file."""

    title: str
    document_number: str
    decision_date: date
    state: RepairState | None  # None: the record was repaired, no application is on file
    submitted_at: datetime | None
    decided_at: datetime | None


@dataclass(frozen=True)
class ReportContent:
    serial: str
    issued_at: datetime
    as_of: date
    purpose: ReportPurpose
    subject_kind: SubjectKind
    subject_name: ShownValue
    basic: tuple[ShownValue, ...]
    level: PublicAttribute
    good: tuple[Entry, ...]
    dishonest: tuple[Entry, ...]
    blacklist: tuple[ListingEntry, ...] = ()
    # 信用承诺: those registered by managing units, and the catalogue's COMMITMENT records
    # submitted by them as public commitment information; the report says which is which.
    commitments: tuple[CommitmentEntry, ...] = ()
    commitment_records: tuple[Entry, ...] = ()
    repairs: tuple[RepairLine, ...] = ()
    omitted: int = 0
    centre: str = CENTRE

    def digest(self) -> str:
        return content_digest(self)


@dataclass(frozen=True)
class Violation:
    """A record a special report found in a field: what was decided, when, by whom, and its
    state (a repaired one says so)."""

    title: str
    document_number: str
    decision_date: date
    source_unit: str  # its name in the source-unit registry
    status: RecordStatus


@dataclass(frozen=True)
class FieldFinding:
    """One field of a special report: nothing found (无违法违规记录), or what was."""

    field: CreditField
    found: tuple[Violation, ...]


@dataclass(frozen=True)
class SpecialReportContent:
    """A 专项信用报告 (信用报告代替无违法违规证明): per field, the subject's violations decided
    from `start` to `end` (domain.reports.violations_by_field)."""

    serial: str
    issued_at: datetime
    subject_kind: SubjectKind
    subject_name: ShownValue
    basic: tuple[ShownValue, ...]
    start: date
    end: date
    findings: tuple[FieldFinding, ...]
    omitted: int = 0
    centre: str = CENTRE

    def digest(self) -> str:
        return content_digest(self)


@dataclass(frozen=True)
class NoticeContent:
    """A notice to the subject on a decision about one of its records: a 信用修复决定书 on an
    approved repair, a 异议处理告知书 on a decided objection (reports/notices.py)."""

    serial: str
    issued_at: datetime
    kind: ReportKind
    subject_kind: SubjectKind
    subject_name: ShownValue
    record_title: str
    document_number: str
    decision_date: date
    source_unit: str  # its name in the source-unit registry
    filed_at: datetime  # the application or objection
    outcome: RepairState | ObjectionOutcome
    reason: str
    decided_at: datetime
    centre: str = CENTRE

    def digest(self) -> str:
        return content_digest(self)


def content_digest(content: ReportContent | SpecialReportContent | NoticeContent) -> str:
    """SHA-256 of the content as canonical JSON: what the QR code binds the page to."""
    data = json.dumps(asdict(content), ensure_ascii=False, sort_keys=True, default=_jsonable)
    return hashlib.sha256(data.encode("utf-8")).hexdigest()


def _jsonable(value: object) -> object:
    if isinstance(value, BasisLine):
        return value.model_dump(mode="json")
    return str(value)
