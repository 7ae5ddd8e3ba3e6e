"""Database round trips per request do not grow with the size of the result."""

from __future__ import annotations

from datetime import date, timedelta

import httpx

from domain.catalogue import Catalogue
from store.changes import write_new_records
from store.database import Database
from store.records import insert_new_records
from store.subjects import insert_new_subjects
from tests import factories
from tests.conftest import CommandLog
from tests.helpers import data_of, graphql

NESTED = """
query ($first: Int!) {
  subjects(first: $first) {
    edges { node { id name records(first: 20) {
      totalCount
      edges { node { id dataItems { key value } subject { id name } } }
    } } }
  }
}
"""


async def _seed(db: Database, catalogue: Catalogue, subjects: int, each: int) -> None:
    firms = [factories.firm(1000 + i) for i in range(subjects)]
    records = [
        factories.record(
            catalogue, firm, item_code="DISHONEST_2", decided=date(2020, 3, 1) + timedelta(days=k)
        )
        for firm in firms
        for k in range(each)
    ]
    await insert_new_subjects(db, subjects=firms)
    await insert_new_records(db, records=records)


async def test_nested_subjects_and_records_cost_the_same_commands_for_5_and_50(
    api: httpx.AsyncClient, db: Database, catalogue: Catalogue, commands: CommandLog
) -> None:
    await _seed(db, catalogue, subjects=50, each=3)

    counts = {}
    for first in (5, 50):
        commands.start()
        body = await graphql(api, NESTED, {"first": first})
        counts[first] = commands.stop()
        edges = data_of(body)["subjects"]["edges"]
        assert len(edges) == first
        assert all(len(e["node"]["records"]["edges"]) == 3 for e in edges)

    assert counts[5] == counts[50]
    # subjects page, the persons on public display (an anonymous viewer meets persons only
    # so), the records of all of them, their counts; nested Record.subject is primed.
    assert len(counts[50]) <= 4, counts[50]


RECORDS_WITH_SUBJECTS = """
{ records(first: 20) { edges { node { id subject { id name } } } } }
"""


async def test_persons_met_through_a_records_page_cost_no_display_count(
    api: httpx.AsyncClient, db: Database, catalogue: Catalogue, commands: CommandLog
) -> None:
    """A person reached through a record the anonymous page shows is met by that record:
    the page costs the records and their subjects, not a count of what each has on display."""
    persons = [factories.person(1100 + i) for i in range(5)]
    await insert_new_subjects(db, subjects=persons)
    await write_new_records(
        db,
        records=[
            factories.record(catalogue, p, item_code="DISHONEST_2", decided=date(2020, 6, 1))
            for p in persons
        ],
    )

    commands.start()
    body = await graphql(api, RECORDS_WITH_SUBJECTS)
    sent = commands.stop()

    edges = data_of(body)["records"]["edges"]
    assert sorted(e["node"]["subject"]["id"] for e in edges) == sorted(p.id for p in persons)
    assert [c for c in sent if c != "find"] == [], sent
