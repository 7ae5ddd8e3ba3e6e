"""Credit commitments (二(九)): the managing unit registers, confirms and reports breaches of
them; who reads what.

A breach (notice 一(二)5, 一(三)) becomes a DISHONEST_5 record built and checked by the same
rules as any submitted record (domain.submission.judge), written through the change feed, and
linked both ways.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, replace
from datetime import date

from pydantic import ValidationError

from auth.masking import ShownValue, show_items
from auth.viewer import Scope
from domain import commitments as rules
from domain.catalogue import Category, SourceUnitType
from domain.commitments import (
    COMMITMENT_ITEM,
    ITEM_ARGUMENTS,
    VIOLATION_ITEM,
    Commitment,
    CommitmentKind,
    CommitmentStatus,
    Violation,
)
from domain.disclosure import Severity
from domain.identifiers import SubjectKind
from domain.masking import PublicAttribute
from domain.records import Record
from domain.source_units import SourceUnit
from domain.subjects import SubjectRef
from domain.submission import RecordSubmission, judge
from resolvers import errors
from resolvers.access import access_for, registered_source_unit
from resolvers.context import Context, forget
from resolvers.errors import Conflict, CountNotOffered, ForbiddenFilter, InvalidArgument, NotFound
from resolvers.pagination import Page, keyset_page
from resolvers.records import RecordView
from resolvers.records import view_of as record_view_of
from store import changes as change_store
from store import commitments as commitment_store
from store.commitments import CommitmentFilter
from store.documents import update_optimistically

CURSOR_TAG = "commitments"
MANAGING = SourceUnitType.COMMITMENT_MANAGING_UNIT


@dataclass(frozen=True)
class CommitmentView:
    """A commitment with its data items masked for the viewer."""

    commitment: Commitment
    data_items: list[ShownValue]
    level: PublicAttribute


@dataclass(frozen=True)
class CommitmentGiven:
    subject_id: str
    kind: CommitmentKind
    number: str
    content: str
    benefits: str | None
    signatory: str | None
    signed_on: date
    valid_from: date
    valid_until: date


async def managing_unit(ctx: Context) -> SourceUnit:
    """Notice 一(三): the unit that manages commitments, registered as such."""
    unit = await registered_source_unit(ctx)
    if not unit.acts_as(MANAGING):
        raise errors.UnitNotAuthorized(
            f"unit {unit.code} is not registered as a {MANAGING.value}: commitments are managed "
            "and breaches reported by the unit managing the commitment (notice 一(三))"
        )
    return unit


async def managed(ctx: Context, unit: SourceUnit, commitment_id: str) -> Commitment:
    """The commitment if this unit manages it; another unit's is answered as missing."""
    found = await commitment_store.get_commitment(ctx.db, commitment_id=commitment_id)
    if found is None or found.managing_unit != unit.code:
        raise NotFound("your unit manages no commitment with this id", field="id")
    return found


def refused(exc: rules.CommitmentRefusal) -> errors.ApiError:
    if isinstance(exc, rules.AlreadyViolated):
        return errors.AlreadyViolated(str(exc), field=exc.field)
    if isinstance(exc, rules.NotActive):
        return errors.CommitmentNotActive(str(exc), field=exc.field)
    return InvalidArgument(str(exc), field=exc.field)


def _build(
    ctx: Context, given: CommitmentGiven, unit: SourceUnit, subject_kind: SubjectKind
) -> Commitment:
    catalogue = ctx.catalogues.in_force(given.signed_on)
    if catalogue is None:
        raise InvalidArgument("signedOn: no catalogue is in force then", field="signedOn")
    number = given.number.strip()
    try:
        commitment = Commitment(
            id=rules.commitment_id(unit.code, number),
            subject_id=given.subject_id,
            subject_kind=subject_kind,
            kind=given.kind,
            managing_unit=unit.code,
            managing_unit_name=unit.name,
            number=number,
            content=given.content.strip(),
            benefits=None if given.benefits is None else given.benefits.strip(),
            signatory=None if given.signatory is None else given.signatory.strip(),
            signed_on=given.signed_on,
            valid_from=given.valid_from,
            valid_until=given.valid_until,
            catalogue_version=catalogue.version,
            created_at=ctx.now,
        )
        rules.check_registration(commitment, catalogue=catalogue, today=ctx.today)
    except ValidationError as exc:
        raise errors.invalid_argument(exc, ARGUMENT_NAMES) from None
    except rules.CommitmentRefusal as exc:
        raise refused(exc) from None
    return commitment


