"""Real minimal documents and disguised executables, generated in the test run."""

import io

from PIL import Image
from reportlab.pdfgen import canvas


def pdf_bytes(text: str = "营业执照 business licence") -> bytes:
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer)
    page.drawString(72, 720, text.encode("ascii", "replace").decode())
    page.showPage()
    page.save()
    return buffer.getvalue()


def image_bytes(fmt: str) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (32, 16), (200, 30, 30)).save(buffer, format=fmt)
    return buffer.getvalue()


def png_bytes() -> bytes:
    return image_bytes("PNG")


def jpeg_bytes() -> bytes:
    return image_bytes("JPEG")


def elf_bytes() -> bytes:
    """The start of a 64-bit Linux executable, padded."""
    header = (b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 8 + b"\x02\x00\x3e\x00\x01\x00\x00\x00")
    return header + b"\x00" * 4000


def pe_bytes() -> bytes:
    """A Windows executable: MZ header, e_lfanew pointing at a PE signature."""
    stub = bytearray(b"MZ" + b"\x90" * 58 + (0x80).to_bytes(4, "little"))
    stub += b"\x00" * (0x80 - len(stub)) + b"PE\x00\x00" + b"\x00" * 2000
    return bytes(stub)
