"""API tests: record lists, filters and lookups."""

from __future__ import annotations

from datetime import date

import httpx

from domain.catalogue import Catalogue, Category
from domain.disclosure import Severity
from store.database import Database
from store.subjects import insert_new_subjects
from tests import factories
from tests.helpers import data_of, error_codes, graphql
from tests.seed import seed_records

RECORDS = """
query ($filter: RecordFilter, $first: Int, $after: String) {
  records(filter: $filter, first: $first, after: $after) {
    pageInfo { hasNextPage endCursor }
    edges { node { id category severity decisionDate item { code clause }
      dataItems { key label value masked attribute }
      disclosure { start earliestRepairDate end state rule basis } } }
  }
}
"""

RECORD = "query ($id: ID!) { record(id: $id) { id subject { id } } }"


async def test_records_filtered_by_category_and_dates_are_exact(
    api: httpx.AsyncClient, db: Database, catalogue: Catalogue
) -> None:
    firm = factories.firm()
    penalty = factories.record(catalogue, firm, item_code="DISHONEST_2", decided=date(2020, 3, 1))
    later = factories.record(catalogue, firm, item_code="DISHONEST_4", decided=date(2020, 6, 1))
    good = factories.record(catalogue, firm, item_code="GOOD_4", decided=date(2020, 3, 2))
    await insert_new_subjects(db, subjects=[firm])
    await seed_records(db, [penalty, later, good])

    body = await graphql(
        api,
        RECORDS,
        {
            "filter": {
                "category": "DISHONEST",
                "decidedFrom": "2020-03-01",
                "decidedTo": "2020-05-31",
            }
        },
    )

    records = data_of(body)["records"]
    assert [e["node"]["id"] for e in records["edges"]] == [penalty.id]


async def test_record_shows_disclosure_period_and_catalogue_labels(
    api: httpx.AsyncClient, db: Database, catalogue: Catalogue
) -> None:
    firm = factories.firm()
    serious = factories.record(
        catalogue,
        firm,
        item_code="DISHONEST_2",
        decided=date(2020, 3, 1),
        severity=Severity.SERIOUS,
    )
    await insert_new_subjects(db, subjects=[firm])
    await seed_records(db, [serious])

    node = data_of(await graphql(api, RECORDS))["records"]["edges"][0]["node"]

    assert node["category"] == Category.DISHONEST
    assert node["item"] == {"code": "DISHONEST_2", "clause": "一(二)2"}
    assert node["disclosure"]["start"] == "2020-03-01"
    assert node["disclosure"]["earliestRepairDate"] == "2020-09-02"
    assert node["disclosure"]["end"] == "2023-03-01"
    assert node["disclosure"]["state"] == "DISCLOSED"
    labels = {spec.key: spec.label_zh for spec in catalogue.by_code["DISHONEST_2"].data_items}
    assert all(item["label"] == labels[item["key"]] for item in node["dataItems"])


async def test_records_page_through_all_with_cursors(
    api: httpx.AsyncClient, db: Database, catalogue: Catalogue
) -> None:
    firm = factories.firm()
    same_day = [
        factories.record(catalogue, firm, item_code="DISHONEST_2", decided=date(2020, 4, 1))
        for _ in range(5)
    ]
    await insert_new_subjects(db, subjects=[firm])
    await seed_records(db, same_day)

    seen: list[str] = []
    after = None
    for _ in range(5):
        page = data_of(await graphql(api, RECORDS, {"first": 2, "after": after}))["records"]
        seen += [e["node"]["id"] for e in page["edges"]]
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]

    assert sorted(seen) == sorted(r.id for r in same_day)
    assert len(seen) == len(set(seen))


async def test_record_by_id_links_to_its_subject(
    api: httpx.AsyncClient, db: Database, catalogue: Catalogue
) -> None:
    firm = factories.firm()
    penalty = factories.record(catalogue, firm, item_code="DISHONEST_2", decided=date(2020, 3, 1))
    await insert_new_subjects(db, subjects=[firm])
    await seed_records(db, [penalty])

    body = await graphql(api, RECORD, {"id": penalty.id})

    assert data_of(body)["record"] == {"id": penalty.id, "subject": {"id": firm.id}}


async def test_record_unknown_id_is_null(api: httpx.AsyncClient) -> None:
    assert data_of(await graphql(api, RECORD, {"id": "r-missing"}))["record"] is None


async def test_records_with_inverted_date_range_are_refused(api: httpx.AsyncClient) -> None:
    body = await graphql(
        api, RECORDS, {"filter": {"decidedFrom": "2020-05-01", "decidedTo": "2020-04-01"}}
    )

    assert error_codes(body) == ["BAD_USER_INPUT"]
    assert body["errors"][0]["extensions"]["field"] == "decidedFrom"


async def test_records_with_unknown_category_fail_validation(api: httpx.AsyncClient) -> None:
    body = await graphql(api, RECORDS, {"filter": {"category": "NICE"}})

    assert body.get("data") is None
    assert "NICE" in body["errors"][0]["message"]


COUNTS = """
query ($s: ID!) {
  all: records(first: 1) { totalCount edges { node { id } } }
  own: records(first: 1, filter: {subject: $s}) { totalCount }
  subject(id: $s) { records(first: 1) { totalCount } }
}
"""


async def test_public_records_total_count_is_not_offered_a_subjects_is_counted(
    api: httpx.AsyncClient, db: Database, catalogue: Catalogue
) -> None:
    # Issue 9: counting everything on display would scan; a subject's list is an index range.
    firm = factories.firm()
    records = [
        factories.record(catalogue, firm, item_code="DISHONEST_2", decided=date(2020, 3, d))
        for d in (1, 2)
    ]
    await insert_new_subjects(db, subjects=[firm])
    await seed_records(db, records)

    body = await graphql(api, COUNTS, {"s": firm.id})

    assert error_codes(body) == ["COUNT_NOT_OFFERED"]
    assert body["errors"][0]["path"] == ["all", "totalCount"]
    assert body["data"]["all"]["totalCount"] is None
    assert len(body["data"]["all"]["edges"]) == 1
    assert body["data"]["own"]["totalCount"] == 2
    assert body["data"]["subject"]["records"]["totalCount"] == 2
