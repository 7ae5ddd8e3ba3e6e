"""Eligibility: a subject's file judged against an incentive programme (二(七)-二(九), 三(十二)).

Pure: the file (the subject's standing — the facts of its records that stand, see
domain/standings.py —, blacklist entries, commitments) and the day are passed in. Every reason
for a no is reported at once, each with a stable code.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from enum import StrEnum

from pydantic import BaseModel, ConfigDict

from domain.blacklist import BlacklistEntry
from domain.calendar import add_months
from domain.catalogue import Category
from domain.commitments import Commitment, CommitmentStatus
from domain.disclosure import Severity
from domain.programmes import BlockerKind, BlockerRule, Programme
from domain.standings import RecordFacts, Standing


class Outcome(StrEnum):
    """Reasons for ineligibility that are not blockers of the data: reported the same way."""

    SUBJECT_NOT_FOUND = "SUBJECT_NOT_FOUND"
    IDENTIFIER_INVALID = "IDENTIFIER_INVALID"
    SUBJECT_KIND_NOT_COVERED = "SUBJECT_KIND_NOT_COVERED"
    INSUFFICIENT_POINTS = "INSUFFICIENT_POINTS"


class Blocker(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    code: str
    message: str
    record_ids: tuple[str, ...] = ()


class Evaluation(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    # None when asked by an identifier no subject has; `identifier` is what was asked then.
    subject_id: str | None
    programme: str
    eligible: bool
    points: int
    qualifying_record_ids: tuple[str, ...]
    blockers: tuple[Blocker, ...]
    rules_version: str
    evaluated_at: datetime
    identifier: str | None = None


def _points(
    programme: Programme, records: Sequence[RecordFacts], today: date
) -> tuple[int, list[str]]:
    """Points earned and the records that earned them, each record counted by its first rule.

    A record earns points while it stands, on display or not (the window decides how old it
    may be): never one the person refused (art. 39) or one removed from display on an objection,
    which have no facts (domain.standings.standing_facts).
    """
    counted: set[str] = set()
    total = 0
    qualifying: list[str] = []
    for rule in programme.qualifying:
        earned = 0
        for record in records:
            if (
                record.id not in counted
                and rule.takes(record.item_code, record.category)
                and rule.window.contains(record.decision_date, today)
            ):
                counted.add(record.id)
                qualifying.append(record.id)
                earned += rule.points
        total += earned if rule.cap is None else min(earned, rule.cap)
    if programme.max_points is not None:
        total = min(total, programme.max_points)
    return total, qualifying


def _dishonesty(
    rule: BlockerRule, records: Sequence[RecordFacts], today: date
) -> list[RecordFacts]:
    """Dishonesty records on public display today, narrowed as the rule says.

    A record withdrawn from display on an objection, or repaired, no longer blocks.
    """
    since = None if rule.within_months is None else add_months(today, -rule.within_months)
    return [
        r
        for r in records
        if r.category is Category.DISHONEST
        and r.on_display(today)
        and (rule.kind is BlockerKind.DISHONESTY_ACTIVE or r.severity is Severity.SERIOUS)
        and (not rule.items or r.item_code in rule.items)
        and (since is None or r.decision_date >= since)
    ]


def blocker(
    rule: BlockerRule,
    *,
    records: Sequence[RecordFacts],
    entries: Sequence[BlacklistEntry],
    commitments: Sequence[Commitment],
    today: date,
) -> Blocker | None:
    """The blocker `rule` finds in a subject's file (`records`: the facts of those that stand),
    or None."""
    match rule.kind:
        case BlockerKind.BLACKLISTED:
            listed = [e for e in entries if e.in_force(today)]
            if not listed:
                return None
            last = max(e.until for e in listed)
            return Blocker(
                code=rule.kind.value,
                message=f"on the blacklist until {last} (notice 二(八))",
                record_ids=tuple(sorted({i for e in listed for i in e.basis_record_ids})),
            )
        case BlockerKind.SERIOUS_DISHONESTY_ACTIVE | BlockerKind.DISHONESTY_ACTIVE:
            found = _dishonesty(rule, records, today)
            if not found:
                return None
            serious = rule.kind is BlockerKind.SERIOUS_DISHONESTY_ACTIVE
            kind = "serious dishonesty" if serious else "dishonesty"
            ids = tuple(r.id for r in found)
            return Blocker(
                code=rule.kind.value,
                message=f"{kind} on public display: {', '.join(ids)}",
                record_ids=ids,
            )
        case BlockerKind.COMMITMENT_VIOLATED:
            return _broken_commitment(rule, records, commitments, today)
        case BlockerKind.FUNDED_RECENTLY:
            return _funded(rule, records, today)


def _funded(rule: BlockerRule, records: Sequence[RecordFacts], today: date) -> Blocker | None:
    """Funding granted (category FUNDING, notice 三(十二)) on or before the evaluation day and
    within the rule's months, while its record stands: a grant recorded in error and revoked,
    or removed from display on an objection, no longer counts."""
    since = None if rule.within_months is None else add_months(today, -rule.within_months)
    found = [
        r
        for r in records
        if r.category is Category.FUNDING
        and r.decision_date <= today
        and (since is None or r.decision_date >= since)
        and (not rule.items or r.item_code in rule.items)
    ]
    if not found:
        return None
    ids = tuple(r.id for r in found)
    span = "" if rule.within_months is None else f" within {rule.within_months} months"
    return Blocker(
        code=rule.kind.value,
        message=f"granted government funding{span} (notice 三(十二)): {', '.join(ids)}",
        record_ids=ids,
    )


def _broken_commitment(
    rule: BlockerRule,
    records: Sequence[RecordFacts],
    commitments: Sequence[Commitment],
    today: date,
) -> Blocker | None:
    """Breaches whose dishonesty record still stands, on display or not: repaired, revoked or
    removed from display on an objection, it no longer counts."""
    standing = {r.id for r in records}
    since = None if rule.within_months is None else add_months(today, -rule.within_months)
    broken = [
        c
        for c in commitments
        if c.status is CommitmentStatus.VIOLATED
        and c.violation_record_id in standing
        and c.violated_on is not None
        and c.violated_on <= today
        and (since is None or c.violated_on >= since)
    ]
    if not broken:
        return None
    return Blocker(
        code=rule.kind.value,
        message="broke a credit commitment: " + ", ".join(c.number for c in broken),
        record_ids=tuple(c.violation_record_id for c in broken if c.violation_record_id),
    )


def evaluate(
    programme: Programme,
    *,
    standing: Standing,
    entries: Sequence[BlacklistEntry],
    commitments: Sequence[Commitment],
    today: date,
    at: datetime,
    rules_version: str,
) -> Evaluation:
    """Whether the subject qualifies for the programme today, with points and reasons.

    The standing's records are named in its order (newest first, domain.standings.in_list_order).
    """
    records = standing.records
    blockers: list[Blocker] = []
    if standing.kind not in programme.subject_kinds:
        blockers.append(
            Blocker(
                code=Outcome.SUBJECT_KIND_NOT_COVERED.value,
                message=f"the programme is not open to {standing.kind.value} subjects",
            )
        )
    for rule in programme.blockers:
        found = blocker(
            rule, records=records, entries=entries, commitments=commitments, today=today
        )
        if found is not None:
            blockers.append(found)
    points, qualifying = _points(programme, records, today)
    if points < programme.min_points:
        blockers.append(
            Blocker(
                code=Outcome.INSUFFICIENT_POINTS.value,
                message=f"{points} points; the programme needs {programme.min_points}",
            )
        )
    return Evaluation(
        subject_id=standing.subject_id,
        programme=programme.code,
        eligible=not blockers,
        points=points,
        qualifying_record_ids=tuple(qualifying),
        blockers=tuple(blockers),
        rules_version=rules_version,
        evaluated_at=at,
    )


def not_found(
    programme: Programme,
    *,
    subject_id: str | None = None,
    identifier: str | None = None,
    invalid: str | None = None,
    at: datetime,
    rules_version: str,
) -> Evaluation:
    """The answer for an id or identifier no subject has: not eligible, and why.

    The same answer whether or not a subject ever had it (三(十二): a check is no oracle of
    who is on file); an identifier of the wrong form says which rule it breaks (`invalid`),
    which tells nothing of the file.
    """
    if invalid is not None:
        blocker = Blocker(code=Outcome.IDENTIFIER_INVALID.value, message=invalid)
    else:
        asked = "id" if identifier is None else "identifier"
        blocker = Blocker(
            code=Outcome.SUBJECT_NOT_FOUND.value, message=f"no subject has this {asked}"
        )
    return Evaluation(
        subject_id=subject_id,
        identifier=identifier,
        programme=programme.code,
        eligible=False,
        points=0,
        qualifying_record_ids=(),
        blockers=(blocker,),
        rules_version=rules_version,
        evaluated_at=at,
    )
