"""The GraphQL endpoint: strawberry's ASGI view with our typed per-request context.

It speaks GraphQL over HTTP as the spec has it: `application/graphql-response+json` to a client
that accepts it, with 4xx for request errors (a document that cannot be parsed or validated,
variables that do not coerce, an unknown persisted query) and no `data` key on them; a mutation
over GET is 405 with `Allow: POST`. Every answer is GraphQL-shaped JSON with a stable
`extensions.code`, refusals of malformed requests too (server/refusals.py): a body that is not
strict UTF-8 JSON, nests deeper than `max_json_depth` or holds lone surrogates is refused with
400 before anything reads it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime
from functools import lru_cache
from typing import Any
from urllib.parse import unquote

import orjson
import strawberry
from cross_web import AsyncHTTPRequestAdapter, HTTPException
from graphql import GraphQLError, parse
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import Receive, Scope, Send
from starlette.websockets import WebSocket
from strawberry.asgi import GraphQL
from strawberry.http import GraphQLHTTPResponse, GraphQLRequestData
from strawberry.http.base import BaseRequestProtocol
from strawberry.schema.exceptions import InvalidOperationTypeError
from strawberry.types import ExecutionResult

from auth.viewer import Viewer
from domain.calendar import CITY_TIME
from resolvers.context import Context, Loaders
from schema.errors import PARSE_FAILED, TOO_COMPLEX, VALIDATION_FAILED, code_for
from server.cost import operation_of
from server.graphiql import graphiql_page, graphiql_turned_off
from server.middleware import preflighted
from server.persisted import PersistedQueries, PersistedQueryError
from server.refusals import (
    HTTP_CODES,
    MALFORMED_REQUEST,
    METHOD_NOT_ALLOWED,
    STATUS_OF_CODE,
    Refused,
    refusal,
)

# A lone surrogate (from a `\ud800` escape) is not a character; UTF-8 cannot carry it onwards.
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def encode_answer(data: object) -> bytes:
    """Compact JSON in UTF-8 with text as itself rather than `\\u` escapes: a page of Chinese
    names and data items is about a third fewer bytes, and quicker to read. Written by orjson,
    about ten times quicker than the standard library for a page of records (139 µs against
    10 µs for the 20-record page of `bench.api`). What orjson refuses — a lone surrogate, which
    UTF-8 cannot carry; an integer beyond 64 bits — is written by the standard library, a lone
    surrogate escaped as JSON allows."""
    try:
        return orjson.dumps(data)
    except orjson.JSONEncodeError:
        return json.dumps(data, separators=(",", ":")).encode()


class GraphQLEndpoint(GraphQL[Context, None]):
    def __init__(
        self,
        schema: strawberry.Schema,
        *,
        clock: Callable[[], datetime],
        graphiql: bool,
        max_json_depth: int = 32,
        retry_after: int = 1,
        rejected_identifiers_per_hour: int = 1000,
        evidence_max_bytes: int = 2_000_000,
        persisted: PersistedQueries | None = None,
    ) -> None:
        # Strawberry renders its IDE only when one is named; ours decides in render_graphql_ide.
        # Multipart requests carry repair evidence files (`attachRepairEvidence`); they must
        # pass `preflighted` first.
        super().__init__(schema, graphql_ide="graphiql", multipart_uploads_enabled=True)
        self.evidence_max_bytes = evidence_max_bytes
        self.clock = clock
        self.graphiql = graphiql
        self.persisted = persisted if persisted is not None else PersistedQueries()
        self.max_json_depth = max_json_depth
        self.retry_after = retry_after
        self.rejected_identifiers_per_hour = rejected_identifiers_per_hour

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Strawberry's view, with its plain-text refusals turned GraphQL-shaped, answered in
        the media type the client accepts."""
        if scope["type"] != "http":
            await super().__call__(scope, receive, send)
            return
        request = Request(scope=scope, receive=receive)
        response: Response
        try:
            preflighted(request)
            response = await self.run(request)
        except Refused as refused:
            response = refused.response()
            # A well-formed request GraphQL cannot run (an unknown persisted query): a request
            # error, answered 200 as legacy JSON and 4xx where the client can read it.
            request.state.request_error = response.status_code == 200
        except HTTPException as error:
            code = HTTP_CODES.get(error.status_code, MALFORMED_REQUEST)
            response = refusal(code, error.reason, status=error.status_code)
        finally:
            await request.close()  # the uploaded files' temporary copies, if any
        await negotiated(request, response)(scope, receive, send)

    def encode_json(self, data: object) -> bytes:
        return encode_answer(data)

    async def parse_http_body(
        self, request: AsyncHTTPRequestAdapter
    ) -> GraphQLRequestData | list[GraphQLRequestData]:
        """The request's data, its document resolved from a persisted query if it names one; a
        document of several operations must name the one to run."""
        data = await super().parse_http_body(request)
        if not isinstance(data, GraphQLRequestData):
            return data
        try:
            data = replace(data, query=self.persisted.document(data.query, data.extensions))
        except PersistedQueryError as error:
            raise Refused(error.code, error.message, status=200) from None
        if data.operation_name is None and data.query and _ambiguous(data.query):
            raise Refused(
                MALFORMED_REQUEST,
                "the document has several operations; name the one to run in operationName",
            )
        return data

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
                raise Refused(METHOD_NOT_ALLOWED, "a mutation must be sent with POST") from None
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

    def decode_json(self, data: str | bytes) -> object:
        """Strict UTF-8 JSON, an object or a list, nested at most `max_json_depth` deep."""
        if isinstance(data, bytes):
            try:
                data = data.decode("utf-8")
            except UnicodeDecodeError as error:
                raise Refused(
                    MALFORMED_REQUEST, f"the body is not valid UTF-8 (at byte {error.start})"
                ) from None
        try:
            value = json.loads(data)
        except RecursionError:
            raise Refused(MALFORMED_REQUEST, self._too_deep()) from None
        if not isinstance(value, dict | list):
            raise Refused(MALFORMED_REQUEST, "the body must be a JSON object")
        self._check_json(value)
        return value

    def _check_json(self, value: object) -> None:
        pending: list[tuple[object, int]] = [(value, 1)]
        while pending:
            item, depth = pending.pop()
            if isinstance(item, str):
                if _LONE_SURROGATE.search(item):
                    raise Refused(MALFORMED_REQUEST, "a string holds a lone surrogate escape")
                continue
            if not isinstance(item, dict | list):
                continue
            if depth > self.max_json_depth:
                raise Refused(MALFORMED_REQUEST, self._too_deep())
            children = [*item.keys(), *item.values()] if isinstance(item, dict) else item
            pending += [(child, depth + 1) for child in children]

    def _too_deep(self) -> str:
        return f"the JSON body nests deeper than {self.max_json_depth} levels"

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
            catalogues=state.published.versions,
            published=state.published,
            programmes=state.programmes,
            loaders=Loaders(state.db, now=now, grantee_org=viewer.org),
            epidemic_window=state.epidemic_window,
            purpose=purpose_of(request, viewer),
            request_id=getattr(request.state, "request_id", None),
            reports=state.reports,
            rejected_identifiers_per_hour=self.rejected_identifiers_per_hour,
            evidence_max_bytes=self.evidence_max_bytes,
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

    def create_response(
        self,
        response_data: GraphQLHTTPResponse | list[GraphQLHTTPResponse],
        sub_response: Response,
    ) -> Response:
        """The status a refusal's code calls for (429, 503, 400), with `Retry-After` if due."""
        response = super().create_response(response_data, sub_response)
        answers = response_data if isinstance(response_data, list) else [response_data]
        extensions = [
            error.get("extensions") or {}
            for answer in answers
            for error in answer.get("errors") or []
            if isinstance(error, dict)
        ]
        statuses = [
            STATUS_OF_CODE[e["code"]] for e in extensions if e.get("code") in STATUS_OF_CODE
        ]
        if statuses:
            response.status_code = max(statuses)
        if any(status in (429, 503) for status in statuses):
            waits = [int(e["retryAfter"]) for e in extensions if "retryAfter" in e]
            response.headers["Retry-After"] = str(max([self.retry_after, *waits]))
        return response


