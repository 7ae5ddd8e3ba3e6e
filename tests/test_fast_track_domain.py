"""Domain tests: who gets the repair fast track (notice 三(十一)) and what it shortens."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.catalogue import Catalogue, Category, parse_catalogue
from domain.disclosure import Severity
from domain.fast_track import (
    FastTrackReason,
    decision_days,
    fast_track_reasons,
    support_item_codes,
)
from domain.records import Record, RecordStatus
from domain.repair import RepairApplication, RepairMeasure, queue_rank, submitted
from store.catalogue import read_default_catalogue
from store.repair import queue_key
from tests import factories
from tests.factories import PRC_CALENDAR

AT = datetime(2020, 9, 4, 4, tzinfo=UTC)
DECIDED = date(2020, 3, 1)
CAUSE = FastTrackReason.EPIDEMIC_CAUSE
SUPPORT = FastTrackReason.EPIDEMIC_SUPPORT_SUBJECT
GENERAL_MEASURES = (
    RepairMeasure.CORRECTION,
    RepairMeasure.PENALTY_FULFILLED,
    RepairMeasure.COMMITMENT,
)


def with_general_penalty_item() -> Catalogue:
    """The default catalogue plus an administrative penalty that is not an 一(二) act."""
    data = read_default_catalogue().model_dump(mode="json")
    [base] = [i for i in data["items"] if i["code"] == "DISHONEST_1"]
    data["items"].append(base | {"code": "GENERAL_PENALTY", "clause": "三(十一)"})
    return parse_catalogue(data)


CATALOGUE = with_general_penalty_item()
GOOD_CODES = [i.code for i in CATALOGUE.items if i.category is Category.GOOD]
OFFENCES = [i.code for i in CATALOGUE.items if i.clause.startswith("一(二)")]
FIRM = factories.firm()


def lapse(
    code: str = "GENERAL_PENALTY",
    *,
    epidemic_related: bool = True,
    severity: Severity = Severity.GENERAL,
) -> Record:
    return factories.record(
        CATALOGUE,
        FIRM,
        item_code=code,
        decided=DECIDED,
        severity=severity,
        epidemic_related=epidemic_related,
    )


def good(code: str, **changes: object) -> Record:
    record = factories.record(CATALOGUE, FIRM, item_code=code, decided=date(2020, 2, 20))
    return record.model_copy(update=changes)


def reasons(record: Record, held: list[Record]) -> tuple[FastTrackReason, ...]:
    return fast_track_reasons(record, CATALOGUE.by_code[record.item_code], held)


# Who: a lapse the epidemic caused


def test_general_penalty_the_epidemic_caused_is_fast_tracked() -> None:
    assert reasons(lapse(), []) == (CAUSE,)


def test_general_penalty_without_the_epidemic_flag_is_not_fast_tracked() -> None:
    assert reasons(lapse(epidemic_related=False), []) == ()


def test_serious_penalty_with_the_epidemic_flag_is_not_fast_tracked() -> None:
    assert reasons(lapse(severity=Severity.SERIOUS), []) == ()


def test_the_shipped_offences_are_exactly_notice_one_two() -> None:
    assert [f"DISHONEST_{n}" for n in range(1, 6)] == OFFENCES


@pytest.mark.parametrize("code", OFFENCES)
@pytest.mark.parametrize("severity", list(Severity))
def test_epidemic_offence_is_never_fast_tracked_whatever_the_flag_or_the_subject_did(
    code: str, severity: Severity
) -> None:
    # Notice 二(八): the 一(二) acts are punished strictly; 三(十一) speeds up nothing for them.
    held = [good(c) for c in GOOD_CODES]

    assert reasons(lapse(code, severity=severity), held) == ()


# Who: a subject that did epidemic support work


@pytest.mark.parametrize("code", GOOD_CODES)
def test_subject_with_any_good_behaviour_record_is_fast_tracked(code: str) -> None:
    assert reasons(lapse(epidemic_related=False), [good(code)]) == (SUPPORT,)


@pytest.mark.parametrize(
    "changes",
    [
        {"opted_out": True},  # art. 39: refused, so not used for the person either
        {"hidden": True},  # removed from display on an objection
        {"status": RecordStatus.REVOKED},
    ],
)
def test_good_behaviour_record_that_does_not_stand_does_not_count(
    changes: dict[str, object],
) -> None:
    assert reasons(lapse(epidemic_related=False), [good("GOOD_2", **changes)]) == ()


def test_dishonesty_records_held_do_not_count_as_support_work() -> None:
    assert reasons(lapse(epidemic_related=False), [lapse("DISHONEST_4")]) == ()


def test_both_reasons_are_named_together() -> None:
    assert reasons(lapse(), [good("GOOD_8")]) == (CAUSE, SUPPORT)


def test_support_item_codes_are_every_good_behaviour_item() -> None:
    assert support_item_codes([CATALOGUE]) == sorted(GOOD_CODES)
    assert len(GOOD_CODES) == 9


# What it shortens: the decision deadline


def application(
    day: date, fast: tuple[FastTrackReason, ...], at: datetime = AT
) -> RepairApplication:
    return submitted(
        application_id=f"ra-{at.timestamp():.0f}-{len(fast)}",
        record=lapse(),
        applicant="subject-user",
        measures=GENERAL_MEASURES,
        evidence=[],
        required=(),
        fast_track=fast,
        at=at,
        today=day,
        calendar=PRC_CALENDAR,
    )


def test_decision_days_are_one_on_the_fast_track_and_three_otherwise() -> None:
    assert (decision_days(True), decision_days(False)) == (1, 3)


@pytest.mark.parametrize(
    ("day", "fast", "due"),
    [
        (date(2020, 9, 4), (CAUSE,), date(2020, 9, 7)),  # Friday → Monday
        (date(2020, 9, 4), (), date(2020, 9, 9)),
        (date(2020, 9, 30), (SUPPORT,), date(2020, 10, 9)),  # across the National Day holiday
        (date(2020, 9, 30), (), date(2020, 10, 12)),
    ],
)
def test_fast_track_application_is_due_a_working_day_after_acceptance(
    day: date, fast: tuple[FastTrackReason, ...], due: date
) -> None:
    assert application(day, fast).decide_by == due


# What it shortens: the place in the credit centre's queue


@given(
    st.lists(
        st.tuples(st.booleans(), st.integers(min_value=0, max_value=10_000)),
        min_size=1,
        max_size=20,
    )
)
def test_queue_takes_fast_track_first_then_oldest_and_the_store_key_sorts_the_same(
    given_apps: list[tuple[bool, int]],
) -> None:
    apps = [
        application(
            date(2020, 9, 4), (CAUSE,) if fast else (), AT + timedelta(minutes=m)
        ).model_copy(update={"id": f"ra-{i}"})
        for i, (fast, m) in enumerate(given_apps)
    ]

    queue = sorted(apps, key=queue_rank)

    fast_flags = [a.fast_track for a in queue]
    assert fast_flags == sorted(fast_flags, reverse=True)
    for group in (True, False):
        times = [a.submitted_at for a in queue if a.fast_track is group]
        assert times == sorted(times)
    assert sorted(apps, key=queue_key) == queue
