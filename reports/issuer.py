"""Everything issuing a report needs besides its content, set up once when the service starts."""

from __future__ import annotations

import asyncio
import threading
from dataclasses import dataclass

from reports import pdf, special
from reports.content import ReportContent, SpecialReportContent
from reports.fonts import ReportFont
from reports.signing import ReportSigner, sign

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

    async def produce(self, content: ReportContent | SpecialReportContent) -> bytes:
        """The signed PDF of `content`: a credit report or a special report."""
        unsigned = await asyncio.to_thread(self._render, content)
        title = pdf.TITLE if isinstance(content, ReportContent) else special.TITLE
        return await sign(unsigned, self.signer, reason=f"{title} {content.serial}")

    def _render(self, content: ReportContent | SpecialReportContent) -> bytes:
        with _RENDERING:
            if isinstance(content, ReportContent):
                return pdf.render(content, self.font, base_url=self.base_url)
            return special.render_special(content, self.font, base_url=self.base_url)
