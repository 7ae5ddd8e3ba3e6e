"""GraphiQL from files shipped with the app, so the IDE works on a network without internet."""

from __future__ import annotations

from pathlib import Path

from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, JSONResponse, Response

ASSETS_DIR = Path(__file__).parent / "static" / "graphiql"
ASSETS_PATH = "/graphql/assets"

# Only these names are served: a fixed table, so no request path reaches the file system.
# Each name carries its package version, so a browser may keep it for good.
MEDIA_TYPES = {
    "react-18.2.0.production.min.js": "text/javascript",
    "react-dom-18.2.0.production.min.js": "text/javascript",
    "graphiql-3.8.3.min.js": "text/javascript",
    "graphiql-3.8.3.min.css": "text/css",
    "plugin-explorer-1.0.2.umd.js": "text/javascript",
    "plugin-explorer-1.0.2.css": "text/css",
}
IMMUTABLE = "public, max-age=31536000, immutable"

TURNED_OFF = """<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>creditgraph</title></head>
<body style="font-family: sans-serif; max-width: 40em; margin: 3em auto; line-height: 1.6">
<h1>GraphQL endpoint</h1>
<p>This is creditgraph's GraphQL endpoint. Send queries with <code>POST</code> (JSON body
<code>{"query": "…"}</code>) or <code>GET ?query=…</code>.</p>
<p>The in-browser IDE is turned off on this server. To turn it on, start the server with
<code>CREDITGRAPH_GRAPHIQL=true</code> (it is meant for development, not production).</p>
</body></html>
"""


def graphiql_page(request: Request) -> HTMLResponse:
    """The IDE's page, loading its scripts from this app under the request's root path."""
    assets = request.scope.get("root_path", "") + ASSETS_PATH
    page = (ASSETS_DIR / "index.html").read_text(encoding="utf-8").replace("{assets}", assets)
    # The page itself may change with a new release; its assets never do under the same name.
    return HTMLResponse(page, headers={"Cache-Control": "no-cache"})


def graphiql_turned_off() -> HTMLResponse:
    """What a browser meets at /graphql when the IDE is off: how to turn it on."""
    return HTMLResponse(TURNED_OFF, status_code=404, headers={"Cache-Control": "no-cache"})


async def graphiql_asset(request: Request) -> Response:
    name = request.path_params["name"]
    media_type = MEDIA_TYPES.get(name)
    if media_type is None:
        return JSONResponse(
            {"errors": [{"message": "no such asset", "extensions": {"code": "NOT_FOUND"}}]},
            status_code=404,
        )
    return FileResponse(
        ASSETS_DIR / name,
        media_type=f"{media_type}; charset=utf-8",
        headers={"Cache-Control": IMMUTABLE},
    )