async def register_commitment(ctx: Context, given: CommitmentGiven) -> CommitmentView:
    """Register a commitment; registering the same number again returns the first if equal."""
    unit = await managing_unit(ctx)
    subject = await ctx.loaders.subjects.load(given.subject_id)
    if subject is None:
        raise NotFound("no subject has this id", field="subject")
    commitment = _build(ctx, given, unit, subject.kind)
    if not await commitment_store.insert_commitment(ctx.db, commitment=commitment):
        stored = await commitment_store.get_commitment(ctx.db, commitment_id=commitment.id)
        if stored is None or not rules.same_registration(stored, commitment):
            raise errors.CommitmentExists(
                f"commitment number {commitment.number} is registered already with other content",
                field="number",
            )
        return await view_of(ctx, stored)
    forget(ctx.loaders.commitments, subject.id)
    ctx.audit.wrote_for(subject.id)
    return await view_of(ctx, commitment)


async def fulfil_commitment(ctx: Context, *, commitment_id: str) -> CommitmentView:
    unit = await managing_unit(ctx)

    async def fulfil(commitment: Commitment) -> Commitment:
        return rules.fulfilled(commitment, ctx.today)

    fulfilled = await _update(ctx, unit, commitment_id, fulfil, doing="it was fulfilled")
    return await view_of(ctx, fulfilled)


async def _update(
    ctx: Context,
    unit: SourceUnit,
    commitment_id: str,
    decide: Callable[[Commitment], Awaitable[Commitment]],
    *,
    doing: str,
    before_writing: Callable[[], Awaitable[object]] | None = None,
) -> Commitment:
    """`decide` on the commitment the unit manages, written if it still stands so; the rules'
    refusals become the API's."""

    async def apply(commitment: Commitment) -> Commitment:
        try:
            return await decide(commitment)
        except rules.CommitmentRefusal as exc:
            raise refused(exc) from None

    async def write(before: Commitment, after: Commitment) -> bool:
        if before_writing is not None:
            await before_writing()
        return await commitment_store.update_commitment(ctx.db, before=before, after=after)

    after, _ = await update_optimistically(
        read=lambda: managed(ctx, unit, commitment_id),
        apply=apply,
        write=write,
        what=f"commitment {commitment_id} kept changing while {doing}",
        conflict=Conflict,
    )
    forget(ctx.loaders.commitments, after.subject_id)
    ctx.audit.wrote_for(after.subject_id)
    return after


async def view_of(ctx: Context, commitment: Commitment) -> CommitmentView:
    access = await access_for(ctx, commitment.subject_id, Category.COMMITMENT)
    item = ctx.catalogues.item(commitment.catalogue_version, COMMITMENT_ITEM)
    shown = show_items(item, commitment.data_items(), access.level)
    ctx.audit.saw(commitment.subject_id, shown, grant_id=access.grant_id)
    return CommitmentView(commitment=commitment, data_items=shown, level=access.level)


async def subject_commitments(
    ctx: Context, *, subject_id: str, kind: SubjectKind
) -> list[CommitmentView]:
    """What the viewer may see of a subject's commitments.

    A person's commitments are shown at AUTHORIZED only (Shenzhen regulation art. 38: personal
    information is not published); others see an organisation's commitments while valid, as the
    catalogue's commitment rule shows them, and whole-file viewers see every one.
    """
    access = await access_for(ctx, subject_id, Category.COMMITMENT)
    if kind is SubjectKind.NATURAL_PERSON and not access.level.allows(PublicAttribute.AUTHORIZED):
        return []
    found = await ctx.loaders.commitments.load(subject_id)
    if ctx.gate.record_scope(subject_id).on_display is not None:
        found = [c for c in found if c.displayed(ctx.today)]
    return [await view_of(ctx, c) for c in found]


