"""Domain tests: the financing grade rule, as shipped and as configured."""

from __future__ import annotations

import tomllib
from datetime import UTC, date, datetime
from typing import Any

import pytest

from domain.blacklist import BlacklistEntry
from domain.catalogue import Catalogue
from domain.commitments import Commitment, CommitmentStatus
from domain.disclosure import Severity
from domain.eligibility import evaluate
from domain.grading import Grade, GradingError, grade, parse_grading, parse_rules
from domain.records import Record
from domain.standings import standing_of
from domain.subjects import Subject
from store.programmes import read_default_rules, read_programme_text
from tests import factories

TODAY = date(2020, 9, 1)


def graded(
    subject: Subject,
    records: list[Record] = [],  # noqa: B006 - never mutated
    entries: list[BlacklistEntry] = [],  # noqa: B006
    commitments: list[Commitment] = [],  # noqa: B006
) -> Grade:
    rules = read_default_rules()
    financing = rules.programmes.programme(rules.grading.programme)
    assert financing is not None
    evaluation = evaluate(
        financing,
        standing=standing_of(subject.id, subject.kind, records),
        entries=entries,
        commitments=commitments,
        today=TODAY,
        at=datetime(2020, 9, 1, tzinfo=UTC),
        rules_version=rules.programmes.version,
    )
    return grade(
        rules.grading,
        evaluation=evaluation,
        records=standing_of(subject.id, subject.kind, records).records,
        entries=entries,
        commitments=commitments,
        today=TODAY,
    )


def goods(catalogue: Catalogue, firm: Subject, n: int) -> list[Record]:
    return [
        factories.record(catalogue, firm, item_code="GOOD_7", decided=date(2020, 3, 1 + i))
        for i in range(n)
    ]


def test_no_good_records_and_nothing_against_is_b() -> None:
    result = graded(factories.firm())

    assert (result.grade, result.reasons) == (
        "B",
        ("no condition of a higher grade holds (0 points)",),
    )


def test_fifteen_points_is_a_and_fourteen_is_b(catalogue: Catalogue) -> None:
    firm = factories.firm()

    assert graded(firm, goods(catalogue, firm, 2)).grade == "B"  # 10 points
    a = graded(firm, goods(catalogue, firm, 3))  # 15 points
    assert (a.grade, a.reasons) == ("A", ("15 points under FINANCING, at least 15",))


def test_serious_dishonesty_is_d_whatever_the_points(catalogue: Catalogue) -> None:
    firm = factories.firm()
    serious = factories.record(
        catalogue,
        firm,
        item_code="DISHONEST_2",
        decided=date(2020, 6, 1),
        severity=Severity.SERIOUS,
    )

    result = graded(firm, [serious, *goods(catalogue, firm, 5)])

    assert result.grade == "D"
    assert result.reasons[0].startswith("SERIOUS_DISHONESTY_ACTIVE: ")
    assert serious.id in result.reasons[0]


def test_blacklisted_is_d(catalogue: Catalogue) -> None:
    firm = factories.firm()
    serious = factories.record(
        catalogue,
        firm,
        item_code="DISHONEST_2",
        decided=date(2020, 6, 1),
        severity=Severity.SERIOUS,
    )
    entry = factories.blacklist_entry(firm, [serious], listed=TODAY, until=date(2021, 1, 1))

    result = graded(firm, [serious], [entry])

    assert result.grade == "D"
    assert [r.split(":")[0] for r in result.reasons] == ["BLACKLISTED", "SERIOUS_DISHONESTY_ACTIVE"]


def test_general_dishonesty_on_display_is_c(catalogue: Catalogue) -> None:
    firm = factories.firm()
    general = factories.record(
        catalogue,
        firm,
        item_code="DISHONEST_4",
        decided=date(2020, 6, 1),
        severity=Severity.GENERAL,
    )

    result = graded(firm, [general, *goods(catalogue, firm, 5)])

    assert result.grade == "C"
    assert result.reasons[0].startswith("DISHONESTY_ACTIVE: ")


