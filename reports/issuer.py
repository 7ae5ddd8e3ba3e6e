"""Everything issuing a report needs besides its content, set up once when the service starts."""

from __future__ import annotations

import asyncio
import threading
from dataclasses import dataclass

from reports.content import ReportContent
from reports.fonts import ReportFont
from reports.pdf import render
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

    async def produce(self, content: ReportContent) -> bytes:
        """The signed PDF of `content`."""
        unsigned = await asyncio.to_thread(self._render, content)
        return await sign(unsigned, self.signer, reason=f"公共信用报告 {content.serial}")

    def _render(self, content: ReportContent) -> bytes:
        with _RENDERING:
            return render(content, self.font, base_url=self.base_url)
