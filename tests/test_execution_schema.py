"""The executor's short way for plain objects answers exactly as graphql-core does.

Checked twice: on a small schema built to hit every fault the short way must hand back
(a null in a non-null field, an attribute that raises, a value the type cannot serialise,
a null list item), and on the real schema over the demo data for viewers at every level.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from enum import Enum
from typing import Any, cast

import httpx
import pytest
import strawberry
from graphql import GraphQLObjectType
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext

from demo.generator import DemoBatch
from schema.execution import READ_AHEAD, ExecutionContext, ReadAhead, plain_fields
from tests.conftest import TokenFactory
from tests.helpers import graphql

pytestmark = [pytest.mark.settings(max_query_cost=500_000), pytest.mark.read_only]


@strawberry.enum
class Colour(Enum):
    RED = "red"


@dataclass
class Source:
    name: str | None
    count: Any = 1
    colour: Any = Colour.RED

    @property
    def broken(self) -> str:
        raise RuntimeError("the attribute fails")


@strawberry.type
class Item:
    name: str
    maybe: str | None = None
    count: int = 1
    colour: Colour = Colour.RED

    @strawberry.field
    def shout(self) -> str:
        return self.name.upper()


@strawberry.type
class Broken:
    broken: str


def read(root: Box) -> Item | None:
    return cast("Item | None", root.ahead.value) if root.ahead else Item(name="resolved")


@strawberry.type
class Box:
    item: Item
    items: list[Item]
    maybe: Item | None = None
    ahead: strawberry.Private[ReadAhead[object] | None] = None
    read: Item | None = strawberry.field(resolver=read, metadata={READ_AHEAD: "ahead"})


def box(case: str) -> Box:
    """A box whose fault, if any, is nested: in an object, in a list, or in what was read ahead."""
    match case:
        case "plain":
            return Box(item=Item(name="a"), items=[Item(name="b")], maybe=Item(name="c"))
        case "read_ahead":
            return Box(item=Item(name="a"), items=[], ahead=ReadAhead(Item(name="ahead")))
        case "read_ahead_null":
            return Box(item=Item(name="a"), items=[], ahead=ReadAhead(None))
        case "read_ahead_fault":
            return Box(item=Item(name="a"), items=[], ahead=ReadAhead(Source(name=None)))
        case "null_in_nested_non_null":
            return Box(item=Source(name=None), items=[])  # type: ignore[arg-type]
        case "null_in_nested_list":
            return Box(item=Item(name="a"), items=[Item(name="b"), None])  # type: ignore[list-item]
        case "not_a_list":
            return Box(item=Item(name="a"), items="ab")  # type: ignore[arg-type]
        case _:
            return Box(item=Item(name="a"), items=[Item(name="b", count="many")])  # type: ignore[arg-type]


@strawberry.type
class Query:
    @strawberry.field
    def boxes(self, case: str) -> list[Box]:
        return [box("plain"), box(case)]

    @strawberry.field
    def items(self, case: str) -> list[Item | None]:
        match case:
            case "plain":
                return [Item(name="a", maybe="x"), Item(name="b")]
            case "null_item":
                return [Item(name="a"), None]
            case "null_in_non_null":
                return [Item(name="a"), Source(name=None)]  # type: ignore[list-item]
            case "bad_int":
                return [Item(name="a", count="many")]  # type: ignore[arg-type]
            case _:
                return [Item(name="a", colour="blue")]  # type: ignore[arg-type]

    @strawberry.field
    def strict(self) -> list[Item]:
        return [Item(name="a"), None]  # type: ignore[list-item]

    @strawberry.field
    def one(self) -> Item:
        return Source(name=None)  # type: ignore[return-value]

    @strawberry.field
    def broken(self) -> Broken:
        return Source(name="a")  # type: ignore[return-value]


def run(query: str, context: type) -> dict[str, Any]:
    schema = strawberry.Schema(query=Query, execution_context_class=context)
    result = schema.execute_sync(query)
    return {
        "data": result.data,
        "errors": [(e.message, e.path) for e in result.errors or []],
    }


QUERIES = [
    *(
        f'{{ items(case: "{case}") {{ name maybe count colour __typename alias: name }} }}'
        for case in ("plain", "null_item", "null_in_non_null", "bad_int", "bad_enum")
    ),
    '{ items(case: "plain") { name shout } }',
    "{ strict { name } }",
    "{ one { name count } }",
    "{ broken { broken } }",
    *(
        f'{{ boxes(case: "{case}") {{ __typename item {{ name count }} items {{ name colour }} '
        f"maybe {{ name }} read {{ name }} }} }}"
        for case in (
            "plain",
            "read_ahead",
            "read_ahead_null",
            "read_ahead_fault",
            "null_in_nested_non_null",
            "null_in_nested_list",
            "not_a_list",
            "bad_int_in_nested_list",
        )
    ),
]


@pytest.mark.parametrize("query", QUERIES)
def test_plain_objects_complete_as_graphql_core_completes_them(query: str) -> None:
    ours = run(query, ExecutionContext)

    assert ours == run(query, StrawberryGraphQLCoreExecutionContext)


def test_only_attribute_fields_and_fields_read_ahead_are_plain() -> None:
    schema = strawberry.Schema(query=Query)
    item, box = schema._schema.type_map["Item"], schema._schema.type_map["Box"]
    assert isinstance(item, GraphQLObjectType)
    assert isinstance(box, GraphQLObjectType)

    assert set(plain_fields(item)) == {"name", "maybe", "count", "colour"}  # not `shout`
    assert set(plain_fields(box)) == {"item", "items", "maybe", "read"}


VIEWERS: dict[str, dict[str, str]] = {
    "anonymous": {},
    "bank": {"org": "BANK-NO-GRANT"},
    "government": {},
    "credit_centre": {},
}

BROAD = """
fragment S on Subject { id kind name identifier accessLevel
  basicItems { key label value masked attribute } }
fragment R on Record { __typename id category severity sourceUnit documentNumber decisionDate
  epidemicRelated status item { code title } dataItems { key label value masked attribute }
  disclosure { start earliestRepairDate end state rule basis } }
{
  subjects(first: 60) { edges { cursor node { ...S records(first: 5) { edges { node { ...R
    subject { ...S } } } } } } }
  records(first: 60) { edges { node { ...R subject { ...S } } } }
  catalogue { items { code dataItems { key label publicAttribute format required maxLength
    mask { kind } masks { level mask { kind } } } } }
}
"""


@pytest.mark.parametrize("viewer", VIEWERS)
async def test_every_viewer_gets_the_answer_graphql_core_gives(
    api: httpx.AsyncClient,
    demo_data: DemoBatch,
    token: TokenFactory,
    viewer: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    bearer = None if viewer == "anonymous" else token(viewer, **VIEWERS[viewer])
    ours = await graphql(api, BROAD, token=bearer)
    with monkeypatch.context() as patched:
        base = StrawberryGraphQLCoreExecutionContext
        patched.setattr(ExecutionContext, "execute_fields", base.execute_fields)
        patched.setattr(ExecutionContext, "complete_iterable_value", base.complete_iterable_value)
        theirs = await graphql(api, BROAD, token=bearer)

    assert "errors" not in ours, ours["errors"]
    assert ours["data"]["records"]["edges"], "the day must show records"
    assert json.dumps(ours, sort_keys=True) == json.dumps(theirs, sort_keys=True)
