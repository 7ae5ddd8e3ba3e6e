"""ASGI middleware: request ids, a request body limit, store failures; the CSRF check of
multipart requests."""

from __future__ import annotations

import re
import uuid

from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from server.logging import request_id
from server.refusals import (
    PREFLIGHT_REQUIRED,
    STORE_UNAVAILABLE,
    STORE_UNAVAILABLE_MESSAGE,
    Refused,
    refusal,
)
from store.database import is_unavailable

_SAFE_REQUEST_ID = re.compile(r"^[A-Za-z0-9._\-]{1,64}$")


class RequestId:
    """Take a well-formed `X-Request-ID` or make one, log with it, and echo it back."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        given = dict(scope["headers"]).get(b"x-request-id", b"").decode("latin-1")
        current = given if _SAFE_REQUEST_ID.match(given) else uuid.uuid4().hex
        token = request_id.set(current)
        scope.setdefault("state", {})["request_id"] = current

        async def send_with_id(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [
                    *message.get("headers", []),
                    (b"x-request-id", current.encode()),
                ]
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            request_id.reset(token)


class BodyLimit:
    """Refuse request bodies over `max_bytes` with 413 before anything parses them."""

    def __init__(self, app: ASGIApp, *, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope["headers"]).get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > self.max_bytes):
            await self._refuse(scope, receive, send)
            return
        received = 0

        async def counted() -> Message:
            nonlocal received
            message = await receive()
            received += len(message.get("body", b""))
            if received > self.max_bytes:
                raise BodyTooLarge
            return message

        try:
            await self.app(scope, counted, send)
        except BodyTooLarge:
            await self._refuse(scope, receive, send)

    async def _refuse(self, scope: Scope, receive: Receive, send: Send) -> None:
        body = {
            "errors": [
                {
                    "message": f"the request body is larger than {self.max_bytes} bytes",
                    "extensions": {"code": "REQUEST_TOO_LARGE"},
                }
            ]
        }
        await JSONResponse(body, status_code=413)(scope, receive, send)


class BodyTooLarge(Exception):
    """A chunked body grew past the limit while it was read."""


class StoreFailures:
    """Answer a store that is down or too slow with 503 STORE_UNAVAILABLE, never a 500.

    Covers what runs outside GraphQL execution (the token revocation lookup, report downloads);
    errors inside execution are mapped by `server.guards.StoreFailureErrors`.
    """

    def __init__(self, app: ASGIApp, *, retry_after: int) -> None:
        self.app = app
        self.retry_after = retry_after

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def watched(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, receive, watched)
        except Exception as error:
            if started or not is_unavailable(error):
                raise
            response = refusal(
                STORE_UNAVAILABLE, STORE_UNAVAILABLE_MESSAGE, retry_after=self.retry_after
            )
            await response(scope, receive, send)


# Headers a browser sends only after a CORS preflight, which a cross-site form cannot pass.
PREFLIGHT_HEADERS = ("apollo-require-preflight", "x-apollo-operation-name")


def preflighted(request: Request) -> None:
    """Refuse a multipart request that carries none of `PREFLIGHT_HEADERS`.

    A cross-site HTML form may post multipart/form-data without a CORS preflight, so it could
    make a signed-in browser run a mutation (CSRF; strawberry's advisory GHSA-79gp-q4wv-33fr).
    A custom header forces the preflight, which CORS answers only for allowed origins.
    """
    content_type = request.headers.get("content-type", "")
    if not content_type.lower().startswith("multipart/"):
        return
    if not any(request.headers.get(name, "").strip() for name in PREFLIGHT_HEADERS):
        raise Refused(
            PREFLIGHT_REQUIRED,
            "a multipart request must carry a non-empty Apollo-Require-Preflight header "
            "(or X-Apollo-Operation-Name), so that browsers preflight it",
        )
