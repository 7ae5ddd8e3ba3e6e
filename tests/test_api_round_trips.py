"""Database round trips per request do not grow with the size of the result."""

from __future__ import annotations

from datetime import date, timedelta

import httpx

from domain.catalogue import Catalogue
from store.database import Database
from store.subjects import insert_new_subjects
from tests import factories
from tests.conftest import CommandLog
from tests.helpers import data_of, graphql
from tests.seed import seed_records

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
    await seed_records(db, records)


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
