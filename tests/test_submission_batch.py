"""Pure tests of a batch against what is stored: duplicates, conflicts, corrections, revocation."""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from datetime import UTC, date, datetime

from domain.errors import ProblemCode
from domain.outcomes import (
    BatchPlan,
    ItemResult,
    Outcome,
    changed_meanwhile,
    differences,
    lost_race,
    plan_batch,
)
from domain.records import ChangeKind, Record, RecordStatus, first_version
from domain.subjects import Subject, SubjectRef
from domain.submission import RecordSubmission, revoked
from tests import factories
from tests.submissions import (
    FIRM,
    NOW,
    PENALTY_ITEMS,
    SAMR,
    TODAY,
    VERSIONS,
    WINDOW,
    late_report,
    penalty,
    ref,
)

LATER = datetime(2020, 9, 2, 4, tzinfo=UTC)


def plan(
    submissions: list[RecordSubmission],
    *,
    stored: Sequence[Record] = (),
    known: Sequence[Subject] = (FIRM,),
    now: datetime = NOW,
) -> BatchPlan:
    """The plan for a batch with `stored` records and `known` subjects on file."""
    serial = itertools.count(1)
    return plan_batch(
        submissions,
        stored={r.source_record_id: r for r in stored},
        subjects={s.identifier: s for s in known},
        catalogues=VERSIONS,
        unit=SAMR,
        today=TODAY,
        now=now,
        epidemic_window=WINDOW,
        mint_subject_id=lambda: f"s-minted-{next(serial)}",
    )


def stored_version(submission: RecordSubmission, subject: Subject = FIRM) -> Record:
    """The record as the store holds it after the submission was accepted."""
    [record] = plan([submission], known=[subject]).new_records
    return first_version(record, at=record.created_at, by=record.source_unit)


def outcomes(result: BatchPlan) -> list[Outcome]:
    return [r.outcome for r in result.results]


def test_plan_batch_new_record_is_accepted_with_its_id() -> None:
    result = plan([penalty()])

    assert outcomes(result) == [Outcome.ACCEPTED]
    assert result.results[0].record_id == result.new_records[0].id
    assert result.new_subjects == []


def test_plan_batch_mixed_batch_keeps_the_good_items() -> None:
    result = plan(
        [penalty(), penalty(source_record_id="2", severity=None), late_report(source_record_id="3")]
    )

    assert outcomes(result) == [Outcome.ACCEPTED, Outcome.REJECTED, Outcome.ACCEPTED]
    assert [r.source_record_id for r in result.new_records] == ["2020-000001", "3"]
    rejected = result.results[1]
    assert (rejected.index, rejected.record_id) == (1, None)
    assert [(p.code, p.field) for p in rejected.problems] == [
        (ProblemCode.REQUIRED_MISSING, "severity")
    ]


def test_plan_batch_new_subject_is_created_once_for_two_records() -> None:
    result = plan([penalty(), late_report(source_record_id="2")], known=())

    [created] = result.new_subjects
    assert created.identifier == FIRM.identifier
    assert created.name == FIRM.name
    assert created.id == "s-minted-1"
    assert {r.subject_id for r in result.new_records} == {created.id}


def test_plan_batch_second_record_with_another_name_for_a_new_subject_is_a_mismatch() -> None:
    renamed = SubjectRef(kind=FIRM.kind, identifier=FIRM.identifier, name="另一家公司")

    result = plan([penalty(), late_report(source_record_id="2", subject=renamed)], known=())

    assert outcomes(result) == [Outcome.ACCEPTED, Outcome.REJECTED]
    assert result.results[1].problems[0].code is ProblemCode.SUBJECT_MISMATCH


def test_plan_batch_rejected_record_creates_no_subject() -> None:
    result = plan([penalty(severity=None)], known=())

    assert (result.new_subjects, result.new_records) == ([], [])


def test_plan_batch_same_content_again_is_a_duplicate() -> None:
    stored = stored_version(penalty())

    result = plan(
        [penalty()],
        stored=[stored],
        now=LATER,
    )

    assert outcomes(result) == [Outcome.DUPLICATE]
    assert result.results[0].record_id == stored.id
    assert (result.new_records, result.corrections, result.new_subjects) == ([], [], [])


def test_plan_batch_changed_content_is_a_conflict_naming_the_fields() -> None:
    stored = stored_version(penalty())
    changed = penalty(
        document_number="深市监福罚〔2020〕13号", items=PENALTY_ITEMS | {"fine_amount": "600000"}
    )

    result = plan([changed], stored=[stored])

    [conflict] = result.results
    assert conflict.outcome is Outcome.CONFLICT
    assert conflict.record_id == stored.id
    [problem] = conflict.problems
    assert (problem.code, problem.field) == (ProblemCode.CONFLICT, "sourceRecordId")
    assert "documentNumber, dataItems.fine_amount" in problem.message
    assert "500000" not in problem.message
    assert result.corrections == []


