"""Domain tests: the recording opt-out (Shenzhen regulation art. 39) and who still sees."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from domain.catalogue import Catalogue
from domain.identifiers import SubjectKind
from domain.masking import PublicAttribute
from domain.recording_preference import applies_to, refusable_item_codes, with_preference
from domain.records import ChangeKind, publicly_visible, sees_opted_out
from tests import factories

AT = datetime(2020, 9, 1, 4, tzinfo=UTC)


def test_applies_to_natural_persons_only() -> None:
    assert [applies_to(k) for k in SubjectKind] == [True, False, False]


def test_refusable_item_codes_are_every_good_behaviour_item_about_persons(
    catalogue: Catalogue,
) -> None:
    # Every 一(一) record rests on a commendation (notice 一(三)), which art. 39 lets a person
    # refuse; GOOD_4, 7 and 8 are about organisations only.
    assert refusable_item_codes([catalogue]) == [
        "GOOD_1",
        "GOOD_2",
        "GOOD_3",
        "GOOD_5",
        "GOOD_6",
        "GOOD_9",
    ]


def test_with_preference_refused_item_is_withheld_and_logged_as_hidden(
    catalogue: Catalogue,
) -> None:
    record = factories.record(
        catalogue, factories.person(), item_code="GOOD_3", decided=date(2020, 3, 1)
    )
    after = with_preference(record, catalogue.by_code["GOOD_3"], opted_out=True, at=AT, by="person")
    assert after is not None
    assert (after.opted_out, after.history[-1].kind) == (True, ChangeKind.HIDDEN)
    assert publicly_visible(record, date(2020, 9, 1)) is True
    assert publicly_visible(after, date(2020, 9, 1)) is False
    again = with_preference(after, catalogue.by_code["GOOD_3"], opted_out=False, at=AT, by="p")
    assert again is not None
    assert (again.opted_out, again.history[-1].kind) == (False, ChangeKind.SHOWN)


def test_with_preference_item_not_refusable_or_already_so_is_unaffected(
    catalogue: Catalogue,
) -> None:
    person = factories.person()
    penalty = factories.record(catalogue, person, item_code="DISHONEST_1", decided=date(2020, 3, 1))
    good_3 = factories.record(catalogue, person, item_code="GOOD_3", decided=date(2020, 3, 1))
    assert (
        with_preference(penalty, catalogue.by_code["DISHONEST_1"], opted_out=True, at=AT, by="p")
        is None
    )
    assert (
        with_preference(good_3, catalogue.by_code["GOOD_3"], opted_out=False, at=AT, by="p") is None
    )


@pytest.mark.parametrize(
    ("level", "own", "sees"),
    [
        (PublicAttribute.PUBLIC, False, False),
        (PublicAttribute.AUTHORIZED, False, False),  # a bank with a grant
        (PublicAttribute.GOVERNMENT, False, False),  # government sharing
        (PublicAttribute.AUTHORIZED, True, True),  # the person itself
        (PublicAttribute.RESTRICTED, False, True),  # the credit centre
    ],
)
def test_sees_opted_out_only_the_person_and_the_credit_centre(
    level: PublicAttribute, own: bool, sees: bool
) -> None:
    assert sees_opted_out(level, own=own) is sees
