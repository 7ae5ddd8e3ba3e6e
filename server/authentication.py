"""Authentication at the edge: a bearer token becomes the request's `Viewer`, or a 401.

RFC 6750: a refused token gets 401 with `WWW-Authenticate: Bearer error="invalid_token"`; the
body is GraphQL-shaped so clients read one error format. Messages never echo the token.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Receive, Scope, Send

from auth.errors import TokenError
from auth.tokens import TokenVerifier, bearer_token
from auth.viewer import Viewer
from server.refusals import MALFORMED_REQUEST, refusal
from store.database import Database
from store.revocations import is_revoked

# Operational endpoints read no one's data; /metrics has its own token (server.health).
NOT_AUTHENTICATED = frozenset({"/healthz", "/readyz", "/metrics"})


class Authenticate:
    def __init__(self, app: ASGIApp, *, clock: Callable[[], datetime]) -> None:
        self.app = app
        self.clock = clock

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] in NOT_AUTHENTICATED:
            await self.app(scope, receive, send)
            return
        state: Any = scope["app"].state
        headers = [value for name, value in scope["headers"] if name == b"authorization"]
        if len(headers) > 1:
            # RFC 6750 §3.1 invalid_request: which of two credentials speaks is not ours to guess.
            message = "send one Authorization header, not several"
            await refusal(MALFORMED_REQUEST, message)(scope, receive, send)
            return
        header = headers[0] if headers else None
        try:
            viewer = await self._viewer(
                None if header is None else header.decode("latin-1"), state.verifier, state.db
            )
        except TokenError as error:
            response = JSONResponse(
                {"errors": [{"message": error.message, "extensions": {"code": error.code}}]},
                status_code=401,
                headers={"WWW-Authenticate": 'Bearer error="invalid_token"'},
            )
            await response(scope, receive, send)
            return
        scope.setdefault("state", {})["viewer"] = viewer
        await self.app(scope, receive, send)

    async def _viewer(
        self, authorization: str | None, verifier: TokenVerifier, db: Database
    ) -> Viewer:
        token = bearer_token(authorization)
        if token is None:
            return Viewer.anonymous()

        async def revoked(token_id: str) -> bool:
            return await is_revoked(db, token_id=token_id)

        return await verifier.verify(token, now=self.clock(), is_revoked=revoked)
