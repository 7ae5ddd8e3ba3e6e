"""The cost of a GraphQL request, estimated from its document before anything runs.

The estimate counts what the store will be asked for, so that one request cannot make it do
unbounded work (DESIGN.md §7: too costly queries are refused before execution):

- every selected field costs 1, and `totalCount` costs `COUNT_COST` (a count reads every match);
- a field's selections are multiplied by its page size (`first`, or the default page size when
  a connection is selected without one) and by the length of each list argument (a batch of
  subjects or records is that many lookups), so nested pages multiply down the tree;
- a string argument of a query costs its length (a search pattern is scanned against every
  name); a mutation's strings are data to store, bounded by the request's size instead (a
  catalogue version published as TOML is tens of kilobytes and scans nothing).

Fragments count where they are spread; both arms of a union count (an upper bound).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    InlineFragmentNode,
    OperationDefinitionNode,
    OperationType,
    SelectionSetNode,
    value_from_ast_untyped,
)

from resolvers.pagination import DEFAULT_PAGE_SIZE

COUNT_COST = 20
# The page size a connection without `first` gets.
DEFAULT_PAGE = DEFAULT_PAGE_SIZE
CONNECTION_FIELDS = frozenset({"edges", "nodes"})
# Costs of operations without variables, by the ids of document and operation, the document
# kept alive so that no id is reused: the parser cache hands a client's same text the same
# document, so a portal's pages are estimated once, not on every request (issue 9).
_FIXED: dict[tuple[int, int], tuple[DocumentNode, int]] = {}
_FIXED_HELD = 1024  # four times the parser cache's documents


def operation_of(document: DocumentNode, name: str | None) -> OperationDefinitionNode | None:
    """The operation to run: the one named, or the only one; None when that is ambiguous."""
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    if name is None:
        return operations[0] if len(operations) == 1 else None
    return next((o for o in operations if o.name is not None and o.name.value == name), None)


def estimate_cost(
    document: DocumentNode, operation: OperationDefinitionNode, variables: Mapping[str, Any]
) -> int:
    """The estimated cost of running `operation` of `document` with `variables`; of an operation
    that defines none, worked out once a document (validation refuses any it uses)."""
    if operation.variable_definitions:
        return _cost(document, operation, variables)
    found = _FIXED.get((id(document), id(operation)))
    if found is None:
        if len(_FIXED) >= _FIXED_HELD:
            _FIXED.clear()  # many distinct documents: start again
        found = _FIXED[id(document), id(operation)] = (document, _cost(document, operation, {}))
    return found[1]


def _cost(
    document: DocumentNode, operation: OperationDefinitionNode, variables: Mapping[str, Any]
) -> int:
    given = dict(variables)
    for definition in operation.variable_definitions or ():
        name = definition.variable.name.value
        if name not in given and definition.default_value is not None:
            given[name] = value_from_ast_untyped(definition.default_value)
    fragments = {
        d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
    }
    strings = operation.operation is OperationType.QUERY
    return _selection_cost(operation.selection_set, fragments, given, strings)


def _selection_cost(
    selections: SelectionSetNode | None,
    fragments: Mapping[str, FragmentDefinitionNode],
    variables: Mapping[str, Any],
    strings: bool,
) -> int:
    if selections is None:
        return 0
    total = 0
    for selection in selections.selections:
        if isinstance(selection, FieldNode):
            total += _field_cost(selection, fragments, variables, strings)
        elif isinstance(selection, InlineFragmentNode):
            total += _selection_cost(selection.selection_set, fragments, variables, strings)
        elif isinstance(selection, FragmentSpreadNode):
            # Validation has refused unknown and cyclic fragments before the estimate runs.
            fragment = fragments.get(selection.name.value)
            if fragment is not None:
                total += _selection_cost(fragment.selection_set, fragments, variables, strings)
    return total


def _field_cost(
    field: FieldNode,
    fragments: Mapping[str, FragmentDefinitionNode],
    variables: Mapping[str, Any],
    strings: bool,
) -> int:
    own = COUNT_COST if field.name.value == "totalCount" else 1
    page: int | None = None
    batch = 1
    for argument in field.arguments or ():
        value = value_from_ast_untyped(argument.value, dict(variables))
        if argument.name.value == "first" and isinstance(value, int):
            page = max(value, 1)
        elif isinstance(value, list):
            batch *= max(len(value), 1)
        elif isinstance(value, str) and strings:
            own += len(value)
    if field.selection_set is None:
        return own
    children = field.selection_set.selections
    connection = any(_is_page_of_items(s) for s in children)
    if page is None:
        page = DEFAULT_PAGE if connection else 1
    inner = 0
    for child in children:
        cost = _selection_cost(SelectionSetNode(selections=(child,)), fragments, variables, strings)
        # A connection's page multiplies its items, not its `totalCount` or `pageInfo`.
        beside_items = connection and isinstance(child, FieldNode) and not _is_page_of_items(child)
        inner += cost if beside_items else cost * page
    return own + batch * inner


def _is_page_of_items(selection: object) -> bool:
    return isinstance(selection, FieldNode) and selection.name.value in CONNECTION_FIELDS
