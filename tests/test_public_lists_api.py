"""API tests: the red list (守信激励名单) and the epidemic column (二(五)) are public lists —
the same records on display for every viewer, opt-outs (art. 39) respected, by item and
district."""

from __future__ import annotations

from datetime import date
from typing import Any

import httpx
import pytest

from domain.catalogue import Catalogue
from domain.disclosure import Severity
from domain.records import Record, RecordStatus
from store.database import Database
from store.subjects import insert_new_subjects
from tests import factories
from tests.conftest import TokenFactory
from tests.helpers import data_of, error_codes, graphql
from tests.seed import seed_records

RED_LIST = """
query ($item: String, $district: String, $after: String) {
  redList(item: $item, district: $district, first: 2, after: $after) {
    edges { cursor node { id item { code } subject { name } } }
    pageInfo { hasNextPage endCursor }
  }
}
"""

COLUMN = """
query ($category: Category, $item: String, $district: String) {
  epidemicColumn {
    records(category: $category, item: $item, district: $district, first: 50) {
      edges { node { id item { code } } }
    }
    cases(first: 5) { edges { node { id } } }
  }
}
"""

FUTIAN_AWARDS = "440304-GOV"  # 深圳市福田区人民政府
FUTIAN_PENALTIES = "440300-SAMR-FT"  # 市场监督管理局福田监管局


async def seed(db: Database, catalogue: Catalogue) -> dict[str, Record]:
    """Records of every kind a public list must take or leave, by what they show."""
    person, firm = factories.person(name="王小明"), factories.firm(name="深圳市华鹏科技有限公司")
    await insert_new_subjects(db, subjects=[person, firm])

    def good(subject: Any, code: str, **changes: Any) -> Record:
        made = factories.record(catalogue, subject, item_code=code, decided=date(2020, 3, 1))
        return made.model_copy(update=changes)

    def bad(code: str, **changes: Any) -> Record:
        made = factories.record(
            catalogue, firm, item_code=code, decided=date(2020, 4, 1), severity=Severity.SERIOUS
        )
        return made.model_copy(update=changes)

    records = {
        "person_good": good(person, "GOOD_2"),
        "firm_good_futian": good(firm, "GOOD_5", source_unit=FUTIAN_AWARDS),
        "refused": good(person, "GOOD_3", opted_out=True),
        "revoked": good(firm, "GOOD_4", status=RecordStatus.REVOKED),
        "hidden": good(firm, "GOOD_7", hidden=True),
        "offence": bad("DISHONEST_2"),
        "offence_futian": bad("DISHONEST_4", source_unit=FUTIAN_PENALTIES),
        "late_report": bad("ANNUAL_REPORT_LATE", severity=None),
    }
    await seed_records(db, list(records.values()))
    return records


async def red_list(api: httpx.AsyncClient, token: str | None, **variables: Any) -> list[str]:
    """Every id the red list gives, page after page."""
    ids: list[str] = []
    after = None
    while True:
        body = await graphql(api, RED_LIST, {**variables, "after": after}, token=token)
        page = data_of(body)["redList"]
        ids += [e["node"]["id"] for e in page["edges"]]
        if not page["pageInfo"]["hasNextPage"]:
            return ids
        after = page["pageInfo"]["endCursor"]


@pytest.mark.parametrize("role", [None, "credit_centre", "government"])
async def test_red_list_is_the_good_behaviour_on_display_for_every_viewer(
    api: httpx.AsyncClient,
    db: Database,
    catalogue: Catalogue,
    token: TokenFactory,
    role: str | None,
) -> None:
    records = await seed(db, catalogue)

    listed = await red_list(api, None if role is None else token(role))

    assert sorted(listed) == sorted([records["person_good"].id, records["firm_good_futian"].id])


async def test_red_list_masks_a_person_for_the_public(
    api: httpx.AsyncClient, db: Database, catalogue: Catalogue
) -> None:
    records = await seed(db, catalogue)

    body = await graphql(api, RED_LIST, {"item": "GOOD_2"})

    [edge] = data_of(body)["redList"]["edges"]
    assert edge["node"]["id"] == records["person_good"].id
    assert edge["node"]["subject"] == {"name": "王**"}


async def test_red_list_by_district_keeps_records_its_units_decided(
    api: httpx.AsyncClient, db: Database, catalogue: Catalogue
) -> None:
    records = await seed(db, catalogue)

    assert await red_list(api, None, district="福田区") == [records["firm_good_futian"].id]
    assert await red_list(api, None, district="罗湖区") == []


async def test_red_list_refuses_an_item_off_the_list_and_an_unknown_district(
    api: httpx.AsyncClient, db: Database, catalogue: Catalogue
) -> None:
    await seed(db, catalogue)

    off_list = await graphql(api, RED_LIST, {"item": "DISHONEST_2"})
    nowhere = await graphql(api, RED_LIST, {"district": "不存在区"})

    assert error_codes(off_list) == ["BAD_USER_INPUT"]
    assert off_list["errors"][0]["extensions"]["field"] == "item"
    assert error_codes(nowhere) == ["BAD_USER_INPUT"]
    assert nowhere["errors"][0]["extensions"]["field"] == "district"


async def test_epidemic_column_lists_the_notices_records_on_display(
    api: httpx.AsyncClient, db: Database, catalogue: Catalogue
) -> None:
    records = await seed(db, catalogue)

    def ids(body: dict[str, Any]) -> list[str]:
        return sorted(e["node"]["id"] for e in data_of(body)["epidemicColumn"]["records"]["edges"])

    everything = ids(await graphql(api, COLUMN))
    offences = ids(await graphql(api, COLUMN, {"category": "DISHONEST"}))
    futian = ids(await graphql(api, COLUMN, {"district": "福田区"}))

    # 一(一) and 一(二) only: a late annual report (三(十)) is not the epidemic's record.
    assert everything == sorted(
        records[k].id for k in ("person_good", "firm_good_futian", "offence", "offence_futian")
    )
    assert offences == sorted([records["offence"].id, records["offence_futian"].id])
    assert futian == sorted([records["firm_good_futian"].id, records["offence_futian"].id])
