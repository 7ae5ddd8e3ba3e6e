"""Valid subjects and records for tests, built through the domain's own rules."""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from datetime import UTC, date, datetime

from auth.masking import show_items
from domain.blacklist import BlacklistEntry
from domain.calendar import DateWindow, WorkingDayCalendar
from domain.catalogue import Catalogue, Category
from domain.commitments import (
    COMMITMENT_ITEM,
    Commitment,
    CommitmentKind,
    CommitmentStatus,
    commitment_id,
)
from domain.disclosure import Severity, disclosure_period
from domain.identifiers import (
    USCC_CHARSET,
    SubjectKind,
    resident_check_character,
    uscc_check_character,
)
from domain.listing_notice import build_notice
from domain.masking import PublicAttribute
from domain.records import Record, RecordStatus
from domain.reports import ReportPurpose
from domain.subjects import Subject
from reports.content import RepairLine, ReportContent
from resolvers.commitments import CommitmentView
from resolvers.records import record_view
from resolvers.reports import report_content
from resolvers.subjects import subject_view
from store.calendar import read_default_calendar
from store.catalogue import read_default_catalogue
from store.changes import NewRecords

EPIDEMIC = DateWindow(start=date(2020, 1, 24), end=date(2020, 12, 31))
CREATED = datetime(2021, 7, 1, tzinfo=UTC)
_serial = itertools.count(1)

# The shipped working-day calendar (store/default_calendar.toml), for pure deadline tests.
SCHEDULES = read_default_calendar()
PRC_CALENDAR = WorkingDayCalendar.of(SCHEDULES)


def resident_id(serial: int, born: str = "19800101") -> str:
    body = f"440305{born}{serial % 1000:03d}"
    return body + resident_check_character(body)


