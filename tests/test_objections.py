"""Domain tests: objection deadlines, outcomes and what they do to the record."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from pydantic import ValidationError

from domain.catalogue import Catalogue
from domain.holidays import PRC_CALENDAR
from domain.objections import (
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
from domain.working_days import AlreadyExtended, DeadlinePassed
from tests import factories

FILED = datetime(2020, 9, 1, 4, tzinfo=UTC)
LATER = datetime(2020, 9, 2, 4, tzinfo=UTC)
TODAY = date(2020, 9, 1)


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
    after = resolution(record, done, catalogue.by_code["DISHONEST_2"])
    assert after.data_items == record.data_items | {"product_name": "一次性医用口罩"}
    assert after.history[-1].kind is ChangeKind.CORRECTED
    assert after.objection is not None
    assert after.objection.state is ObjectionState.CORRECTED
    assert publicly_visible(after, TODAY) is True


def test_resolution_removed_from_display_hides_it_from_the_public(catalogue: Catalogue) -> None:
    record = disputed(catalogue)
    done = resolve(objection(record), ObjectionOutcome.REMOVED_FROM_DISPLAY)
    after = resolution(record, done, catalogue.by_code["DISHONEST_2"])
    assert (after.hidden, after.history[-1].kind) == (True, ChangeKind.HIDDEN)
    assert publicly_visible(after, TODAY) is False


def test_resolution_upheld_keeps_the_record_and_closes_the_note(catalogue: Catalogue) -> None:
    record = disputed(catalogue)
    done = resolve(objection(record), ObjectionOutcome.UPHELD)
    after = resolution(record, done, catalogue.by_code["DISHONEST_2"])
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
