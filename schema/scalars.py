"""Scalars whose parsing is stricter than strawberry's defaults."""

from __future__ import annotations

from datetime import datetime

from strawberry.schema.types.base_scalars import DateTimeDefinition
from strawberry.types.scalar import ScalarDefinition

from resolvers.errors import InvalidArgument


def parse_aware_datetime(value: object) -> datetime:
    """An ISO 8601 date and time with its UTC offset; a naive one is ambiguous, so refused.

    Without an offset the same text names different instants in Shenzhen and on the server,
    and comparing it with the service's aware clock would fail (BAD_USER_INPUT, not a 500).
    """
    assert DateTimeDefinition.parse_value is not None
    parsed = DateTimeDefinition.parse_value(value)
    assert isinstance(parsed, datetime)
    if parsed.utcoffset() is None:
        raise InvalidArgument(
            f'DateTime "{value}" has no UTC offset; send one, e.g. 2026-12-01T09:30:00+08:00'
        )
    return parsed


AwareDateTime = ScalarDefinition(
    name="DateTime",
    description="Date with time (isoformat, with its UTC offset)",
    specified_by_url=None,
    serialize=DateTimeDefinition.serialize,
    parse_value=parse_aware_datetime,
    parse_literal=None,
    origin=datetime,
)
