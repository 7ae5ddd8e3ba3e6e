"""The GraphQL endpoint: strawberry's ASGI view with our typed per-request context.

It speaks GraphQL over HTTP as the spec has it: `application/graphql-response+json` to a client
that accepts it, with 4xx for request errors (a document that cannot be parsed or validated,
variables that do not coerce) and no `data` key on them; every refusal, malformed requests
included, is a GraphQL-shaped JSON body with `extensions.code`; a mutation over GET is 405 with
`Allow: POST`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import datetime
from typing import Any
from urllib.parse import unquote
from zoneinfo import ZoneInfo

import strawberry
from cross_web import AsyncHTTPRequestAdapter, HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.types import Receive, Scope, Send
from starlette.websockets import WebSocket
from strawberry.asgi import GraphQL
from strawberry.http import GraphQLHTTPResponse, GraphQLRequestData
from strawberry.http.base import BaseRequestProtocol
from strawberry.schema.exceptions import InvalidOperationTypeError
from strawberry.types import ExecutionResult

from auth.viewer import Viewer
from resolvers.context import Context, Loaders
from schema.errors import PARSE_FAILED, TOO_COMPLEX, VALIDATION_FAILED, code_for
from server.graphiql import graphiql_page, graphiql_turned_off
from server.persisted import PersistedQueries, PersistedQueryError

# Disclosure is counted in the city's calendar days.
CITY_TIME = ZoneInfo("Asia/Shanghai")


class GraphQLEndpoint(GraphQL[Context, None]):
    def __init__(
        self,
        schema: strawberry.Schema,
        *,
        clock: Callable[[], datetime],
        graphiql: bool,
        persisted: PersistedQueries | None = None,
    ) -> None:
        # Strawberry renders its IDE only when one is named; ours decides in render_graphql_ide.
        super().__init__(schema, graphql_ide="graphiql")
        self.clock = clock
        self.graphiql = graphiql
        self.persisted = persisted if persisted is not None else PersistedQueries()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await super().__call__(scope, receive, send)
            return
        request = Request(scope, receive=receive)
        try:
            response = await self.run(request)
        except HTTPException as refused:
            response = refusal(request, refused.status_code, refused.reason)
        except RequestError as error:
            response = refusal(request, error.status, error.message, code=error.code)
        await negotiated(request, response)(scope, receive, send)

    async def parse_http_body(
        self, request: AsyncHTTPRequestAdapter
    ) -> GraphQLRequestData | list[GraphQLRequestData]:
        """The request's operation, its document resolved from a persisted query if named."""
        data = await super().parse_http_body(request)
        if isinstance(data, list):
            return data
        try:
            return replace(data, query=self.persisted.document(data.query, data.extensions))
        except PersistedQueryError as error:
            raise RequestError(error.code, error.message) from None

    async def execute_single(
        self,
        request: Request,
        request_adapter: AsyncHTTPRequestAdapter,
        sub_response: Response,
        context: Context,
        root_value: None,
        request_data: GraphQLRequestData,
    ) -> ExecutionResult:
        try:
            return await super().execute_single(
                request, request_adapter, sub_response, context, root_value, request_data
            )
        except HTTPException as refused:
            if isinstance(refused.__cause__, InvalidOperationTypeError):
                # GraphQL over HTTP: only POST carries a mutation; GET is for queries.
                raise RequestError(
                    METHOD_NOT_ALLOWED, "a mutation must be sent with POST", status=405
                ) from None
            raise

    def should_render_graphql_ide(self, request: BaseRequestProtocol) -> bool:
        """Only a browser's page load: a GET asking for HTML with no operation in it (an APQ
        GET names its operation in `extensions` alone)."""
        return (
            request.method == "GET"
            and "text/html" in request.headers.get("accept", "")
            and not {"query", "extensions"} & set(request.query_params)
        )

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
        request.state.graphql_errors = [
            e["extensions"]["code"] for e in response.get("errors") or [] if isinstance(e, dict)
        ]
        if is_request_error(result):
            # A request error means execution never began: there is no `data` to speak of.
            response.pop("data", None)
            request.state.request_error = True
        return response


