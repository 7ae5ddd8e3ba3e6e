"""Everything issuing a report needs besides its content, set up once when the service starts."""

from __future__ import annotations

import asyncio
import threading
from dataclasses import dataclass

from reports import notices, pdf, special
from reports.content import NoticeContent, ReportContent, SpecialReportContent
from reports.fonts import ReportFont
from reports.signing import ReportSigner, sign

Content = ReportContent | SpecialReportContent | NoticeContent

# Laying out a report takes a CPU-bound fifth of a second: it runs in a worker thread so the
# event loop keeps serving, one at a time because reportlab's font registry is process-wide.
_RENDERING = threading.Lock()


@dataclass(frozen=True)
class ReportIssuer:
    """The centre's region code (the start of every serial), the font, the signer, and the
    public base URL that the QR code and the verification page live under."""

    region_code: str
    font: ReportFont
    signer: ReportSigner
    base_url: str

    async def produce(self, content: Content) -> bytes:
        """The signed PDF of `content`: a credit report, a special report or a notice."""
        unsigned = await asyncio.to_thread(self._render, content)
        return await sign(unsigned, self.signer, reason=f"{_title(content)} {content.serial}")

    def _render(self, content: Content) -> bytes:
        with _RENDERING:
            if isinstance(content, ReportContent):
                return pdf.render(content, self.font, base_url=self.base_url)
            if isinstance(content, SpecialReportContent):
                return special.render_special(content, self.font, base_url=self.base_url)
            return notices.render_notice(content, self.font, base_url=self.base_url)


def _title(content: Content) -> str:
    if isinstance(content, ReportContent):
        return pdf.TITLE
    if isinstance(content, SpecialReportContent):
        return special.TITLE
    return notices.title(content)
