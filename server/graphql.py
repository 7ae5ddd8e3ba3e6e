"""The GraphQL endpoint: strawberry's ASGI view with our typed per-request context."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any
from urllib.parse import unquote
from zoneinfo import ZoneInfo

import strawberry
from starlette.requests import Request
from starlette.responses import Response
from starlette.websockets import WebSocket
from strawberry.asgi import GraphQL
from strawberry.http import GraphQLHTTPResponse
from strawberry.types import ExecutionResult

from auth.viewer import Viewer
from resolvers.context import Context, Loaders
from schema.errors import code_for
from server.graphiql import graphiql_page, graphiql_turned_off

# Disclosure is counted in the city's calendar days.
CITY_TIME = ZoneInfo("Asia/Shanghai")


class GraphQLEndpoint(GraphQL[Context, None]):
    def __init__(
        self,
        schema: strawberry.Schema,
        *,
        clock: Callable[[], datetime],
        graphiql: bool,
    ) -> None:
        # Strawberry renders its IDE only when one is named; ours decides in render_graphql_ide.
        super().__init__(schema, graphql_ide="graphiql")
        self.clock = clock
        self.graphiql = graphiql

    async def render_graphql_ide(self, request: Request) -> Response:
        """GraphiQL from the app's own files, or, when it is off, how to turn it on."""
        return graphiql_page(request) if self.graphiql else graphiql_turned_off()

    async def get_context(
        self, request: Request | WebSocket, response: Response | WebSocket | None = None
    ) -> Context:
        assert isinstance(request, Request), "subscriptions are not served"
        state: Any = request.app.state
        viewer: Viewer = request.state.viewer
        now = self.clock()
        return Context(
            request=request,
            db=state.db,
            viewer=viewer,
            now=now,
            today=now.astimezone(CITY_TIME).date(),
            catalogues=state.catalogues,
            loaders=Loaders(state.db, now=now, grantee_org=viewer.org),
            epidemic_window=state.epidemic_window,
            purpose=purpose_of(request, viewer),
            request_id=getattr(request.state, "request_id", None),
            reports=state.reports,
        )

    async def process_result(
        self, request: Request, result: ExecutionResult
    ) -> GraphQLHTTPResponse:
        """Every error leaves with a stable `extensions.code`, parse and validation ones too."""
        response = await super().process_result(request, result)
        for error, formatted in zip(
            result.errors or [], response.get("errors") or [], strict=False
        ):
            if isinstance(formatted, dict):
                formatted.setdefault("extensions", {}).setdefault("code", code_for(error))
        return response


def purpose_of(request: Request, viewer: Viewer) -> str | None:
    """The stated purpose of a query: the X-Purpose header, else the token's claim.

    Headers carry Latin-1 only, so the header is percent-encoded UTF-8 (as in RFC 8187).
    """
    stated = unquote(request.headers.get("x-purpose", ""), errors="replace").strip()
    return stated[:200] if stated.isprintable() and stated else viewer.purpose
