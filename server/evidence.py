"""Repair evidence files at the edge: `GET /repair-evidence/{file_id}` for the credit centre."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Any
from urllib.parse import quote

from starlette.requests import Request
from starlette.responses import Response

from auth.viewer import Scope, Viewer
from resolvers.evidence import DOWNLOAD_PATH, evidence_for_download, may_download
from server.graphql import purpose_of
from server.refusals import refusal

__all__ = ["DOWNLOAD_PATH", "evidence_download"]


def evidence_download(clock: Callable[[], datetime]) -> Callable[[Request], Awaitable[Response]]:
    async def download(request: Request) -> Response:
        state: Any = request.app.state
        viewer: Viewer = request.state.viewer
        if not may_download(viewer):
            # Refused alike whether the file exists or not: no oracle of file ids.
            return refusal(
                "FORBIDDEN",
                f"evidence files are for the credit centre's review ({Scope.REPAIR_REVIEW}) only",
                status=403,
            )
        found = await evidence_for_download(
            state.db,
            viewer,
            file_id=request.path_params["file_id"],
            at=clock(),
            purpose=purpose_of(request, viewer),
            request_id=getattr(request.state, "request_id", None),
        )
        if found is None:
            return refusal("NOT_FOUND", "no evidence file has this id", status=404)
        file, content = found
        return Response(
            content,
            media_type=file.file_type.media_type,
            headers={
                # RFC 6266: the name as the subject gave it, UTF-8 and percent-encoded.
                "Content-Disposition": f"attachment; filename*=UTF-8''{quote(file.file_name)}",
                "Cache-Control": "no-store",
                # The type was checked from the content; browsers must not guess another.
                "X-Content-Type-Options": "nosniff",
                "X-Content-SHA256": file.sha256,
            },
        )

    return download
