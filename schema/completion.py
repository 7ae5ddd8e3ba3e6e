"""Completing plain values in one pass: a plan per selection of an object type, and a
completer per field type (schema/execution.py decides what is plain and when to use them).

A completer returns a value's result exactly as graphql-core would complete it, or FAULT for any
value graphql-core would complete differently or report (a null in a non-null position, a value
its type cannot serialise, an attribute that raises, a list that is not a list); the object it
belongs to is then completed by graphql-core.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from graphql import (
    GraphQLLeafType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLOutputType,
    Undefined,
    is_leaf_type,
)
from graphql.type.scalars import serialize_boolean, serialize_id, serialize_string

# What a completer returns for a value graphql-core must complete (and perhaps report).
FAULT: Any = object()

Completer = Callable[[Any], Any]


@dataclass(frozen=True, slots=True)
class Plan:
    """How to complete one selection of an object type: per response name, the attribute to
    read (None: the object itself, for `__typename`) and how to complete its value; and the
    attributes that must hold a `ReadAhead` (checked first: a source without is not plain)."""

    steps: tuple[tuple[str, str | None, Completer], ...]
    ahead: tuple[str, ...] = ()

    def complete(self, source: Any) -> Any:
        """The object's result, or FAULT when any value is not plain."""
        for held in self.ahead:
            try:
                if getattr(source, held) is None:
                    return FAULT
            except Exception:
                return FAULT
        result: dict[str, Any] = {}
        for key, attribute, complete in self.steps:
            try:
                value = source if attribute is None else getattr(source, attribute)
            except Exception:
                return FAULT
            completed = complete(value)
            if completed is FAULT:
                return FAULT
            result[key] = completed
        return result


def completer(kind: GraphQLOutputType, plan: Plan | None) -> Completer:
    """How to complete a value of `kind`; `plan` completes the objects it is made of."""
    if isinstance(kind, GraphQLNonNull):
        if plan is None and is_leaf_type(kind.of_type):
            return leaf(kind.of_type, non_null=True)  # most fields: one call, not two
        nullable = completer(kind.of_type, plan)

        def non_null(value: Any) -> Any:
            completed = nullable(value)
            return FAULT if completed is None else completed

        return non_null
    if isinstance(kind, GraphQLList):
        item = completer(kind.of_type, plan)

        def listed(value: Any) -> Any:
            if value is None or value is Undefined:
                return None
            if not isinstance(value, list | tuple):
                return FAULT
            completed = each(item, value)
            return FAULT if completed is None else completed

        return listed
    if plan is not None:

        def object_value(value: Any) -> Any:
            if value is None or value is Undefined:
                return None
            return FAULT if isinstance(value, Exception) else plan.complete(value)

        return object_value
    assert is_leaf_type(kind), kind  # plain_fields holds leaves and objects only
    return leaf(kind, non_null=False)


# graphql-core's own output coercion of String, ID and Boolean returns a value of these types
# unchanged (`isinstance` first): such a value is its own result, with no call to coerce it.
_UNCHANGED: dict[Callable[[Any], Any], type] = {
    serialize_string: str,
    serialize_id: str,
    serialize_boolean: bool,
}


def leaf(kind: GraphQLLeafType, *, non_null: bool) -> Completer:
    """How to complete a value of a leaf type; a null is a FAULT when `non_null`."""
    serialise = kind.coerce_output_value
    unchanged = _UNCHANGED.get(serialise)
    null = FAULT if non_null else None

    def complete(value: Any) -> Any:
        if value.__class__ is unchanged:
            return value
        if value is None or value is Undefined:
            return null
        if isinstance(value, Exception):
            return FAULT
        try:
            coerced = serialise(value)
        except Exception:
            return FAULT
        return FAULT if coerced is None or coerced is Undefined else coerced

    return complete


def read_ahead(complete: Completer) -> Completer:
    return lambda held: complete(held.value)


def constant(answer: str) -> Completer:
    return lambda _: answer


def each(complete: Completer, items: list[Any] | tuple[Any, ...]) -> list[Any] | None:
    """Every item completed, or None when any item is not plain."""
    completed = []
    for item in items:
        done = complete(item)
        if done is FAULT:
            return None
        completed.append(done)
    return completed
