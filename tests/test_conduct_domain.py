"""Pure tests: good behaviour (notice 一(一)) needs conduct inside the epidemic window."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.catalogue import CatalogueItem
from domain.conduct import CONDUCT_DATE, conduct_problems
from domain.disclosure import good_behaviour
from domain.errors import ProblemCode
from domain.records import Record
from domain.submission import RecordSubmission, judge
from tests.submissions import (
    CATALOGUE,
    COMMENDATION_ITEMS,
    HEALTH,
    NOW,
    PERSON,
    VERSIONS,
    WINDOW,
    commendation,
)

ONE_DAY = timedelta(days=1)
LATER = date(2021, 6, 1)  # a day after the window, so that commendations may come later
GOOD_ITEMS = [item for item in CATALOGUE.items if good_behaviour(item.clause)]


def judged(submission: RecordSubmission) -> Record | list[tuple[ProblemCode, str]]:
    result = judge(
        submission,
        catalogues=VERSIONS,
        unit=HEALTH,
        subject=PERSON,
        new_subject_id="s-new",
        today=LATER,
        now=NOW,
        epidemic_window=WINDOW,
    )
    return result if isinstance(result, Record) else [(p.code, p.field) for p in result]


def conduct_on(day: date, decided: date = date(2020, 8, 1)) -> RecordSubmission:
    items = COMMENDATION_ITEMS | {CONDUCT_DATE: day.isoformat()}
    return commendation(decision_date=decided, data_items=tuple(items.items()))


def test_catalogue_every_good_behaviour_item_requires_a_conduct_date() -> None:
    assert len(GOOD_ITEMS) == 9
    for item in GOOD_ITEMS:
        spec = item.specs[CONDUCT_DATE]
        assert spec.required, item.code
        assert spec.format.value == "date", item.code


@pytest.mark.parametrize("day", [WINDOW.start, date(2020, 6, 30), WINDOW.end])
def test_judge_commendation_for_conduct_in_window_decided_later_is_accepted(day: date) -> None:
    record = judged(conduct_on(day, decided=date(2021, 3, 1)))

    assert isinstance(record, Record)
    assert record.data_items[CONDUCT_DATE] == day.isoformat()


@pytest.mark.parametrize("day", [WINDOW.start - ONE_DAY, WINDOW.end + ONE_DAY])
def test_judge_commendation_for_conduct_outside_window_is_refused_naming_the_field(
    day: date,
) -> None:
    assert judged(conduct_on(day, decided=date(2021, 1, 5))) == [
        (ProblemCode.CONDUCT_OUTSIDE_EPIDEMIC, "dataItems.conduct_date")
    ]


def test_judge_commendation_on_the_conduct_day_is_accepted() -> None:
    assert isinstance(judged(conduct_on(date(2020, 3, 1), decided=date(2020, 3, 1))), Record)


def test_judge_commendation_for_conduct_after_its_decision_is_refused() -> None:
    assert judged(conduct_on(date(2020, 8, 2), decided=date(2020, 8, 1))) == [
        (ProblemCode.CONDUCT_AFTER_DECISION, "dataItems.conduct_date")
    ]


def test_judge_commendation_without_conduct_date_is_missing_it() -> None:
    items = {k: v for k, v in COMMENDATION_ITEMS.items() if k != CONDUCT_DATE}

    assert judged(commendation(data_items=tuple(items.items()))) == [
        (ProblemCode.REQUIRED_MISSING, "dataItems.conduct_date")
    ]


def test_conduct_problems_not_for_items_outside_good_behaviour() -> None:
    penalty_item = CATALOGUE.by_code["DISHONEST_2"]

    problems = conduct_problems(
        penalty_item,
        {CONDUCT_DATE: "2030-01-01"},
        decision_date=date(2020, 3, 1),
        epidemic_window=WINDOW,
    )

    assert problems == []


@given(
    item=st.sampled_from(GOOD_ITEMS),
    conduct=st.dates(min_value=date(2019, 6, 1), max_value=date(2022, 6, 1)),
    decided=st.dates(min_value=date(2019, 6, 1), max_value=date(2022, 6, 1)),
)
def test_conduct_problems_refuse_exactly_conduct_outside_window_or_after_decision(
    item: CatalogueItem, conduct: date, decided: date
) -> None:
    found = {
        p.code
        for p in conduct_problems(
            item,
            {CONDUCT_DATE: conduct.isoformat()},
            decision_date=decided,
            epidemic_window=WINDOW,
        )
    }

    assert (ProblemCode.CONDUCT_OUTSIDE_EPIDEMIC in found) is (conduct not in WINDOW)
    assert (ProblemCode.CONDUCT_AFTER_DECISION in found) is (conduct > decided)
