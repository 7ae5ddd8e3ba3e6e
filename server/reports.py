"""Credit reports at the edge: setting up the issuer, and `GET /reports/{serial}.pdf`."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from auth.viewer import Viewer
from reports.fonts import report_font
from reports.issuer import ReportIssuer
from reports.signing import load_signer
from resolvers.sealed import report_for_download
from server.graphql import purpose_of
from server.settings import Settings


def report_issuer(settings: Settings) -> ReportIssuer:
    """The font, signer and public address from the settings; a file that cannot be used
    stops start-up, and so does production without an embedded font."""
    files = settings.report_certificates
    return ReportIssuer(
        region_code=settings.region_code,
        font=report_font(settings.report_font, require_embedded=settings.production),
        signer=load_signer(key=files.key, cert=files.cert, ca=files.ca, tsa_url=settings.tsa_url),
        base_url=settings.base_url,
    )


def report_download(clock: Callable[[], datetime]) -> Callable[[Request], Awaitable[Response]]:
    async def download(request: Request) -> Response:
        state: Any = request.app.state
        viewer: Viewer = request.state.viewer
        serial: str = request.path_params["serial"]
        found = await report_for_download(
            state.db,
            viewer,
            serial=serial,
            at=clock(),
            purpose=purpose_of(request, viewer),
            request_id=getattr(request.state, "request_id", None),
        )
        if found is None:
            # The same answer for an unknown serial and for someone else's report.
            return JSONResponse(
                {"errors": [{"message": "no such report", "extensions": {"code": "NOT_FOUND"}}]},
                status_code=404,
            )
        report, pdf = found
        return Response(
            pdf,
            media_type="application/pdf",
            headers={
                "Content-Disposition": f'attachment; filename="{report.serial}.pdf"',
                "Cache-Control": "no-store",
                "X-Content-SHA256": report.sha256,
            },
        )

    return download