def purpose_of(request: Request, viewer: Viewer) -> str | None:
    """The stated purpose of a query: the X-Purpose header, else the token's claim.

    Headers carry Latin-1 only, so the header is percent-encoded UTF-8 (as in RFC 8187).
    """
    stated = unquote(request.headers.get("x-purpose", ""), errors="replace").strip()
    return stated[:200] if stated.isprintable() and stated else viewer.purpose


GRAPHQL_RESPONSE = "application/graphql-response+json"
JSON = "application/json"
METHOD_NOT_ALLOWED = "METHOD_NOT_ALLOWED"
REQUEST_ERROR_CODES = frozenset({PARSE_FAILED, VALIDATION_FAILED, TOO_COMPLEX})
# Codes for refusals that happen before GraphQL sees the request, by HTTP status.
HTTP_CODES = {
    400: "BAD_REQUEST",
    404: "NOT_FOUND",
    405: METHOD_NOT_ALLOWED,
    413: "REQUEST_TOO_LARGE",
    415: "UNSUPPORTED_MEDIA_TYPE",
}


class RequestError(Exception):
    """A request refused before execution, with its code and the status it is answered with."""

    def __init__(self, code: str, message: str, *, status: int | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.status = status


def is_request_error(result: ExecutionResult) -> bool:
    """The document or its variables were refused before execution began: no data, and every
    error a parse, validation or complexity refusal (an audit that failed after execution also
    leaves no data, but the request was fine)."""
    codes = [
        (error.extensions or {}).get("code") or code_for(error) for error in result.errors or []
    ]
    return result.data is None and bool(codes) and set(codes) <= REQUEST_ERROR_CODES


def media_type_for(accept: str) -> str:
    """`application/graphql-response+json` when the client accepts it at least as well as
    `application/json`; plain JSON otherwise (legacy clients, `*/*`, no Accept header)."""
    weights: dict[str, float] = {}
    for part in accept.split(","):
        media, *params = (p.strip() for p in part.split(";"))
        weight = 1.0
        for param in params:
            name, _, value = param.partition("=")
            if name.strip() == "q":
                try:
                    weight = float(value)
                except ValueError:
                    weight = 0.0
        weights[media.lower()] = max(weight, weights.get(media.lower(), 0.0))
    preferred = weights.get(GRAPHQL_RESPONSE, 0.0)
    return GRAPHQL_RESPONSE if preferred > 0 and preferred >= weights.get(JSON, 0.0) else JSON


def refusal(
    request: Request, status: int | None, message: str, *, code: str | None = None
) -> Response:
    """A GraphQL-shaped body for a request refused before execution; no `data` key."""
    if status is None:
        # A well-formed request that GraphQL refuses: 4xx only where the client can read it.
        request.state.request_error = True
        status = 200
    body = {
        "errors": [
            {
                "message": message,
                "extensions": {"code": code or HTTP_CODES.get(status, "BAD_REQUEST")},
            }
        ]
    }
    headers = {"Allow": "POST"} if status == 405 else None
    return JSONResponse(body, status_code=status, headers=headers)


def negotiated(request: Request, response: Response) -> Response:
    """The JSON answer in the media type the client asked for, with the status that goes with it."""
    if not response.headers.get("content-type", "").startswith(JSON):
        return response  # GraphiQL's page
    media_type = media_type_for(request.headers.get("accept", ""))
    if media_type == GRAPHQL_RESPONSE:
        response.headers["content-type"] = f"{GRAPHQL_RESPONSE}; charset=utf-8"
        if getattr(request.state, "request_error", False) and response.status_code == 200:
            response.status_code = 400
    return response
