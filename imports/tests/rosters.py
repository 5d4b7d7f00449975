"""Roster files for the import tests, written the way Excel, LibreOffice and Vietnamese
Windows software write them."""

import csv
import io
import unicodedata
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

import openpyxl

HEADERS = ["Họ và tên", "Ngày sinh", "Giới tính", "Số CCCD", "Số điện thoại", "Chức vụ"]
SURNAMES = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Võ", "Đặng", "Bùi"]
GIVEN = ["Thị Thu Hà", "Văn Đức", "Minh Khôi", "Thị Ngọc Ánh", "Quốc Việt", "Thị Hường"]


def cccd(i: int) -> str:
    """A well-formed CCCD (Quảng Trị province code 045) that no fixture member holds."""
    return f"0452{i:08d}"


def member_rows(n: int, *, start: int = 0) -> list[list[str]]:
    rows = []
    for i in range(start, start + n):
        name = f"{SURNAMES[i % len(SURNAMES)]} {GIVEN[i % len(GIVEN)]}"
        sex = "Nữ" if "Thị" in name else "Nam"
        rows.append(
            [
                name,
                f"{1 + i % 28:02d}/{1 + i % 12:02d}/{1970 + i % 30}",
                sex,
                cccd(i),
                f"09{i % 100000000:08d}",
                "Công nhân",
            ]
        )
    return rows


def write_csv(
    path: Path,
    rows: list[list],
    *,
    headers=HEADERS,
    encoding: str = "utf-8-sig",
    delimiter: str = ",",
    before: list[list] | None = None,
) -> Path:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    writer.writerows(before or [])
    writer.writerow(headers)
    writer.writerows(rows)
    text = out.getvalue()
    if encoding == "cp1258":
        path.write_bytes(to_cp1258(text))
    else:
        path.write_bytes(text.encode(encoding))
    return path


TONE_MARKS = "\u0300\u0301\u0303\u0309\u0323"


def to_cp1258(text: str) -> bytes:
    """Windows-1258 as Vietnamese Windows writes it: base letters with separate tone marks."""
    out = bytearray()
    for ch in unicodedata.normalize("NFC", text):
        try:
            out += ch.encode("cp1258")
        except UnicodeEncodeError:
            decomposed = unicodedata.normalize("NFD", ch)
            base = "".join(c for c in decomposed if c not in TONE_MARKS)
            tones = "".join(c for c in decomposed if c in TONE_MARKS)
            out += (unicodedata.normalize("NFC", base) + tones).encode("cp1258")
    return bytes(out)


def write_xlsx(path: Path, rows: list[list], *, headers=HEADERS, before: list[list] | None = None) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    for row in before or []:
        ws.append(row)
    ws.append(headers)
    for row in rows:
        ws.append(row)
    wb.save(path)
    return path


def write_ods(path: Path, rows: list[list], *, headers=HEADERS) -> Path:
    """A minimal OpenDocument spreadsheet (what LibreOffice saves), built with zipfile."""

    def cell(value) -> str:
        if isinstance(value, (int, float)):
            return f'<table:table-cell office:value-type="float" office:value="{value}"><text:p>{value}</text:p></table:table-cell>'
        return f'<table:table-cell office:value-type="string"><text:p>{escape(str(value))}</text:p></table:table-cell>'

    body = "".join(
        "<table:table-row>" + "".join(cell(v) for v in row) + "</table:table-row>" for row in [headers, *rows]
    )
    content = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
        '<office:body><office:spreadsheet><table:table table:name="Sheet1">'
        f"{body}</table:table></office:spreadsheet></office:body></office:document-content>"
    )
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
        '<manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
        "</manifest:manifest>"
    )
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet")
        zf.writestr("META-INF/manifest.xml", manifest)
        zf.writestr("content.xml", content)
    return path


def write_xls(path: Path, rows: list[list], *, headers=HEADERS, before: list[list] | None = None) -> Path:
    """A real Excel 97-2003 .xls (BIFF8), as older offices still send, written with xlwt."""
    import xlwt

    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("Danh sach")
    for r, row in enumerate([*(before or []), headers, *rows]):
        for c, value in enumerate(row):
            sheet.write(r, c, value)
    book.save(str(path))
    return path
