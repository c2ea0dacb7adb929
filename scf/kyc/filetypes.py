"""What an uploaded document really is, judged by its bytes (magic numbers and a sanity parse),
never by its file name or the content type the client declared."""

import re
import struct
import zlib
from typing import NamedTuple

from scf.errors import ApplicationError
from scf.kyc.pdf_content import REASONS, PdfUnreadable, pdf_active_content

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
PDF_HEADER = re.compile(rb"%PDF-[12]\.\d")
PDF_ACTIVE_CONTENT = re.compile(rb"/(?:JavaScript|Launch)\b")
# Executables and scripts, to name them in the refusal.
EXECUTABLE_SIGNATURES = (
    (b"\x7fELF", "ELF"),
    (b"MZ", "Windows PE/MZ"),
    (b"\xfe\xed\xfa\xce", "Mach-O"),
    (b"\xfe\xed\xfa\xcf", "Mach-O"),
    (b"\xce\xfa\xed\xfe", "Mach-O"),
    (b"\xcf\xfa\xed\xfe", "Mach-O"),
    (b"\xca\xfe\xba\xbe", "Mach-O/Java"),
    (b"#!", "script"),
)
# Start-of-frame markers (baseline, progressive, lossless...), not DHT/JPG/DAC.
JPEG_SOF_MARKERS = frozenset(range(0xC0, 0xD0)) - {0xC4, 0xC8, 0xCC}


class DocumentTypeError(ApplicationError):
    """A refused upload: 400 with the reason under extra.fields.file."""

    code = "invalid_document"

    def __init__(self, message: str):
        super().__init__(message, extra={"fields": {"file": [message]}})


class DocumentType(NamedTuple):
    content_type: str
    extension: str


PDF = DocumentType("application/pdf", "pdf")
JPEG = DocumentType("image/jpeg", "jpg")
PNG = DocumentType("image/png", "png")

ONLY_PDF_JPEG_PNG = "仅接受 PDF、JPEG、PNG 文件 / Only PDF, JPEG and PNG files are accepted"


def _corrupt(kind: str, detail_zh: str, detail_en: str) -> DocumentTypeError:
    return DocumentTypeError(f"{kind} 文件已损坏：{detail_zh} / Damaged {kind} file: {detail_en}")


def _check_pdf(data: bytes) -> None:
    if not PDF_HEADER.match(data):
        raise _corrupt("PDF", "文件头无效", "invalid header")
    if b"%%EOF" not in data[-2048:]:
        raise _corrupt("PDF", "缺少结束标记 %%EOF", "no %%EOF end marker")
    if b"startxref" not in data[-4096:]:
        raise _corrupt("PDF", "缺少交叉引用表", "no cross-reference table (startxref)")
    # A first look at the raw bytes also refuses what does not even parse; the parse below is
    # the real check (names with #xx escapes, compressed object streams).
    if PDF_ACTIVE_CONTENT.search(data):
        raise DocumentTypeError("PDF 含有脚本或启动动作，不予接受 / "
                                "PDFs with JavaScript or launch actions are not accepted")
    try:
        reason = pdf_active_content(data)
    except PdfUnreadable as exc:
        raise _corrupt("PDF", "无法解析", "it cannot be parsed") from exc
    if reason:
        raise DocumentTypeError(REASONS[reason])


def _check_jpeg(data: bytes) -> None:
    position, size, seen_frame = 2, len(data), False
    while True:
        if position + 2 > size or data[position] != 0xFF:
            raise _corrupt("JPEG", "标记段结构无效", "invalid marker segments")
        marker = data[position + 1]
        if marker == 0xFF:  # fill byte
            position += 1
            continue
        if marker == 0x01 or 0xD0 <= marker <= 0xD8:  # markers without a length
            position += 2
            continue
        if marker == 0xD9:
            raise _corrupt("JPEG", "没有图像数据", "no image data")
        if position + 4 > size:
            raise _corrupt("JPEG", "标记段被截断", "truncated marker segment")
        (length,) = struct.unpack(">H", data[position + 2:position + 4])
        if length < 2 or position + 2 + length > size:
            raise _corrupt("JPEG", "标记段长度无效", "invalid segment length")
        if marker in JPEG_SOF_MARKERS:
            if length < 8:
                raise _corrupt("JPEG", "帧头无效", "invalid frame header")
            height, width = struct.unpack(">HH", data[position + 5:position + 9])
            if not width or not height:
                raise _corrupt("JPEG", "图像尺寸为零", "zero image size")
            seen_frame = True
        if marker == 0xDA:  # start of scan: entropy-coded data follows
            if not seen_frame:
                raise _corrupt("JPEG", "缺少帧头", "no frame header before the scan")
            if data.rfind(b"\xff\xd9") < position:
                raise _corrupt("JPEG", "缺少结束标记 EOI", "no end-of-image marker")
            return
        position += 2 + length


def _check_png(data: bytes) -> None:
    header = data[8:33]
    if len(header) < 25 or header[:8] != b"\x00\x00\x00\x0dIHDR":
        raise _corrupt("PNG", "缺少 IHDR 块", "no IHDR chunk")
    width, height, depth, colour = struct.unpack(">IIBB", header[8:18])
    (crc,) = struct.unpack(">I", header[21:25])
    if zlib.crc32(header[4:21]) != crc:
        raise _corrupt("PNG", "IHDR 校验和错误", "IHDR checksum mismatch")
    if not width or not height or depth not in (1, 2, 4, 8, 16) or colour not in (0, 2, 3, 4, 6):
        raise _corrupt("PNG", "IHDR 参数无效", "invalid IHDR values")
    if b"IDAT" not in data or data.rfind(b"IEND") < 33:
        raise _corrupt("PNG", "缺少图像数据或 IEND 块", "no image data or IEND chunk")


def detect_document_type(data: bytes) -> DocumentType:
    """PDF, JPEG or PNG, checked by content; anything else raises DocumentTypeError."""
    for signature, name in EXECUTABLE_SIGNATURES:
        if data.startswith(signature):
            raise DocumentTypeError(
                f"文件内容是可执行程序（{name}），不是 PDF/JPEG/PNG，不予接受 / "
                f"The file is an executable ({name}), not a PDF, JPEG or PNG: refused")
    if data.startswith(b"%PDF-"):
        _check_pdf(data)
        return PDF
    if data.startswith(b"\xff\xd8\xff"):
        _check_jpeg(data)
        return JPEG
    if data.startswith(PNG_SIGNATURE):
        _check_png(data)
        return PNG
    raise DocumentTypeError(ONLY_PDF_JPEG_PNG)
