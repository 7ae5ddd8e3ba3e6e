"""Domain tests: which records may be repaired, when, with what, and how fast."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from domain.calendar import AlreadyExtended, DeadlinePassed
from domain.catalogue import Catalogue
from domain.disclosure import Severity
from domain.fast_track import carries_penalty
from domain.records import Record, RecordStatus
from domain.repair import (
    Evidence,
    MissingKind,
    MissingMaterial,
    NotOpen,
    NotRepairable,
    ReasonRequired,
    RepairApplication,
    RepairDecision,
    RepairMeasure,
    RepairState,
    TooEarly,
    check_repairable,
    missing_materials,
    required_measures,
    reviewed,
    submitted,
)
from tests import factories
from tests.factories import PRC_CALENDAR

M = RepairMeasure
GENERAL = (M.CORRECTION, M.PENALTY_FULFILLED, M.COMMITMENT)
SERIOUS = (*GENERAL, M.TRAINING, M.CREDIT_REPORT)
AT = datetime(2020, 9, 1, 4, tzinfo=UTC)


def evidence(*kinds: RepairMeasure) -> list[Evidence]:
    return [Evidence(kind=k, description=f"{k.value} proof") for k in kinds]


def penalty(
    catalogue: Catalogue,
    decided: date,
    *,
    severity: Severity = Severity.GENERAL,
    epidemic_related: bool = False,
) -> Record:
    return factories.record(
        catalogue,
        factories.firm(),
        item_code="DISHONEST_2",
        decided=decided,
        severity=severity,
        epidemic_related=epidemic_related,
    )


def application(
    catalogue: Catalogue, today: date, *, measures: tuple[RepairMeasure, ...] = GENERAL
) -> RepairApplication:
    return submitted(
        application_id="ra-1",
        record=penalty(catalogue, date(2020, 3, 1)),
        applicant="subject-user",
        measures=measures,
        evidence=evidence(*measures),
        required=GENERAL,
        fast_track=(),
        at=AT,
        today=today,
        calendar=PRC_CALENDAR,
    )


def review(
    app: RepairApplication, decision: RepairDecision, today: date, reason: str = "checked"
) -> RepairApplication:
    return reviewed(
        app,
        decision=decision,
        reason=reason,
        at=AT,
        today=today,
        by="centre-user",
        calendar=PRC_CALENDAR,
    )


# --- what must be shown -----------------------------------------------------------------------


def test_required_measures_general_penalty_are_correction_penalty_and_commitment(
    catalogue: Catalogue,
) -> None:
    assert required_measures(penalty(catalogue, date(2020, 3, 1)), penalty=True) == GENERAL


def test_required_measures_serious_penalty_add_training_and_credit_report(
    catalogue: Catalogue,
) -> None:
    record = penalty(catalogue, date(2020, 3, 1), severity=Severity.SERIOUS)
    assert required_measures(record, penalty=True) == SERIOUS


def test_required_measures_broken_commitment_has_no_penalty_to_fulfil(
    catalogue: Catalogue,
) -> None:
    assert carries_penalty(catalogue.by_code["DISHONEST_5"]) is False
    assert carries_penalty(catalogue.by_code["DISHONEST_1"]) is True
    record = penalty(catalogue, date(2020, 3, 1))
    assert required_measures(record, penalty=False) == (M.CORRECTION, M.COMMITMENT)


def test_missing_materials_nothing_given_lists_every_measure_at_once() -> None:
    assert missing_materials(GENERAL, [], []) == tuple(
        MissingMaterial(measure=m, kind=MissingKind.MEASURE) for m in GENERAL
    )


def test_missing_materials_declared_without_evidence_lists_the_evidence() -> None:
    found = missing_materials(GENERAL, GENERAL, evidence(M.CORRECTION))
    assert found == (
        MissingMaterial(measure=M.PENALTY_FULFILLED, kind=MissingKind.EVIDENCE),
        MissingMaterial(measure=M.COMMITMENT, kind=MissingKind.EVIDENCE),
    )


def test_missing_materials_complete_is_empty_and_extra_measures_do_no_harm() -> None:
    assert missing_materials(GENERAL, SERIOUS, evidence(*GENERAL)) == ()


# --- when -------------------------------------------------------------------------------------


def test_check_repairable_serious_day_before_earliest_date_is_too_early_naming_it(
    catalogue: Catalogue,
) -> None:
    record = penalty(catalogue, date(2020, 3, 1), severity=Severity.SERIOUS)
    assert record.disclosure.earliest_repair_date == date(2020, 9, 2)
    with pytest.raises(TooEarly, match="2020-09-02"):
        check_repairable(record, date(2020, 9, 1))


def test_check_repairable_serious_on_the_earliest_date_is_allowed(catalogue: Catalogue) -> None:
    record = penalty(catalogue, date(2020, 3, 1), severity=Severity.SERIOUS)
    check_repairable(record, date(2020, 9, 2))


def test_check_repairable_period_without_minimum_is_repairable_at_once(
    catalogue: Catalogue,
) -> None:
    record = penalty(catalogue, date(2020, 3, 1))
    no_minimum = record.disclosure.model_copy(update={"earliest_repair_date": None})
    check_repairable(record.model_copy(update={"disclosure": no_minimum}), date(2020, 3, 1))


def test_check_repairable_epidemic_act_in_window_waits_the_serious_minimum(
    catalogue: Catalogue,
) -> None:
    record = penalty(catalogue, date(2020, 3, 1), epidemic_related=False)  # notice 二(八)
    with pytest.raises(TooEarly, match="2020-09-02"):
        check_repairable(record, date(2020, 9, 1))


def test_check_repairable_general_penalty_before_epidemic_waits_three_months(
    catalogue: Catalogue,
) -> None:
    record = penalty(catalogue, date(2020, 1, 10))
    with pytest.raises(TooEarly, match="2020-04-11"):
        check_repairable(record, date(2020, 4, 10))
    check_repairable(record, date(2020, 4, 11))


@pytest.mark.parametrize(
    ("item_code", "status", "today"),
    [
        ("GOOD_4", RecordStatus.ACTIVE, date(2020, 9, 1)),  # not dishonesty
        ("DISHONEST_2", RecordStatus.REPAIRED, date(2020, 9, 1)),  # repaired already
        ("DISHONEST_2", RecordStatus.REVOKED, date(2020, 9, 1)),
        ("DISHONEST_2", RecordStatus.ACTIVE, date(2023, 3, 2)),  # its last day was 2023-03-01
    ],
)
def test_check_repairable_outside_active_dishonesty_in_disclosure_is_not_repairable(
    catalogue: Catalogue, item_code: str, status: RecordStatus, today: date
) -> None:
    record = factories.record(
        catalogue, factories.firm(), item_code=item_code, decided=date(2020, 3, 1), status=status
    )
    with pytest.raises(NotRepairable):
        check_repairable(record, today)


def test_check_repairable_on_the_last_day_of_disclosure_is_allowed(catalogue: Catalogue) -> None:
    check_repairable(penalty(catalogue, date(2020, 3, 1)), date(2023, 3, 1))


def test_check_repairable_record_removed_from_display_is_not_repairable(
    catalogue: Catalogue,
) -> None:
    record = penalty(catalogue, date(2020, 3, 1)).model_copy(update={"hidden": True})
    with pytest.raises(NotRepairable):
        check_repairable(record, date(2020, 9, 1))


# --- deadlines --------------------------------------------------------------------------------


def test_submitted_complete_on_a_working_day_is_accepted_that_day_decided_within_three(
    catalogue: Catalogue,
) -> None:
    app = application(catalogue, date(2020, 9, 4))
    assert app.state is RepairState.ACCEPTED
    assert (app.accepted_on, app.decide_by) == (date(2020, 9, 4), date(2020, 9, 9))
    assert [s.state for s in app.history] == [RepairState.SUBMITTED, RepairState.ACCEPTED]


def test_submitted_on_a_saturday_is_accepted_on_monday(catalogue: Catalogue) -> None:
    app = application(catalogue, date(2020, 9, 5))
    assert (app.accepted_on, app.decide_by) == (date(2020, 9, 7), date(2020, 9, 10))


def test_submitted_before_national_day_is_decided_on_the_make_up_saturday(
    catalogue: Catalogue,
) -> None:
    app = application(catalogue, date(2020, 9, 29))
    assert app.decide_by == date(2020, 10, 10)


def test_submitted_incomplete_needs_materials_without_deadlines(catalogue: Catalogue) -> None:
    app = application(catalogue, date(2020, 9, 1), measures=(M.CORRECTION,))
    assert app.state is RepairState.NEEDS_MATERIALS
    assert [m.measure for m in app.missing] == [M.PENALTY_FULFILLED, M.COMMITMENT]
    assert (app.accepted_on, app.decide_by, app.open) == (None, None, False)
    assert app.history[-1].reason == "missing: PENALTY_FULFILLED (measure), COMMITMENT (measure)"


def test_overdue_on_the_deadline_no_the_day_after_yes(catalogue: Catalogue) -> None:
    app = application(catalogue, date(2020, 9, 1))
    assert app.decide_by == date(2020, 9, 4)
    assert (app.overdue(date(2020, 9, 4)), app.overdue(date(2020, 9, 5))) == (False, True)


def test_overdue_extended_counts_from_the_extension(catalogue: Catalogue) -> None:
    app = review(application(catalogue, date(2020, 9, 1)), RepairDecision.EXTEND, date(2020, 9, 4))
    assert (app.due_on, app.overdue(date(2020, 9, 9)), app.overdue(date(2020, 9, 10))) == (
        date(2020, 9, 9),
        False,
        True,
    )


def test_overdue_decided_is_never_overdue(catalogue: Catalogue) -> None:
    app = review(application(catalogue, date(2020, 9, 1)), RepairDecision.APPROVE, date(2020, 9, 2))
    assert app.overdue(date(2021, 1, 1)) is False


# --- decisions --------------------------------------------------------------------------------


def test_reviewed_approve_decides_and_records_who(catalogue: Catalogue) -> None:
    app = review(application(catalogue, date(2020, 9, 1)), RepairDecision.APPROVE, date(2020, 9, 2))
    assert (app.state, app.decided_at, app.decided_by) == (RepairState.APPROVED, AT, "centre-user")
    assert app.history[-1].state is RepairState.APPROVED


def test_reviewed_reject_without_reason_is_refused(catalogue: Catalogue) -> None:
    with pytest.raises(ReasonRequired):
        review(
            application(catalogue, date(2020, 9, 1)), RepairDecision.REJECT, date(2020, 9, 2), " "
        )


def test_reviewed_extend_twice_is_refused(catalogue: Catalogue) -> None:
    once = review(application(catalogue, date(2020, 9, 1)), RepairDecision.EXTEND, date(2020, 9, 2))
    assert once.extended_to == date(2020, 9, 9)
    with pytest.raises(AlreadyExtended):
        review(once, RepairDecision.EXTEND, date(2020, 9, 3))


def test_reviewed_extend_after_the_deadline_is_refused(catalogue: Catalogue) -> None:
    with pytest.raises(DeadlinePassed):
        review(application(catalogue, date(2020, 9, 1)), RepairDecision.EXTEND, date(2020, 9, 5))


def test_reviewed_decided_or_incomplete_application_is_not_open(catalogue: Catalogue) -> None:
    approved = review(
        application(catalogue, date(2020, 9, 1)), RepairDecision.APPROVE, date(2020, 9, 2)
    )
    incomplete = application(catalogue, date(2020, 9, 1), measures=())
    for app in (approved, incomplete):
        with pytest.raises(NotOpen):
            review(app, RepairDecision.REJECT, date(2020, 9, 2))
