"""Pure tests of record submission: every check on both sides of its boundary.

Also a batch against what is stored: duplicates, conflicts, corrections, revocation.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import replace
from datetime import UTC, date, datetime
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.calendar import DateWindow
from domain.catalogue import Catalogue, CatalogueVersions
from domain.data_items import DataFormat, DataItemSpec, check_value
from domain.disclosure import Severity, disclosure_period
from domain.errors import Problem, ProblemCode
from domain.identifiers import SubjectKind
from domain.masking import PublicAttribute
from domain.outcomes import (
    BatchPlan,
    BatchPlanner,
    ItemResult,
    Outcome,
    changed_meanwhile,
    differences,
    lost_race,
)
from domain.records import ChangeKind, Record, RecordStatus, first_version, publicly_visible
from domain.source_units import Authority, SourceUnit, UnitLevel
from domain.subjects import Subject, SubjectRef
from domain.submission import RecordSubmission, judge, record_id, revoked
from tests import factories
from tests.submissions import (
    CATALOGUE,
    COMMENDATION_ITEMS,
    COURT,
    DISTRICT_GOV,
    FIRM,
    HEALTH,
    NOW,
    PENALTY_ITEMS,
    PERSON,
    SAMR,
    SHARED_PENALTY_ITEMS,
    STREET_OFFICE,
    TODAY,
    VERSIONS,
    WINDOW,
    commendation,
    late_report,
    penalty,
    ref,
)


def run(
    submission: RecordSubmission,
    *,
    unit: SourceUnit = SAMR,
    subject: Subject | None = None,
    window: DateWindow = WINDOW,
) -> Record | list[Problem]:
    return judge(
        submission,
        catalogues=VERSIONS,
        unit=unit,
        subject=subject,
        new_subject_id="s-new",
        today=TODAY,
        now=NOW,
        epidemic_window=window,
    )


def accepted(submission: RecordSubmission, **kwargs: Any) -> Record:
    judged = run(submission, **kwargs)
    assert isinstance(judged, Record), judged
    return judged


def problems(submission: RecordSubmission, **kwargs: Any) -> list[tuple[ProblemCode, str]]:
    judged = run(submission, **kwargs)
    assert isinstance(judged, list), judged
    return [(p.code, p.field) for p in judged]


# The record built


def test_judge_valid_penalty_builds_the_record_to_store() -> None:
    record = accepted(penalty(), subject=FIRM)

    assert record.id == record_id("440300-SAMR-FT", "2020-000001")
    assert record.subject_id == FIRM.id
    assert record.source_unit == "440300-SAMR-FT"
    assert record.catalogue_version == CATALOGUE.version
    assert record.severity is Severity.GENERAL
    assert record.status is RecordStatus.ACTIVE
    assert record.data_items == PENALTY_ITEMS
    assert record.created_at == NOW
    assert record.disclosure.end == date(2023, 3, 1)  # notice 二(八): a 一(二) act in the window


def test_judge_new_subject_takes_the_given_id() -> None:
    assert accepted(penalty()).subject_id == "s-new"


def test_record_id_is_stable_per_unit_and_source_id() -> None:
    assert record_id("U1", "A") == record_id("U1", "A")
    assert record_id("U1", "A") != record_id("U2", "A")
    assert record_id("U1", "A") != record_id("U1", "B")


def test_judge_values_are_stored_trimmed() -> None:
    items = PENALTY_ITEMS | {"offence": "  销售不合格口罩  "}

    assert accepted(penalty(items=items)).data_items["offence"] == "销售不合格口罩"


def test_judge_reports_every_problem_at_once() -> None:
    bad = penalty(
        subject=SubjectRef(kind=SubjectKind.LEGAL_PERSON, identifier="91440300X", name=""),
        decision_date=date(2020, 9, 2),
        severity=None,
        items={k: v for k, v in PENALTY_ITEMS.items() if k != "offence"} | {"foo": "x"},
    )

    assert sorted(problems(bad)) == sorted(
        [
            (ProblemCode.REQUIRED_MISSING, "subject.name"),
            (ProblemCode.INVALID_IDENTIFIER, "subject.identifier"),
            (ProblemCode.FUTURE_DATE, "decisionDate"),
            (ProblemCode.NOT_IN_CATALOGUE, "dataItems.foo"),
            (ProblemCode.REQUIRED_MISSING, "dataItems.offence"),
            (ProblemCode.REQUIRED_MISSING, "severity"),
        ]
    )


# Identifiers, names, ids


def test_judge_identifier_with_wrong_check_character_is_refused() -> None:
    wrong = FIRM.identifier[:17] + ("0" if FIRM.identifier[17] != "0" else "1")
    subject = SubjectRef(kind=SubjectKind.LEGAL_PERSON, identifier=wrong, name=FIRM.name)

    assert problems(penalty(subject=subject)) == [
        (ProblemCode.INVALID_IDENTIFIER, "subject.identifier")
    ]


def test_judge_person_number_given_as_a_firm_is_refused() -> None:
    subject = SubjectRef(kind=SubjectKind.LEGAL_PERSON, identifier=PERSON.identifier, name="某")

    assert (ProblemCode.INVALID_IDENTIFIER, "subject.identifier") in problems(
        penalty(subject=subject)
    )


@pytest.mark.parametrize(
    ("field", "changes"),
    [
        ("sourceRecordId", {"source_record_id": "x" * 65}),
        ("documentNumber", {"document_number": "深" * 65}),
    ],
)
def test_judge_text_over_its_limit_is_too_long(field: str, changes: dict[str, str]) -> None:
    assert problems(penalty(**changes)) == [(ProblemCode.TOO_LONG, field)]


@pytest.mark.parametrize(
    "changes", [{"source_record_id": "x" * 64}, {"document_number": "深" * 64}]
)
def test_judge_text_at_its_limit_is_accepted(changes: dict[str, str]) -> None:
    accepted(penalty(**changes))


@pytest.mark.parametrize(
    ("field", "changes"),
    [
        ("sourceRecordId", {"source_record_id": "  "}),
        ("documentNumber", {"document_number": ""}),
    ],
)
def test_judge_blank_text_is_missing(field: str, changes: dict[str, str]) -> None:
    assert problems(penalty(**changes)) == [(ProblemCode.REQUIRED_MISSING, field)]


def test_judge_document_number_with_control_character_is_invalid() -> None:
    assert problems(penalty(document_number="深市监罚\x00〔2020〕1号")) == [
        (ProblemCode.INVALID_FORMAT, "documentNumber")
    ]


def test_judge_subject_name_differing_from_file_is_a_mismatch_without_echoing_it() -> None:
    renamed = SubjectRef(kind=FIRM.kind, identifier=FIRM.identifier, name="别的名字有限公司")

    judged = run(penalty(subject=renamed), subject=FIRM)

    assert isinstance(judged, list)
    assert [(p.code, p.field) for p in judged] == [(ProblemCode.SUBJECT_MISMATCH, "subject.name")]
    assert FIRM.name not in judged[0].message


def test_judge_subject_kind_differing_from_file_is_a_mismatch() -> None:
    other = SubjectRef(
        kind=SubjectKind.OTHER_ORGANIZATION, identifier=FIRM.identifier, name=FIRM.name
    )

    assert problems(penalty(subject=other), subject=FIRM) == [
        (ProblemCode.SUBJECT_MISMATCH, "subject.kind")
    ]


# The catalogue item


def test_judge_unknown_item_is_not_in_catalogue() -> None:
    assert problems(penalty(item_code="DISHONEST_99")) == [(ProblemCode.NOT_IN_CATALOGUE, "item")]


def test_judge_basic_information_item_is_not_a_record() -> None:
    submission = penalty(item_code="BASIC_LEGAL_PERSON", severity=None, items={})

    assert (ProblemCode.NOT_IN_CATALOGUE, "item") in problems(submission)


def test_judge_decision_before_the_catalogue_is_in_force_is_refused() -> None:
    assert problems(penalty(decision_date=date(2020, 1, 23))) == [
        (ProblemCode.ITEM_NOT_IN_FORCE, "item")
    ]


def test_judge_decision_on_the_catalogue_first_day_is_accepted() -> None:
    assert accepted(penalty(decision_date=date(2020, 1, 24))).catalogue_version == "2020.2"


LATER = Catalogue.model_validate(
    CATALOGUE.model_dump()
    | {
        "version": "2021.1",
        "effective_from": date(2021, 1, 1),
        "items": [i.model_dump() for i in CATALOGUE.items if i.code != "DISHONEST_4"],
    }
)


@pytest.mark.parametrize(
    ("decided", "in_force"), [(date(2020, 12, 31), True), (date(2021, 1, 1), False)]
)
def test_judge_item_dropped_by_a_later_version_is_not_in_force_after_it(
    decided: date, in_force: bool
) -> None:
    submission = penalty(item_code="DISHONEST_4", decision_date=decided, items=SHARED_PENALTY_ITEMS)

    judged = judge(
        submission,
        catalogues=CatalogueVersions([CATALOGUE, LATER]),
        unit=SAMR,
        subject=None,
        new_subject_id="s-new",
        today=date(2021, 6, 1),
        now=NOW,
        epidemic_window=WINDOW,
    )

    if in_force:
        assert isinstance(judged, Record)
        assert judged.catalogue_version == "2020.2"
    else:
        assert isinstance(judged, list)
        assert [(p.code, p.field) for p in judged] == [(ProblemCode.ITEM_NOT_IN_FORCE, "item")]


def test_judge_decision_today_is_accepted() -> None:
    accepted(penalty(decision_date=TODAY))


def test_judge_decision_tomorrow_is_in_the_future() -> None:
    assert problems(penalty(decision_date=date(2020, 9, 2))) == [
        (ProblemCode.FUTURE_DATE, "decisionDate")
    ]


def test_judge_subject_kind_outside_the_item_is_refused() -> None:
    # DISHONEST_3 (endangering medical staff) is about natural persons only.
    submission = penalty(item_code="DISHONEST_3", items=SHARED_PENALTY_ITEMS)

    assert problems(submission) == [(ProblemCode.SUBJECT_KIND_NOT_ALLOWED, "subject.kind")]


def test_judge_dishonesty_without_severity_is_missing_it() -> None:
    assert problems(penalty(severity=None)) == [(ProblemCode.REQUIRED_MISSING, "severity")]


def test_judge_good_behaviour_with_severity_is_refused() -> None:
    submission = commendation(severity=Severity.GENERAL)

    assert problems(submission, unit=HEALTH) == [(ProblemCode.INVALID_FORMAT, "severity")]


def test_judge_good_behaviour_has_no_severity() -> None:
    assert accepted(commendation(), unit=HEALTH).severity is None


# Who submits what (notice 一(三))


def test_judge_penalty_unit_submitting_a_commendation_is_not_authorized() -> None:
    assert problems(commendation(), unit=SAMR) == [(ProblemCode.UNIT_NOT_AUTHORIZED, "item")]


@pytest.mark.parametrize(
    ("unit", "authorized"), [(HEALTH, True), (DISTRICT_GOV, True), (STREET_OFFICE, False)]
)
def test_judge_commendation_needs_a_department_at_district_level_or_above(
    unit: SourceUnit, authorized: bool
) -> None:
    district_level = commendation(items=COMMENDATION_ITEMS | {"commendation_level": "区级"})

    judged = run(district_level, unit=unit)

    if authorized:
        assert isinstance(judged, Record)
    else:
        assert problems(district_level, unit=unit) == [(ProblemCode.UNIT_NOT_AUTHORIZED, "item")]


@pytest.mark.parametrize(
    "judgment",
    [
        PENALTY_ITEMS | {"penalty_type": "刑事处罚"},
        PENALTY_ITEMS | {"judgment_number": "（2020）粤03刑初12号"},
    ],
)
def test_judge_criminal_judgment_from_a_penalty_unit_is_not_authorized(
    judgment: dict[str, str],
) -> None:
    assert problems(penalty(items=judgment), unit=SAMR) == [
        (ProblemCode.UNIT_NOT_AUTHORIZED, "item")
    ]


def test_judge_criminal_judgment_from_the_intermediate_court_is_accepted() -> None:
    judgment = PENALTY_ITEMS | {
        "penalty_type": "刑事处罚",
        "judgment_number": "（2020）粤03刑初12号",
        "deciding_authority": "深圳市中级人民法院",
    }

    assert accepted(penalty(items=judgment), unit=COURT).source_unit == COURT.code


def test_judge_administrative_penalty_from_the_court_is_not_authorized() -> None:
    assert problems(penalty(), unit=COURT) == [(ProblemCode.UNIT_NOT_AUTHORIZED, "item")]


def test_judge_broken_commitment_comes_from_the_managing_unit() -> None:
    items = {
        "commitment_number": "深卫健承诺〔2020〕3号",
        "commitment_type": "疫情防控",
        "commitment_content": "严格落实测温、消毒等防控措施",
        "violation_facts": "未落实测温措施",
        "epidemic_impact": "增加了防控成本",
        "managing_unit": "深圳市卫生健康委员会",
        "finding_date": "2020-05-01",
    }
    broken = penalty(item_code="DISHONEST_5", items=items)

    assert accepted(broken, unit=HEALTH).item_code == "DISHONEST_5"
    assert problems(broken, unit=SAMR) == [(ProblemCode.UNIT_NOT_AUTHORIZED, "item")]


# Data items (notice 一(四): nothing outside the catalogue)


def test_judge_unknown_data_item_key_is_named() -> None:
    items = PENALTY_ITEMS | {"home_address": "深圳市福田区"}

    assert problems(penalty(items=items)) == [
        (ProblemCode.NOT_IN_CATALOGUE, "dataItems.home_address")
    ]


def test_judge_data_item_given_twice_is_invalid() -> None:
    submission = penalty(data_items=(*PENALTY_ITEMS.items(), ("offence", "另一个")))

    assert problems(submission) == [(ProblemCode.INVALID_FORMAT, "dataItems.offence")]


@pytest.mark.parametrize(
    ("key", "code"),
    [("offence", ProblemCode.REQUIRED_MISSING), ("fine_amount", ProblemCode.INVALID_FORMAT)],
)
def test_judge_empty_value_is_missing_when_required_else_invalid(
    key: str, code: ProblemCode
) -> None:
    assert problems(penalty(items=PENALTY_ITEMS | {key: " "})) == [(code, f"dataItems.{key}")]


def test_judge_optional_data_item_may_be_left_out() -> None:
    items = {k: v for k, v in PENALTY_ITEMS.items() if k != "fine_amount"}

    assert "fine_amount" not in accepted(penalty(items=items)).data_items


@pytest.mark.parametrize(("length", "too_long"), [(1000, False), (1001, True)])
def test_judge_data_item_max_length_boundary(length: int, too_long: bool) -> None:
    items = PENALTY_ITEMS | {"penalty_basis": "法" * length}

    judged = run(penalty(items=items))

    if too_long:
        assert problems(penalty(items=items)) == [(ProblemCode.TOO_LONG, "dataItems.penalty_basis")]
    else:
        assert isinstance(judged, Record)


def test_judge_enum_value_outside_the_list_is_refused() -> None:
    items = PENALTY_ITEMS | {"penalty_type": "批评教育"}

    assert problems(penalty(items=items)) == [(ProblemCode.NOT_IN_ENUM, "dataItems.penalty_type")]


def spec(data_format: DataFormat, **changes: Any) -> DataItemSpec:
    fields: dict[str, Any] = {
        "key": "value",
        "label_zh": "值",
        "label_en": "Value",
        "format": data_format,
        "public_attribute": PublicAttribute.PUBLIC,
        "max_length": 40,
    }
    return DataItemSpec(**(fields | changes))


FORMAT_CASES = [
    (DataFormat.DATE, "2020-02-29", None),
    (DataFormat.DATE, "2020-02-30", ProblemCode.INVALID_FORMAT),
    (DataFormat.DATE, "2020-3-1", ProblemCode.INVALID_FORMAT),
    (DataFormat.DATE, "20200301", ProblemCode.INVALID_FORMAT),
    (DataFormat.DATE, "2020-03-01T00:00:00+08:00", ProblemCode.INVALID_FORMAT),
    (DataFormat.DATE, "２０２０-03-01", ProblemCode.INVALID_FORMAT),
    (DataFormat.DATETIME, "2020-03-15T10:00:00+08:00", None),
    (DataFormat.DATETIME, "2020-03-15T10:00Z", None),
    (DataFormat.DATETIME, "2020-03-15T10:00:00.123456-05:30", None),
    (DataFormat.DATETIME, "2020-03-15T10:00:00", ProblemCode.INVALID_FORMAT),
    (DataFormat.DATETIME, "2020-03-15 10:00:00+08:00", ProblemCode.INVALID_FORMAT),
    (DataFormat.DATETIME, "2020-03-15T25:00:00+08:00", ProblemCode.INVALID_FORMAT),
    (DataFormat.DATETIME, "2020-03-15", ProblemCode.INVALID_FORMAT),
    (DataFormat.AMOUNT, "0", None),
    (DataFormat.AMOUNT, "500000", None),
    (DataFormat.AMOUNT, "-1", ProblemCode.INVALID_FORMAT),
    (DataFormat.AMOUNT, "01", ProblemCode.INVALID_FORMAT),
    (DataFormat.AMOUNT, "1.5", ProblemCode.INVALID_FORMAT),
    (DataFormat.AMOUNT, "１２", ProblemCode.INVALID_FORMAT),
    (DataFormat.AMOUNT, "1e3", ProblemCode.INVALID_FORMAT),
    (DataFormat.IDENTIFIER, FIRM.identifier, None),
    (DataFormat.IDENTIFIER, PERSON.identifier, None),
    (DataFormat.IDENTIFIER, FIRM.identifier[:17] + "?", ProblemCode.INVALID_IDENTIFIER),
    (DataFormat.TEXT, "第一行", None),
    (DataFormat.TEXT, "第一行\n第二行", ProblemCode.INVALID_FORMAT),
    (DataFormat.TEXT, "响铃\x07", ProblemCode.INVALID_FORMAT),
    (DataFormat.DOCUMENT_NUMBER, "深市监罚〔2020〕1号", None),
    (DataFormat.DOCUMENT_NUMBER, "深市监罚\t〔2020〕1号", ProblemCode.INVALID_FORMAT),
]


@pytest.mark.parametrize(("data_format", "value", "code"), FORMAT_CASES)
def test_check_value_format(data_format: DataFormat, value: str, code: ProblemCode | None) -> None:
    _, found = check_value(spec(data_format), value, "dataItems.value", today=TODAY)

    assert [(p.code, p.field) for p in found] == (
        [] if code is None else [(code, "dataItems.value")]
    )


@pytest.mark.parametrize(("value", "code"), [("一般", None), ("其他", ProblemCode.NOT_IN_ENUM)])
def test_check_value_enum(value: str, code: ProblemCode | None) -> None:
    enum = spec(DataFormat.ENUM, enum_values=("一般", "严重"))

    _, found = check_value(enum, value, "f", today=TODAY)

    assert [p.code for p in found] == ([] if code is None else [code])


def test_check_value_identifier_is_canonical_upper_case() -> None:
    canonical, found = check_value(
        spec(DataFormat.IDENTIFIER), FIRM.identifier.lower(), "f", today=TODAY
    )

    assert (canonical, found) == (FIRM.identifier, [])


@pytest.mark.parametrize(("length", "codes"), [(40, []), (41, [ProblemCode.TOO_LONG])])
def test_check_value_max_length_boundary(length: int, codes: list[ProblemCode]) -> None:
    _, found = check_value(spec(DataFormat.TEXT), "字" * length, "f", today=TODAY)

    assert [p.code for p in found] == codes


# Recording opt-out (Shenzhen regulation art. 39)


def test_judge_commendation_of_a_person_who_opted_out_is_refused() -> None:
    opted_out = PERSON.model_copy(update={"opted_out": True})

    assert problems(commendation(), unit=HEALTH, subject=opted_out) == [
        (ProblemCode.SUBJECT_OPTED_OUT, "subject.identifier")
    ]


# Issue 8.9: each way a commendation can be wrong other than the opt-out itself.
BREAKAGES: dict[str, dict[str, Any]] = {
    "name on file differs": {"subject": replace(ref(PERSON), name="王某某")},
    "future decision": {"decision_date": date(2020, 9, 2)},
    "blank document number": {"document_number": " "},
    "data item outside the catalogue": {"items": COMMENDATION_ITEMS | {"mobile": "1"}},
    "conduct after the window": {"items": COMMENDATION_ITEMS | {"conduct_date": "2021-01-05"}},
    "item not in the catalogue": {"item_code": "GOOD_99"},
    "severity on good behaviour": {"severity": Severity.GENERAL},
}


@given(breakages=st.lists(st.sampled_from(sorted(BREAKAGES)), min_size=1, max_size=3, unique=True))
def test_judge_opt_out_is_never_told_about_a_record_with_another_problem(
    breakages: list[str],
) -> None:
    opted_out = PERSON.model_copy(update={"opted_out": True})
    changes: dict[str, Any] = {}
    for breakage in breakages:
        changes |= BREAKAGES[breakage]

    found = problems(commendation(**changes), unit=HEALTH, subject=opted_out)

    assert found
    assert ProblemCode.SUBJECT_OPTED_OUT not in {code for code, _ in found}


def test_judge_commendation_of_a_person_who_did_not_opt_out_is_accepted() -> None:
    assert accepted(commendation(), unit=HEALTH, subject=PERSON).subject_id == PERSON.id


def test_judge_penalty_of_a_person_who_opted_out_is_still_recorded() -> None:
    # The opt-out covers commendations, volunteering and donations only.
    opted_out = PERSON.model_copy(update={"opted_out": True})
    submission = penalty(item_code="DISHONEST_1", subject=ref(PERSON), items=SHARED_PENALTY_ITEMS)

    assert accepted(submission, subject=opted_out).subject_id == PERSON.id


# Tolerance (notice 三(十))

NARROW = DateWindow(start=date(2020, 2, 1), end=date(2020, 6, 30))


@pytest.mark.parametrize(
    ("decided", "status"),
    [
        (date(2020, 1, 31), RecordStatus.ACTIVE),
        (date(2020, 2, 1), RecordStatus.EXCUSED),
        (date(2020, 6, 30), RecordStatus.EXCUSED),
        (date(2020, 7, 1), RecordStatus.ACTIVE),
    ],
)
def test_judge_tolerable_item_is_excused_only_inside_the_window(
    decided: date, status: RecordStatus
) -> None:
    record = accepted(late_report(decision_date=decided), window=NARROW)

    assert record.status is status


def test_judge_tolerable_item_without_epidemic_cause_is_active() -> None:
    record = accepted(late_report(epidemic_related=False, decision_date=date(2020, 3, 1)))

    assert record.status is RecordStatus.ACTIVE


def test_judge_epidemic_related_penalty_is_active_not_excused() -> None:
    record = accepted(penalty(epidemic_related=True))

    assert record.status is RecordStatus.ACTIVE
    assert record.disclosure.end == date(2023, 3, 1)  # notice 二(八): the serious period


def test_excused_record_is_never_publicly_visible_during_its_period() -> None:
    record = accepted(late_report(decision_date=date(2020, 3, 1)))

    assert record.status is RecordStatus.EXCUSED
    assert not publicly_visible(record, date(2020, 3, 2))
    assert publicly_visible(
        record.model_copy(update={"status": RecordStatus.ACTIVE}), date(2020, 3, 2)
    )


def test_disclosure_period_of_tolerated_matter_is_not_the_serious_period() -> None:
    period = disclosure_period(
        rules=CATALOGUE.disclosure_rules,
        family="dishonesty",
        clause="三(十)",
        decision_date=date(2020, 3, 1),
        severity=Severity.GENERAL,
        dishonest=True,
        epidemic_related=True,
        epidemic_window=WINDOW,
        tolerable=True,
    )

    assert (period.earliest_repair_date, period.end) == (date(2020, 6, 2), date(2021, 3, 1))
    assert "三(十)" in period.basis


def test_disclosure_period_of_tolerable_matter_after_the_window_is_ordinary() -> None:
    period = disclosure_period(
        rules=CATALOGUE.disclosure_rules,
        family="dishonesty",
        clause="三(十)",
        decision_date=date(2021, 3, 1),
        severity=Severity.GENERAL,
        dishonest=True,
        epidemic_related=True,
        epidemic_window=WINDOW,
        tolerable=True,
    )

    assert (period.earliest_repair_date, period.end) == (date(2021, 6, 2), date(2022, 3, 1))
    assert "三(十)" not in period.basis


# Submission is no oracle (issue 8 point 9)


@pytest.mark.parametrize(
    "broken",
    [
        {"document_number": ""},
        {"decision_date": date(2030, 1, 1)},
        {"data_items": (("offence", "x"),)},
        {"item_code": "DISHONEST_99"},
    ],
)
def test_judge_mismatch_is_not_reported_for_an_otherwise_invalid_record(
    broken: dict[str, Any],
) -> None:
    renamed = SubjectRef(kind=SubjectKind.OTHER_ORGANIZATION, identifier=FIRM.identifier, name="X")

    found = problems(penalty(subject=renamed, **broken), subject=FIRM)

    assert found
    assert ProblemCode.SUBJECT_MISMATCH not in {code for code, _ in found}


def test_judge_name_in_full_or_half_width_is_the_name_on_file() -> None:
    on_file = FIRM.model_copy(update={"name": "深圳市华鹏合伙企业（有限合伙）"})
    half_width = SubjectRef(FIRM.kind, FIRM.identifier, " 深圳市华鹏合伙企业(有限合伙)　")

    assert accepted(penalty(subject=half_width), subject=on_file)


# The authority a record names (issue 8 point 11)


def test_judge_penalty_of_another_deciding_authority_is_not_authorized() -> None:
    items = PENALTY_ITEMS | {"deciding_authority": "深圳市公安局福田分局"}

    assert problems(penalty(items=items)) == [
        (ProblemCode.UNIT_NOT_AUTHORIZED, "dataItems.deciding_authority")
    ]


def test_judge_deciding_authority_in_other_width_is_the_unit() -> None:
    items = PENALTY_ITEMS | {"deciding_authority": " 深圳市市场监督管理局福田监管局　"}

    assert accepted(penalty(items=items))


def test_judge_judgment_of_a_court_submitted_for_is_accepted() -> None:
    court = COURT.model_copy(
        update={"submits_for": (Authority(name="深圳市福田区人民法院", level=UnitLevel.DISTRICT),)}
    )
    judgment = PENALTY_ITEMS | {
        "penalty_type": "刑事处罚",
        "judgment_number": "（2020）粤0304刑初12号",
        "deciding_authority": "深圳市福田区人民法院",
    }

    assert accepted(penalty(items=judgment), unit=court)
    assert problems(penalty(items=judgment), unit=COURT) == [
        (ProblemCode.UNIT_NOT_AUTHORIZED, "dataItems.deciding_authority")
    ]


@pytest.mark.parametrize(
    ("unit_level", "commendation_level", "allowed"),
    [
        (unit_level, level, unit_level.at_least(UnitLevel(level)))
        for unit_level in (UnitLevel.PROVINCIAL, UnitLevel.MUNICIPAL, UnitLevel.DISTRICT)
        for level in ("国家级", "省级", "市级", "区级")
    ],
)
def test_judge_commendation_level_cannot_exceed_the_awarding_unit(
    unit_level: UnitLevel, commendation_level: str, allowed: bool
) -> None:
    unit = HEALTH.model_copy(update={"level": unit_level})
    items = COMMENDATION_ITEMS | {"commendation_level": commendation_level}

    judged = run(commendation(items=items), unit=unit)

    if allowed:
        assert isinstance(judged, Record)
    else:
        assert problems(commendation(items=items), unit=unit) == [
            (ProblemCode.LEVEL_ABOVE_AUTHORITY, "dataItems.commendation_level")
        ]


def test_judge_commendation_is_judged_by_the_level_of_the_authority_submitted_for() -> None:
    national = Authority(name="国家卫生健康委员会", level=UnitLevel.NATIONAL)
    unit = HEALTH.model_copy(update={"submits_for": (national,)})
    items = COMMENDATION_ITEMS | {
        "awarding_department": national.name,
        "commendation_level": "国家级",
    }

    assert accepted(commendation(items=items), unit=unit)
    assert problems(commendation(items=items), unit=HEALTH) == [
        (ProblemCode.UNIT_NOT_AUTHORIZED, "dataItems.awarding_department"),
        (ProblemCode.LEVEL_ABOVE_AUTHORITY, "dataItems.commendation_level"),
    ]


LATER_AT = datetime(2020, 9, 2, 4, tzinfo=UTC)


def plan(
    submissions: list[RecordSubmission],
    *,
    stored: Sequence[Record] = (),
    known: Sequence[Subject] = (FIRM,),
    now: datetime = NOW,
) -> BatchPlan:
    """The plan for a batch with `stored` records and `known` subjects on file."""
    serial = itertools.count(1)
    planner = BatchPlanner(
        stored={r.source_record_id: r for r in stored},
        subjects={s.identifier: s for s in known},
        catalogues=VERSIONS,
        unit=SAMR,
        today=TODAY,
        now=now,
        epidemic_window=WINDOW,
        mint_subject_id=lambda: f"s-minted-{next(serial)}",
    )
    for index, submission in enumerate(submissions):
        planner.add(index, submission)
    return planner.plan


def stored_version(submission: RecordSubmission, subject: Subject = FIRM) -> Record:
    """The record as the store holds it after the submission was accepted."""
    [record] = plan([submission], known=[subject]).new_records
    return first_version(record, at=record.created_at, by=record.source_unit)


def outcomes(result: BatchPlan) -> list[Outcome]:
    return [r.outcome for r in result.results]


def test_batch_planner_new_record_is_accepted_with_its_id() -> None:
    result = plan([penalty()])

    assert outcomes(result) == [Outcome.ACCEPTED]
    assert result.results[0].record_id == result.new_records[0].id
    assert result.new_subjects == []


def test_batch_planner_mixed_batch_keeps_the_good_items() -> None:
    result = plan(
        [penalty(), penalty(source_record_id="2", severity=None), late_report(source_record_id="3")]
    )

    assert outcomes(result) == [Outcome.ACCEPTED, Outcome.REJECTED, Outcome.ACCEPTED]
    assert [r.source_record_id for r in result.new_records] == ["2020-000001", "3"]
    rejected = result.results[1]
    assert (rejected.index, rejected.record_id) == (1, None)
    assert [(p.code, p.field) for p in rejected.problems] == [
        (ProblemCode.REQUIRED_MISSING, "severity")
    ]


def test_batch_planner_new_subject_is_created_once_for_two_records() -> None:
    result = plan([penalty(), late_report(source_record_id="2")], known=())

    [created] = result.new_subjects
    assert created.identifier == FIRM.identifier
    assert created.name == FIRM.name
    assert created.id == "s-minted-1"
    assert {r.subject_id for r in result.new_records} == {created.id}


def test_batch_planner_second_record_with_another_name_for_a_new_subject_is_a_mismatch() -> None:
    renamed = SubjectRef(kind=FIRM.kind, identifier=FIRM.identifier, name="另一家公司")

    result = plan([penalty(), late_report(source_record_id="2", subject=renamed)], known=())

    assert outcomes(result) == [Outcome.ACCEPTED, Outcome.REJECTED]
    assert result.results[1].problems[0].code is ProblemCode.SUBJECT_MISMATCH


def test_batch_planner_rejected_record_creates_no_subject() -> None:
    result = plan([penalty(severity=None)], known=())

    assert (result.new_subjects, result.new_records) == ([], [])


def test_batch_planner_same_content_again_is_a_duplicate() -> None:
    stored = stored_version(penalty())

    result = plan(
        [penalty()],
        stored=[stored],
        now=LATER_AT,
    )

    assert outcomes(result) == [Outcome.DUPLICATE]
    assert result.results[0].record_id == stored.id
    assert (result.new_records, result.corrections, result.new_subjects) == ([], [], [])


def test_batch_planner_changed_content_is_a_conflict_naming_the_fields() -> None:
    stored = stored_version(penalty())
    changed = penalty(
        document_number="深市监福罚〔2020〕13号", items=PENALTY_ITEMS | {"fine_amount": "600000"}
    )

    result = plan([changed], stored=[stored])

    [conflict] = result.results
    assert conflict.outcome is Outcome.CONFLICT
    assert conflict.record_id == stored.id
    [problem] = conflict.problems
    assert (problem.code, problem.field) == (ProblemCode.CONFLICT, "sourceRecordId")
    assert "documentNumber, dataItems.fine_amount" in problem.message
    assert "500000" not in problem.message
    assert result.corrections == []


def test_batch_planner_correction_supersedes_and_keeps_history() -> None:
    stored = stored_version(penalty())
    correction = penalty(items=PENALTY_ITEMS | {"fine_amount": "600000"}, correction=True)

    result = plan(
        [correction],
        stored=[stored],
        now=LATER_AT,
    )

    assert outcomes(result) == [Outcome.ACCEPTED]
    [(before, after)] = result.corrections
    assert before is stored
    assert after.id == stored.id
    assert after.version == 2
    assert after.data_items["fine_amount"] == "600000"
    assert [(c.version, c.kind) for c in after.history] == [
        (1, ChangeKind.CREATED),
        (2, ChangeKind.CORRECTED),
    ]
    assert after.history[1].at == LATER_AT
    assert after.history[1].by == SAMR.code
    assert after.created_at == stored.created_at


def test_batch_planner_correction_recomputes_status_from_the_content() -> None:
    stored = stored_version(late_report(epidemic_related=False))
    assert stored.status is RecordStatus.ACTIVE

    result = plan(
        [late_report(correction=True)],
        stored=[stored],
    )

    [(_, after)] = result.corrections
    assert after.status is RecordStatus.EXCUSED


def test_batch_planner_correction_keeps_a_repaired_status() -> None:
    stored = stored_version(penalty()).model_copy(update={"status": RecordStatus.REPAIRED})

    result = plan(
        [penalty(document_number="深市监福罚〔2020〕99号", correction=True)],
        stored=[stored],
    )

    [(_, after)] = result.corrections
    assert after.status is RecordStatus.REPAIRED


def test_batch_planner_change_to_a_revoked_record_is_already_revoked() -> None:
    stored = revoked(stored_version(penalty()), at=LATER_AT, by=SAMR.code, reason="复议撤销")

    result = plan(
        [penalty(document_number="深市监福罚〔2020〕99号", correction=True)],
        stored=[stored],
    )

    [conflict] = result.results
    assert conflict.outcome is Outcome.CONFLICT
    assert [p.code for p in conflict.problems] == [ProblemCode.ALREADY_REVOKED]
    assert result.corrections == []


def test_batch_planner_revoked_record_sent_again_unchanged_is_a_duplicate() -> None:
    stored = revoked(stored_version(penalty()), at=LATER_AT, by=SAMR.code, reason="复议撤销")

    result = plan([penalty()], stored=[stored])

    assert outcomes(result) == [Outcome.DUPLICATE]


def test_batch_planner_repeat_within_the_batch_is_duplicate_or_conflict() -> None:
    changed = penalty(document_number="深市监福罚〔2020〕13号", correction=True)

    result = plan([penalty(), penalty(), changed], known=())

    assert outcomes(result) == [Outcome.ACCEPTED, Outcome.DUPLICATE, Outcome.CONFLICT]
    assert len(result.new_records) == 1
    assert "this batch already holds" in result.results[2].problems[0].message


def test_batch_planner_record_moved_to_an_unknown_subject_conflicts_and_creates_nobody() -> None:
    stored = stored_version(penalty())
    other = factories.firm(7100)
    moved = penalty(subject=ref(other))

    result = plan([moved], stored=[stored])

    assert outcomes(result) == [Outcome.CONFLICT]
    assert "subject" in result.results[0].problems[0].message
    assert result.new_subjects == []


def test_differences_ignore_ids_times_and_derived_fields() -> None:
    record = stored_version(penalty())
    later = record.model_copy(update={"created_at": LATER_AT, "version": 3, "history": ()})

    assert differences(record, later) == []
    assert differences(record, record.model_copy(update={"decision_date": date(2020, 3, 2)})) == [
        "decisionDate"
    ]


def test_lost_race_to_the_same_content_stays_accepted() -> None:
    ours = stored_version(penalty())
    accepted = ItemResult(0, ours.source_record_id, Outcome.ACCEPTED, ours.id)

    assert lost_race(accepted, ours, ours) is accepted
    assert lost_race(accepted, ours, None) is accepted


def test_lost_race_to_other_content_is_a_conflict() -> None:
    ours = stored_version(penalty())
    theirs = ours.model_copy(update={"document_number": "深市监福罚〔2020〕77号"})
    accepted = ItemResult(0, ours.source_record_id, Outcome.ACCEPTED, ours.id)

    assert lost_race(accepted, ours, theirs).outcome is Outcome.CONFLICT


def test_changed_meanwhile_is_a_conflict_to_send_again() -> None:
    result = changed_meanwhile(ItemResult(4, "x", Outcome.ACCEPTED, "r-1"))

    assert (result.index, result.outcome, result.record_id) == (4, Outcome.CONFLICT, "r-1")
    assert result.problems[0].code is ProblemCode.CONFLICT


def test_revoked_record_keeps_its_history_and_reason() -> None:
    record = stored_version(penalty())

    after = revoked(record, at=LATER_AT, by=SAMR.code, reason="行政复议撤销")

    assert after.status is RecordStatus.REVOKED
    assert after.version == 2
    assert after.history[-1].kind is ChangeKind.REVOKED
    assert after.history[-1].reason == "行政复议撤销"
    assert after.data_items == record.data_items
