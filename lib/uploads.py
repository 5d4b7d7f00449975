"""The one gate every uploaded file passes before anything parses or stores it.

`check_upload(upload, kind=...)` (forms and services), `check_path` (commands, workers) and
`check_bytes` return the file's real type, sniffed from its content, or raise UploadRefused with
a message for the person who sent it. Per kind (see KINDS): a size limit, the types accepted,
and the name must not disguise the content (a web page or CSV named .xlsx, a Word file named
.pdf). Files that are two formats at once (a PDF or picture with a zip archive appended, a zip
with a PDF header inside its first kilobyte) are refused. For zip-based files (.xlsx, .docx,
.ods) the central directory is checked before a single byte is inflated: member count,
encryption, total and per-part unpacked size, compression ratio; then the prolog of every XML
part (a DOCTYPE or ENTITY declaration, which Office files never contain, is refused: billion
laughs) and, for roster-like sheets, the number of rows of the first sheet. Pictures are
opened by Pillow only to read their header (pixel count against decompression bombs).

Parsing itself happens later, in a worker, inside lib.sandbox.
"""

from __future__ import annotations

import io
import re
import warnings
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePath
from typing import BinaryIO

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

MB = 1024 * 1024
HEAD_BYTES = 8192
# A zip: at most this many members, each part inflating to at most MAX_RATIO times its
# compressed size (real .xlsx/.docx parts stay under 35×; zip bombs are at 200× and more).
MAX_ZIP_MEMBERS = 1000
MAX_RATIO = 100
RATIO_FLOOR = MB  # parts smaller than this are not judged by their ratio
XML_PROLOG_BYTES = 64 * 1024
ZIP_TYPES = {"xlsx", "docx", "ods", "zip"}
IMAGE_FORMATS = {"png": {"PNG"}, "jpeg": {"JPEG", "MPO"}, "gif": {"GIF"}, "webp": {"WEBP"}}

# Name extension -> the family its content must belong to.
FAMILIES = {
    ".xlsx": "sheet",
    ".xlsm": "sheet",
    ".xls": "sheet",
    ".ods": "sheet",
    ".csv": "text",
    ".txt": "text",
    ".docx": "word",
    ".doc": "word",
    ".pdf": "pdf",
    ".png": "image",
    ".jpg": "image",
    ".jpeg": "image",
    ".gif": "image",
    ".webp": "image",
}
TYPE_FAMILY = {
    "xlsx": "sheet",
    "xls": "sheet",
    "ods": "sheet",
    "text": "text",
    "docx": "word",
    "doc": "word",
    "pdf": "pdf",
    "png": "image",
    "jpeg": "image",
    "gif": "image",
    "webp": "image",
}


@dataclass(frozen=True)
class Kind:
    """What one upload field accepts."""

    types: frozenset[str]
    max_bytes: int | str  # bytes, or the name of a setting holding them
    max_expanded: int = 0  # zip: all parts unpacked together
    max_part: int = 0  # zip: one XML part unpacked (0: max_expanded)
    count_rows: bool = False  # roster-like sheets: rows of the first sheet against IMPORT_MAX_ROWS

    def byte_limit(self) -> int:
        return getattr(settings, self.max_bytes) if isinstance(self.max_bytes, str) else self.max_bytes


KINDS: dict[str, Kind] = {
    # Rosters, pledge lists and old award registers.
    "sheet": Kind(
        frozenset({"xlsx", "xls", "ods", "text"}),
        "IMPORT_MAX_UPLOAD_BYTES",
        max_expanded=300 * MB,
        count_rows=True,
    ),
    "plan": Kind(frozenset({"docx", "pdf", "text"}), 50 * MB, max_expanded=100 * MB, max_part=40 * MB),
    "report_xlsx": Kind(frozenset({"xlsx"}), 5 * MB, max_expanded=60 * MB),
    "evidence": Kind(frozenset({"pdf", "png", "jpeg", "webp"}), 10 * MB),
    "decision": Kind(frozenset({"pdf", "doc", "docx", "png", "jpeg"}), 20 * MB, max_expanded=100 * MB),
    "photo": Kind(frozenset({"png", "jpeg", "gif", "webp"}), 5 * MB),
}


