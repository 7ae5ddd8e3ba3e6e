"""The financing profile a bank reads with the firm's authorisation (notice 三(十三)).

Shenzhen regulation arts. 40-41: non-public credit information is queried only with the
subject's authorisation, for its stated purpose and period; the query is recorded with the
grant it relied on (art. 45), whatever the profile shows.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

from auth.viewer import Scope
from domain.blacklist import BlacklistEntry
from domain.catalogue import Category
from domain.eligibility import Evaluation
from domain.grading import Grade, grade
from domain.grants import AuthorizationGrant
from domain.standings import standing_of
from resolvers import errors
from resolvers.access import hides_opted_out, refuse, require
from resolvers.commitments import CommitmentView, subject_commitments
from resolvers.context import Context
from resolvers.eligibility import SubjectFile, incentive_rules, judge, programme
from resolvers.records import RecordView
from resolvers.records import view_of as record_view
from resolvers.repair import RepairEntry, repaired_records
from resolvers.subjects import SubjectView
from resolvers.subjects import view_of as subject_view
from store import records as record_store
from store.records import RecordFilter

# What the profile is made of: a grant must cover each (the subject's own fields are shown
# above PUBLIC only if it covers BASIC as well).
REQUIRED_CLASSES = (Category.GOOD, Category.DISHONEST, Category.COMMITMENT)
# Records read, newest first: far above any real file, so nothing counted is cut.
MAX_RECORDS = 500


@dataclass(frozen=True)
class FinancingProfileView:
    subject: SubjectView
    grant: AuthorizationGrant
    good_records: list[RecordView]
    active_dishonesty: list[RecordView]
    blacklist_entries: list[BlacklistEntry]
    commitments: list[CommitmentView]
    repairs: list[RepairEntry]
    eligibility: Evaluation
    grade: Grade


async def _grant(ctx: Context, subject_id: str) -> AuthorizationGrant:
    """The live grant to the bank's organisation that covers the whole profile.

    The same refusal whether or not the subject exists: the answer is no oracle.
    """
    live = await ctx.loaders.grants.load(subject_id)
    covering = [g for g in live if all(g.covers(c) for c in REQUIRED_CLASSES)]
    if covering:
        return max(covering, key=lambda g: g.valid_until)
    needed = ", ".join(c.value for c in REQUIRED_CLASSES)
    found = " (the live grants leave some out)" if live else ""
    raise errors.GrantRequired(
        f"a financing profile needs a live grant from the subject to {ctx.viewer.org} covering "
        f"{needed}{found}",
        field="subject",
    )


async def financing_profile(ctx: Context, *, subject_id: str) -> FinancingProfileView:
    viewer = ctx.viewer
    refusal = f"financing profiles need scope {Scope.FINANCING_READ} and an org claim"
    require(ctx, Scope.FINANCING_READ, refusal)
    if viewer.org is None:
        refuse(refusal)
    grant = await _grant(ctx, subject_id)
    # The whole file, repaired records included, less the person's refusals (art. 39) the
    # viewer may not see: they count for nothing anyway (domain.records.stands).
    spec = RecordFilter(hide_opted_out=hides_opted_out(ctx, subject_id))
    subject, [records], entries, commitments = await asyncio.gather(
        ctx.loaders.subjects.load(subject_id),
        record_store.files_of_subjects(
            ctx.db, subject_ids=[subject_id], spec=spec, limit_each=MAX_RECORDS
        ),
        ctx.loaders.blacklist_entries.load(subject_id),
        ctx.loaders.commitments.load(subject_id),
    )
    if subject is None:
        raise LookupError(f"subject {subject_id} granted access but is not on file")
    # Judged from the records read for the profile: their standing is what the stored one
    # holds (domain/standings.py), and the profile shows these records.
    file = SubjectFile(standing_of(subject.id, subject.kind, records), entries, commitments)
    rules = incentive_rules(ctx)
    evaluation = judge(ctx, programme(ctx, rules.grading.programme), file)
    ctx.audit.consulted(subject_id, grant_id=grant.id)
    # A grant widens the data items shown, not the records: a bank sees those on public
    # display, as `records` shows them to it (never one removed on an objection or refused by
    # the person, art. 39), and the subject's commitments as `Subject.commitments` does.
    shown = [r for r in records if ctx.gate.shows_record(r)]
    return FinancingProfileView(
        subject=await subject_view(ctx, subject),
        grant=grant,
        good_records=[await record_view(ctx, r) for r in shown if r.category is Category.GOOD],
        active_dishonesty=[
            await record_view(ctx, r) for r in shown if r.category is Category.DISHONEST
        ],
        blacklist_entries=[e for e in file.entries if e.in_force(ctx.today)],
        commitments=await subject_commitments(ctx, subject_id=subject_id, kind=subject.kind),
        repairs=repaired_records(ctx, records),
        eligibility=evaluation,
        grade=grade(
            rules.grading,
            evaluation=evaluation,
            records=file.standing.records,
            entries=file.entries,
            commitments=file.commitments,
            today=ctx.today,
        ),
    )
