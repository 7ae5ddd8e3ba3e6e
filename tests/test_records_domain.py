"""Domain tests: which records stand (may be used for or against a subject) and which are shown."""

from __future__ import annotations

from datetime import date

import pytest

from domain.catalogue import Catalogue
from domain.records import RecordStatus, publicly_visible, stands
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
