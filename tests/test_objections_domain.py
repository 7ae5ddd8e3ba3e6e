"""Domain tests: objection deadlines, outcomes and what they do to the record."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from domain.calendar import AlreadyExtended, DateWindow, DeadlinePassed
from domain.catalogue import Catalogue, CatalogueItem
from domain.conduct import CONDUCT_DATE
from domain.errors import ProblemCode
from domain.objections import (
    CorrectionBreaksRule,
    InvalidCorrection,
    NotOpen,
    Objection,
    UnknownDataItem,
    annotated,
    corrected_items,
    deadlines,
    extended,
    resolution,
    resolved,
)
from domain.records import (
    ChangeKind,
    ObjectionGrounds,
    ObjectionOutcome,
    ObjectionState,
    Record,
    publicly_visible,
)
from domain.source_units import SourceUnit
from store.catalogue import read_default_catalogue
from tests import factories
from tests.factories import PRC_CALENDAR
from tests.submissions import COMMENDATION_ITEMS, HEALTH

FILED = datetime(2020, 9, 1, 4, tzinfo=UTC)
LATER = datetime(2020, 9, 2, 4, tzinfo=UTC)
TODAY = date(2020, 9, 1)
WINDOW: DateWindow = factories.EPIDEMIC


def disputed(catalogue: Catalogue) -> Record:
    return factories.record(
        catalogue, factories.firm(), item_code="DISHONEST_2", decided=date(2020, 3, 1)
    )


def objection(record: Record, filed_on: date = TODAY) -> Objection:
    check_by, decide_by = deadlines(filed_on, PRC_CALENDAR)
    return Objection(
        id="ob-1",
        record_id=record.id,
        subject_id=record.subject_id,
        source_unit=record.source_unit,
        grounds=ObjectionGrounds.ERROR,
        filed_at=FILED,
        filed_by="subject-user",
        check_by=check_by,
        decide_by=decide_by,
    )


def resolve(
    found: Objection, outcome: ObjectionOutcome, corrections: dict[str, str] | None = None
) -> Objection:
    return resolved(
        found, outcome=outcome, corrections=corrections or {}, at=LATER, by="unit", reason="查实"
    )


def settle(
    record: Record,
    done: Objection,
    item: CatalogueItem,
    *,
    unit: SourceUnit | None = None,
    today: date = TODAY,
) -> Record:
    """The record after `done`, judged as the service does on `today`."""
    return resolution(record, done, item, unit=unit, today=today, epidemic_window=WINDOW)


def test_deadlines_filed_on_friday_checked_monday_decided_wednesday() -> None:
    assert deadlines(date(2020, 9, 4), PRC_CALENDAR) == (date(2020, 9, 7), date(2020, 9, 9))


def test_deadlines_filed_on_saturday_checked_monday() -> None:
    assert deadlines(date(2020, 9, 5), PRC_CALENDAR) == (date(2020, 9, 7), date(2020, 9, 9))


def test_deadlines_filed_before_national_day_run_past_it() -> None:
    assert deadlines(date(2020, 9, 30), PRC_CALENDAR) == (date(2020, 10, 9), date(2020, 10, 12))


def test_overdue_on_the_deadline_no_the_day_after_yes(catalogue: Catalogue) -> None:
    found = objection(disputed(catalogue))
    assert found.decide_by == date(2020, 9, 4)
    assert (found.overdue(date(2020, 9, 4)), found.overdue(date(2020, 9, 5))) == (False, True)


def test_extended_once_adds_three_working_days_to_the_unit_decision(catalogue: Catalogue) -> None:
    found = extended(objection(disputed(catalogue)), today=date(2020, 9, 4), calendar=PRC_CALENDAR)
    assert (found.extended_to, found.due_on) == (date(2020, 9, 9), date(2020, 9, 9))
    assert (found.overdue(date(2020, 9, 9)), found.overdue(date(2020, 9, 10))) == (False, True)
    with pytest.raises(AlreadyExtended):
        extended(found, today=date(2020, 9, 4), calendar=PRC_CALENDAR)


def test_extended_after_the_deadline_is_refused(catalogue: Catalogue) -> None:
    with pytest.raises(DeadlinePassed):
        extended(objection(disputed(catalogue)), today=date(2020, 9, 5), calendar=PRC_CALENDAR)


def test_extended_or_resolved_after_resolution_is_not_open(catalogue: Catalogue) -> None:
    done = resolve(objection(disputed(catalogue)), ObjectionOutcome.UPHELD)
    assert done.overdue(date(2021, 1, 1)) is False
    with pytest.raises(NotOpen):
        extended(done, today=TODAY, calendar=PRC_CALENDAR)
    with pytest.raises(NotOpen):
        resolve(done, ObjectionOutcome.UPHELD)


def test_objection_grounds_other_without_description_is_refused_naming_it(
    catalogue: Catalogue,
) -> None:
    found = objection(disputed(catalogue))
    with pytest.raises(ValidationError) as raised:
        Objection.model_validate(found.model_dump() | {"grounds": "OTHER", "description": " "})
    assert raised.value.errors()[0]["loc"] == ("description",)


def test_annotated_record_carries_a_pending_note_and_stays_visible(catalogue: Catalogue) -> None:
    record = disputed(catalogue)
    after = annotated(record, objection(record))
    assert after.objection is not None
    assert (after.objection.state, after.objection.grounds) == (
        ObjectionState.PENDING,
        ObjectionGrounds.ERROR,
    )
    assert after.history[-1].kind is ChangeKind.OBJECTION_FILED
    assert publicly_visible(after, TODAY) is True


def test_resolution_corrected_replaces_the_data_items_and_notes_the_outcome(
    catalogue: Catalogue,
) -> None:
    record = disputed(catalogue)
    done = resolve(
        objection(record), ObjectionOutcome.CORRECTED, {"product_name": "一次性医用口罩"}
    )
    after = settle(record, done, catalogue.by_code["DISHONEST_2"])
    assert after.data_items == record.data_items | {"product_name": "一次性医用口罩"}
    assert after.history[-1].kind is ChangeKind.CORRECTED
    assert after.objection is not None
    assert after.objection.state is ObjectionState.CORRECTED
    assert publicly_visible(after, TODAY) is True


def test_resolution_removed_from_display_hides_it_from_the_public(catalogue: Catalogue) -> None:
    record = disputed(catalogue)
    done = resolve(objection(record), ObjectionOutcome.REMOVED_FROM_DISPLAY)
    after = settle(record, done, catalogue.by_code["DISHONEST_2"])
    assert (after.hidden, after.history[-1].kind) == (True, ChangeKind.HIDDEN)
    assert publicly_visible(after, TODAY) is False


def test_resolution_upheld_keeps_the_record_and_closes_the_note(catalogue: Catalogue) -> None:
    record = disputed(catalogue)
    done = resolve(objection(record), ObjectionOutcome.UPHELD)
    after = settle(record, done, catalogue.by_code["DISHONEST_2"])
    assert after.data_items == record.data_items
    assert after.history[-1].kind is ChangeKind.OBJECTION_RESOLVED
    assert after.history[-1].reason == "objection ob-1 UPHELD: 查实"
    assert after.objection is not None
    assert (after.objection.state, after.objection.resolved_at) == (ObjectionState.UPHELD, LATER)


def test_resolved_corrections_go_with_corrected_only(catalogue: Catalogue) -> None:
    found = objection(disputed(catalogue))
    with pytest.raises(InvalidCorrection):
        resolve(found, ObjectionOutcome.CORRECTED)
    with pytest.raises(InvalidCorrection):
        resolve(found, ObjectionOutcome.UPHELD, {"product_name": "口罩"})


def test_corrected_items_unknown_key_is_not_in_the_catalogue(catalogue: Catalogue) -> None:
    with pytest.raises(UnknownDataItem, match="mobile_phone"):
        corrected_items(
            catalogue.by_code["DISHONEST_2"], {}, {"mobile_phone": "13800000000"}, today=TODAY
        )


def test_corrected_items_value_breaking_its_format_is_refused(catalogue: Catalogue) -> None:
    with pytest.raises(InvalidCorrection, match="decision_date"):
        corrected_items(
            catalogue.by_code["DISHONEST_2"], {}, {"decision_date": "2020/03/01"}, today=TODAY
        )


def test_corrected_items_blank_value_is_refused(catalogue: Catalogue) -> None:
    with pytest.raises(InvalidCorrection, match="empty"):
        corrected_items(catalogue.by_code["DISHONEST_2"], {}, {"product_name": "  "}, today=TODAY)


# A correction is judged as a submission would be (issue 8.4)

COMMENDED = date(2020, 4, 1)


def commended(catalogue: Catalogue, **changes: str) -> Record:
    """A GOOD_1 record as HEALTH submitted it: conduct 2020-02-10, commended 2020-04-01."""
    return factories.record(
        catalogue,
        factories.person(),
        item_code="GOOD_1",
        decided=COMMENDED,
        data_items=COMMENDATION_ITEMS | changes,
    )


@given(conduct=st.dates(min_value=date(2019, 10, 1), max_value=date(2021, 3, 31)))
def test_resolution_correcting_the_conduct_date_is_refused_as_the_submission_would(
    conduct: date,
) -> None:
    catalogue = read_default_catalogue()
    record = commended(catalogue)
    done = resolve(objection(record), ObjectionOutcome.CORRECTED, {CONDUCT_DATE: str(conduct)})

    if conduct not in WINDOW:
        expected: ProblemCode | None = ProblemCode.CONDUCT_OUTSIDE_EPIDEMIC
    elif conduct > COMMENDED:
        expected = ProblemCode.CONDUCT_AFTER_DECISION
    else:
        expected = None
    if expected is None:
        after = settle(record, done, catalogue.by_code["GOOD_1"], unit=HEALTH)
        assert after.data_items[CONDUCT_DATE] == str(conduct)
    else:
        with pytest.raises(CorrectionBreaksRule) as refused:
            settle(record, done, catalogue.by_code["GOOD_1"], unit=HEALTH)
        assert (refused.value.problem.code, refused.value.problem.field) == (
            expected,
            "dataItems.conduct_date",
        )
        assert str(refused.value).startswith("conduct_date: ")


def test_resolution_correcting_a_commendation_above_its_awarding_level_is_refused(
    catalogue: Catalogue,
) -> None:
    record = commended(catalogue)
    done = resolve(objection(record), ObjectionOutcome.CORRECTED, {"commendation_level": "国家级"})

    with pytest.raises(CorrectionBreaksRule) as refused:
        settle(record, done, catalogue.by_code["GOOD_1"], unit=HEALTH)

    assert refused.value.problem.code is ProblemCode.LEVEL_ABOVE_AUTHORITY


def test_resolution_correction_is_not_blamed_for_a_problem_the_record_had(
    catalogue: Catalogue,
) -> None:
    # Stored before the authority rule (issue 8.11): the record stays correctable.
    record = commended(catalogue, awarding_department="深圳市民政局")
    done = resolve(objection(record), ObjectionOutcome.CORRECTED, {"aid_destination": "湖北省"})

    after = settle(record, done, catalogue.by_code["GOOD_1"], unit=HEALTH)

    assert after.data_items["aid_destination"] == "湖北省"


def test_resolution_judges_a_correction_on_the_city_day_passed_in(catalogue: Catalogue) -> None:
    # 2020-09-01T17:00Z is 2020-09-02 01:00 in Shenzhen: a child born that day has a valid
    # number there, though the UTC day of the resolution is still the day before.
    base = catalogue.by_code["DISHONEST_2"]
    agent = {
        "key": "agent_identifier",
        "label_zh": "代理人身份号码",
        "label_en": "Agent's identity number",
        "format": "identifier",
        "max_length": 18,
        "public_attribute": "AUTHORIZED",
    }
    item = CatalogueItem.model_validate(
        base.model_dump() | {"data_items": [*base.model_dump()["data_items"], agent]}
    )
    record = disputed(catalogue)
    number = factories.resident_id(1, born="20200902")
    found = objection(record)
    done = resolved(
        found,
        outcome=ObjectionOutcome.CORRECTED,
        corrections={"agent_identifier": number},
        at=datetime(2020, 9, 1, 17, tzinfo=UTC),
        by="unit",
        reason="查实",
    )

    after = settle(record, done, item, today=date(2020, 9, 2))

    assert after.data_items["agent_identifier"] == number
    with pytest.raises(InvalidCorrection, match="agent_identifier"):
        settle(record, done, item, today=date(2020, 9, 1))