class UploadRefused(ValidationError):
    """The file is refused; `code` says why: size, empty, type, disguised, polyglot, damaged,
    encrypted, zip (members, unpacked size or ratio), xml, rows or pixels."""

    def __init__(self, message: str, *, code: str) -> None:
        super().__init__(message, code=code)
        self.reason = code

    def __str__(self) -> str:
        return self.messages[0]


def check_upload(upload, *, kind: str) -> str:
    """The real type of a Django upload (UploadedFile), or UploadRefused. Leaves it at offset 0."""
    upload.seek(0)
    try:
        return check_file(upload, kind=kind, name=upload.name or "", size=upload.size)
    finally:
        upload.seek(0)


def check_path(path: Path, *, kind: str, name: str | None = None) -> str:
    """The real type of a file on disk (commands, workers), or UploadRefused."""
    path = Path(path)
    with path.open("rb") as fh:
        return check_file(fh, kind=kind, name=name or path.name, size=path.stat().st_size)


def check_bytes(data: bytes, *, kind: str, name: str = "") -> str:
    return check_file(io.BytesIO(data), kind=kind, name=name, size=len(data))


def check_file(fh: BinaryIO, *, kind: str, name: str, size: int | None = None) -> str:
    spec = KINDS[kind]
    if size is None:
        fh.seek(0, io.SEEK_END)
        size = fh.tell()
    if size <= 0:
        raise UploadRefused(_("The file is empty."), code="empty")
    limit = spec.byte_limit()
    if size > limit:
        raise UploadRefused(
            _("The file is larger than %(size)s.") % {"size": filesizeformat(limit)}, code="size"
        )
    fh.seek(0)
    head = fh.read(HEAD_BYTES)
    kind_found = _sniff(head, name)
    if kind_found in ZIP_TYPES:
        kind_found = _check_zip(fh, size, head, spec)
    elif _is_zip(fh):
        raise _polyglot()
    _check_name(kind_found, name, spec)
    if TYPE_FAMILY.get(kind_found) == "image":
        _check_image(fh, kind_found)
    fh.seek(0)
    return kind_found


# -- sniffing ----------------------------------------------------------------------------------

_MARKUP = re.compile(
    rb"^\s*<(?:!doctype\s+html|html|head|body|table|meta|style|script|div|\?xml)", re.IGNORECASE
)


def _sniff(head: bytes, name: str) -> str:
    suffix = PurePath(name).suffix.lower()
    if head.startswith(b"PK\x03\x04"):
        return "zip"
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):  # OLE2: Excel 97-2003 or Word 97-2003
        return "doc" if suffix == ".doc" else "xls"
    if head.startswith(b"%PDF-") or (suffix == ".pdf" and b"%PDF-" in head[:1024]):
        return "pdf"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.startswith((b"GIF87a", b"GIF89a")):
        return "gif"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "webp"
    text = head
    if text.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            text = head.decode("utf-16").encode("utf-8", "ignore")
        except UnicodeDecodeError:
            text = head[2:].replace(b"\x00", b"")
    elif b"\x00" in head:
        return "unknown"
    if _MARKUP.match(text.removeprefix(b"\xef\xbb\xbf")):
        return "html"
    return "text"


def _is_zip(fh: BinaryIO) -> bool:
    fh.seek(0)
    try:
        return zipfile.is_zipfile(fh)
    finally:
        fh.seek(0)


