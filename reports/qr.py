"""The QR code printed on a report: the absolute address of its public verification page.

A document cannot carry the SHA-256 of its own final bytes: writing the digest changes
them, and the signature is made after the page is laid out. So the code carries what is
fixed before signing: the serial (the key the centre looks the report up by) and the SHA-256
of the report's content, as `{base}/verify/{serial}?digest={content digest}`. Any phone
camera opens it; the page says whether the centre issued that report with that content and
has not withdrawn it, so a printed copy whose page was altered or pasted under a genuine
serial is told apart without the file. The report also prints the digest's first 16 hex
digits (核验码) for a reader who types rather than scans.
"""

from __future__ import annotations

from urllib.parse import quote

from reportlab.graphics.barcode.qrencoder import QRCode, QRErrorCorrectLevel
from reportlab.lib import colors
from reportlab.pdfgen.canvas import Canvas

from domain.reports import CHECK_CODE_DIGITS
from reports.content import Sealed


def verification_url(content: Sealed, base_url: str) -> str:
    """`{base_url}/verify/{serial}?digest={content digest}`: ASCII, so any scanner reads it."""
    path = f"/verify/{quote(content.serial)}?digest={content.digest()}"
    return base_url.rstrip("/") + path


def check_code(content: Sealed) -> str:
    """The 核验码 printed on the report: the content digest's first digits, in fours."""
    digits = content.digest()[:CHECK_CODE_DIGITS].upper()
    return " ".join(digits[i : i + 4] for i in range(0, CHECK_CODE_DIGITS, 4))


# Modules of white around the code, as scanners want a quiet zone.
QUIET_ZONE = 2


def draw_qr(canvas: Canvas, text: str, *, x: float, y: float, size: float) -> None:
    """The code for `text` as vector squares, `size` points wide, its lower left at (x, y).

    Drawn square by square on the canvas rather than through reportlab's QR widget, whose
    renderer sets Helvetica and so would add an unembedded font to every report.
    """
    # Level M recovers from 15% damage: enough for a creased printout, still compact.
    code = QRCode(None, QRErrorCorrectLevel.M)
    code.addData(text)
    code.make()
    count = code.moduleCount
    cell = size / (count + 2 * QUIET_ZONE)
    canvas.saveState()
    canvas.setFillColor(colors.white)
    canvas.rect(x, y, size, size, stroke=0, fill=1)
    canvas.setFillColor(colors.black)
    for row in range(count):
        for column in range(count):
            if code.modules[row][column]:
                left = x + (column + QUIET_ZONE) * cell
                bottom = y + size - (row + QUIET_ZONE + 1) * cell
                canvas.rect(left, bottom, cell, cell, stroke=0, fill=1)
    canvas.restoreState()
