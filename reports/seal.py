"""The issuing centre's round red seal (公章), drawn as vectors on the report.

Laid out like a Chinese official seal: a red ring, a five-pointed star in the middle, the
centre's name along the upper arc and the seal's use (信用报告专用章) straight below the star.
It marks where the centre vouches for the report; the proof is the digital signature.
"""

from __future__ import annotations

import math

from reportlab.lib.colors import Color
from reportlab.pdfgen.canvas import Canvas

from reports.content import CENTRE

SEAL_RED = Color(0.84, 0.06, 0.09)
PURPOSE = "信用报告专用章"
# The name runs over this much of the circle, centred on the top.
ARC_DEGREES = 210.0


def draw_seal(
    canvas: Canvas,
    *,
    x: float,
    y: float,
    radius: float,
    font: str,
    name: str = CENTRE,
    purpose: str = PURPOSE,
) -> None:
    """The seal centred on (x, y); `font` must have the CJK glyphs of `name` and `purpose`."""
    canvas.saveState()
    # Slightly translucent, as ink: the text it is stamped over stays legible.
    canvas.setFillAlpha(0.85)
    canvas.setStrokeAlpha(0.85)
    canvas.setStrokeColor(SEAL_RED)
    canvas.setFillColor(SEAL_RED)
    canvas.setLineWidth(radius * 0.06)
    canvas.circle(x, y, radius, stroke=1, fill=0)
    _star(canvas, x, y, radius * 0.3)
    _arc_text(canvas, name, x, y, radius * 0.72, font, size=radius * 0.26)
    canvas.setFont(font, radius * 0.16)
    canvas.drawCentredString(x, y - radius * 0.6, purpose)
    canvas.restoreState()


def _star(canvas: Canvas, x: float, y: float, outer: float) -> None:
    inner = outer * 0.382  # the regular pentagram's ratio
    path = canvas.beginPath()
    for i in range(10):
        r = outer if i % 2 == 0 else inner
        angle = math.radians(90 + i * 36)
        px, py = x + r * math.cos(angle), y + r * math.sin(angle)
        if i == 0:
            path.moveTo(px, py)
        else:
            path.lineTo(px, py)
    path.close()
    canvas.drawPath(path, stroke=0, fill=1)


def _arc_text(
    canvas: Canvas, text: str, x: float, y: float, radius: float, font: str, *, size: float
) -> None:
    """Each character upright towards the rim, left to right over the top of the circle."""
    step = ARC_DEGREES / max(len(text) - 1, 1)
    start = 90 + ARC_DEGREES / 2
    canvas.setFont(font, size)
    for i, char in enumerate(text):
        angle = start - i * step
        canvas.saveState()
        canvas.translate(
            x + radius * math.cos(math.radians(angle)), y + radius * math.sin(math.radians(angle))
        )
        canvas.rotate(angle - 90)
        canvas.drawCentredString(0, -size * 0.35, char)
        canvas.restoreState()
