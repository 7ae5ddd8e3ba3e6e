"""Relay pagination: page sizes and opaque cursors.

A cursor is base64url of a small JSON array tagged with the list it belongs to, so a cursor of
one list is refused by another instead of silently paging from the wrong place.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar, overload

from resolvers.errors import InvalidCursor, PageTooLarge

T = TypeVar("T")
V = TypeVar("V")

DEFAULT_PAGE_SIZE = 20
MAX_PAGE_SIZE = 100


def page_size(first: int | None) -> int:
    if first is None:
        return DEFAULT_PAGE_SIZE
    if not 0 <= first <= MAX_PAGE_SIZE:
        raise PageTooLarge(f"first must be between 0 and {MAX_PAGE_SIZE}", field="first")
    return first


def encode_cursor(tag: str, *parts: str) -> str:
    raw = json.dumps([tag, *parts], ensure_ascii=False, separators=(",", ":"))
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode_cursor(tag: str, cursor: str, arity: int) -> list[str]:
    """The parts of a cursor made by `encode_cursor(tag, ...)` with `arity` parts."""
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        decoded = json.loads(base64.urlsafe_b64decode(padded.encode()).decode())
    except (binascii.Error, UnicodeDecodeError, ValueError):
        decoded = None
    valid = (
        isinstance(decoded, list)
        and len(decoded) == arity + 1
        and decoded[0] == tag
        and all(isinstance(p, str) for p in decoded)
    )
    if not valid:
        raise InvalidCursor("after is not a cursor of this list", field="after")
    parts: list[str] = decoded[1:]
    return parts


@dataclass(frozen=True)
class Page(Generic[T]):
    """One page of a list: nodes with their cursors, and how to count the whole list."""

    edges: list[tuple[str, T]]
    has_next_page: bool
    has_previous_page: bool
    count: Callable[[], Awaitable[int]]


@overload
async def keyset_page(
    tag: str,
    first: int | None,
    after: str | None,
    *,
    find: Callable[[str | None, int], Awaitable[list[T]]],
    key: Callable[[T], str],
    count: Callable[[], Awaitable[int]],
) -> Page[T]: ...


@overload
async def keyset_page(
    tag: str,
    first: int | None,
    after: str | None,
    *,
    find: Callable[[str | None, int], Awaitable[list[T]]],
    key: Callable[[T], str],
    count: Callable[[], Awaitable[int]],
    view: Callable[[T], Awaitable[V]],
) -> Page[V]: ...


async def keyset_page(
    tag: str,
    first: int | None,
    after: str | None,
    *,
    find: Callable[[str | None, int], Awaitable[list[T]]],
    key: Callable[[T], str],
    count: Callable[[], Awaitable[int]],
    view: Callable[[T], Awaitable[Any]] | None = None,
) -> Page[Any]:
    """A page of a list kept in `key` order: `find(after_key, limit)` reads one more than the
    page holds, which tells whether a next page follows; `view` turns each node of the page
    (never the one read beyond it) into what the list shows, in order."""
    size = page_size(first)
    found = await find(None if after is None else decode_cursor(tag, after, 1)[0], size + 1)
    nodes = found[:size]
    shown = nodes if view is None else [await view(node) for node in nodes]
    return Page(
        edges=[(encode_cursor(tag, key(node)), v) for node, v in zip(nodes, shown, strict=True)],
        has_next_page=len(found) > size,
        has_previous_page=after is not None,
        count=count,
    )
