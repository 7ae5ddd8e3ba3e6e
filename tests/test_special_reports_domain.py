"""The 专项信用报告's rules (issue 12.4): what a field and period select, and which periods hold."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.calendar import add_months
from domain.catalogue import Catalogue, CatalogueVersions, Category, CreditField
from domain.records import Record, RecordStatus
from domain.reports import (
    NOT_A_VIOLATION,
    SPECIAL_REPORT_MONTHS,
    special_period_problem,
    violations_by_field,
)
from store.catalogue import read_default_catalogue
from tests import factories

CATALOGUE = read_default_catalogue()
VERSIONS = CatalogueVersions([CATALOGUE])
FIRM = factories.firm(1)
TODAY = date(2022, 9, 1)
ITEMS = sorted(i.code for i in CATALOGUE.items if FIRM.kind in i.subject_kinds)
# From the first day every shipped disclosure rule is in force.
DAYS = st.dates(min_value=date(2020, 1, 1), max_value=TODAY)


def record(code: str, decided: date, status: RecordStatus, *, hidden: bool = False) -> Record:
    made = factories.record(CATALOGUE, FIRM, item_code=code, decided=decided, status=status)
    return made.model_copy(update={"hidden": hidden})


RECORDS = st.lists(
    st.builds(
        record,
        st.sampled_from(ITEMS),
        DAYS,
        st.sampled_from(list(RecordStatus)),
        hidden=st.booleans(),
    ),
    max_size=12,
)


def test_shipped_catalogue_gives_every_dishonesty_item_for_firms_a_field(
    catalogue: Catalogue,
) -> None:
    dishonest = [
        i
        for i in catalogue.items
        if i.category is Category.DISHONEST and FIRM.kind in i.subject_kinds
    ]

    assert dishonest
    assert all(i.fields for i in dishonest)
    assert catalogue.by_code["DISHONEST_2"].fields == (CreditField.MARKET_REGULATION,)
    assert CreditField.PUBLIC_SECURITY in catalogue.by_code["DISHONEST_1"].fields


def test_catalogue_item_with_fields_outside_dishonesty_is_refused(catalogue: Catalogue) -> None:
    good = catalogue.by_code["GOOD_1"].model_dump()

    with pytest.raises(ValueError, match="DISHONEST"):
        type(catalogue.by_code["GOOD_1"]).model_validate(good | {"fields": [CreditField.TAX]})


@given(
    records=RECORDS,
    fields=st.sets(st.sampled_from(list(CreditField)), min_size=1),
    start=DAYS,
    end=DAYS,
)
def test_violations_by_field_selects_exactly_the_rule(
    records: list[Record], fields: set[CreditField], start: date, end: date
) -> None:
    found = violations_by_field(records, VERSIONS, fields=fields, start=start, end=end)

    assert set(found) == fields
    for field in fields:
        expected = [
            r
            for r in records
            if r.category is Category.DISHONEST
            and r.status not in NOT_A_VIOLATION
            and not r.hidden
            and start <= r.decision_date <= end
            and field in CATALOGUE.by_code[r.item_code].fields
        ]
        assert found[field] == expected


@given(decided=DAYS, status=st.sampled_from(list(RecordStatus)))
def test_violations_by_field_counts_repaired_and_expired_not_revoked_or_excused(
    decided: date, status: RecordStatus
) -> None:
    penalty = record("DISHONEST_2", decided, status)

    found = violations_by_field(
        [penalty], VERSIONS, fields=[CreditField.MARKET_REGULATION], start=decided, end=decided
    )

    counted = status not in (RecordStatus.REVOKED, RecordStatus.EXCUSED)
    assert found[CreditField.MARKET_REGULATION] == ([penalty] if counted else [])


def test_violations_by_field_leaves_out_a_record_decided_a_day_outside_the_period() -> None:
    day = date(2021, 5, 10)
    penalty = record("DISHONEST_4", day, RecordStatus.ACTIVE)
    field = [CreditField.MARKET_REGULATION]

    before = violations_by_field(
        [penalty], VERSIONS, fields=field, start=day + timedelta(1), end=TODAY
    )
    after = violations_by_field(
        [penalty], VERSIONS, fields=field, start=day - timedelta(30), end=day - timedelta(1)
    )
    on = violations_by_field([penalty], VERSIONS, fields=field, start=day, end=day)

    assert (before[field[0]], after[field[0]], on[field[0]]) == ([], [], [penalty])


def test_violations_by_field_other_field_finds_nothing() -> None:
    penalty = record("DISHONEST_2", date(2021, 1, 4), RecordStatus.ACTIVE)

    found = violations_by_field(
        [penalty], VERSIONS, fields=[CreditField.TAX], start=date(2020, 1, 1), end=TODAY
    )

    assert found == {CreditField.TAX: []}


@given(start=DAYS, end=DAYS, today=st.dates(min_value=date(2020, 1, 1), max_value=date(2030, 1, 1)))
def test_special_period_problem_holds_exactly_within_36_months_up_to_today(
    start: date, end: date, today: date
) -> None:
    problem = special_period_problem(start, end, today=today)

    sound = start <= end <= today and start >= add_months(today, -SPECIAL_REPORT_MONTHS)
    assert (problem is None) == sound
    if problem is not None:
        assert problem[0] in ("from", "to")


@pytest.mark.parametrize(
    ("start", "end", "argument"),
    [
        (date(2022, 8, 1), date(2022, 9, 2), "to"),
        (date(2022, 8, 2), date(2022, 8, 1), "from"),
        (date(2019, 8, 31), date(2022, 8, 1), "from"),
    ],
)
def test_special_period_problem_names_the_argument(start: date, end: date, argument: str) -> None:
    problem = special_period_problem(start, end, today=TODAY)

    assert problem is not None
    assert problem[0] == argument


def test_special_period_of_exactly_36_months_holds() -> None:
    assert special_period_problem(date(2019, 9, 1), TODAY, today=TODAY) is None
