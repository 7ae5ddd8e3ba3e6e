"""API tests: a registration authority submits and corrects subjects' basic data (notice
一(四)); a renamed firm keeps its records and may still be named by its former name."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import httpx

from store.database import SUBJECTS, Database
from tests.conftest import TokenFactory
from tests.helpers import data_of, graphql
from tests.submissions import FIRM, penalty, ref
from tests.test_submission_api import outcomes, submit

REGISTRY = "440300-SAMR"  # 深圳市市场监督管理局: registers market entities
PENALTIES = "440300-SAMR-FT"

SUBMIT_BASIC = """
mutation ($input: BasicDataInput!) {
  submitBasicData(input: $input) {
    __typename
    ... on SubmitBasicDataSuccess { subject { id name formerNames
      basicItems { key value } records { edges { node { id } } } } }
    ... on UserError { code message field }
  }
}
"""
SUBJECT = "query ($id: ID!) { subject(id: $id) { name formerNames } }"
NEW_NAME = "深圳市华鹏智能科技有限公司"


def basic(name: str, **items: str) -> dict[str, Any]:
    given = {"name": name, "identifier": FIRM.identifier} | items
    return {"kind": "LEGAL_PERSON", "dataItems": [{"key": k, "value": v} for k, v in given.items()]}


async def send(api: httpx.AsyncClient, token: str, given: dict[str, Any]) -> dict[str, Any]:
    body = await graphql(api, SUBMIT_BASIC, {"input": given}, token=token)
    result: dict[str, Any] = data_of(body)["submitBasicData"]
    return result


async def test_a_renamed_firm_keeps_its_records_and_its_former_name_still_names_it(
    api: httpx.AsyncClient, db: Database, token: TokenFactory
) -> None:
    registry = token("source_unit", unit=REGISTRY)
    unit = token("source_unit", unit=PENALTIES)
    first = await submit(api, unit, penalty())  # registers the firm under its first name
    renamed = await send(api, registry, basic(NEW_NAME, registered_capital="100000000"))
    by_new_name = await submit(
        api,
        unit,
        penalty(source_record_id="2", subject=replace(ref(FIRM), name=NEW_NAME)),
    )
    by_former_name = await submit(api, unit, penalty(source_record_id="3"))
    by_another_name = await submit(
        api,
        unit,
        penalty(source_record_id="4", subject=replace(ref(FIRM), name="别的公司")),
    )

    assert outcomes(first) == ["ACCEPTED"]
    subject = renamed["subject"]
    assert subject["name"] == NEW_NAME
    assert subject["formerNames"] == [FIRM.name]
    assert {"key": "registered_capital", "value": "1,000,000.00 元"} in subject["basicItems"]
    assert len(subject["records"]["edges"]) == 1  # its record followed it
    assert outcomes(by_new_name) == ["ACCEPTED"]
    assert outcomes(by_former_name) == ["ACCEPTED"]
    assert outcomes(by_another_name) == ["REJECTED"]
    assert [p["code"] for p in by_another_name["results"][0]["problems"]] == ["SUBJECT_MISMATCH"]
    stored = await db[SUBJECTS].find_one({"identifier": FIRM.identifier})
    assert stored is not None
    assert (stored["version"], [h["changed"] for h in stored["history"]]) == (
        2,
        [["name", "registered_capital"]],
    )
    # The public sees a firm's former names as it sees its name.
    public = data_of(await graphql(api, SUBJECT, {"id": subject["id"]}))["subject"]
    assert public == {"name": NEW_NAME, "formerNames": [FIRM.name]}


async def test_basic_data_of_a_new_firm_registers_it_and_the_same_data_again_changes_nothing(
    api: httpx.AsyncClient, db: Database, token: TokenFactory
) -> None:
    registry = token("source_unit", unit=REGISTRY)

    registered = await send(api, registry, basic(FIRM.name, industry="制造业"))
    again = await send(api, registry, basic(FIRM.name, industry="制造业"))

    assert registered["__typename"] == "SubmitBasicDataSuccess"
    assert again["subject"]["id"] == registered["subject"]["id"]
    stored = await db[SUBJECTS].find({"identifier": FIRM.identifier}).to_list(None)
    assert [d.get("version", 1) for d in stored] == [1]


async def test_basic_data_is_checked_like_a_record_and_only_registries_submit_it(
    api: httpx.AsyncClient, db: Database, token: TokenFactory
) -> None:
    registry = token("source_unit", unit=REGISTRY)

    bad_amount = await send(api, registry, basic(FIRM.name, registered_capital="一百万"))
    unknown_item = await send(api, registry, basic(FIRM.name, favourite_colour="红"))
    not_a_registry = await send(api, token("source_unit", unit=PENALTIES), basic(FIRM.name))
    anonymous = data_of(await graphql(api, SUBMIT_BASIC, {"input": basic(FIRM.name)}))

    assert (bad_amount["code"], bad_amount["field"]) == (
        "BAD_USER_INPUT",
        "dataItems.registered_capital",
    )
    assert (unknown_item["code"], unknown_item["field"]) == (
        "BAD_USER_INPUT",
        "dataItems.favourite_colour",
    )
    assert not_a_registry["code"] == "UNIT_NOT_AUTHORIZED"
    assert anonymous["submitBasicData"]["code"] == "FORBIDDEN"
    assert await db[SUBJECTS].count_documents({}) == 0


SEARCH = "query ($s: String!) { subjects(search: $s) { edges { node { name formerNames } } } }"


async def test_the_centre_finds_a_renamed_firm_by_a_name_it_had_the_public_by_its_name(
    api: httpx.AsyncClient, token: TokenFactory
) -> None:
    registry = token("source_unit", unit=REGISTRY)
    await send(api, registry, basic(FIRM.name))
    await send(api, registry, basic(NEW_NAME))
    centre = token("credit_centre")

    def names(body: dict[str, Any]) -> list[str]:
        return [e["node"]["name"] for e in data_of(body)["subjects"]["edges"]]

    by_former_for_centre = names(await graphql(api, SEARCH, {"s": FIRM.name[:6]}, token=centre))
    by_former_for_public = names(await graphql(api, SEARCH, {"s": FIRM.name}))
    by_new_for_public = names(await graphql(api, SEARCH, {"s": NEW_NAME}))

    assert by_former_for_centre == [NEW_NAME]
    assert by_former_for_public == []
    assert by_new_for_public == [NEW_NAME]


async def test_a_firm_struck_off_stays_on_file_with_its_status(
    api: httpx.AsyncClient, token: TokenFactory
) -> None:
    registry = token("source_unit", unit=REGISTRY)

    struck_off = await send(api, registry, basic(FIRM.name, registration_status="注销"))
    unknown = await send(api, registry, basic(FIRM.name, registration_status="倒闭"))

    assert {"key": "registration_status", "value": "注销"} in struck_off["subject"]["basicItems"]
    assert (unknown["code"], unknown["field"]) == (
        "BAD_USER_INPUT",
        "dataItems.registration_status",
    )
