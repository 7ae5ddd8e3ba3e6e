"""Pure tests: a reported filing clears a late-report record (notice 三(十)), nothing else."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from domain.catalogue import Catalogue, SourceUnitType
from domain.disclosure import DisclosureState
from domain.filings import FILED_ON, FilingDateInvalid, NotClearable, NotReporter, cleared
from domain.records import ChangeKind, Record, RecordStatus, disclosure_state
from tests import factories

TODAY = date(2021, 9, 1)
AT = datetime(2021, 9, 1, 4, tzinfo=UTC)
DECIDED = date(2021, 7, 15)  # after the epidemic window: an ordinary late-report record
REGISTRAR = (SourceUnitType.REGISTRATION_AUTHORITY,)


def late_report(catalogue: Catalogue, **changes: object) -> Record:
    record = factories.record(
        catalogue, factories.firm(), item_code="ANNUAL_REPORT_LATE", decided=DECIDED
    )
    return record.model_copy(update=changes)


def clear(catalogue: Catalogue, record: Record, **changes: object) -> Record:
    arguments: dict[str, object] = {
        "unit_types": REGISTRAR,
        "unit_code": "440300-SAMR",
        "filed_on": date(2021, 8, 20),
        "today": TODAY,
        "at": AT,
    } | changes
    return cleared(record, catalogue.by_code[record.item_code], **arguments)  # type: ignore[arg-type]


def test_catalogue_only_the_annual_report_lapse_is_cleared_by_the_registrar(
    catalogue: Catalogue,
) -> None:
    assert {i.code: i.cleared_by for i in catalogue.items if i.cleared_by} == {
        "ANNUAL_REPORT_LATE": REGISTRAR
    }


def test_cleared_late_report_ends_display_keeps_history_and_the_filing_day(
    catalogue: Catalogue,
) -> None:
    record = late_report(catalogue)
    assert disclosure_state(record, TODAY) is DisclosureState.DISCLOSED

    after = clear(catalogue, record)

    assert after.status is RecordStatus.CLEARED
    assert after.data_items[FILED_ON] == "2021-08-20"
    assert after.version == record.version + 1
    assert after.history[-1].kind is ChangeKind.CLEARED
    assert after.history[-1].by == "440300-SAMR"
    assert disclosure_state(after, TODAY) is DisclosureState.CLEARED


@pytest.mark.parametrize("filed_on", [DECIDED, TODAY])
def test_cleared_filing_day_from_decision_to_today_is_accepted(
    catalogue: Catalogue, filed_on: date
) -> None:
    assert clear(catalogue, late_report(catalogue), filed_on=filed_on).status is (
        RecordStatus.CLEARED
    )


@pytest.mark.parametrize(
    ("filed_on", "message"), [(date(2021, 9, 2), "future"), (date(2021, 7, 14), "objection")]
)
def test_cleared_filing_day_outside_decision_to_today_is_refused(
    catalogue: Catalogue, filed_on: date, message: str
) -> None:
    with pytest.raises(FilingDateInvalid, match=message):
        clear(catalogue, late_report(catalogue), filed_on=filed_on)


def test_cleared_by_a_penalty_unit_is_refused(catalogue: Catalogue) -> None:
    with pytest.raises(NotReporter, match="REGISTRATION_AUTHORITY"):
        clear(catalogue, late_report(catalogue), unit_types=(SourceUnitType.PENALTY_DECIDING_UNIT,))


@pytest.mark.parametrize("code", ["DISHONEST_2", "ADDRESS_UNREACHABLE", "GOOD_1"])
def test_cleared_item_not_cleared_by_filing_is_refused(catalogue: Catalogue, code: str) -> None:
    record = factories.record(catalogue, factories.firm(), item_code=code, decided=DECIDED)

    with pytest.raises(NotClearable, match="repair applies instead"):
        clear(catalogue, record)


@pytest.mark.parametrize("status", [s for s in RecordStatus if s is not RecordStatus.ACTIVE])
def test_cleared_record_not_active_is_refused(catalogue: Catalogue, status: RecordStatus) -> None:
    with pytest.raises(NotClearable, match=status.value):
        clear(catalogue, late_report(catalogue, status=status))
