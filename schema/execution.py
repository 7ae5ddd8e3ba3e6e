"""Execution: graphql-core's executor, with objects made only of plain values completed at once.

Most of a page is objects whose selected fields are all plain values read off a view: a
record's `id` and `decisionDate`, each data item's `key`, `value` and `masked`. graphql-core
completes each of those fields on its own (a resolve-info object, a resolver call, an
awaitable check, a completion dispatch): about ten microseconds a field, most of a page's time
(issue 9). Such an object is completed here in one pass instead.

Invariant: the answer is the one graphql-core gives, errors included. Only fields that
strawberry itself resolves by reading the attribute (`is_basic_field`: no resolver, no field
extension, no exception handler) of a scalar or enum type, with no arguments, take the short
way, and only when no schema extension wraps resolvers. Anything else about the object — a
null in a non-null field, a value its type cannot serialise, an attribute that raises —
sends the whole object back through graphql-core, which reports it exactly as before
(tests/test_execution_schema.py compares the two on every type of the schema).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any
from weakref import WeakKeyDictionary

from graphql import (
    GraphQLLeafType,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLOutputType,
    GraphQLResolveInfo,
    Undefined,
    is_leaf_type,
)
from graphql.execution.collect_fields import FieldDetailsList, GroupedFieldSet
from graphql.pyutils import Path
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext
from strawberry.schema.schema_converter import GraphQLCoreConverter

TYPENAME = "__typename"


@dataclass(frozen=True, slots=True)
class PlainField:
    """A field whose value is an attribute of the source, serialised by its leaf type."""

    attribute: str
    type: GraphQLLeafType
    non_null: bool


_PLANS: WeakKeyDictionary[GraphQLObjectType, Mapping[str, PlainField]] = WeakKeyDictionary()


def plain_fields(parent_type: GraphQLObjectType) -> Mapping[str, PlainField]:
    """The fields of `parent_type` that are plain values, by GraphQL name (made once a type)."""
    found = _PLANS.get(parent_type)
    if found is None:
        found = _PLANS[parent_type] = {
            name: plain
            for name, field in parent_type.fields.items()
            if (plain := _plain(field)) is not None
        }
    return found


def _plain(field: Any) -> PlainField | None:
    definition = (field.extensions or {}).get(GraphQLCoreConverter.DEFINITION_BACKREF)
    if definition is None or field.args or not getattr(field.resolve, "_is_default", False):
        return None
    if not definition.is_basic_field or definition.default_resolver is not getattr:
        return None
    kind = field.type
    non_null = isinstance(kind, GraphQLNonNull)
    if non_null:
        kind = kind.of_type
    if not is_leaf_type(kind):
        return None
    return PlainField(attribute=definition.python_name, type=kind, non_null=non_null)


class ExecutionContext(StrawberryGraphQLCoreExecutionContext):
    """graphql-core's execution, with plain objects completed in one pass (module docstring)."""

    @property
    def _wrapped(self) -> bool:
        """Whether a schema extension wraps resolvers: then every field goes its own way."""
        return self.middleware_manager is not None and bool(self.middleware_manager.middlewares)

    def complete_iterable_value(
        self,
        item_type: GraphQLOutputType,
        field_details_list: FieldDetailsList,
        info: GraphQLResolveInfo[Any],
        path: Path,
        items: Iterable[Any],
        position_context: Any,
    ) -> Any:
        """A list of plain objects (a record's data items) completed item after item here;
        anything else, or any item that is not plain, by graphql-core for the whole list."""
        if (
            position_context is None
            and isinstance(items, list | tuple)
            and not self._wrapped
            and self.get_stream_usage(field_details_list, path) is None
        ):
            completed = self._complete_plain_list(item_type, field_details_list, info, items)
            if completed is not None:
                return completed
        return super().complete_iterable_value(
            item_type,
            field_details_list,
            info,
            path,
            items,
            position_context,
        )

    def _complete_plain_list(
        self,
        item_type: GraphQLOutputType,
        field_details_list: FieldDetailsList,
        info: GraphQLResolveInfo[Any],
        items: list[Any] | tuple[Any, ...],
    ) -> list[Any] | None:
        non_null = isinstance(item_type, GraphQLNonNull)
        object_type = item_type.of_type if isinstance(item_type, GraphQLNonNull) else item_type
        if not isinstance(object_type, GraphQLObjectType):
            return None
        grouped, defer_usages, *_ = self.collect_subfields(object_type, field_details_list)
        if defer_usages:
            return None
        is_type_of = object_type.is_type_of
        completed: list[Any] = []
        for item in items:
            if item is None:
                if non_null:
                    return None
                completed.append(None)
                continue
            if is_type_of is not None and is_type_of(item, info) is not True:
                return None
            plain = _complete_plain(object_type, item, grouped)
            if plain is None:
                return None
            completed.append(plain)
        return completed

    def execute_fields(
        self,
        parent_type: GraphQLObjectType,
        source_value: Any,
        path: Path | None,
        grouped_field_set: GroupedFieldSet,
        position_context: Any,
    ) -> Any:
        if position_context is None and not self._wrapped:
            completed = _complete_plain(parent_type, source_value, grouped_field_set)
            if completed is not None:
                return completed
        return super().execute_fields(
            parent_type,
            source_value,
            path,
            grouped_field_set,
            position_context,
        )


def _complete_plain(
    parent_type: GraphQLObjectType,
    source: Any,
    grouped_field_set: GroupedFieldSet,
) -> dict[str, Any] | None:
    """The object's result when every field asked is plain and completes without a fault;
    None otherwise, for graphql-core to complete (and report) it."""
    plan = plain_fields(parent_type)
    result: dict[str, Any] = {}
    for response_name, details in grouped_field_set.items():
        name = details[0].node.name.value
        if name == TYPENAME:
            result[response_name] = parent_type.name
            continue
        field = plan.get(name)
        if field is None or details[0].node.arguments:
            return None
        try:
            value = getattr(source, field.attribute)
            if value is None or value is Undefined:
                if field.non_null:
                    return None
                result[response_name] = None
                continue
            if isinstance(value, Exception):
                return None
            coerced = field.type.coerce_output_value(value)
        except Exception:
            return None
        if coerced is None or coerced is Undefined:
            return None
        result[response_name] = coerced
    return result
