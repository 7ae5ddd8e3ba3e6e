"""The report's Chinese font: an embedded CJK TrueType font, or reportlab's STSong-Light.

An embedded font shows the same glyphs on every reader. STSong-Light is one of the Adobe CJK
fonts a PDF reader is expected to supply itself: it needs no file, but it is not embedded, so
a reader without it substitutes another font. The report says which it uses in its metadata.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfbase.ttfonts import TTFError, TTFont

from reports.errors import ReportSetupError

FALLBACK = "STSong-Light"
SYSTEM_FONT_DIRS: tuple[Path, ...] = (
    Path("/usr/share/fonts"),
    Path("/usr/local/share/fonts"),
    Path("/System/Library/Fonts"),
    Path("/Library/Fonts"),
)
# Best first. reportlab embeds TrueType outlines only: the OpenType/CFF Noto CJK collections
# are tried but usually refused, so the TrueType families come before them.
CANDIDATES: tuple[str, ...] = (
    "wqy-zenhei.ttc",
    "wqy-microhei.ttc",
    "DroidSansFallbackFull.ttf",
    "DroidSansFallback.ttf",
    "uming.ttc",
    "ukai.ttc",
    "NotoSansSC-Regular.ttf",
    "NotoSansCJK*-Regular.ttc",
    "NotoSerifCJK*-Regular.ttc",
    "NotoSansCJK*.ttc",
)


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


def report_font(
    configured: Path | None, *, search: Sequence[Path] = SYSTEM_FONT_DIRS
) -> ReportFont:
    """The configured font, else the first usable CJK font in `search`, else STSong-Light.

    A configured font that cannot be used is an error, not a reason to fall back silently.
    """
    if configured is not None:
        try:
            return _embedded(configured)
        except (OSError, TTFError) as error:
            raise ReportSetupError(f"cannot use the report font {configured}: {error}") from None
    for path in _candidates(search):
        try:
            return _embedded(path)
        except (OSError, TTFError):
            continue
    pdfmetrics.registerFont(UnicodeCIDFont(FALLBACK))
    return ReportFont(name=FALLBACK, embedded=False, source=FALLBACK)


def _candidates(search: Sequence[Path]) -> Iterable[Path]:
    for pattern in CANDIDATES:
        for directory in search:
            if directory.is_dir():
                yield from sorted(directory.rglob(pattern))


def _embedded(path: Path) -> ReportFont:
    # One name per file, so that fonts found in different places never replace each other
    # in reportlab's process-wide registry. Collections (.ttc) use their first face.
    name = "cjk-" + hashlib.sha256(str(path.resolve()).encode()).hexdigest()[:12]
    pdfmetrics.registerFont(TTFont(name, str(path), subfontIndex=0))
    return ReportFont(name=name, embedded=True, source=str(path))
