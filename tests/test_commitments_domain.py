"""Domain tests: commitments, their registration rules and the record a breach becomes."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from domain import commitments as rules
from domain.catalogue import Catalogue
from domain.commitments import (
    COMMITMENT_ITEM,
    VIOLATION_ITEM,
    CommitmentKind,
    CommitmentStatus,
    Violation,
)
from domain.identifiers import SubjectKind
from tests import factories

TODAY = date(2020, 9, 1)


def violation(decided: date = date(2020, 8, 1)) -> Violation:
    return Violation(
        facts="复工后未落实体温检测",
        epidemic_impact="导致疫情防控风险上升",
        decision_date=decided,
        document_number="深工信认〔2020〕3号",
    )


def test_commitment_ids_are_one_per_unit_and_number() -> None:
    assert rules.commitment_id("U1", "N1") == rules.commitment_id("U1", "N1")
    assert rules.commitment_id("U1", "N1") != rules.commitment_id("U2", "N1")
    assert rules.commitment_id("U1", "N1") != rules.commitment_id("U1", "N2")


def test_registration_valid_before_signing_is_refused(catalogue: Catalogue) -> None:
    c = factories.commitment(factories.firm()).model_copy(update={"valid_from": date(2020, 2, 29)})

    with pytest.raises(rules.CommitmentRefusal) as caught:
        rules.check_registration(c, catalogue=catalogue, today=TODAY)

    assert caught.value.field == "validFrom"


def test_registration_ending_before_it_starts_is_refused(catalogue: Catalogue) -> None:
    c = factories.commitment(factories.firm(), valid_until=date(2020, 9, 1))
    c = c.model_copy(update={"valid_from": date(2020, 9, 2)})

    with pytest.raises(rules.CommitmentRefusal) as caught:
        rules.check_registration(c, catalogue=catalogue, today=TODAY)

    assert caught.value.field == "validUntil"


@pytest.mark.parametrize("kind", list(CommitmentKind))
def test_commitment_data_items_are_the_catalogue_items_keys(
    catalogue: Catalogue, kind: CommitmentKind
) -> None:
    item = catalogue.by_code[COMMITMENT_ITEM]
    values = factories.commitment(factories.firm(), kind=kind).data_items()

    assert set(values) <= set(item.specs)
    assert values["commitment_type"] in item.specs["commitment_type"].enum_values
    assert {s.key for s in item.data_items if s.required} <= set(values)


def test_commitment_data_items_leave_out_what_was_not_given() -> None:
    values = factories.commitment(factories.firm(), signatory=None).data_items()

    assert "signatory" not in values


def test_violation_values_fill_every_required_item_of_dishonest_5(catalogue: Catalogue) -> None:
    item = catalogue.by_code[VIOLATION_ITEM]
    c = factories.commitment(factories.firm(), kind=CommitmentKind.CREDIT_REPAIR)

    values = rules.violation_values(c, violation())

    assert set(values) <= set(item.specs)
    assert {s.key for s in item.data_items if s.required} <= set(values)
    assert values["commitment_type"] == "信用修复"
    assert values["finding_date"] == "2020-08-01"


def test_registration_on_the_day_of_signing_is_accepted(catalogue: Catalogue) -> None:
    c = factories.commitment(factories.firm(), signed=TODAY, valid_until=TODAY)

    rules.check_registration(c, catalogue=catalogue, today=TODAY)


def test_registration_signed_tomorrow_is_refused(catalogue: Catalogue) -> None:
    c = factories.commitment(
        factories.firm(), signed=date(2020, 9, 2), valid_until=date(2021, 1, 1)
    )

    with pytest.raises(rules.CommitmentRefusal) as caught:
        rules.check_registration(c, catalogue=catalogue, today=TODAY)

    assert caught.value.field == "signedOn"


def test_registration_that_ended_yesterday_is_refused(catalogue: Catalogue) -> None:
    c = factories.commitment(factories.firm(), valid_until=date(2020, 8, 31))

    with pytest.raises(rules.CommitmentRefusal) as caught:
        rules.check_registration(c, catalogue=catalogue, today=TODAY)

    assert caught.value.field == "validUntil"


def test_registration_runs_at_most_36_months(catalogue: Catalogue) -> None:
    longest = factories.commitment(factories.firm(), valid_until=date(2023, 3, 1))
    longer = factories.commitment(factories.firm(), valid_until=date(2023, 3, 2))

    rules.check_registration(longest, catalogue=catalogue, today=TODAY)
    with pytest.raises(rules.CommitmentRefusal, match="36 months") as caught:
        rules.check_registration(longer, catalogue=catalogue, today=TODAY)

    assert caught.value.field == "validUntil"


def test_registration_value_too_long_for_its_data_item_names_the_argument(
    catalogue: Catalogue,
) -> None:
    c = factories.commitment(factories.firm())
    c = c.model_copy(update={"signatory": "张" * 51})

    with pytest.raises(rules.CommitmentRefusal, match="at most 50") as caught:
        rules.check_registration(c, catalogue=catalogue, today=TODAY)

    assert caught.value.field == "signatory"


def test_displayed_from_valid_from_through_valid_until() -> None:
    c = factories.commitment(factories.firm(), valid_until=date(2021, 2, 28))

    assert not c.displayed(date(2020, 2, 29))
    assert c.displayed(date(2020, 3, 1))
    assert c.displayed(date(2021, 2, 28))
    assert not c.displayed(date(2021, 3, 1))


def test_fulfilled_commitment_records_the_day() -> None:
    done = rules.fulfilled(factories.commitment(factories.firm()), TODAY)

    assert (done.status, done.fulfilled_on) == (CommitmentStatus.FULFILLED, TODAY)


def test_fulfilling_twice_is_refused_as_not_active() -> None:
    done = rules.fulfilled(factories.commitment(factories.firm()), TODAY)

    with pytest.raises(rules.NotActive):
        rules.fulfilled(done, TODAY)


def test_breach_of_a_violated_commitment_is_already_violated() -> None:
    broken = factories.commitment(
        factories.firm(), status=CommitmentStatus.VIOLATED, violation_record_id="r-1"
    )

    with pytest.raises(rules.AlreadyViolated, match="r-1"):
        rules.check_violation(broken, violation(), TODAY)


def test_breach_of_a_fulfilled_commitment_is_not_active() -> None:
    done = factories.commitment(factories.firm(), status=CommitmentStatus.FULFILLED)

    with pytest.raises(rules.NotActive):
        rules.check_violation(done, violation(), TODAY)


def test_breach_found_from_valid_from_through_today_is_accepted() -> None:
    c = factories.commitment(factories.firm(), signed=date(2020, 3, 1))

    rules.check_violation(c, violation(date(2020, 3, 1)), TODAY)
    rules.check_violation(c, violation(TODAY), TODAY)


@pytest.mark.parametrize("decided", [date(2020, 2, 29), date(2020, 9, 2)])
def test_breach_found_outside_validity_or_in_the_future_is_refused(decided: date) -> None:
    c = factories.commitment(factories.firm(), signed=date(2020, 3, 1))

    with pytest.raises(rules.CommitmentRefusal) as caught:
        rules.check_violation(c, violation(decided), TODAY)

    assert caught.value.field == "decisionDate"


def test_violated_links_the_record_and_the_day() -> None:
    c = rules.violated(factories.commitment(factories.firm()), record_id="r-9", on=date(2020, 8, 1))

    assert (c.status, c.violation_record_id, c.violated_on) == (
        CommitmentStatus.VIOLATED,
        "r-9",
        date(2020, 8, 1),
    )


def test_same_registration_ignores_what_happened_since() -> None:
    c = factories.commitment(factories.firm())

    assert rules.same_registration(c, rules.fulfilled(c, TODAY))
    assert not rules.same_registration(c, c.model_copy(update={"content": "另一承诺"}))


@settings(max_examples=200, deadline=None)
@given(
    kind=st.sampled_from(list(SubjectKind)),
    starts=st.integers(min_value=-400, max_value=400),
    lasts=st.integers(min_value=0, max_value=800),
    status=st.sampled_from(list(CommitmentStatus)),
)
def test_public_list_shows_organisations_commitments_while_valid_and_persons_never(
    kind: SubjectKind, starts: int, lasts: int, status: CommitmentStatus
) -> None:
    subject = factories.person() if kind is SubjectKind.NATURAL_PERSON else factories.firm()
    valid_from = TODAY + timedelta(days=starts)
    c = factories.commitment(
        subject, signed=valid_from, valid_until=valid_from + timedelta(days=lasts), status=status
    ).model_copy(update={"subject_kind": kind})

    shown = c.on_public_list(TODAY)

    assert shown == (
        kind is not SubjectKind.NATURAL_PERSON and c.valid_from <= TODAY <= c.valid_until
    )
    assert not shown or c.displayed(TODAY)