def purpose_of(request: Request, viewer: Viewer) -> str | None:
    """The stated purpose of a query: the X-Purpose header, else the token's claim.

    Headers carry Latin-1 only, so the header is percent-encoded UTF-8 (as in RFC 8187).
    """
    stated = unquote(request.headers.get("x-purpose", ""), errors="replace").strip()
    return stated[:200] if stated.isprintable() and stated else viewer.purpose


GRAPHQL_RESPONSE = "application/graphql-response+json"
JSON = "application/json"
REQUEST_ERROR_CODES = frozenset({PARSE_FAILED, VALIDATION_FAILED, TOO_COMPLEX})


def is_request_error(result: ExecutionResult) -> bool:
    """The document or its variables were refused before execution began: no data, and every
    error a parse, validation or complexity refusal (an audit that failed after execution also
    leaves no data, but the request was fine)."""
    codes = [
        (error.extensions or {}).get("code") or code_for(error) for error in result.errors or []
    ]
    return result.data is None and bool(codes) and set(codes) <= REQUEST_ERROR_CODES


@lru_cache(maxsize=256)  # clients send the same few documents: parse each once, not per request
def _ambiguous(query: str) -> bool:
    """Whether the document has operations but none of them can run without a name; a
    document that does not parse is answered as a parse error by the execution that follows."""
    try:
        document = parse(query)
    except GraphQLError:
        return False
    return operation_of(document, None) is None and bool(document.definitions)


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
