"""The public verification page of a credit report: `/verify` and `/verify/{serial}`.

What a report's QR code opens on a phone (notice 二(六): a report anyone holding it can
check). A printed copy is checked by its serial and content digest (the QR code carries the
whole digest, the page prints its first 16 digits as 核验码 for typing); an electronic copy by
uploading the PDF, whose SHA-256 must be the stored one. Only a copy that matches learns the
issue time, the subject's name as the public sees it, the centre and whether the report was
withdrawn; anything else gets the same "not verified" page, so the page is no oracle.
"""

from __future__ import annotations

import hashlib
from collections.abc import Awaitable, Callable
from datetime import datetime
from html import escape
from typing import Any
from urllib.parse import quote

from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import Route

from domain.calendar import CITY_TIME
from domain.reports import MAX_REPORT_BYTES
from resolvers.verification import ReportStanding, standing_of_copy

CHUNK = 64 * 1024
HEADERS = {
    "Cache-Control": "no-store",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    # No script, no outside resource: the page is its own HTML and inline style.
    "Content-Security-Policy": (
        "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; "
        "frame-ancestors 'none'; base-uri 'none'"
    ),
}
STYLE = """
body{margin:0;font-family:system-ui,-apple-system,"PingFang SC","Microsoft YaHei",
"Noto Sans CJK SC","WenQuanYi Micro Hei",sans-serif;background:#f4f5f7;color:#1f2329;
font-size:16px;line-height:1.6}
main{max-width:40rem;margin:0 auto;padding:1rem}
h1{font-size:1.35rem;margin:.5rem 0 1rem}
.verdict{border-radius:.5rem;padding:1rem;margin-bottom:1rem;color:#fff}
.verdict strong{display:block;font-size:1.25rem}
.genuine{background:#1f7a3d}.withdrawn{background:#b35c00}.unverified{background:#a61b1b}
.pending{background:#44546a}
dl{display:grid;grid-template-columns:max-content 1fr;gap:.4rem 1rem;background:#fff;
padding:1rem;border-radius:.5rem;margin:0 0 1rem}
dt{color:#646a73}dd{margin:0;word-break:break-all}
form{background:#fff;border-radius:.5rem;padding:1rem;margin-bottom:1rem}
label{display:block;margin:.25rem 0}
input[type=text]{width:100%;box-sizing:border-box;font-size:1rem;padding:.5rem;
border:1px solid #c9cdd4;border-radius:.25rem}
input[type=file]{width:100%;margin:.5rem 0}
button{margin-top:.75rem;width:100%;font-size:1rem;padding:.6rem;border:0;
border-radius:.25rem;background:#245bdb;color:#fff}
p.note{color:#646a73;font-size:.875rem}
"""


def verification_routes(clock: Callable[[], datetime]) -> list[Route]:
    """`/verify` (the forms) and `/verify/{serial}` (what the QR code opens)."""
    page = verification_page(clock)
    return [
        Route("/verify", page, methods=["GET", "POST"]),
        Route("/verify/{serial}", page, methods=["GET", "POST"]),
    ]


def verification_page(clock: Callable[[], datetime]) -> Callable[[Request], Awaitable[Response]]:
    """The page: GET checks a printed copy, POST an uploaded PDF (at most 8 MB)."""

    async def page(request: Request) -> Response:
        serial = request.path_params.get("serial")
        if request.method == "POST":
            return await _uploaded(request, clock, serial)
        serial = serial or request.query_params.get("serial", "").strip()
        digest = request.query_params.get("digest", "").strip()
        if serial and "serial" in request.query_params:
            # The typed form lands on the serial's own page, the address the QR code uses.
            return RedirectResponse(_path(serial, digest), status_code=303)
        if not serial or not digest:
            return _html(_verdict_pending() + _forms(serial or "", digest))
        standing = await _standing(request, clock, serial, content_digest=digest)
        return _html(_result(standing, "纸质报告（报告编号与核验码）") + _forms(serial, digest))

    return page


