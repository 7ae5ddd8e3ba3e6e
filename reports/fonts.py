"""The report's Chinese font: an embedded CJK TrueType font, shipped with the project.

An embedded font shows the same glyphs on every reader, so the report's text never depends on
the machine that prints or reads it. reportlab embeds TrueType (glyf) outlines only, not the
CFF outlines of the OpenType Noto/Source Han fonts, so the default is WenQuanYi Micro Hei
(文泉驿微米黑: TrueType outlines, the GBK repertoire, Apache 2.0 or GPLv3 with a font
embedding exception upstream) from the PyPI package `paperang-p2-fonts-cjk`, a dependency
of this project. A deployment may configure another TrueType font.

STSong-Light is one of the Adobe CJK fonts a reader is expected to supply itself: it needs no
file but is not embedded. It is used only in development when the shipped font is missing (a
broken install), and production refuses to start without an embedded font.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfbase.ttfonts import TTFError, TTFont

from reports.errors import ReportSetupError

FALLBACK = "STSong-Light"
SHIPPED_PACKAGE = "paperang_p2_fonts_cjk"
SHIPPED_FILE = "fonts/wqy-microhei.ttc"


@dataclass(frozen=True)
class ReportFont:
    """A registered font: the name reportlab draws with, and where its glyphs come from."""

    name: str
    embedded: bool
    source: str

    @property
    def note(self) -> str:
        """What the document metadata says about its font."""
        if self.embedded:
            return f"font: {Path(self.source).name} (embedded)"
        return f"font: {self.source} (not embedded)"


def shipped_font() -> Path | None:
    """The CJK TrueType font the project's dependencies ship, or None if it is not installed."""
    try:
        path = Path(str(resources.files(SHIPPED_PACKAGE) / SHIPPED_FILE))
    except ModuleNotFoundError:
        return None
    return path if path.is_file() else None


def report_font(
    configured: Path | None, *, shipped: Path | None = None, require_embedded: bool = False
) -> ReportFont:
    """The configured font, else the shipped one (`shipped_font()` unless given), else STSong.

    A configured font that cannot be used is an error, not a reason to fall back silently;
    with `require_embedded` (production) a report that would not embed its font is refused.
    """
    path = configured or shipped or shipped_font()
    if path is not None:
        try:
            return _embedded(path)
        except (OSError, TTFError) as error:
            raise ReportSetupError(f"cannot use the report font {path}: {error}") from None
    if require_embedded:
        raise ReportSetupError(
            f"no embeddable CJK TrueType font: install the project's dependencies "
            f"({SHIPPED_PACKAGE}) or set CREDITGRAPH_REPORT_FONT"
        )
    pdfmetrics.registerFont(UnicodeCIDFont(FALLBACK))
    return ReportFont(name=FALLBACK, embedded=False, source=FALLBACK)


def _embedded(path: Path) -> ReportFont:
    # One name per file, so that fonts found in different places never replace each other
    # in reportlab's process-wide registry. Collections (.ttc) use their first face.
    name = "cjk-" + hashlib.sha256(str(path.resolve()).encode()).hexdigest()[:12]
    pdfmetrics.registerFont(TTFont(name, str(path), subfontIndex=0))
    return ReportFont(name=name, embedded=True, source=str(path))