def _describe(kind: str) -> str:
    names = {
        "xlsx": _("an Excel workbook (.xlsx)"),
        "xls": _("an Excel 97-2003 workbook (.xls)"),
        "ods": _("an OpenDocument spreadsheet (.ods)"),
        "text": _("a text file (.csv, .txt)"),
        "docx": _("a Word document (.docx)"),
        "doc": _("a Word 97-2003 document (.doc)"),
        "pdf": _("a PDF document"),
        "png": _("a picture"),
        "jpeg": _("a picture"),
        "gif": _("a picture"),
        "webp": _("a picture"),
        "zip": _("a zip archive"),
        "html": _("a web page (HTML)"),
    }
    return names.get(kind, _("a file of an unknown format"))


def _check_name(found: str, name: str, spec: Kind) -> None:
    suffix = PurePath(name).suffix.lower()
    if found == "html":
        raise UploadRefused(
            _(
                "This file is a web page (HTML) or XML, not an Excel workbook or a Word document, whatever "
                "its name says. Open it in Excel or Word and save it as .xlsx or .docx."
            ),
            code="disguised",
        )
    expected = FAMILIES.get(suffix)
    if expected is not None and TYPE_FAMILY.get(found) != expected:
        families = {
            "sheet": _("a spreadsheet"),
            "text": _("a text file"),
            "word": _("a Word document"),
            "pdf": _("a PDF document"),
            "image": _("a picture"),
        }
        raise UploadRefused(
            _(
                "The file is named %(suffix)s but it is not %(expected)s: it is really %(kind)s. "
                "Save it again in the right format."
            )
            % {"suffix": suffix, "expected": families[expected], "kind": _describe(found)},
            code="disguised",
        )
    if found not in spec.types:
        accepted = sorted({_describe(t) for t in spec.types})
        raise UploadRefused(
            _("Files of this kind are not accepted here (%(kind)s). Use %(accepted)s.")
            % {"kind": _describe(found), "accepted": ", ".join(accepted)},
            code="type",
        )


# -- zip-based files ---------------------------------------------------------------------------


def _polyglot() -> UploadRefused:
    return UploadRefused(
        _(
            "This file is two formats at once (for example a PDF or a picture with a zip archive "
            "inside). It was refused for safety."
        ),
        code="polyglot",
    )


def _damaged() -> UploadRefused:
    return UploadRefused(_("The file is damaged and could not be read."), code="damaged")


def _check_zip(fh: BinaryIO, size: int, head: bytes, spec: Kind) -> str:
    """The type of a zip-based file after its structure passed; UploadRefused otherwise."""
    lowered = head[:1024].lower()
    if b"%pdf-" in lowered or b"<html" in lowered or b"<script" in lowered:
        raise _polyglot()
    _check_zip_end(fh, size)
    fh.seek(0)
    try:
        archive = zipfile.ZipFile(fh)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        raise _damaged() from None
    with archive:
        infos = archive.infolist()
        if len(infos) > MAX_ZIP_MEMBERS:
            raise UploadRefused(
                _(
                    "The file holds too many parts (%(count)s; at most %(max)s): it is not an ordinary spreadsheet or document."
                )
                % {"count": len(infos), "max": MAX_ZIP_MEMBERS},
                code="zip",
            )
        _check_members(infos, size, spec)
        found = _zip_kind(archive, {i.filename for i in infos})
        for info in infos:
            if info.filename.endswith((".xml", ".rels")):
                _check_xml_prolog(archive, info)
        if spec.count_rows and found == "xlsx":
            _check_rows(archive)
    return found


def _check_zip_end(fh: BinaryIO, size: int) -> None:
    """The archive starts at byte 0 (checked by the caller) and ends with its end record: no
    data hidden before or after it."""
    tail_size = min(size, 22 + 65535)
    fh.seek(size - tail_size)
    tail = fh.read(tail_size)
    pos = tail.rfind(b"PK\x05\x06")
    if pos < 0 or pos + 22 > len(tail):
        raise _damaged()
    comment = int.from_bytes(tail[pos + 20 : pos + 22], "little")
    if pos + 22 + comment != len(tail):
        raise _polyglot()


