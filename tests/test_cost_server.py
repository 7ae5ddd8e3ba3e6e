"""The request cost estimate (server/cost.py): pure, over parsed documents."""

from __future__ import annotations

from typing import Any

from graphql import parse
from hypothesis import given
from hypothesis import strategies as st

from server.cost import COUNT_COST, DEFAULT_PAGE, estimate_cost, operation_of


def cost(query: str, variables: dict[str, Any] | None = None, name: str | None = None) -> int:
    document = parse(query)
    operation = operation_of(document, name)
    assert operation is not None
    return estimate_cost(document, operation, variables or {})


def test_cost_of_plain_fields_is_their_count() -> None:
    assert cost("{ __typename viewer { authenticated scopes } }") == 4


def test_cost_of_total_count_is_a_count_not_a_field() -> None:
    assert cost("{ records(first: 1) { totalCount } }") == 1 + COUNT_COST


def test_cost_of_connection_without_first_uses_the_default_page() -> None:
    # records 1 + page × (edges 1 + node 1 + id 1)
    assert cost("{ records { edges { node { id } } } }") == 1 + DEFAULT_PAGE * 3


def test_cost_of_page_info_and_total_count_is_not_multiplied_by_the_page() -> None:
    query = "{ records(first: 50) { totalCount pageInfo { hasNextPage } edges { cursor } } }"

    assert cost(query) == 1 + COUNT_COST + 2 + 50 * 2


def test_cost_of_nested_pages_multiplies_down_the_tree() -> None:
    query = """{ subjects(first: 20) { edges { node {
        records(first: 5) { edges { node { id category } } } } } } }"""

    # subjects 1 + 20 × (edges 1 + node 1 + records (1 + 5 × (edges 1 + node 1 + 2 fields)))
    assert cost(query) == 1 + 20 * (1 + 1 + 1 + 5 * 4)


def test_cost_of_a_batch_argument_counts_its_length() -> None:
    query = 'query($s: [ID!]!) { eligibilities(subjects: $s, programme: "P") { eligible } }'

    assert cost(query, {"s": [f"s-{i}" for i in range(1000)]}) == 1 + 1 + 1000 * 1


def test_cost_of_a_string_argument_counts_its_length() -> None:
    short = cost('{ subjects(search: "ab") { totalCount } }')
    long = cost('{ subjects(search: "abcdefghij") { totalCount } }')

    assert long - short == 8


def test_cost_of_a_mutations_string_is_not_its_length() -> None:
    """A mutation's strings are data to store (a catalogue as TOML), not patterns to scan."""
    short = cost('mutation { publishCatalogueVersion(catalogue: "a") { __typename } }')
    long = cost(
        "mutation ($c: String!) { publishCatalogueVersion(catalogue: $c) { __typename } }",
        {"c": "x" * 100_000},
    )

    assert long == short


def test_cost_reads_variables_and_their_defaults() -> None:
    query = "query($n: Int = 40) { records(first: $n) { edges { cursor } } }"

    assert cost(query) == 1 + 40 * 2
    assert cost(query, {"n": 3}) == 1 + 3 * 2


def test_cost_counts_fragments_where_they_are_spread() -> None:
    query = """
    query { records(first: 10) { edges { node { ...Item } } } }
    fragment Item on Record { id category }
    """

    assert cost(query) == 1 + 10 * (1 + 1 + 2)


def test_cost_of_a_document_without_variables_asked_again_is_the_same() -> None:
    query = "{ records(first: 20) { edges { node { id subject { name } } } } }"
    document = parse(query)
    operation = operation_of(document, None)
    assert operation is not None

    costs = [estimate_cost(document, operation, {}) for _ in range(2)]

    # records 1 + page × (edges 1 + node 1 + id 1 + subject 1 + name 1)
    assert costs == [cost(query), cost(query)] == [1 + 20 * 5, 1 + 20 * 5]


def test_operation_of_a_document_with_several_operations_needs_a_name() -> None:
    document = parse("query A { __typename } query B { __typename }")

    assert operation_of(document, None) is None
    found = operation_of(document, "B")
    assert found is not None
    assert found.name is not None
    assert found.name.value == "B"


pages = st.integers(min_value=0, max_value=100)


@given(outer=pages, inner=pages, extra=pages)
def test_cost_never_falls_when_a_page_grows(outer: int, inner: int, extra: int) -> None:
    query = """query($o: Int, $i: Int) { subjects(first: $o) { edges { node {
        records(first: $i) { totalCount edges { node { id } } } } } } }"""

    base = cost(query, {"o": outer, "i": inner})

    assert cost(query, {"o": outer + extra, "i": inner}) >= base
    assert cost(query, {"o": outer, "i": inner + extra}) >= base


@given(outer=st.integers(1, 100), inner=st.integers(1, 100))
def test_cost_of_nested_pages_is_at_least_their_product(outer: int, inner: int) -> None:
    query = """query($o: Int, $i: Int) { subjects(first: $o) { edges { node {
        records(first: $i) { edges { node { id } } } } } } }"""

    assert cost(query, {"o": outer, "i": inner}) >= outer * inner


@given(search=st.text(max_size=200))
def test_cost_of_a_search_grows_with_its_length(search: str) -> None:
    query = "query($q: String) { subjects(search: $q) { totalCount } }"

    assert cost(query, {"q": search}) == cost(query, {"q": ""}) + len(search)
