"""Store tests: subjects are searched by name as names are compared (issue 8 point 10)."""

from __future__ import annotations

from store.database import SUBJECTS, Database
from store.documents import to_document
from store.subjects import fill_name_keys, find_subjects, insert_new_subjects
from tests import factories

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