async def _uploaded(
    request: Request, clock: Callable[[], datetime], serial: str | None
) -> Response:
    async with request.form(max_files=1, max_fields=2) as form:
        upload = form.get("file")
        serial = serial or str(form.get("serial") or "").strip()
        if not isinstance(upload, UploadFile) or not serial:
            missing = _refused("请填写报告编号并选择报告的 PDF 文件。")
            return _html(missing + _forms(serial, ""), 400)
        sha256 = hashlib.sha256()
        size = 0
        while chunk := await upload.read(CHUNK):
            size += len(chunk)
            if size > MAX_REPORT_BYTES:
                limit = f"文件超过 {MAX_REPORT_BYTES // (1024 * 1024)} MB，不是本中心出具的报告。"
                return _html(_refused(limit) + _forms(serial, ""), 413)
            sha256.update(chunk)
    standing = await _standing(request, clock, serial, file_sha256=sha256.hexdigest())
    return _html(_result(standing, "电子文件（PDF 文件摘要）") + _forms(serial, ""))


async def _standing(
    request: Request,
    clock: Callable[[], datetime],
    serial: str,
    *,
    content_digest: str | None = None,
    file_sha256: str | None = None,
) -> ReportStanding | None:
    state: Any = request.app.state
    return await standing_of_copy(
        state.db,
        state.published.versions,
        serial=serial,
        today=clock().astimezone(CITY_TIME).date(),
        content_digest=content_digest,
        file_sha256=file_sha256,
    )


def _path(serial: str, digest: str) -> str:
    query = f"?digest={quote(digest)}" if digest else ""
    return f"/verify/{quote(serial, safe='')}{query}"


def _result(standing: ReportStanding | None, by: str) -> str:
    if standing is None:
        return _verdict(
            "unverified",
            "未能核验",
            "未找到与该报告编号及核验信息一致的报告。请核对报告编号与核验码，"
            "或上传本中心出具的 PDF 电子文件；内容被改动的报告无法通过核验。",
        )
    if standing.withdrawn:
        verdict = _verdict(
            "withdrawn",
            "该报告已撤回",
            f"该报告由{escape(standing.centre)}出具，但已撤回，不再有效。",
        )
    else:
        verdict = _verdict(
            "genuine",
            "真实有效",
            f"该报告由{escape(standing.centre)}出具，内容与中心存档一致，未被撤回。",
        )
    issued = standing.issued_at.astimezone(CITY_TIME)
    rows = (
        ("报告编号", standing.serial),
        ("出具时间", f"{issued:%Y年%m月%d日 %H:%M}（北京时间）"),
        ("信用主体", standing.subject_name or "（不予展示）"),
        ("出具机构", standing.centre),
        ("报告状态", "已撤回" if standing.withdrawn else "有效"),
        ("核验方式", by),
    )
    details = "".join(f"<dt>{escape(k)}</dt><dd>{escape(v)}</dd>" for k, v in rows)
    return f"{verdict}<dl>{details}</dl>"


def _verdict(kind: str, title: str, text: str) -> str:
    return f'<section class="verdict {kind}" id="verdict"><strong>{title}</strong>{text}</section>'


def _verdict_pending() -> str:
    return _verdict(
        "pending",
        "请输入核验信息",
        "扫描报告首页的二维码可直接核验；也可输入报告编号与核验码，或上传 PDF 电子文件。",
    )


def _refused(text: str) -> str:
    return _verdict("unverified", "未能核验", escape(text))


def _forms(serial: str, digest: str) -> str:
    s, d = escape(serial, quote=True), escape(digest, quote=True)
    return f"""
<form method="get" action="/verify">
<label for="serial">报告编号</label>
<input type="text" id="serial" name="serial" value="{s}" inputmode="numeric" maxlength="20">
<label for="digest">核验码（报告首页所印 16 位）</label>
<input type="text" id="digest" name="digest" value="{d}" maxlength="80">
<button type="submit">核验纸质报告</button>
</form>
<form method="post" action="/verify" enctype="multipart/form-data">
<label for="upload-serial">报告编号</label>
<input type="text" id="upload-serial" name="serial" value="{s}" inputmode="numeric"
 maxlength="20">
<label for="file">报告 PDF 文件（不超过 {MAX_REPORT_BYTES // (1024 * 1024)} MB）</label>
<input type="file" id="file" name="file" accept="application/pdf">
<button type="submit">核验电子文件</button>
</form>
<p class="note">核验只显示报告编号、出具时间、去标识化的主体名称、出具机构及报告状态，
不显示报告内容。</p>"""


def _html(body: str, status_code: int = 200) -> HTMLResponse:
    page = (
        '<!doctype html><html lang="zh-CN"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>公共信用报告核验</title><style>{STYLE}</style></head>"
        f"<body><main><h1>公共信用报告核验</h1>{body}</main></body></html>"
    )
    return HTMLResponse(page, status_code=status_code, headers=HEADERS)
