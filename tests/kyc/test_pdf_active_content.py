"""Defect 8 of issue 11: a PDF's active content is found by parsing it (pypdf), so a name
written with #xx escapes (`/J#61vaScript` is `/JavaScript` to every viewer) no longer slips
past a search of the raw bytes; embedded files and XFA forms are refused too."""

import io

import pytest
from pypdf import PdfWriter
from pypdf.actions import JavaScript
from pypdf.generic import ArrayObject, DictionaryObject, NameObject, TextStringObject

from scf.kyc.filetypes import PDF, DocumentTypeError, detect_document_type
from tests.kyc.documents import pdf_bytes


def hand_made_pdf(catalog_extra: bytes = b"", page_extra: bytes = b"",
                  more_objects: tuple[bytes, ...] = ()) -> bytes:
    """A one-page PDF written byte by byte (with a correct cross-reference table), so names can
    carry the escapes a PDF library would never write."""
    objects = [b"<< /Type /Catalog /Pages 2 0 R " + catalog_extra + b" >>",
               b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] " + page_extra + b" >>",
               *more_objects]
    out, offsets = b"%PDF-1.7\n", []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1, xref)
    return out


def written(change) -> bytes:
    """A PDF made by pypdf (compressed, as real tools write them), changed by `change(writer)`."""
    writer = PdfWriter()
    writer.add_blank_page(width=612, height=792)
    change(writer)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def with_xfa(writer: PdfWriter) -> None:
    writer._root_object[NameObject("/AcroForm")] = DictionaryObject({
        NameObject("/Fields"): ArrayObject(),
        NameObject("/XFA"): TextStringObject("<xdp:xdp/>")})


REFUSED = [
    # The report's case: an OpenAction running script, its names escaped.
    (hand_made_pdf(b"/OpenAction << /S /J#61vaScript /JS (app.alert(1)) >>"), "JavaScript"),
    (hand_made_pdf(b"/OpenAction 4 0 R", more_objects=(
        b"<< /Type /Action /S /J#61v#61Script /JS (app.alert(1)) >>",)), "JavaScript"),
    # Additional actions on the page: launch a program, the name escaped.
    (hand_made_pdf(page_extra=b"/AA << /O << /S /L#61unch /F (calc.exe) >> >>"), "launch"),
    (hand_made_pdf(b"/OpenAction << /S /GoToE /T << /R /C /N (x.pdf) >> >>"), "launch"),
    # Script in an object nothing points to: still in the file, still refused.
    (hand_made_pdf(more_objects=(b"<< /S /JavaScript /JS (app.alert(1)) >>",)), "JavaScript"),
    # Document-level script and attachments as a PDF library writes them.
    (written(lambda writer: writer.add_open_action(JavaScript("app.alert(1);"))), "JavaScript"),
    (written(lambda writer: writer.add_attachment("payload.exe", b"MZ\x90\x00")),
     "embedded files"),
    (hand_made_pdf(page_extra=b"/Annots [4 0 R]", more_objects=(
        b"<< /Type /Annot /Subtype /FileAttachment /Rect [0 0 10 10] /FS (a.exe) >>",)),
     "embedded files"),
    (written(with_xfa), "XFA"),
]


@pytest.mark.parametrize(("data", "reason"), REFUSED,
                         ids=["openaction-escaped", "openaction-ref-escaped", "page-aa-launch",
                              "gotoe", "orphan-script", "open-action-javascript", "attachment",
                              "file-annotation", "xfa"])
def test_active_content_is_refused_with_a_bilingual_reason(data, reason):
    with pytest.raises(DocumentTypeError) as excinfo:
        detect_document_type(data)

    message = excinfo.value.message
    assert reason in message
    assert "不予接受" in message and " / " in message  # 中文 / English
    assert excinfo.value.extra == {"fields": {"file": [message]}}


def test_the_escaped_names_are_not_found_by_a_search_of_the_bytes():
    """Why a parser is needed: the raw file has no `/JavaScript` or `/Launch` at all."""
    for data, _reason in REFUSED[:3]:
        assert b"/JavaScript" not in data and b"/Launch" not in data


@pytest.mark.parametrize("data", [
    pdf_bytes(),
    hand_made_pdf(),
    hand_made_pdf(b"/OpenAction [3 0 R /Fit]"),  # open at page 1: a destination, not a script
    written(lambda writer: writer.add_metadata({"/Title": "营业执照"})),
], ids=["reportlab", "hand-made", "openaction-destination", "pypdf"])
def test_a_clean_pdf_is_still_accepted(data):
    assert detect_document_type(data) == PDF


def test_a_pdf_that_does_not_parse_is_refused_as_damaged():
    data = b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog /Pages 9 0 R\nstartxref\n0\n%%EOF\n"

    with pytest.raises(DocumentTypeError) as excinfo:
        detect_document_type(data)

    assert "Damaged PDF" in excinfo.value.message
