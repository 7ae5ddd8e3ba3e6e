"""Execution: graphql-core's executor, with selections made only of plain values completed at once.

Most of a page is objects whose selected fields are all plain values read off a view: a
record's `id` and `decisionDate`, its catalogue item's `code`, each data item's `key`, `value`
and `masked`. graphql-core completes each of those fields on its own (a resolve-info object, a
resolver call, an awaitable check, a completion dispatch): about ten microseconds a field, most
of a page's time (issue 9). An object whose whole selection is plain, nested objects and lists
of them included, is completed here in one pass instead, by a plan made once per selection.

A field with a resolver takes the short way too where its value was read ahead for many
sources at once (a page's subjects, in one batch): its resolver answers `ReadAhead.value`
whenever the source holds one, so reading it here is what the resolver would return.

Invariant: the answer is the one graphql-core gives, errors included. Only fields that
strawberry itself resolves by reading the attribute (`is_basic_field`: no resolver, no field
extension, no exception handler) or that were read ahead, with no arguments, of leaf types,
object types without an `is_type_of` check, and lists of those, take the short way, and only
when no schema extension wraps resolvers and nothing is deferred or streamed. Anything else
about a value — a null in a non-null field, a value its type cannot serialise, an attribute
that raises, a list that is not a list — sends the whole object back through graphql-core,
which reports it exactly as before (tests/test_execution_schema.py compares the two on every
type of the schema; tests/test_record_subjects_api.py read-ahead subjects with resolved ones).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Generic, TypeVar
from weakref import WeakKeyDictionary

from graphql import (
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLOutputType,
    GraphQLResolveInfo,
    get_named_type,
    is_leaf_type,
)
from graphql.execution.collect_fields import FieldDetailsList, GroupedFieldSet
from graphql.pyutils import Path
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext
from strawberry.schema.schema_converter import GraphQLCoreConverter

from schema.completion import FAULT, Completer, Plan, completer, constant, each, read_ahead

TYPENAME = "__typename"
# The field metadata naming the source attribute that holds a resolver field's `ReadAhead`.
READ_AHEAD = "read_ahead"
T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class ReadAhead(Generic[T]):
    """A resolver field's value for one source, read with those of its siblings; the field's
    resolver must answer `value` whenever its source holds one."""

    value: T


@dataclass(frozen=True, slots=True)
class PlainField:
    """A field whose value is an attribute of the source, completed by its type alone; or,
    `read_ahead`, whose value the attribute holds in a `ReadAhead` when it was read ahead."""

    attribute: str
    type: GraphQLOutputType
    read_ahead: bool = False


_PLAIN: WeakKeyDictionary[GraphQLObjectType, Mapping[str, PlainField]] = WeakKeyDictionary()


def plain_fields(parent_type: GraphQLObjectType) -> Mapping[str, PlainField]:
    """The fields of `parent_type` read off the source, by GraphQL name (made once a type)."""
    found = _PLAIN.get(parent_type)
    if found is None:
        found = _PLAIN[parent_type] = {
            name: plain
            for name, field in parent_type.fields.items()
            if (plain := _plain(field)) is not None
        }
    return found


def _plain(field: Any) -> PlainField | None:
    definition = (field.extensions or {}).get(GraphQLCoreConverter.DEFINITION_BACKREF)
    if definition is None or field.args:
        return None
    named = get_named_type(field.type)
    if not (is_leaf_type(named) or isinstance(named, GraphQLObjectType)):
        return None
    ahead = definition.metadata.get(READ_AHEAD)
    if ahead is not None and not definition.extensions:
        return PlainField(attribute=ahead, type=field.type, read_ahead=True)
    if not getattr(field.resolve, "_is_default", False):
        return None
    if not definition.is_basic_field or definition.default_resolver is not getattr:
        return None
    return PlainField(attribute=definition.python_name, type=field.type)


class ExecutionContext(StrawberryGraphQLCoreExecutionContext):
    """graphql-core's execution, with plain selections completed in one pass (module docstring)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Plans of this operation's selections, by the id of the selection (kept alive with
        # it, as graphql-core keeps its collected fields, so that no id is reused).
        self._plans: dict[int, tuple[object, Plan | None]] = {}
        self._completers: dict[tuple[int, int], tuple[object, Completer | None]] = {}

    @property
    def _wrapped(self) -> bool:
        """Whether a schema extension wraps resolvers: then every field goes its own way."""
        return self.middleware_manager is not None and bool(self.middleware_manager.middlewares)

    def plan(self, object_type: GraphQLObjectType, grouped: GroupedFieldSet) -> Plan | None:
        """The plan of a selection on `object_type`; None when any field of it is not plain."""
        cached = self._plans.get(id(grouped))
        if cached is None:
            cached = self._plans[id(grouped)] = (grouped, self._make_plan(object_type, grouped))
        return cached[1]

    def _make_plan(self, object_type: GraphQLObjectType, grouped: GroupedFieldSet) -> Plan | None:
        fields = plain_fields(object_type)
        steps: list[tuple[str, str | None, Completer]] = []
        ahead: list[str] = []
        for key, details in grouped.items():
            name = details[0].node.name.value
            if name == TYPENAME:
                steps.append((key, None, constant(object_type.name)))
                continue
            field = fields.get(name)
            if field is None or details[0].node.arguments:
                return None
            complete = self.completer(field.type, details)
            if complete is None:
                return None
            if field.read_ahead:
                ahead.append(field.attribute)
                complete = read_ahead(complete)
            steps.append((key, field.attribute, complete))
        return Plan(tuple(steps), tuple(dict.fromkeys(ahead)))

    def completer(self, kind: GraphQLOutputType, details: FieldDetailsList) -> Completer | None:
        """How to complete a plain field of `kind` selected by `details`; None when its
        selection is not plain, or it is streamed."""
        key = (id(details), id(kind))
        cached = self._completers.get(key)
        if cached is None:
            made = self._make_completer(kind, details)
            cached = self._completers[key] = ((details, kind), made)
        return cached[1]

    def _make_completer(
        self, kind: GraphQLOutputType, details: FieldDetailsList
    ) -> Completer | None:
        if _streamed(kind, details):
            return None
        named = get_named_type(kind)
        if not isinstance(named, GraphQLObjectType):
            return completer(kind, None)
        if named.is_type_of is not None:
            return None
        grouped, defer_usages, *_ = self.collect_subfields(named, details)
        plan = None if defer_usages else self.plan(named, grouped)
        return None if plan is None else completer(kind, plan)

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
            complete = self.completer(item_type, field_details_list)
            completed = None if complete is None else each(complete, items)
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

    def execute_fields(
        self,
        parent_type: GraphQLObjectType,
        source_value: Any,
        path: Path | None,
        grouped_field_set: GroupedFieldSet,
        position_context: Any,
    ) -> Any:
        if position_context is None and not self._wrapped:
            plan = self.plan(parent_type, grouped_field_set)
            if plan is not None:
                completed = plan.complete(source_value)
                if completed is not FAULT:
                    return completed
        return super().execute_fields(
            parent_type,
            source_value,
            path,
            grouped_field_set,
            position_context,
        )


def _streamed(kind: GraphQLOutputType, details: FieldDetailsList) -> bool:
    """Whether a list field carries @stream: graphql-core delivers it in parts."""
    nullable = kind.of_type if isinstance(kind, GraphQLNonNull) else kind
    return isinstance(nullable, GraphQLList) and any(
        directive.name.value == "stream"
        for field in details
        for directive in field.node.directives or ()
    )
