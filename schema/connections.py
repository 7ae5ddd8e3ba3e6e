"""Relay connections: edges with opaque cursors, page info, and a total counted on request."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Generic, TypeVar

import strawberry

from resolvers.pagination import Page

N = TypeVar("N")
V = TypeVar("V")


@strawberry.type
class PageInfo:
    has_next_page: bool
    has_previous_page: bool
    start_cursor: str | None
    end_cursor: str | None


@strawberry.type
class Edge(Generic[N]):
    cursor: str
    node: N


@strawberry.type
class Connection(Generic[N]):
    edges: list[Edge[N]]
    page_info: PageInfo
    count: strawberry.Private[Callable[[], Awaitable[int]]]

    @strawberry.field(
        description="How many items the whole list holds. Counted only when asked for: "
        "on the embedded store this scans the collection. Null with the error "
        "COUNT_NOT_OFFERED on the public list of records, where only a scan could count."
    )
    async def total_count(self) -> int | None:
        return await self.count()


def connection(page: Page[V], node: Callable[[V], N]) -> Connection[N]:
    """A connection of `node(view)` for each view of the page."""
    edges = [Edge(cursor=cursor, node=node(view)) for cursor, view in page.edges]
    return Connection(
        edges=edges,
        page_info=PageInfo(
            has_next_page=page.has_next_page,
            has_previous_page=page.has_previous_page,
            start_cursor=edges[0].cursor if edges else None,
            end_cursor=edges[-1].cursor if edges else None,
        ),
        count=page.count,
    )
