"""Reporting a broken commitment (notice 一(二)5, 一(三)): the managing unit finds the breach.

The breach becomes a DISHONEST_5 record built and checked by the same rules as any submitted
record (domain.submission.judge), written through the change feed, and linked both ways.
"""

from __future__ import annotations

from datetime import date

from pydantic import ValidationError

from domain import commitments as rules
from domain.commitments import ITEM_ARGUMENTS, VIOLATION_ITEM, Commitment, Violation
from domain.disclosure import Severity
from domain.errors import Problem, ProblemCode
from domain.records import Record
from domain.source_units import SourceUnit
from domain.subjects import SubjectRef
from domain.submission import RecordSubmission, judge
from resolvers import errors
from resolvers.commitments import ATTEMPTS, managed, managing_unit, refused
from resolvers.context import Context, forget
from resolvers.errors import InvalidArgument
from store import changes as change_store
from store import commitments as commitment_store
from store.errors import ChangedMeanwhile


async def report_commitment_violation(
    ctx: Context,
    *,
    commitment_id: str,
    facts: str,
    epidemic_impact: str,
    decision_date: date,
    document_number: str,
    severity: Severity,
) -> tuple[Commitment, Record]:
    """Mark the commitment broken and record the breach as dishonesty."""
    unit = await managing_unit(ctx)
    try:
        violation = Violation(
            facts=facts.strip(),
            epidemic_impact=epidemic_impact.strip(),
            decision_date=decision_date,
            document_number=document_number.strip(),
        )
    except ValidationError as exc:
        raise errors.invalid_argument(exc, ARGUMENT_NAMES) from None
    for _ in range(ATTEMPTS):
        before = await managed(ctx, unit, commitment_id)
        try:
            rules.check_violation(before, violation, ctx.today)
        except rules.CommitmentRefusal as exc:
            raise refused(exc) from None
        record = await _record(ctx, unit, before, violation, severity)
        # The record first: its id is fixed by the commitment, so a retry writes nothing new.
        await change_store.write_new_records(ctx.db, records=[record])
        after = rules.violated(before, record_id=record.id, on=violation.decision_date)
        if await commitment_store.update_commitment(ctx.db, before=before, after=after):
            forget(ctx.loaders.commitments, after.subject_id)
            ctx.audit.wrote_for(after.subject_id)
            return after, record
    raise ChangedMeanwhile(f"commitment {commitment_id} kept changing while a breach was reported")


async def _record(
    ctx: Context, unit: SourceUnit, commitment: Commitment, violation: Violation, severity: Severity
) -> Record:
    subject = await ctx.loaders.subjects.load(commitment.subject_id)
    if subject is None:
        raise LookupError(f"commitment {commitment.id} names a missing subject")
    submission = RecordSubmission(
        source_record_id=rules.violation_source_id(commitment),
        subject=SubjectRef(kind=subject.kind, identifier=subject.identifier, name=subject.name),
        item_code=VIOLATION_ITEM,
        decision_date=violation.decision_date,
        document_number=violation.document_number,
        severity=severity,
        # The item is defined by its risk to epidemic control (一(二)5): always epidemic-related.
        epidemic_related=True,
        data_items=tuple(rules.violation_values(commitment, violation).items()),
    )
    judged = judge(
        submission,
        catalogues=ctx.catalogues,
        unit=unit,
        subject=subject,
        new_subject_id=subject.id,
        today=ctx.today,
        now=ctx.now,
        epidemic_window=ctx.epidemic_window,
    )
    if isinstance(judged, list):
        raise _problem(judged[0])
    return judged.model_copy(update={"commitment_id": commitment.id})


def _problem(problem: Problem) -> errors.ApiError:
    field = problem.field.removeprefix("dataItems.")
    name = ITEM_ARGUMENTS.get(field, field)
    message = f"{name}: {problem.message}"
    if problem.code is ProblemCode.UNIT_NOT_AUTHORIZED:
        return errors.UnitNotAuthorized(message)
    if problem.code is ProblemCode.NOT_IN_CATALOGUE:
        return errors.NotInCatalogue(message, field=name)
    return InvalidArgument(message, field=name)


ARGUMENT_NAMES = {
    "facts": "facts",
    "epidemic_impact": "epidemicImpact",
    "document_number": "documentNumber",
    "decision_date": "decisionDate",
}
