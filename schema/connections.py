"""Relay connections: edges with opaque cursors, page info, and a total counted on request."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Annotated, Generic, TypeVar

import strawberry

from resolvers.pagination import Page

N = TypeVar("N")
V = TypeVar("V")

# The paging arguments every list takes, described once.
First = Annotated[
    int | None,
    strawberry.argument(description="Page size: 0 to 100 items; 20 when omitted"),
]
After = Annotated[
    str | None,
    strawberry.argument(
        description="Continue after this cursor (a previous page's endCursor); from the start "
        "when omitted"
    ),
]


@strawberry.type(description="Where a page sits in its list (Relay cursor connections)")
class PageInfo:
    has_next_page: bool = strawberry.field(
        description="Whether more items follow: ask again with after: endCursor"
    )
    has_previous_page: bool = strawberry.field(
        description="Whether this page was asked for after a cursor; items come before it"
    )
    start_cursor: str | None = strawberry.field(
        description="The first edge's cursor; null on an empty page"
    )
    end_cursor: str | None = strawberry.field(
        description="The last edge's cursor, to pass as after for the next page; null on an "
        "empty page"
    )


@strawberry.type(description="One item of a page and its cursor")
class Edge(Generic[N]):
    cursor: str = strawberry.field(
        description="Opaque; pass it as after to continue the list after this item"
    )
    node: N = strawberry.field(description="The item")


@strawberry.type(
    description="A page of a list, in the list's order (Relay cursor connection): ask with "
    "first (page size) and after (a cursor from the previous page)"
)
class Connection(Generic[N]):
    edges: list[Edge[N]] = strawberry.field(description="The page's items, in order")
    page_info: PageInfo = strawberry.field(description="Whether more pages follow, and cursors")
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
