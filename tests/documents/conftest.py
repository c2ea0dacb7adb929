"""Fixtures of the documents tests: the receivables cast and API helper (a core enterprise with
a credit line, suppliers, banks, a regulator), PDF text extraction with Debian's poppler-utils
(pdftotext, pdffonts, pdftoppm; `apt-get install poppler-utils`), and a fontconfig without any
font at all, to render as a machine with no Chinese fonts would."""

import shutil
import subprocess
from pathlib import Path

import pytest

from tests.factories import fast_password_hasher  # noqa: F401  (autouse fixture)
from tests.receivables.conftest import api, cast, credit_line, media_root  # noqa: F401

POPPLER = all(shutil.which(tool) for tool in ("pdftotext", "pdffonts", "pdftoppm"))
needs_poppler = pytest.mark.skipif(not POPPLER, reason="poppler-utils is not installed")


def pdf_text(content: bytes, tmp_path: Path) -> str:
    path = tmp_path / "extract.pdf"
    path.write_bytes(content)
    return subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], check=True,
                          capture_output=True, text=True).stdout


@pytest.fixture
def no_fonts_env(tmp_path) -> dict:
    """Environment for poppler whose fontconfig knows one empty font directory."""
    empty, cache = tmp_path / "no-fonts", tmp_path / "fc-cache"
    empty.mkdir()
    config = tmp_path / "fonts.conf"
    config.write_text(
        '<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd"><fontconfig>'
        f"<dir>{empty}</dir><cachedir>{cache}</cachedir></fontconfig>")
    return {"FONTCONFIG_FILE": str(config), "PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}
