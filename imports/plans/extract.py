"""Text out of a plan file: Word (.docx, paragraphs and tables in document order), PDF with a
text layer (pypdfium2), plain text in any usual encoding. Every failure is a `PlanFileError`
with a message for the officer; nothing here touches the database."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import PurePath

from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from imports.plans.text import Block, Doc, normalise

MAX_FILE_BYTES = 50 * 1024 * 1024  # a Word or PDF plan is a few hundred kB; 50 MB is refused
MAX_TEXT_CHARS = 1_000_000  # ≈ 300 pages: longer is not one plan
# A .docx whose text part unpacks to more than this is refused before it is parsed (zip bombs).
MAX_DOCX_XML_BYTES = 100 * 1024 * 1024
EXTENSIONS = (".docx", ".pdf", ".txt")
_WORD_NS = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


class PlanFileError(Exception):
    """The file cannot be read as a plan; the message says why, for the officer."""


def check_size(size: int) -> None:
    """Refuse a file by its size, before anything reads it."""
    if size <= 0:
        raise PlanFileError(_("The file is empty."))
    if size >= MAX_FILE_BYTES:
        raise PlanFileError(
            _("The file is too large (%(size)s or more); a plan file is much smaller.")
            % {"size": filesizeformat(MAX_FILE_BYTES)}
        )


def _kind(data: bytes, name: str) -> str:
    suffix = PurePath(name or "").suffix.lower()
    if data.startswith(b"%PDF-") or (suffix == ".pdf" and b"%PDF-" in data[:1024]):
        return "pdf"
    if data.startswith(b"PK\x03\x04"):
        return "docx"
    if data.startswith(b"\xd0\xcf\x11\xe0"):  # the old binary Word format (.doc)
        raise PlanFileError(_("This is an old Word file (.doc). Open it in Word and save it as .docx."))
    if suffix in (".docx", ".pdf"):
        raise PlanFileError(
            _("The file is named %(suffix)s but is not one: it could not be read.") % {"suffix": suffix}
        )
    if suffix and suffix not in EXTENSIONS:
        raise PlanFileError(_("Use a Word (.docx), PDF (.pdf) or text (.txt) file."))
    return "txt"


def extract(data: bytes, name: str = "") -> Doc:
    """The normalised text of a plan file."""
    check_size(len(data))
    kind = _kind(data, name)
    if kind == "pdf":
        blocks = _pdf_blocks(data)
    elif kind == "docx":
        blocks = _docx_blocks(data)
    else:
        blocks = [Block(decode_text(data))]
    return _finish(blocks, kind)


def extract_text(text: str) -> Doc:
    """The normalised form of pasted text."""
    if not (text or "").strip():
        raise PlanFileError(_("The text is empty."))
    return _finish([Block(text)], "paste")


def _finish(blocks: list[Block], kind: str) -> Doc:
    if sum(len(b.text) for b in blocks) > MAX_TEXT_CHARS:
        raise PlanFileError(_("The text is too long to be one plan (over 300 pages)."))
    doc = normalise(blocks, kind=kind)
    if not doc.text.strip():
        if kind == "pdf":
            raise PlanFileError(
                _(
                    "This PDF has no text layer (it is probably a scan). Upload the Word file, "
                    "or a PDF saved from Word."
                )
            )
        raise PlanFileError(_("The file holds no text."))
    return doc


def decode_text(data: bytes) -> str:
    """Bytes of a text file as str: UTF-8 (with or without BOM), UTF-16, else the best guess."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            pass
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = None
    if text is None:
        from charset_normalizer import from_bytes

        best = from_bytes(data[:2_000_000]).best()
        if best is None:
            raise PlanFileError(_("This is not a text file."))
        text = data.decode(best.encoding, errors="replace")
    if "\x00" in text or _binary_share(text) > 0.05:
        raise PlanFileError(_("This is not a text file."))
    return text


def _binary_share(text: str) -> float:
    sample = text[:20000]
    if not sample:
        return 0.0
    bad = sum(1 for c in sample if (ord(c) < 32 and c not in "\n\r\t\f") or c == "\ufffd")
    return bad / len(sample)


# -- PDF -------------------------------------------------------------------------------------


