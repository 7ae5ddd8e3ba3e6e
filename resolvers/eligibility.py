"""Eligibility for incentive programmes, one subject or up to 1,000 at once (二(七), 三(十二)).

A batch reads standings (the facts of each subject's records that stand, store/standings.py),
blacklist entries and commitments with one `$in` query each, so a check of 1,000 subjects costs
the store round trips of a check of one, and reads one small document per subject, not every
record.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass

from auth.viewer import Scope
from domain.blacklist import BlacklistEntry
from domain.commitments import Commitment
from domain.eligibility import Evaluation, evaluate, not_found
from domain.grading import IncentiveRules
from domain.identifiers import InvalidIdentifier, identify
from domain.programmes import Programme
from domain.standings import Standing
from resolvers import errors
from resolvers.access import require
from resolvers.context import Context
from store import blacklist as blacklist_store
from store import commitments as commitment_store
from store import programmes as programme_store
from store import standings as standing_store
from store import subjects as subject_store
from store.errors import PublicationRefused

MAX_SUBJECTS = 1000


@dataclass(frozen=True)
class SubjectFile:
    """What a programme or grade is judged on: the subject's standing and the rest of its file."""

    standing: Standing
    entries: list[BlacklistEntry]
    commitments: list[Commitment]


def incentive_rules(ctx: Context) -> IncentiveRules:
    """The version of the programmes and grading rule in force on the request's day (12.2):
    every evaluation names it."""
    return ctx.programmes.versions.in_force(ctx.today)


def programmes(ctx: Context) -> list[Programme]:
    return list(incentive_rules(ctx).programmes.programmes)


def programme(ctx: Context, code: str) -> Programme:
    found = incentive_rules(ctx).programmes.programme(code)
    if found is None:
        known = ", ".join(p.code for p in programmes(ctx))
        raise errors.ProgrammeUnknown(
            f"no programme has the code {code}; known: {known}", field="programme"
        )
    return found


async def read_files(ctx: Context, subject_ids: Sequence[str]) -> dict[str, SubjectFile]:
    """The files of the subjects that exist (those with a standing), in three queries run side
    by side.

    The blacklist entries and commitments read are also what the request's loaders answer
    for these subjects, so nothing later reads them again.
    """
    standings, entries, commitments = await asyncio.gather(
        standing_store.get_standings(ctx.db, ids=subject_ids),
        blacklist_store.entries_of_subjects(ctx.db, subject_ids=subject_ids),
        commitment_store.commitments_of_subjects(ctx.db, subject_ids=subject_ids),
    )
    files = {}
    for standing, listed, committed in zip(standings, entries, commitments, strict=True):
        if standing is not None:
            ctx.loaders.blacklist_entries.prime(standing.subject_id, listed)
            ctx.loaders.commitments.prime(standing.subject_id, committed)
            files[standing.subject_id] = SubjectFile(standing, listed, committed)
    return files


def judge(ctx: Context, chosen: Programme, file: SubjectFile) -> Evaluation:
    return evaluate(
        chosen,
        standing=file.standing,
        entries=file.entries,
        commitments=file.commitments,
        today=ctx.today,
        at=ctx.now,
        rules_version=incentive_rules(ctx).version,
    )


async def eligibilities(
    ctx: Context,
    *,
    subject_ids: Sequence[str] | None = None,
    identifiers: Sequence[str] | None = None,
    programme_code: str,
) -> list[Evaluation]:
    """Each subject's evaluation, in the order asked, by ids or by identifiers (USCCs and
    resident identity numbers, 三(十二): what a funding department holds); an unknown one is
    answered as such, the same way whether or not it was ever on file."""
    require(ctx, Scope.ELIGIBILITY_READ, f"eligibility checks need scope {Scope.ELIGIBILITY_READ}")
    if (subject_ids is None) == (identifiers is None):
        raise errors.InvalidArgument(
            "give exactly one of subjects and identifiers", field="subjects"
        )
    chosen = programme(ctx, programme_code)
    asked = list(subject_ids if subject_ids is not None else identifiers or [])
    if len(asked) > MAX_SUBJECTS:
        raise errors.BatchTooLarge(
            f"at most {MAX_SUBJECTS} subjects at once, {len(asked)} were given",
            field="subjects" if identifiers is None else "identifiers",
        )
    version = incentive_rules(ctx).version
    if identifiers is None:
        files = await _judged_files(ctx, asked)
        return [
            judge(ctx, chosen, files[i])
            if i in files
            else not_found(chosen, subject_id=i, at=ctx.now, rules_version=version)
            for i in asked
        ]
    canonical: dict[str, str | InvalidIdentifier] = {}
    for given in asked:
        try:
            canonical[given] = identify(given, today=ctx.today)[1]
        except InvalidIdentifier as exc:
            canonical[given] = exc
    wanted = [c for c in dict.fromkeys(canonical.values()) if isinstance(c, str)]
    found = await subject_store.get_subjects_by_identifiers(ctx.db, identifiers=wanted)
    ids = {c: s.id for c, s in zip(wanted, found, strict=True) if s is not None}
    for subject in found:
        if subject is not None:  # read for its id: `Eligibility.subject` needs no second read
            ctx.loaders.subjects.prime(subject.id, subject)
    files = await _judged_files(ctx, list(dict.fromkeys(ids.values())))
    answers = []
    for given in asked:
        c = canonical[given]
        if isinstance(c, InvalidIdentifier):
            answers.append(
                not_found(
                    chosen, identifier=given, invalid=str(c), at=ctx.now, rules_version=version
                )
            )
        elif c in ids:
            answers.append(judge(ctx, chosen, files[ids[c]]).model_copy(update={"identifier": c}))
        else:
            answers.append(not_found(chosen, identifier=c, at=ctx.now, rules_version=version))
    return answers


async def _judged_files(ctx: Context, subject_ids: Sequence[str]) -> dict[str, SubjectFile]:
    """The files of the subjects that exist, each check audited as a query of its credit."""
    files = await read_files(ctx, list(dict.fromkeys(subject_ids)))
    for subject_id in files:
        # Notice 三(十二): a funding department's check is a query of the subject's credit.
        ctx.audit.consulted(subject_id)
    return files


async def publish_programmes(ctx: Context, *, text: str) -> IncentiveRules:
    """Publish a version of the programmes and grading rule given as TOML (the format of
    store/default_programmes.toml); refused, with nothing stored, when it does not validate or
    the store refuses it (a taken number, a past day). The publishing worker serves it at once.
    """
    require(ctx, Scope.CATALOGUE_WRITE, f"publishing programmes needs {Scope.CATALOGUE_WRITE}")
    try:
        new = programme_store.rules_of_text(text)
        await programme_store.publish_rules(ctx.db, rules=new, today=ctx.today)
    except ValueError as exc:  # GradingError, ProgrammeError: the file names the problem
        raise errors.InvalidArgument(str(exc), field="programmes") from None
    except PublicationRefused as exc:
        refusal = errors.ProgrammesVersionExists if exc.taken else errors.InvalidArgument
        raise refusal(str(exc), field="programmes") from None
    await ctx.programmes.reload_if_changed(ctx.db)
    return new
