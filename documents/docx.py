"""Build a .docx in the layout of Decree 30/2020/NĐ-CP from an `OfficialDoc`.

A4, margins 20/20/30/15 mm, Times New Roman everywhere (also for East-Asian and complex
scripts, so Word never substitutes a font for Vietnamese letters), header and footer as
borderless two-column tables."""

from io import BytesIO

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from documents.official import MOTTO, NATION, RECIPIENTS_LABEL, Block, OfficialDoc

FONT = "Times New Roman"
BODY_PT = 14
PAGE_W, PAGE_H = Mm(210), Mm(297)
TOP, BOTTOM, LEFT, RIGHT = Mm(20), Mm(20), Mm(30), Mm(15)
TEXT_W = PAGE_W - LEFT - RIGHT  # 165 mm
HEADER_LEFT_W, HEADER_RIGHT_W = Mm(68), TEXT_W - Mm(68)
FOOTER_LEFT_W, FOOTER_RIGHT_W = Mm(85), TEXT_W - Mm(85)


def build_docx(doc: OfficialDoc) -> bytes:
    """The paper as .docx bytes."""
    document = Document()
    _setup_page(document)
    _setup_styles(document)
    # The default template starts with one empty paragraph; the header table goes before it.
    _header(document, doc)
    _title(document, doc)
    for block in doc.blocks:
        _block(document, block)
    _footer(document, doc)
    out = BytesIO()
    document.save(out)
    return out.getvalue()


# -- page and fonts ------------------------------------------------------------------------


def _setup_page(document) -> None:
    section = document.sections[0]
    section.page_width, section.page_height = PAGE_W, PAGE_H
    section.top_margin, section.bottom_margin = TOP, BOTTOM
    section.left_margin, section.right_margin = LEFT, RIGHT


def _set_rfonts(rpr) -> None:
    """Name Times New Roman for every script slot of a run or style."""
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attr), FONT)
    for theme_attr in ("w:asciiTheme", "w:hAnsiTheme", "w:cstheme", "w:eastAsiaTheme"):
        fonts.attrib.pop(qn(theme_attr), None)


def _setup_styles(document) -> None:
    for name in ("Normal", "Table Grid"):
        try:
            style = document.styles[name]
        except KeyError:
            continue
        style.font.name = FONT
        style.font.size = Pt(BODY_PT)
        _set_rfonts(style.element.get_or_add_rPr())
    # The document defaults too, for text outside any style.
    defaults = document.styles.element.find(qn("w:docDefaults"))
    if defaults is not None:
        rpr_default = defaults.find(qn("w:rPrDefault"))
        if rpr_default is not None:
            rpr = rpr_default.find(qn("w:rPr"))
            if rpr is not None:
                _set_rfonts(rpr)


def _run(paragraph, text: str, *, size: float = BODY_PT, bold=False, italic=False):
    run = paragraph.add_run(text)
    run.font.name = FONT
    run.font.size = Pt(size)
    run.bold = bold
    run.italic = italic
    _set_rfonts(run._element.get_or_add_rPr())
    return run


def _para(
    container,
    text: str = "",
    *,
    align=WD_ALIGN_PARAGRAPH.CENTER,
    size: float = BODY_PT,
    bold=False,
    italic=False,
    before: float = 0,
    after: float = 0,
):
    paragraph = container.add_paragraph()
    paragraph.alignment = align
    fmt = paragraph.paragraph_format
    fmt.space_before, fmt.space_after = Pt(before), Pt(after)
    fmt.line_spacing = 1.0
    if text:
        _run(paragraph, text, size=size, bold=bold, italic=italic)
    return paragraph