def _pdf_blocks(data: bytes) -> list[Block]:
    import pypdfium2 as pdfium

    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        if "password" in str(exc).lower():
            raise PlanFileError(_("This PDF is protected by a password; upload an unprotected copy."))
        raise PlanFileError(_("This PDF could not be read; it may be damaged."))
    pages = []
    try:
        for index in range(len(pdf)):
            page = pdf[index]
            textpage = page.get_textpage()
            try:
                pages.append(textpage.get_text_range())
            finally:
                textpage.close()
                page.close()
    except pdfium.PdfiumError:
        raise PlanFileError(_("This PDF could not be read; it may be damaged."))
    finally:
        pdf.close()
    return [Block("\n".join(pages))]


# -- Word ------------------------------------------------------------------------------------


def _docx_blocks(data: bytes) -> list[Block]:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        names = {i.filename: i for i in archive.infolist()}
    except (zipfile.BadZipFile, OSError, ValueError):
        raise PlanFileError(_("This .docx file could not be read; it may be damaged."))
    main = names.get("word/document.xml")
    if main is None or "[Content_Types].xml" not in names:
        raise PlanFileError(
            _("This file is a zip archive but not a Word document. Upload the plan as .docx, .pdf or .txt.")
        )
    if sum(i.file_size for n, i in names.items() if n.startswith("word/")) > MAX_DOCX_XML_BYTES:
        raise PlanFileError(_("The Word document is too large to be one plan."))
    try:
        import docx

        document = docx.Document(io.BytesIO(data))
        # Style names by id, read once: python-docx resolves `paragraph.style` by scanning every
        # style of the document for each paragraph, which is most of the time on a long plan.
        styles = {s.style_id: s.name or "" for s in document.styles}
        blocks: list[Block] = []
        _docx_container(document, blocks, styles)
    except PlanFileError:
        raise
    except Exception:  # python-docx raises many kinds (KeyError, ValueError, lxml errors)
        raise PlanFileError(_("This .docx file could not be read; it may be damaged."))
    return blocks


def _docx_container(container, blocks: list[Block], styles: dict[str, str]) -> None:
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    for item in container.iter_inner_content():
        if isinstance(item, Paragraph):
            block = _docx_paragraph(item, styles)
            if block is not None:
                blocks.append(block)
        elif isinstance(item, Table):
            _docx_table(item, blocks, styles)


def _docx_paragraph(paragraph, styles: dict[str, str]) -> Block | None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    text = paragraph.text
    if not text.strip():
        return None
    ppr = paragraph._p.pPr
    style_id = ppr.pStyle.val if ppr is not None and ppr.pStyle is not None else None
    style = styles.get(style_id, style_id or "")
    heading = 0
    m = re.match(r"^(?:Heading|Tiêu đề)\s*(\d)$", style or "", re.IGNORECASE)
    if m:
        heading = int(m.group(1))
    elif (style or "").lower() == "title":
        heading = 0
    list_kind, list_level = "", 0
    num_pr = ppr.find(f"{_WORD_NS}numPr") if ppr is not None else None
    if (style or "").lower().startswith("list number"):
        list_kind = "number"
    elif (style or "").lower().startswith(("list bullet", "list paragraph")) or num_pr is not None:
        list_kind = "bullet"
    if num_pr is not None:
        ilvl = num_pr.find(f"{_WORD_NS}ilvl")
        if ilvl is not None:
            try:
                list_level = int(ilvl.get(f"{_WORD_NS}val", "0"))
            except ValueError:
                list_level = 0
    try:
        centered = paragraph.alignment == WD_ALIGN_PARAGRAPH.CENTER
    except ValueError:
        centered = False
    return Block(
        text, hard=True, heading=heading, list_kind=list_kind, list_level=list_level, centered=centered
    )


def _docx_table(table, blocks: list[Block], styles: dict[str, str]) -> None:
    """A row of one-line cells becomes one line ("Đợt 1 | Từ … | Nội dung"); cells holding
    several paragraphs (the header and signature tables) give their paragraphs in order."""
    for row in table.rows:
        cells, seen = [], set()
        for cell in row.cells:
            if id(cell._tc) in seen:  # a merged cell is listed once per column it spans
                continue
            seen.add(id(cell._tc))
            cells.append(cell)
        texts = [c.text.strip() for c in cells]
        simple = all(len([p for p in c.paragraphs if p.text.strip()]) <= 1 for c in cells) and not any(
            c.tables for c in cells
        )
        filled = [t for t in texts if t]
        if simple and len(filled) >= 2:
            blocks.append(Block(" | ".join(filled), hard=True))
            continue
        for cell in cells:
            _docx_container(cell, blocks, styles)
