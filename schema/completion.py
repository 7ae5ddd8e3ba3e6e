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

from graphql import GraphQLList, GraphQLNonNull, GraphQLOutputType, Undefined, is_leaf_type

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
    serialise = kind.coerce_output_value

    def leaf(value: Any) -> Any:
        if value is None or value is Undefined:
            return None
        if isinstance(value, Exception):
            return FAULT
        try:
            coerced = serialise(value)
        except Exception:
            return FAULT
        return FAULT if coerced is None or coerced is Undefined else coerced

    return leaf


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