def _short_line(container, *, width, length) -> None:
    """A centred rule of `length` under the line above: a bottom border on an empty paragraph
    indented so that the border is only as long as wanted."""
    paragraph = _para(container, size=2)
    side = max((width - length) // 2, 0)
    paragraph.paragraph_format.left_indent = side
    paragraph.paragraph_format.right_indent = side
    ppr = paragraph._p.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    bottom.set(qn("w:val"), "single")
    bottom.set(qn("w:sz"), "6")
    bottom.set(qn("w:space"), "1")
    bottom.set(qn("w:color"), "000000")
    borders.append(bottom)
    # Word rejects pPr children out of the schema's order: pBdr comes before spacing and jc.
    ppr.insert_element_before(
        borders,
        "w:shd",
        "w:tabs",
        "w:suppressAutoHyphens",
        "w:kinsoku",
        "w:wordWrap",
        "w:overflowPunct",
        "w:topLinePunct",
        "w:autoSpaceDE",
        "w:autoSpaceDN",
        "w:bidi",
        "w:adjustRightInd",
        "w:snapToGrid",
        "w:spacing",
        "w:ind",
        "w:contextualSpacing",
        "w:mirrorIndents",
        "w:suppressOverlap",
        "w:jc",
        "w:textDirection",
        "w:textAlignment",
        "w:textboxTightWrap",
        "w:outlineLvl",
        "w:divId",
        "w:cnfStyle",
        "w:rPr",
        "w:sectPr",
        "w:pPrChange",
    )
    # Shrink the empty run-less paragraph mark to the tiny size too.
    rpr = OxmlElement("w:rPr")
    sz = OxmlElement("w:sz")
    sz.set(qn("w:val"), "4")
    rpr.append(sz)
    ppr.append(rpr)


def _borderless_table(document, widths):
    table = document.add_table(rows=1, cols=len(widths))
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    tbl_pr = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        el = OxmlElement(f"w:{edge}")
        el.set(qn("w:val"), "nil")
        borders.append(el)
    tbl_pr.insert_element_before(borders, "w:shd", "w:tblLayout", "w:tblCellMar", "w:tblLook", "w:tblCaption")
    for column, width in zip(table.columns, widths, strict=True):
        column.width = width  # the grid LibreOffice lays out by
    for cell, width in zip(table.rows[0].cells, widths, strict=True):
        cell.width = width
        # A new cell holds one empty paragraph; drop it so the content starts at the top.
        for p in list(cell.paragraphs):
            p._p.getparent().remove(p._p)
    return table


# -- parts ---------------------------------------------------------------------------------


def _header(document, doc: OfficialDoc) -> None:
    table = _borderless_table(document, [HEADER_LEFT_W, HEADER_RIGHT_W])
    left, right = table.rows[0].cells
    _para(left, doc.parent_body, size=13)
    _para(left, doc.issuing_body, size=13, bold=True)
    _short_line(left, width=HEADER_LEFT_W, length=Mm(25))
    _para(left, doc.number, size=13, before=4)
    _para(right, NATION, size=12, bold=True)
    _para(right, MOTTO, size=13, bold=True)
    _short_line(right, width=HEADER_RIGHT_W, length=Mm(55))
    _para(right, doc.place_date, size=14, italic=True, before=4)
    # Move the table to the top, before the template's empty first paragraph.
    body = document.element.body
    body.remove(table._tbl)
    body.insert(0, table._tbl)


def _title(document, doc: OfficialDoc) -> None:
    _para(document, doc.kind, size=14, bold=True, before=12)
    if doc.title:
        for line in doc.title.split("\n"):
            _para(document, line, size=14, bold=True)
    _short_line(document, width=TEXT_W, length=Mm(30))
    _para(document, size=6)


def _block(document, block: Block) -> None:
    if block.kind == "table":
        _data_table(document, block.rows)
        return
    text = f"- {block.text}" if block.kind == "item" else block.text
    bold = block.bold or block.kind == "heading"
    for line in text.split("\n"):
        paragraph = _para(
            document, line, align=WD_ALIGN_PARAGRAPH.JUSTIFY, bold=bold, italic=block.italic, after=6
        )
        paragraph.paragraph_format.first_line_indent = Mm(10)
        paragraph.paragraph_format.line_spacing = 1.15


def _data_table(document, rows: list[list[str]]) -> None:
    if not rows:
        return
    table = document.add_table(rows=0, cols=len(rows[0]))
    table.style = document.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for i, row in enumerate(rows):
        cells = table.add_row().cells
        for cell, value in zip(cells, row, strict=False):
            cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER if i == 0 else WD_ALIGN_PARAGRAPH.LEFT
            _run(cell.paragraphs[0], str(value), size=12, bold=i == 0)
    _para(document, size=6)


def _footer(document, doc: OfficialDoc) -> None:
    _para(document, size=6)
    table = _borderless_table(document, [FOOTER_LEFT_W, FOOTER_RIGHT_W])
    left, right = table.rows[0].cells
    left_align = WD_ALIGN_PARAGRAPH.LEFT
    if doc.recipients:
        _para(left, RECIPIENTS_LABEL, align=left_align, size=12, bold=True, italic=True)
        for line in doc.recipients:
            _para(left, line, align=left_align, size=11)
    else:
        _para(left, size=11)
    signer = doc.signer
    if signer.authority:
        _para(right, signer.authority, size=14, bold=True)
    if signer.title:
        _para(right, signer.title, size=14, bold=True)
    for _ in range(4):  # room for the signature and the seal
        _para(right, size=14)
    _para(right, signer.name, size=14, bold=True)
