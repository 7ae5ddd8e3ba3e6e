"""Domain tests: which records stand (may be used for or against a subject) and which are shown.

A record's disclosure state tells the truth, and public visibility agrees.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.catalogue import Catalogue
from domain.disclosure import DisclosureState, Severity
from domain.records import Record, RecordStatus, disclosure_state, publicly_visible, stands
from store.catalogue import read_default_catalogue
from tests import factories

DECIDED = date(2020, 3, 1)  # a 一(二) act in the window: shown 2020-03-01 through 2023-03-01


@pytest.mark.parametrize(
    ("changes", "standing"),
    [
        ({}, True),
        ({"status": RecordStatus.REPAIRED}, False),
        ({"status": RecordStatus.REVOKED}, False),
        ({"status": RecordStatus.EXCUSED}, False),
        ({"status": RecordStatus.EXPIRED}, False),
        ({"hidden": True}, False),  # removed from display on an objection
        ({"opted_out": True}, False),  # Shenzhen regulation art. 39
    ],
)
def test_stands_only_while_active_and_neither_withdrawn_nor_refused(
    catalogue: Catalogue, changes: dict[str, object], standing: bool
) -> None:
    record = factories.record(
        catalogue, factories.person(), item_code="DISHONEST_2", decided=DECIDED
    ).model_copy(update=changes)

    assert stands(record) is standing
    assert publicly_visible(record, date(2020, 9, 1)) is standing


@pytest.mark.parametrize(
    ("day", "shown"),
    [
        (date(2020, 2, 29), False),
        (DECIDED, True),
        (date(2023, 3, 1), True),  # notice 二(八): a 一(二) act in the window, 3 years
        (date(2023, 3, 2), False),
    ],
)
def test_standing_record_is_publicly_visible_only_within_its_period(
    catalogue: Catalogue, day: date, shown: bool
) -> None:
    record = factories.record(
        catalogue, factories.person(), item_code="DISHONEST_2", decided=DECIDED
    )

    assert stands(record)
    assert publicly_visible(record, day) is shown


DECIDED_BEFORE_EPIDEMIC = date(
    2019, 12, 1
)  # a general penalty before the epidemic: last shown 2020-12-01
END = date(2020, 12, 1)
ONE_DAY = timedelta(days=1)
RECORD = factories.record(
    read_default_catalogue(),
    factories.firm(),
    item_code="DISHONEST_2",
    decided=DECIDED_BEFORE_EPIDEMIC,
)


def penalty(catalogue: Catalogue, **changes: object) -> Record:
    record = factories.record(
        catalogue, factories.firm(), item_code="DISHONEST_2", decided=DECIDED_BEFORE_EPIDEMIC
    )
    return record.model_copy(update=changes)


@pytest.mark.parametrize(
    ("changes", "day", "state"),
    [
        ({}, DECIDED_BEFORE_EPIDEMIC - ONE_DAY, DisclosureState.PENDING),
        ({}, DECIDED_BEFORE_EPIDEMIC, DisclosureState.DISCLOSED),
        ({}, END, DisclosureState.DISCLOSED),
        ({}, END + ONE_DAY, DisclosureState.ENDED),
        ({"status": RecordStatus.EXPIRED}, date(2020, 6, 1), DisclosureState.ENDED),
        ({"status": RecordStatus.REPAIRED}, date(2020, 6, 1), DisclosureState.REPAIRED),
        ({"status": RecordStatus.REVOKED}, date(2020, 6, 1), DisclosureState.WITHDRAWN),
        ({"hidden": True}, date(2020, 6, 1), DisclosureState.WITHDRAWN),
        ({"status": RecordStatus.EXCUSED}, date(2020, 6, 1), DisclosureState.EXCUSED),
        ({"status": RecordStatus.CLEARED}, date(2020, 6, 1), DisclosureState.CLEARED),
        ({"opted_out": True}, date(2020, 6, 1), DisclosureState.OPTED_OUT),
        # The status says why first: a revoked record hidden on an objection was revoked.
        ({"status": RecordStatus.REVOKED, "hidden": True}, END, DisclosureState.WITHDRAWN),
        ({"status": RecordStatus.REPAIRED, "opted_out": True}, END, DisclosureState.REPAIRED),
        ({"hidden": True, "opted_out": True}, END, DisclosureState.WITHDRAWN),
    ],
)
def test_disclosure_state_table_and_public_visibility_agree(
    catalogue: Catalogue, changes: dict[str, object], day: date, state: DisclosureState
) -> None:
    record = penalty(catalogue, **changes)

    assert disclosure_state(record, day) is state
    assert publicly_visible(record, day) is (state is DisclosureState.DISCLOSED)


@pytest.mark.parametrize("status", [s for s in RecordStatus if s is not RecordStatus.ACTIVE])
def test_disclosure_state_record_not_active_is_never_disclosed(
    catalogue: Catalogue, status: RecordStatus
) -> None:
    record = penalty(catalogue, status=status)

    assert disclosure_state(record, date(2020, 6, 1)) is not DisclosureState.DISCLOSED


@given(
    status=st.sampled_from(RecordStatus),
    hidden=st.booleans(),
    opted_out=st.booleans(),
    severity=st.sampled_from(Severity),
    offset=st.integers(min_value=-3, max_value=800),
)
def test_disclosure_state_disclosed_exactly_when_standing_within_the_period(
    status: RecordStatus, hidden: bool, opted_out: bool, severity: Severity, offset: int
) -> None:
    record = RECORD.model_copy(
        update={"status": status, "hidden": hidden, "opted_out": opted_out, "severity": severity}
    )
    day = DECIDED_BEFORE_EPIDEMIC + timedelta(days=offset)

    within = record.disclosure.start <= day <= record.disclosure.end
    state = disclosure_state(record, day)
    assert (state is DisclosureState.DISCLOSED) is (stands(record) and within)
    assert publicly_visible(record, day) is (state is DisclosureState.DISCLOSED)
