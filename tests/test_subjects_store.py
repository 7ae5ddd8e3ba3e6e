"""Store tests: listing subjects (persons met only through records on display) and name search."""

from __future__ import annotations

from datetime import date

import pytest

from domain.catalogue import Catalogue
from domain.identifiers import SubjectKind
from store.database import SUBJECTS, Database
from store.documents import to_document
from store.subjects import (
    PERSON_ROWS,
    count_subjects,
    fill_name_keys,
    find_subjects,
    get_subjects_by_identifiers,
    insert_new_subjects,
)
from tests import factories
from tests.conftest import CommandLog
from tests.seed import seed_records

DAY = date(2020, 9, 1)


async def seed(db: Database, catalogue: Catalogue) -> tuple[list[str], list[str]]:
    """Firms, and persons of whom only some have a record on display on `DAY`; the ids of each."""
    firms = [factories.firm(8100 + n) for n in range(3)]
    persons = [factories.person(8200 + n) for n in range(6)]
    await insert_new_subjects(db, subjects=[*firms, *persons])
    shown = persons[::2]
    records = [
        factories.record(catalogue, p, item_code="DISHONEST_1", decided=date(2020, 6, 1))
        for p in shown
    ]
    # Two records of one person: it is still listed once.
    records.append(
        factories.record(catalogue, shown[0], item_code="DISHONEST_2", decided=date(2020, 7, 1))
    )
    # Ended before DAY: not on display.
    records.append(
        factories.record(catalogue, persons[1], item_code="DISHONEST_2", decided=date(2019, 8, 1))
    )
    await seed_records(db, records)
    return sorted(f.id for f in firms), sorted(p.id for p in shown)


async def pages(db: Database, kinds: list[SubjectKind] | None) -> list[str]:
    seen: list[str] = []
    after = None
    while True:
        found = await find_subjects(db, kinds=kinds, after=after, limit=2, persons_shown_on=DAY)
        seen += [s.id for s in found]
        if len(found) < 2:
            return seen
        after = found[-1].id


async def test_find_subjects_persons_shown_on_lists_persons_on_display_once_in_id_order(
    db: Database, catalogue: Catalogue
) -> None:
    firms, shown = await seed(db, catalogue)

    assert await pages(db, None) == sorted([*firms, *shown])
    assert await pages(db, [SubjectKind.NATURAL_PERSON]) == shown
    assert await pages(db, [SubjectKind.LEGAL_PERSON]) == firms
    assert await count_subjects(db, persons_shown_on=DAY) == len(firms) + len(shown)
    kinds = [SubjectKind.NATURAL_PERSON]
    assert await count_subjects(db, kinds=kinds, persons_shown_on=DAY) == len(shown)


async def test_find_subjects_without_persons_shown_on_lists_every_subject(
    db: Database, catalogue: Catalogue
) -> None:
    await seed(db, catalogue)

    assert len(await find_subjects(db, limit=100)) == 9
    assert await count_subjects(db) == 9


async def test_find_subjects_persons_shown_on_refuses_a_name_search(db: Database) -> None:
    with pytest.raises(ValueError, match="cannot be searched by name"):
        await find_subjects(db, search="王", limit=5, persons_shown_on=DAY)


PARTNERSHIP = "深圳市华鹏合伙企业（有限合伙）"


async def test_find_subjects_by_name_ignores_bracket_width_and_spacing(db: Database) -> None:
    firm = factories.firm(8101, name=PARTNERSHIP)
    await insert_new_subjects(db, subjects=[firm, factories.firm(8102)])

    for search in ("深圳市华鹏合伙企业(有限", "深圳市华鹏合伙企业（有限", " 深圳市华鹏合伙企业"):
        found = await find_subjects(db, search=search, limit=10)

        assert [s.id for s in found] == [firm.id], search
    assert found[0].name == PARTNERSHIP  # the name is kept as given


async def test_fill_name_keys_makes_older_subjects_searchable(db: Database) -> None:
    older = factories.firm(8103, name=PARTNERSHIP)
    await db[SUBJECTS].insert_one(to_document(older))  # as an older version stored it

    assert await fill_name_keys(db) == 1
    assert await fill_name_keys(db) == 0
    assert [s.id for s in await find_subjects(db, search="深圳市华鹏合伙企业(", limit=5)] == [
        older.id
    ]


@pytest.mark.parametrize("limit", [1, 2, 3])
async def test_find_subjects_persons_shown_on_pages_past_a_person_with_many_records(
    db: Database, catalogue: Catalogue, limit: int
) -> None:
    """A person with more records on display than one pass reads is still listed once, and
    the persons after it are still found (`store.subjects._persons_on_display` passes)."""
    persons = [factories.person(8300 + n) for n in range(4)]
    await insert_new_subjects(db, subjects=persons)
    many, *others = sorted(persons, key=lambda p: p.id)
    records = [
        factories.record(catalogue, many, item_code="DISHONEST_1", decided=date(2020, 6, d))
        for d in range(1, 1 + PERSON_ROWS * 3 + 1)
    ]
    records += [
        factories.record(catalogue, p, item_code="DISHONEST_2", decided=date(2020, 7, 1))
        for p in others
    ]
    await seed_records(db, records)

    seen: list[str] = []
    after = None
    while found := await find_subjects(
        db, kinds=[SubjectKind.NATURAL_PERSON], after=after, limit=limit, persons_shown_on=DAY
    ):
        seen += [s.id for s in found]
        after = found[-1].id

    assert seen == sorted(p.id for p in persons)


async def test_get_subjects_by_identifiers_reads_any_number_in_one_round_trip(
    db: Database, commands: CommandLog
) -> None:
    # More than the 101 documents a first reply holds when only a limit is given.
    firms = [factories.firm(8300 + n) for n in range(150)]
    await insert_new_subjects(db, subjects=firms)
    asked = [f.identifier for f in reversed(firms)] + [factories.uscc(8999)]

    commands.start()
    found = await get_subjects_by_identifiers(db, identifiers=asked)

    assert commands.stop() == ["find"]
    assert found == [*reversed(firms), None]
