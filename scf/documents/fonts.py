"""The CJK font embedded in every PDF.

Noto Sans SC (SIL OFL 1.1), the static TrueType instances (glyf outlines, which ReportLab can
subset; CFF-flavoured OTF it cannot) shipped by the npm package `@expo-google-fonts/noto-sans-sc`
pinned in the root package.json, so `bin/scf` installs it with the chain toolchain on a fresh
machine: no system font, no root. ReportLab's CID fonts (STSong-Light) are never used: they are
not embedded and render as boxes where no Chinese font is installed. Each PDF embeds only the
subset of glyphs it uses (some tens of KB), not the 10 MB file.

SCF_DOCUMENTS_FONT_DIR overrides where the two files (Regular, Bold) are looked for.
"""

from functools import cache
from pathlib import Path

from django.conf import settings
from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from scf.errors import ServiceUnavailableError

FONT = "NotoSansSC"
FONT_BOLD = "NotoSansSC-Bold"
PACKAGE = "@expo-google-fonts/noto-sans-sc"
FILES = {FONT: "400Regular/NotoSansSC_400Regular.ttf", FONT_BOLD: "700Bold/NotoSansSC_700Bold.ttf"}


def font_dir() -> Path:
    configured = getattr(settings, "SCF_DOCUMENTS_FONT_DIR", None)
    return Path(configured) if configured else settings.BASE_DIR / "node_modules" / PACKAGE


@cache
def register_fonts() -> str:
    """Register the regular and bold faces once per process; the regular face's name."""
    base = font_dir()
    for name, relative in FILES.items():
        path = base / relative
        if not path.is_file():
            raise ServiceUnavailableError(
                f"缺少中文字体 / The CJK font is missing: {path} (run `npm install`, it comes "
                f"with the npm package {PACKAGE})", code="font_missing")
        pdfmetrics.registerFont(TTFont(name, str(path)))  # subset-embedded by ReportLab
    addMapping(FONT, 0, 0, FONT)
    addMapping(FONT, 1, 0, FONT_BOLD)
    addMapping(FONT, 0, 1, FONT)
    addMapping(FONT, 1, 1, FONT_BOLD)
    return FONT


def missing_glyphs(text: str) -> set[str]:
    """Characters of `text` the font has no glyph for (they would render as boxes)."""
    register_fonts()
    face = pdfmetrics.getFont(FONT).face
    return {ch for ch in text if not ch.isspace() and ord(ch) not in face.charToGlyph}
