"""Liveness, readiness and metrics endpoints."""

from __future__ import annotations

import hmac

from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from pydantic import SecretStr
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from domain.calendar import CITY_TIME, missing_years
from store.calendar import working_day_calendar
from store.database import ping


async def healthz(request: Request) -> Response:
    """The process is up."""
    return JSONResponse({"status": "ok"})


async def readyz(request: Request) -> Response:
    """The store answers `ping`; 503 otherwise, so a load balancer takes us out.

    Ready with `warnings` when a year within 60 days has no published working-day calendar:
    repair and objection deadlines in it would be refused (CALENDAR_NOT_PUBLISHED) until the
    centre publishes it, so the operator hears of it before a subject does.
    """
    db = request.app.state.db
    if not await ping(db):
        return JSONResponse({"status": "store unavailable"}, status_code=503)
    today = request.app.state.clock().astimezone(CITY_TIME).date()
    missing = missing_years(await working_day_calendar(db), today)
    if not missing:
        return JSONResponse({"status": "ready"})
    warnings = [
        f"the working-day calendar for {year} is not published: deadlines in it will be "
        f"refused (CALENDAR_NOT_PUBLISHED) until the credit centre publishes it"
        for year in missing
    ]
    return JSONResponse({"status": "ready", "warnings": warnings})


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
