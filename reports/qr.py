"""The QR code printed on a report: what a reader scans to check it online.

A document cannot carry the SHA-256 of its own final bytes: writing the digest changes
them, and the signature is made after the page is laid out. So the code carries what is
fixed before signing: the serial (the key the centre looks the report up by), the issue
time, where to verify (`verifyCreditReport` on the GraphQL path, which wants the file's
SHA-256 from whoever holds the file) and the SHA-256 of the report's content. The centre
keeps that content digest with the report, so a printed copy whose page was altered or
pasted under a genuine serial can be told apart without the file.
"""

from __future__ import annotations

from reportlab.graphics import renderPDF
from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.pdfgen.canvas import Canvas

from reports.content import ReportContent

SCHEME = "CREDITREPORT"
# Where `verifyCreditReport` is asked (GraphQL over HTTP GET works for queries too).
VERIFY = "/graphql#verifyCreditReport"


def payload(content: ReportContent) -> str:
    """`CREDITREPORT:serial=…;issued=…;content=…;verify=…`: ASCII, so any scanner reads it."""
    fields = {
        "serial": content.serial,
        "issued": content.issued_at.isoformat(timespec="seconds"),
        "content": content.digest(),
        "verify": VERIFY,
    }
    return f"{SCHEME}:" + ";".join(f"{key}={value}" for key, value in fields.items())


def draw_qr(canvas: Canvas, text: str, *, x: float, y: float, size: float) -> None:
    """The code for `text` as vector squares, `size` points wide, its lower left at (x, y)."""
    # Level M recovers from 15% damage: enough for a creased printout, still compact.
    widget = QrCodeWidget(text, barLevel="M", barBorder=2)
    left, bottom, right, top = widget.getBounds()
    width, height = right - left, top - bottom
    drawing = Drawing(size, size, transform=[size / width, 0, 0, size / height, 0, 0])
    drawing.add(widget)
    renderPDF.draw(drawing, canvas, x, y)