def _check_members(infos: list[zipfile.ZipInfo], size: int, spec: Kind) -> None:
    names: set[str] = set()
    total = 0
    part_limit = spec.max_part or spec.max_expanded
    for info in infos:
        name = info.filename
        if name in names or "\x00" in name or name.startswith(("/", "\\")) or ".." in PurePath(name).parts:
            raise _damaged()
        names.add(name)
        if info.flag_bits & 0x1:
            raise UploadRefused(
                _("The file is protected by a password. Upload a copy without a password."), code="encrypted"
            )
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise _damaged()
        total += info.file_size
        if info.file_size >= RATIO_FLOOR and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            raise _bomb(info.file_size, size)
        if part_limit and name.endswith((".xml", ".rels")) and info.file_size > part_limit:
            raise _too_big(part_limit)
    if infos and min(info.header_offset for info in infos) != 0:  # something hides before the first member
        raise _polyglot()
    if spec.max_expanded and total > spec.max_expanded:
        raise _too_big(spec.max_expanded)
    if total >= RATIO_FLOOR and total > MAX_RATIO * size:
        raise _bomb(total, size)


def _too_big(limit: int) -> UploadRefused:
    return UploadRefused(
        _(
            "The file unpacks to more than %(size)s: it is not an ordinary spreadsheet or document. It was refused for safety."
        )
        % {"size": filesizeformat(limit)},
        code="zip",
    )