def _scope(ctx: Context, subject_id: str | None) -> CommitmentFilter:
    """Government and the centre list all, a subject its own, a managing unit those it manages;
    anyone else the public list (信用承诺公示, notice 二(九)): organisations' commitments valid
    today, whatever their status, and a person's never (`Commitment.on_public_list`)."""
    viewer = ctx.viewer
    if viewer.has(Scope.RECORDS_READ):
        return CommitmentFilter(subject_id=subject_id)
    if viewer.subject_id is not None and viewer.has(Scope.SUBJECT_SELF):
        if subject_id not in (None, viewer.subject_id):
            raise ForbiddenFilter("a subject lists its own commitments only", field="subject")
        return CommitmentFilter(subject_id=viewer.subject_id)
    if viewer.unit is not None and viewer.has(Scope.RECORDS_SUBMIT):
        return CommitmentFilter(subject_id=subject_id, managing_unit=viewer.unit)
    return CommitmentFilter(subject_id=subject_id, on_public_list=ctx.today)


async def _count(ctx: Context, spec: CommitmentFilter) -> int:
    if spec.on_public_list is not None and spec.subject_id is None:
        # DESIGN.md §2.1: counting what is on display reads every commitment shown, a scan a
        # portal asking on each page would repeat; pages use hasNextPage.
        raise CountNotOffered(
            "totalCount is not offered on the public list of commitments: use "
            "pageInfo.hasNextPage, or one subject's commitments",
            field="totalCount",
        )
    return await commitment_store.count_commitments(ctx.db, spec=spec)


async def commitments(
    ctx: Context,
    *,
    subject_id: str | None,
    status: CommitmentStatus | None,
    first: int | None,
    after: str | None,
) -> Page[CommitmentView]:
    spec = replace(_scope(ctx, subject_id), status=status)
    return await keyset_page(
        CURSOR_TAG,
        first,
        after,
        find=lambda key, limit: commitment_store.find_commitments(
            ctx.db, spec=spec, after=key, limit=limit
        ),
        key=commitment_store.order_key,
        count=lambda: _count(ctx, spec),
        view=lambda commitment: view_of(ctx, commitment),
    )


ARGUMENT_NAMES = {
    "number": "number",
    "content": "content",
    "benefits": "benefits",
    "signatory": "signatory",
    "valid_from": "validFrom",
    "valid_until": "validUntil",
}


async def report_commitment_violation(
    ctx: Context,
    *,
    commitment_id: str,
    facts: str,
    epidemic_impact: str,
    decision_date: date,
    document_number: str,
    severity: Severity,
) -> tuple[CommitmentView, RecordView]:
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
        raise errors.invalid_argument(exc, VIOLATION_ARGUMENTS) from None
    breach: dict[str, Record] = {}  # the record of the breach as last decided

    async def violate(commitment: Commitment) -> Commitment:
        rules.check_violation(commitment, violation, ctx.today)
        record = breach["record"] = await _record(ctx, unit, commitment, violation, severity)
        return rules.violated(commitment, record_id=record.id, on=violation.decision_date)

    async def write_record() -> None:
        # The record first: its id is fixed by the commitment, so a retry writes nothing new.
        await change_store.write_new_records(ctx.db, records=[breach["record"]])

    after = await _update(
        ctx,
        unit,
        commitment_id,
        violate,
        doing="a breach was reported",
        before_writing=write_record,
    )
    return await view_of(ctx, after), await record_view_of(ctx, breach["record"])


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
        problem = judged[0]
        field = problem.field.removeprefix("dataItems.")
        name = ITEM_ARGUMENTS.get(field, field)
        raise errors.problem_error(problem.code, f"{name}: {problem.message}", field=name)
    return judged.model_copy(update={"commitment_id": commitment.id})


VIOLATION_ARGUMENTS = {
    "facts": "facts",
    "epidemic_impact": "epidemicImpact",
    "document_number": "documentNumber",
    "decision_date": "decisionDate",
}