def test_broken_commitment_is_c(catalogue: Catalogue) -> None:
    firm = factories.firm()
    record = factories.record(
        catalogue,
        firm,
        item_code="DISHONEST_5",
        decided=date(2019, 8, 1),
        severity=Severity.GENERAL,
    )  # its display ended on 2020-08-01, the breach still stands
    broken = factories.commitment(
        firm,
        signed=date(2019, 3, 1),
        status=CommitmentStatus.VIOLATED,
        violated_on=date(2019, 8, 1),
        violation_record_id=record.id,
    )

    result = graded(firm, [record], commitments=[broken])

    assert result.grade == "C"
    assert result.reasons[0].startswith("COMMITMENT_VIOLATED: ")


def test_broken_commitment_removed_from_display_on_an_objection_is_not_c(
    catalogue: Catalogue,
) -> None:
    firm = factories.firm()
    record = factories.record(catalogue, firm, item_code="DISHONEST_5", decided=date(2020, 8, 1))
    broken = factories.commitment(
        firm,
        status=CommitmentStatus.VIOLATED,
        violated_on=date(2020, 8, 1),
        violation_record_id=record.id,
    )
    hidden = record.model_copy(update={"hidden": True})

    assert graded(firm, [record], commitments=[broken]).grade == "C"
    assert graded(firm, [hidden], commitments=[broken]).grade == "B"


@pytest.mark.parametrize("changes", [{"hidden": True}, {"opted_out": True}])
def test_good_records_withdrawn_or_refused_do_not_raise_the_grade(
    catalogue: Catalogue, changes: dict[str, object]
) -> None:
    firm = factories.firm()
    records = goods(catalogue, firm, 3)  # 15 points
    withdrawn = [*records[:2], records[2].model_copy(update=changes)]

    assert graded(firm, records).grade == "A"
    result = graded(firm, withdrawn)
    assert (result.grade, result.reasons) == (
        "B",
        ("no condition of a higher grade holds (10 points)",),
    )


def shipped_grading() -> dict[str, Any]:
    grading: dict[str, Any] = tomllib.loads(read_programme_text())["grading"]
    return grading


def test_grading_without_a_default_grade_is_refused() -> None:
    data = shipped_grading()
    data["grades"] = data["grades"][:-1]

    with pytest.raises(GradingError, match="the last, may have no conditions"):
        parse_grading(data)


def test_grading_with_a_default_before_the_end_is_refused() -> None:
    data = shipped_grading()
    data["grades"].insert(0, {"grade": "E", "label": "任何"})

    with pytest.raises(GradingError, match="the last, may have no conditions"):
        parse_grading(data)


def test_grading_of_an_unknown_programme_is_refused() -> None:
    data = tomllib.loads(read_programme_text())
    data["grading"]["programme"] = "NO_SUCH"

    with pytest.raises(GradingError, match="NO_SUCH"):
        parse_rules(data)


def test_configured_thresholds_change_the_grade(catalogue: Catalogue) -> None:
    data = tomllib.loads(read_programme_text())
    data["grading"]["grades"][2]["min_points"] = 5
    rules = parse_rules(data)
    firm = factories.firm()
    records = goods(catalogue, firm, 1)
    financing = rules.programmes.programme("FINANCING")
    assert financing is not None
    evaluation = evaluate(
        financing,
        standing=standing_of(firm.id, firm.kind, records),
        entries=[],
        commitments=[],
        today=TODAY,
        at=datetime(2020, 9, 1, tzinfo=UTC),
        rules_version="x",
    )

    result = grade(
        rules.grading,
        evaluation=evaluation,
        records=standing_of(firm.id, firm.kind, records).records,
        entries=[],
        commitments=[],
        today=TODAY,
    )

    assert result.grade == "A"
