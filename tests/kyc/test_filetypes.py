import pytest

from scf.kyc.filetypes import DocumentTypeError, detect_document_type
from tests.kyc.documents import elf_bytes, jpeg_bytes, pdf_bytes, pe_bytes, png_bytes


@pytest.mark.parametrize(("make", "content_type"), [
    (pdf_bytes, "application/pdf"), (png_bytes, "image/png"), (jpeg_bytes, "image/jpeg")])
def test_real_documents_are_recognised(make, content_type):
    assert detect_document_type(make()).content_type == content_type


@pytest.mark.parametrize(("make", "name"), [(elf_bytes, "ELF"), (pe_bytes, "PE/MZ")])
def test_executables_are_named_and_refused(make, name):
    with pytest.raises(DocumentTypeError) as excinfo:
        detect_document_type(make())
    assert name in excinfo.value.message
    assert "可执行程序" in excinfo.value.message and "executable" in excinfo.value.message


@pytest.mark.parametrize(("data", "fragment"), [
    (pdf_bytes()[:-200], "%%EOF"),                           # truncated PDF
    (b"%PDF-1.4\n" + b"x" * 100, "%%EOF"),                   # header only
    (b"%PDF-1.7\n/OpenAction << /S /JavaScript /JS (app.alert(1)) >>\nstartxref\n0\n%%EOF\n",
     "JavaScript"),
    (png_bytes()[:20], "IHDR"),                              # truncated PNG
    (png_bytes()[:16] + b"\x00" * 4 + png_bytes()[20:], "checksum"),   # width zeroed, bad CRC
    (png_bytes()[:-20], "IEND"),                             # PNG without its end
    (jpeg_bytes()[:-2], "EOI"),                              # JPEG without end of image
    (b"\xff\xd8\xff\xd9", "no image data"),                  # SOI then EOI
    (b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 200, "marker"),
    (b"GIF89a" + b"\x00" * 100, "Only PDF, JPEG and PNG"),
    (b"PK\x03\x04" + b"\x00" * 100, "Only PDF, JPEG and PNG"),  # a zip / docx
    ("营业执照".encode() * 10, "Only PDF, JPEG and PNG"),
])
def test_damaged_or_other_files_are_refused_with_a_reason(data, fragment):
    with pytest.raises(DocumentTypeError) as excinfo:
        detect_document_type(data)
    assert fragment in excinfo.value.message
    assert excinfo.value.extra == {"fields": {"file": [excinfo.value.message]}}