def test_plan_batch_correction_supersedes_and_keeps_history() -> None:
    stored = stored_version(penalty())
    correction = penalty(items=PENALTY_ITEMS | {"fine_amount": "600000"}, correction=True)

    result = plan(
        [correction],
        stored=[stored],
        now=LATER,
    )

    assert outcomes(result) == [Outcome.ACCEPTED]
    [(before, after)] = result.corrections
    assert before is stored
    assert after.id == stored.id
    assert after.version == 2
    assert after.data_items["fine_amount"] == "600000"
    assert [(c.version, c.kind) for c in after.history] == [
        (1, ChangeKind.CREATED),
        (2, ChangeKind.CORRECTED),
    ]
    assert after.history[1].at == LATER
    assert after.history[1].by == SAMR.code
    assert after.created_at == stored.created_at


def test_plan_batch_correction_recomputes_status_from_the_content() -> None:
    stored = stored_version(late_report(epidemic_related=False))
    assert stored.status is RecordStatus.ACTIVE

    result = plan(
        [late_report(correction=True)],
        stored=[stored],
    )

    [(_, after)] = result.corrections
    assert after.status is RecordStatus.EXCUSED


def test_plan_batch_correction_keeps_a_repaired_status() -> None:
    stored = stored_version(penalty()).model_copy(update={"status": RecordStatus.REPAIRED})

    result = plan(
        [penalty(document_number="深市监福罚〔2020〕99号", correction=True)],
        stored=[stored],
    )

    [(_, after)] = result.corrections
    assert after.status is RecordStatus.REPAIRED


def test_plan_batch_change_to_a_revoked_record_is_already_revoked() -> None:
    stored = revoked(stored_version(penalty()), at=LATER, by=SAMR.code, reason="复议撤销")

    result = plan(
        [penalty(document_number="深市监福罚〔2020〕99号", correction=True)],
        stored=[stored],
    )

    [conflict] = result.results
    assert conflict.outcome is Outcome.CONFLICT
    assert [p.code for p in conflict.problems] == [ProblemCode.ALREADY_REVOKED]
    assert result.corrections == []


def test_plan_batch_revoked_record_sent_again_unchanged_is_a_duplicate() -> None:
    stored = revoked(stored_version(penalty()), at=LATER, by=SAMR.code, reason="复议撤销")

    result = plan([penalty()], stored=[stored])

    assert outcomes(result) == [Outcome.DUPLICATE]


def test_plan_batch_repeat_within_the_batch_is_duplicate_or_conflict() -> None:
    changed = penalty(document_number="深市监福罚〔2020〕13号", correction=True)

    result = plan([penalty(), penalty(), changed], known=())

    assert outcomes(result) == [Outcome.ACCEPTED, Outcome.DUPLICATE, Outcome.CONFLICT]
    assert len(result.new_records) == 1
    assert "this batch already holds" in result.results[2].problems[0].message


def test_plan_batch_record_moved_to_an_unknown_subject_conflicts_and_creates_nobody() -> None:
    stored = stored_version(penalty())
    other = factories.firm(7100)
    moved = penalty(subject=ref(other))

    result = plan([moved], stored=[stored])

    assert outcomes(result) == [Outcome.CONFLICT]
    assert "subject" in result.results[0].problems[0].message
    assert result.new_subjects == []


def test_differences_ignore_ids_times_and_derived_fields() -> None:
    record = stored_version(penalty())
    later = record.model_copy(update={"created_at": LATER, "version": 3, "history": ()})

    assert differences(record, later) == []
    assert differences(record, record.model_copy(update={"decision_date": date(2020, 3, 2)})) == [
        "decisionDate"
    ]


def test_lost_race_to_the_same_content_stays_accepted() -> None:
    ours = stored_version(penalty())
    accepted = ItemResult(0, ours.source_record_id, Outcome.ACCEPTED, ours.id)

    assert lost_race(accepted, ours, ours) is accepted
    assert lost_race(accepted, ours, None) is accepted


def test_lost_race_to_other_content_is_a_conflict() -> None:
    ours = stored_version(penalty())
    theirs = ours.model_copy(update={"document_number": "深市监福罚〔2020〕77号"})
    accepted = ItemResult(0, ours.source_record_id, Outcome.ACCEPTED, ours.id)

    assert lost_race(accepted, ours, theirs).outcome is Outcome.CONFLICT


def test_changed_meanwhile_is_a_conflict_to_send_again() -> None:
    result = changed_meanwhile(ItemResult(4, "x", Outcome.ACCEPTED, "r-1"))

    assert (result.index, result.outcome, result.record_id) == (4, Outcome.CONFLICT, "r-1")
    assert result.problems[0].code is ProblemCode.CONFLICT


def test_revoked_record_keeps_its_history_and_reason() -> None:
    record = stored_version(penalty())

    after = revoked(record, at=LATER, by=SAMR.code, reason="行政复议撤销")

    assert after.status is RecordStatus.REVOKED
    assert after.version == 2
    assert after.history[-1].kind is ChangeKind.REVOKED
    assert after.history[-1].reason == "行政复议撤销"
    assert after.data_items == record.data_items
