"""Store tests: commitments on a real server."""

from __future__ import annotations

from datetime import date, timedelta

from domain.commitments import Commitment, CommitmentStatus, fulfilled
from domain.identifiers import SubjectKind
from store import commitments as store
from store.commitments import CommitmentFilter
from store.database import COMMITMENTS, Database
from tests import factories

EVERYTHING = 100  # a limit above any test's data


async def test_commitment_round_trips_and_is_stored_once(db: Database) -> None:
    c = factories.commitment(factories.firm())

    assert await store.insert_commitment(db, commitment=c)
    assert not await store.insert_commitment(db, commitment=c)

    assert await store.get_commitment(db, commitment_id=c.id) == c


async def test_update_applies_only_over_the_status_it_read(db: Database) -> None:
    c = factories.commitment(factories.firm())
    await store.insert_commitment(db, commitment=c)
    done = fulfilled(c, date(2020, 9, 1))

    assert await store.update_commitment(db, before=c, after=done)
    assert not await store.update_commitment(db, before=c, after=done)

    assert await store.get_commitment(db, commitment_id=c.id) == done


async def test_find_filters_by_unit_and_status_newest_signing_first(db: Database) -> None:
    firm = factories.firm()
    old = factories.commitment(firm, signed=date(2020, 2, 1))
    new = factories.commitment(firm, signed=date(2020, 5, 1))
    other_unit = factories.commitment(firm, unit="440300-HC")
    done = factories.commitment(firm, status=CommitmentStatus.FULFILLED)
    for c in (old, new, other_unit, done):
        await store.insert_commitment(db, commitment=c)

    active = await store.find_commitments(
        db,
        spec=CommitmentFilter(managing_unit="440300-IIT", status=CommitmentStatus.ACTIVE),
        limit=10,
    )
    after_first = await store.find_commitments(
        db,
        spec=CommitmentFilter(managing_unit="440300-IIT", status=CommitmentStatus.ACTIVE),
        after=store.order_key(new),
        limit=10,
    )

    assert [c.id for c in active] == [new.id, old.id]
    assert [c.id for c in after_first] == [old.id]
    assert await store.count_commitments(db, spec=CommitmentFilter(subject_id=firm.id)) == 4


async def test_commitments_of_subjects_are_one_list_per_subject(db: Database) -> None:
    a, b = factories.firm(), factories.firm()
    ca = factories.commitment(a)
    cb = factories.commitment(b, status=CommitmentStatus.VIOLATED, violation_record_id="r-1")
    for c in (ca, cb):
        await store.insert_commitment(db, commitment=c)

    every = await store.commitments_of_subjects(db, subject_ids=[b.id, a.id, "s-none"])
    broken = await store.commitments_of_subjects(
        db, subject_ids=[a.id, b.id], status=CommitmentStatus.VIOLATED
    )

    assert every == [[cb], [ca], []]
    assert broken == [[], [cb]]


async def seed_public_list(db: Database) -> list[Commitment]:
    firm, other, person = (
        factories.firm(),
        factories.firm().model_copy(update={"kind": SubjectKind.OTHER_ORGANIZATION}),
        factories.person(),
    )
    commitments = [
        factories.commitment(firm, signed=date(2020, 3, 1), valid_until=date(2020, 8, 31)),
        factories.commitment(firm, signed=date(2020, 4, 1), valid_until=date(2020, 9, 1)),
        factories.commitment(firm, signed=date(2020, 9, 2), valid_until=date(2021, 3, 1)),
        factories.commitment(other, signed=date(2020, 5, 1), status=CommitmentStatus.VIOLATED),
        factories.commitment(person, signed=date(2020, 6, 1)),
    ]
    for c in commitments:
        await store.insert_commitment(db, commitment=c)
    return commitments


def boundary_days(commitments: list[Commitment]) -> list[date]:
    days = {d for c in commitments for d in (c.valid_from, c.valid_until)}
    return sorted({d + timedelta(days=k) for d in days for k in (-1, 0, 1)})


async def test_public_list_filter_mirrors_the_rule_on_every_boundary_day(db: Database) -> None:
    commitments = await seed_public_list(db)
    newest_first = sorted(commitments, key=store.order_key, reverse=True)

    for day in boundary_days(commitments):
        found = await store.find_commitments(
            db, spec=CommitmentFilter(on_public_list=day), limit=EVERYTHING
        )
        assert [c.id for c in found] == [c.id for c in newest_first if c.on_public_list(day)], day


async def test_add_day_numbers_makes_older_commitments_listed_and_runs_once(
    db: Database,
) -> None:
    commitments = await seed_public_list(db)
    await db[COMMITMENTS].update_many({}, {"$unset": {"valid_from_day": "", "valid_until_day": ""}})
    today = CommitmentFilter(on_public_list=date(2020, 9, 1))
    assert await store.find_commitments(db, spec=today, limit=EVERYTHING) == []

    assert await store.add_day_numbers(db) == len(commitments)
    assert await store.add_day_numbers(db) == 0

    found = await store.find_commitments(db, spec=today, limit=EVERYTHING)
    assert [c.id for c in found] == [commitments[3].id, commitments[1].id]