def _bomb(unpacked: int, size: int) -> UploadRefused:
    return UploadRefused(
        _(
            "The file unpacks to %(ratio)s times its size (%(unpacked)s), far more than any ordinary "
            "spreadsheet or document (a “zip bomb”). It was refused for safety."
        )
        % {"ratio": unpacked // max(size, 1), "unpacked": filesizeformat(unpacked)},
        code="zip",
    )


def _zip_kind(archive: zipfile.ZipFile, names: set[str]) -> str:
    if "[Content_Types].xml" in names and "xl/workbook.xml" in names:
        return "xlsx"
    if "[Content_Types].xml" in names and "word/document.xml" in names:
        return "docx"
    if "content.xml" in names and "mimetype" in names:
        try:
            with archive.open("mimetype") as fh:
                mimetype = fh.read(100)
        except (zipfile.BadZipFile, OSError, ValueError, EOFError):
            raise _damaged() from None
        if mimetype.strip() == b"application/vnd.oasis.opendocument.spreadsheet":
            return "ods"
    return "zip"


def _check_xml_prolog(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> None:
    try:
        with archive.open(info) as fh:
            start = fh.read(XML_PROLOG_BYTES)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, RuntimeError):
        raise _damaged() from None
    verdict = xml_prolog(start)
    if verdict == "declaration" or (verdict == "unknown" and info.file_size > len(start)):
        raise UploadRefused(
            _(
                "The file contains XML declarations (DOCTYPE or ENTITY) that spreadsheets and documents "
                "never use. It was refused for safety."
            ),
            code="xml",
        )


def xml_prolog(start: bytes) -> str:
    """'ok' when the root element comes before any <!DOCTYPE>/<!ENTITY>; 'declaration' when a
    declaration comes first; 'unknown' when the root element is not in `start`."""
    if start.startswith((b"\xff\xfe", b"<\x00")):
        text = start.decode("utf-16-le", errors="ignore")
    elif start.startswith((b"\xfe\xff", b"\x00<")):
        text = start.decode("utf-16-be", errors="ignore")
    else:
        text = start.removeprefix(b"\xef\xbb\xbf").decode("latin-1")
    text = text.lstrip("\ufeff")
    i, n = 0, len(text)
    while True:
        while i < n and text[i] in " \t\r\n":
            i += 1
        if i >= n:
            return "unknown"
        if text.startswith("<?", i):
            end = text.find("?>", i + 2)
            if end < 0:
                return "unknown"
            i = end + 2
        elif text.startswith("<!--", i):
            end = text.find("-->", i + 4)
            if end < 0:
                return "unknown"
            i = end + 3
        elif text.startswith("<!", i):
            return "declaration"
        elif text.startswith("<", i):
            return "ok"
        else:
            return "unknown"


_ROW = re.compile(rb"<(?:[A-Za-z_][\w.\-]*:)?row[\s/>]")
_REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def _first_sheet(archive: zipfile.ZipFile) -> str | None:
    """The part name of the first worksheet (the one the imports read), from workbook.xml."""
    from defusedxml.ElementTree import fromstring

    try:
        workbook = fromstring(archive.read("xl/workbook.xml"))
        rels = fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    except Exception:
        return None
    targets = {
        rel.get("Id"): (rel.get("Type") or "", rel.get("Target") or "")
        for rel in rels
        if rel.tag.endswith("Relationship")
    }
    for sheet in workbook.iter():
        if not sheet.tag.endswith("}sheet"):
            continue
        kind, target = targets.get(sheet.get(f"{{{_REL_NS}}}id"), ("", ""))
        if kind.endswith("/worksheet") and target:
            return target.lstrip("/") if target.startswith("/") else f"xl/{target}"
    return None


def _check_rows(archive: zipfile.ZipFile) -> None:
    """Count the <row> elements of the first sheet without parsing it (a few MB a second)."""
    part = _first_sheet(archive)
    if part is None:
        return
    limit = settings.IMPORT_MAX_ROWS
    count, carry = 0, b""
    try:
        with archive.open(part) as fh:
            while chunk := fh.read(MB):
                buffer = carry + chunk
                # Keep a possible tag cut at the chunk's end for the next round.
                cut = buffer.rfind(b"<")
                if cut < 0 or len(buffer) - cut > 128:
                    cut = len(buffer)
                if b":row" in buffer:  # rows with a namespace prefix (<x:row>): rare, slower
                    count += len(_ROW.findall(buffer, 0, cut))
                else:
                    count += sum(buffer.count(tag, 0, cut) for tag in (b"<row ", b"<row>", b"<row/>"))
                carry = buffer[cut:]
                if count > limit:
                    raise too_many_rows(limit)
    except KeyError:
        return
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        raise _damaged() from None


def too_many_rows(limit: int) -> UploadRefused:
    return UploadRefused(
        _(
            "The sheet has more than %(max)s rows. Split it into smaller files (for example one per "
            "unit) and import them one by one."
        )
        % {"max": f"{limit:,}".replace(",", ".")},
        code="rows",
    )


# -- pictures -------------------------------------------------------------------------------------


def _check_image(fh: BinaryIO, found: str) -> None:
    from PIL import Image

    max_pixels = settings.UPLOAD_MAX_IMAGE_PIXELS
    fh.seek(0)
    bad = UploadRefused(_("The file is not a valid picture."), code="damaged")
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            with Image.open(fh) as image:
                width, height = image.size
                if width * height > max_pixels:
                    raise _pixels(width, height, max_pixels)
                image.verify()
                if image.format not in IMAGE_FORMATS[found]:
                    raise bad
        except UploadRefused:
            raise
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
            found = re.search(r"\((\d+) pixels\)", str(exc))
            raise _pixels(int(found.group(1)) if found else 0, 1, max_pixels) from None
        except Exception:  # Pillow raises many kinds for a damaged or fake picture
            raise bad from None


def _pixels(width: int, height: int, max_pixels: int) -> UploadRefused:
    return UploadRefused(
        _("The picture is too large (%(pixels)s megapixels; at most %(max)s).")
        % {"pixels": (width * height) // 1_000_000 if width else "?", "max": max_pixels // 1_000_000},
        code="pixels",
    )
