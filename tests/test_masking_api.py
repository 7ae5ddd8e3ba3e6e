"""Leak tests: whole responses to broad queries over demo data carry nothing above the viewer.

For the anonymous portal and for a bank without a grant, every raw value whose catalogue
attribute is above PUBLIC (identity numbers, natural persons' names, phones, addresses, RESTRICTED
record items ...) is collected from the store, and no response body may contain any of them.
"""

from __future__ import annotations

import json
from datetime import date

import httpx
import pytest

from demo.generator import DemoBatch
from domain.catalogue import Catalogue
from domain.identifiers import InvalidIdentifier, validate_resident_id
from domain.masking import PublicAttribute
from domain.records import Record
from domain.subjects import Subject
from tests.conftest import TokenFactory
from tests.helpers import graphql

# The broad query asks for everything a viewer can reach at once, far over the portal's cost.
# No test here writes: they share one app and the demo data (tests/conftest.py `shares_app`).
pytestmark = [pytest.mark.settings(max_query_cost=500_000), pytest.mark.read_only]

FRAGMENTS = """
fragment S on Subject { id kind name identifier accessLevel
  basicItems { key label value masked attribute } }
fragment R on Record { id category severity sourceUnit documentNumber decisionDate
  epidemicRelated status item { code title }
  dataItems { key label value masked attribute }
  disclosure { start earliestRepairDate end state rule basis } }
"""

BROAD = (
    FRAGMENTS
    + """
query Broad {
  everyone: subjects(first: 100) { totalCount edges { cursor node { ...S
    records(first: 20) { totalCount edges { node { ...R subject { ...S } } } } } } }
  persons: subjects(first: 100, kind: NATURAL_PERSON) { edges { node { ...S } } }
  latest: records(first: 100) { edges { node { ...R subject { ...S
    records(first: 5) { edges { node { ...R } } } } } } }
  good: records(first: 100, filter: {category: GOOD}) { edges { node { ...R } } }
}
"""
)


def secret_values(catalogue: Catalogue, subjects: list[Subject], records: list[Record]) -> set[str]:
    """Raw values above PUBLIC, less any that also stand somewhere as a PUBLIC value."""
    hidden: set[str] = set()
    public: set[str] = set()
    for subject in subjects:
        basic = catalogue.basic_item(subject.kind)
        values = {"name": subject.name, "identifier": subject.identifier, **subject.basic}
        for spec in basic.data_items:
            if spec.key in values:
                above = spec.public_attribute is not PublicAttribute.PUBLIC
                (hidden if above else public).add(values[spec.key])
    for record in records:
        item = catalogue.by_code[record.item_code]
        for spec in item.data_items:
            if spec.key in record.data_items:
                above = spec.public_attribute is not PublicAttribute.PUBLIC
                (hidden if above else public).add(record.data_items[spec.key])
    return {v for v in hidden - public if len(v) >= 4}


@pytest.fixture
def demo(demo_data: DemoBatch, catalogue: Catalogue) -> set[str]:
    secrets = secret_values(catalogue, demo_data.subjects, demo_data.records)
    assert len(secrets) > 300
    return secrets


def strings(node: object) -> list[str]:
    """Every string in a JSON body, keys and messages included."""
    if isinstance(node, dict):
        return [s for k, v in node.items() for s in [k, *strings(v)]]
    if isinstance(node, list):
        return [s for v in node for s in strings(v)]
    return [node] if isinstance(node, str) else []


def leaked(body: object, secrets: set[str]) -> list[str]:
    """Secrets standing whole in the body, or inside a longer string (not digits: an amount
    may be part of a larger public one)."""
    found = strings(body)
    exact = set(found) & secrets
    text = json.dumps(body, ensure_ascii=False)
    inside = {s for s in secrets if not s.isdigit() and len(s) >= 6 and s in text}
    return sorted(exact | inside)


def identity_numbers(secrets: set[str]) -> set[str]:
    valid = set()
    for value in secrets:
        try:
            valid.add(validate_resident_id(value, today=date.max))
        except InvalidIdentifier:
            continue
    return valid


async def responses(api: httpx.AsyncClient, token: str | None, secrets: set[str]) -> list[object]:
    broad = await graphql(api, BROAD, token=token)
    assert "errors" not in broad, broad.get("errors")
    assert broad["data"]["latest"]["edges"], "the day must show disclosed records"
    after = broad["data"]["everyone"]["edges"][-1]["cursor"]
    second_page = await graphql(
        api,
        FRAGMENTS + "query ($a: String) { subjects(first: 100, after: $a) { edges { node { ...S "
        "records { edges { node { ...R } } } } } } }",
        {"a": after},
        token=token,
    )
    numbers = sorted(identity_numbers(secrets))
    assert len(numbers) >= 20
    person_lookups = [
        await graphql(
            api, "query ($i: String!) { subject(identifier: $i) { name } }", {"i": s}, token=token
        )
        for s in numbers[:20]
    ]
    return [broad, second_page, *person_lookups]


async def test_anonymous_responses_carry_no_value_above_public(
    api: httpx.AsyncClient, demo: set[str]
) -> None:
    for body in await responses(api, None, demo):
        assert leaked(body, demo) == []


async def test_bank_without_grant_responses_carry_no_value_above_public(
    api: httpx.AsyncClient, demo: set[str], token: TokenFactory
) -> None:
    bank = token("bank", org="BANK-NO-GRANT")

    for body in await responses(api, bank, demo):
        assert leaked(body, demo) == []


async def test_government_sees_what_anonymous_may_not(
    api: httpx.AsyncClient, demo: set[str], token: TokenFactory
) -> None:
    """The scan itself works: a viewer entitled to the values does get them."""
    body = await graphql(api, BROAD, token=token("government"))

    assert len(leaked(body, demo)) > 100
