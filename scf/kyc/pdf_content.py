"""Active content in a PDF, found by parsing it (pypdf), not by searching its bytes: a parser
reads names the way a viewer does, so `/J#61vaScript` is `/JavaScript` here too. Every object
of the file is visited, reachable from the trailer or only listed in the cross-reference table,
and refused when it holds script, a launch action, an embedded file or an XFA form."""

import io
import logging

from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

# Action types a viewer runs without the user's consent beyond opening or clicking.
SCRIPT_ACTIONS = frozenset({"/JavaScript", "/JS"})
LAUNCH_ACTIONS = frozenset({"/Launch", "/ImportData", "/GoToE"})
MAX_OBJECTS = 200_000  # a bound on the walk; a 10 MB upload holds far fewer

REASONS = {
    "javascript": "PDF 含有脚本（JavaScript），不予接受 / PDFs with JavaScript are not accepted",
    "launch": "PDF 含有启动外部程序或文件的动作，不予接受 / "
              "PDFs with launch actions are not accepted",
    "embedded_file": "PDF 含有嵌入文件，不予接受 / PDFs with embedded files are not accepted",
    "xfa": "PDF 含有 XFA 表单，不予接受 / PDFs with XFA forms are not accepted",
    "too_complex": "PDF 对象过多，不予接受 / The PDF has too many objects: refused",
}


class PdfUnreadable(Exception):
    """pypdf could not read the file."""


def _dictionary_reason(obj: DictionaryObject) -> str | None:
    action = obj.get("/S")
    if action in SCRIPT_ACTIONS or "/JS" in obj or "/JavaScript" in obj:
        return "javascript"
    if action in LAUNCH_ACTIONS:
        return "launch"
    if (obj.get("/Type") == "/EmbeddedFile" or "/EF" in obj or "/EmbeddedFiles" in obj
            or obj.get("/Subtype") == "/FileAttachment"):
        return "embedded_file"
    if "/XFA" in obj:
        return "xfa"
    return None


def _listed_objects(reader: PdfReader) -> list[IndirectObject]:
    """Every object number the cross-reference data names, also those nothing points to."""
    listed = [IndirectObject(number, generation, reader)
              for generation, numbers in reader.xref.items() for number in numbers]
    listed += [IndirectObject(number, 0, reader) for number in reader.xref_objStm]
    return listed


def pdf_active_content(data: bytes) -> str | None:
    """The kind of active content in the PDF (a key of REASONS), or None for a clean one.
    Raises PdfUnreadable when the file does not parse."""
    logging.getLogger("pypdf").setLevel(logging.ERROR)  # damaged files are refused, not logged
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        stack: list = [reader.trailer, *_listed_objects(reader)]
        seen: set[tuple[int, int]] = set()
        while stack:
            obj = stack.pop()
            if isinstance(obj, IndirectObject):
                if (obj.idnum, obj.generation) in seen:
                    continue
                seen.add((obj.idnum, obj.generation))
                if len(seen) > MAX_OBJECTS:
                    return "too_complex"
                obj = obj.get_object()
            if isinstance(obj, DictionaryObject):  # streams are dictionaries too
                reason = _dictionary_reason(obj)
                if reason:
                    return reason
                stack.extend(obj.values())
            elif isinstance(obj, ArrayObject):
                stack.extend(obj)
    except Exception as exc:  # noqa: BLE001 — pypdf raises many kinds on a damaged file
        raise PdfUnreadable(str(exc)) from exc
    return None