def uscc(serial: int) -> str:
    tail = "".join(USCC_CHARSET[(serial // 31**i) % 31] for i in range(9))
    body = f"91440300{tail}"
    return body + uscc_check_character(body)


def person(serial: int | None = None, *, name: str = "王小明") -> Subject:
    n = next(_serial) if serial is None else serial
    return Subject(
        id=f"s-person-{n}",
        kind=SubjectKind.NATURAL_PERSON,
        identifier=resident_id(n),
        name=name,
        basic={
            "district": "南山区",
            "address": "深圳市南山区科技园南区高新南四道18号",
            "mobile": "13812345678",
            "birth_date": "1980-01-01",
        },
        created_at=CREATED,
    )


def firm(serial: int | None = None, *, name: str = "深圳市华鹏科技有限公司") -> Subject:
    n = next(_serial) if serial is None else serial
    return Subject(
        id=f"s-firm-{n}",
        kind=SubjectKind.LEGAL_PERSON,
        identifier=uscc(n),
        name=name,
        basic={
            "district": "福田区",
            "address": "深圳市福田区福华三路1号",
            "legal_representative": "李建国",
            "contact_phone": "13912345678",
        },
        created_at=CREATED,
    )


SOURCE_UNIT = "440300-TEST"
SOURCE_UNIT_NAME = "深圳市测试信息提供单位"


def record(
    catalogue: Catalogue,
    subject: Subject,
    *,
    item_code: str,
    decided: date,
    severity: Severity = Severity.GENERAL,
    epidemic_related: bool = False,
    status: RecordStatus = RecordStatus.ACTIVE,
    data_items: dict[str, str] | None = None,
    record_id: str | None = None,
) -> Record:
    """A record whose data items fill every required item with a value of its format."""
    item = catalogue.by_code[item_code]
    n = next(_serial)
    values = (
        data_items
        if data_items is not None
        else {
            spec.key: sample_value(spec.format.value, spec.enum_values, n)
            for spec in item.data_items
            if spec.required
        }
    )
    if data_items is None and "conduct_date" in values:
        # Notice 一(一): conduct in the epidemic window, on or before the commendation.
        values["conduct_date"] = min(decided, EPIDEMIC.end).isoformat()
    dishonest = item.category is Category.DISHONEST
    return Record(
        id=record_id or f"r-{n}",
        subject_id=subject.id,
        subject_kind=subject.kind,
        item_code=item.code,
        catalogue_version=catalogue.version,
        category=item.category,
        severity=severity if dishonest else None,
        source_unit=SOURCE_UNIT,
        source_record_id=f"T{n}",
        document_number=f"深市监罚〔{decided.year}〕{n}号",
        decision_date=decided,
        epidemic_related=epidemic_related,
        data_items=values,
        disclosure=disclosure_period(
            rules=catalogue.disclosure_rules,
            family=item.disclosure_rule,
            clause=item.clause,
            decision_date=decided,
            severity=severity,
            dishonest=dishonest,
            epidemic_related=epidemic_related,
            epidemic_window=EPIDEMIC,
        ),
        status=status,
        created_at=CREATED,
    )


def sample_value(data_format: str, enum_values: tuple[str, ...], n: int) -> str:
    match data_format:
        case "date":
            return "2020-03-15"
        case "datetime":
            return "2020-03-15T10:00:00+08:00"
        case "amount":
            return str(100_000 + n)
        case "enum":
            return enum_values[0]
        case "identifier":
            return uscc(n)
        case "document_number":
            return f"深市监罚〔2020〕{n}号"
        case _:
            return f"测试内容{n}"


def report(
    catalogue: Catalogue,
    subject: Subject,
    records: Sequence[Record] = (),
    *,
    level: PublicAttribute = PublicAttribute.PUBLIC,
    omitted: int = 0,
    entries: Sequence[BlacklistEntry] = (),
    commitments: Sequence[Commitment] = (),
    repairs: Sequence[RepairLine] = (),
    purpose: ReportPurpose = ReportPurpose.COMPREHENSIVE,
) -> ReportContent:
    """A report's content as the resolver builds it for a viewer at `level` on 2020-09-01."""
    day = date(2020, 9, 1)
    commitment_item = catalogue.by_code[COMMITMENT_ITEM]
    return report_content(
        serial="44030020200901000001",
        issued_at=datetime(2020, 9, 1, 4, 0, tzinfo=UTC),
        as_of=day,
        purpose=purpose,
        subject=subject_view(subject, catalogue.basic_item(subject.kind), level),
        records=[record_view(r, catalogue.by_code[r.item_code], level, day) for r in records],
        entries=entries,
        commitments=[
            CommitmentView(c, show_items(commitment_item, c.data_items(), level), level)
            for c in commitments
        ],
        repairs=repairs,
        omitted=omitted,
        unit_names={SOURCE_UNIT: SOURCE_UNIT_NAME},
    )


def commitment(
    subject: Subject,
    *,
    kind: CommitmentKind = CommitmentKind.RESUMPTION_OF_WORK,
    signed: date = date(2020, 3, 1),
    valid_until: date = date(2021, 2, 28),
    status: CommitmentStatus = CommitmentStatus.ACTIVE,
    unit: str = "440300-IIT",
    violated_on: date | None = None,
    violation_record_id: str | None = None,
    signatory: str | None = "李建国",
) -> Commitment:
    """A commitment registered by a managing unit, valid from its signing day."""
    number = f"深工信承诺〔2020〕{next(_serial)}号"
    return Commitment(
        id=commitment_id(unit, number),
        subject_id=subject.id,
        subject_kind=subject.kind,
        kind=kind,
        managing_unit=unit,
        managing_unit_name="深圳市工业和信息化局",
        number=number,
        content="承诺复工后严格落实体温检测、佩戴口罩等防控措施",
        benefits="容缺受理",
        signatory=signatory,
        signed_on=signed,
        valid_from=signed,
        valid_until=valid_until,
        status=status,
        catalogue_version=read_default_catalogue().version,
        violated_on=violated_on,
        violation_record_id=violation_record_id,
        created_at=CREATED,
    )


def blacklist_entry(
    subject: Subject,
    basis: Sequence[Record],
    *,
    listed: date,
    until: date,
    removed: date | None = None,
) -> BlacklistEntry:
    """An entry as the credit centre lists it, resting on `basis`."""
    return BlacklistEntry(
        id=f"bl-{next(_serial)}",
        subject_id=subject.id,
        basis_record_ids=tuple(r.id for r in basis),
        reason="疫情防控期间严重失信",
        listed_on=listed,
        until=until,
        listed_by="centre-user",
        notice=build_notice(basis=basis, titles={}, reason="疫情防控期间严重失信", until=until),
        removed_on=removed,
        removed_by=None if removed is None else "centre-user",
        removal_reason=None if removed is None else "依法移出",
        created_at=CREATED,
    )


def logged(versions: Sequence[Record]) -> NewRecords:
    """Records already in the version a write logs them in, made ready to log."""
    new = NewRecords()
    new.add_logged(versions)
    return new
