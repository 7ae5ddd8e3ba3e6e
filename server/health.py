"""Liveness, readiness and metrics endpoints."""

from __future__ import annotations

import hmac

from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from pydantic import SecretStr
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from store.database import ping


async def healthz(request: Request) -> Response:
    """The process is up."""
    return JSONResponse({"status": "ok"})


async def readyz(request: Request) -> Response:
    """The store answers `ping`; 503 otherwise, so a load balancer takes us out."""
    if await ping(request.app.state.db):
        return JSONResponse({"status": "ready"})
    return JSONResponse({"status": "store unavailable"}, status_code=503)


async def metrics(request: Request) -> Response:
    """Prometheus metrics; behind a bearer token when one is set (`CREDITGRAPH_METRICS_TOKEN`)."""
    expected: SecretStr | None = request.app.state.metrics_token
    if expected is not None:
        given = request.headers.get("authorization", "")
        wanted = f"Bearer {expected.get_secret_value()}"
        if not hmac.compare_digest(given.encode(), wanted.encode()):
            return JSONResponse(
                {
                    "errors": [
                        {
                            "message": "metrics need the metrics bearer token",
                            "extensions": {"code": "METRICS_TOKEN_REQUIRED"},
                        }
                    ]
                },
                status_code=401,
                headers={"WWW-Authenticate": 'Bearer realm="metrics"'},
            )
    return Response(generate_latest(request.app.state.registry), media_type=CONTENT_TYPE_LATEST)
