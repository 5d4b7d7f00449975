"""Build a PDF of an `OfficialDoc` with ReportLab, in the same Decree 30 layout as the .docx.

The font is a TrueType serif with all the Vietnamese letters, embedded in the file: Liberation
Serif 2 (metric-compatible with Times New Roman), else DejaVu Serif. Liberation 1.x is skipped:
it lacks ơ, ư and the stacked tone marks."""

from io import BytesIO
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import HRFlowable, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from documents.official import MOTTO, NATION, RECIPIENTS_LABEL, Block, OfficialDoc

FAMILY = "OfficialSerif"
FONT_CANDIDATES = [
    (
        "/usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf",
        "/usr/share/fonts/truetype/liberation2/LiberationSerif-Bold.ttf",
        "/usr/share/fonts/truetype/liberation2/LiberationSerif-Italic.ttf",
        "/usr/share/fonts/truetype/liberation2/LiberationSerif-BoldItalic.ttf",
    ),
    (
        "/usr/share/fonts/truetype/liberation/LiberationSerif-Regular.ttf",
        "/usr/share/fonts/truetype/liberation/LiberationSerif-Bold.ttf",
        "/usr/share/fonts/truetype/liberation/LiberationSerif-Italic.ttf",
        "/usr/share/fonts/truetype/liberation/LiberationSerif-BoldItalic.ttf",
    ),
    (
        "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf",
        "/usr/share/fonts/truetype/dejavu/DejaVuSerif-Bold.ttf",
        "/usr/share/fonts/truetype/dejavu/DejaVuSerif-Italic.ttf",
        "/usr/share/fonts/truetype/dejavu/DejaVuSerif-BoldItalic.ttf",
    ),
]
TOP, BOTTOM, LEFT, RIGHT = 20 * mm, 20 * mm, 30 * mm, 15 * mm
TEXT_W = A4[0] - LEFT - RIGHT
HEADER_W = (68 * mm, TEXT_W - 68 * mm)
FOOTER_W = (85 * mm, TEXT_W - 85 * mm)


class FontMissing(RuntimeError):
    pass


VIETNAMESE_PROBE = "ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹĂÂĐÊÔƠƯỘỮ"


def has_vietnamese(font: TTFont) -> bool:
    """Whether the font draws every Vietnamese letter (not only the Latin-1 ones)."""
    cmap = font.face.charToGlyph
    return all(ord(ch) in cmap for ch in VIETNAMESE_PROBE)


def register_fonts() -> str:
    """Register the serif family once; returns its name."""
    if FAMILY in pdfmetrics.getRegisteredFontNames():
        return FAMILY
    for files in FONT_CANDIDATES:
        if all(Path(f).exists() for f in files):
            fonts = [TTFont(f"{FAMILY}-probe-{i}", path) for i, path in enumerate(files)]
            if not all(has_vietnamese(font) for font in fonts):
                continue  # Liberation 1.x lacks ơ, ư, ộ…: they would print as empty boxes
            names = [FAMILY, f"{FAMILY}-Bold", f"{FAMILY}-Italic", f"{FAMILY}-BoldItalic"]
            for name, path in zip(names, files, strict=True):
                pdfmetrics.registerFont(TTFont(name, path))
            pdfmetrics.registerFontFamily(
                FAMILY, normal=names[0], bold=names[1], italic=names[2], boldItalic=names[3]
            )
            return FAMILY
    raise FontMissing(
        "No serif TrueType font with all Vietnamese letters (install fonts-liberation2 or fonts-dejavu-core)."
    )


def para_style(
    name: str, *, size: float = 14, align=TA_CENTER, bold=False, italic=False, **extra
) -> ParagraphStyle:
    font = FAMILY + ("-BoldItalic" if bold and italic else "-Bold" if bold else "-Italic" if italic else "")
    extra.setdefault("leading", size * 1.2)
    return ParagraphStyle(name, fontName=font, fontSize=size, alignment=align, **extra)


def paragraph(text: str, style: ParagraphStyle) -> Paragraph:
    return Paragraph(escape(text).replace("\n", "<br/>"), style)


def rule_line(length: float) -> HRFlowable:
    return HRFlowable(
        width=length, thickness=0.6, color=colors.black, hAlign="CENTER", spaceBefore=1, spaceAfter=3
    )


def build_pdf(doc: OfficialDoc) -> bytes:
    """The paper as PDF bytes, its font embedded."""
    register_fonts()
    out = BytesIO()
    template = SimpleDocTemplate(
        out,
        pagesize=A4,
        topMargin=TOP,
        bottomMargin=BOTTOM,
        leftMargin=LEFT,
        rightMargin=RIGHT,
        title=f"{doc.kind} {doc.title}".strip(),
        author=doc.issuing_body,
    )
    story = [official_header(doc), Spacer(1, 8 * mm)]
    story.append(paragraph(doc.kind, para_style("kind", bold=True)))
    if doc.title:
        story.append(paragraph(doc.title, para_style("title", bold=True)))
    story += [rule_line(30 * mm), Spacer(1, 4 * mm)]
    body = para_style("body", align=TA_JUSTIFY, firstLineIndent=10 * mm, spaceAfter=5, leading=14 * 1.3)
    heading = para_style(
        "heading", align=TA_JUSTIFY, bold=True, firstLineIndent=10 * mm, spaceAfter=5, leading=14 * 1.3
    )
    for block in doc.blocks:
        story += _block(block, body, heading)
    story += [Spacer(1, 4 * mm), official_footer(doc)]
    template.build(story)
    return out.getvalue()


def official_header(doc: OfficialDoc) -> Table:
    left = [
        paragraph(doc.parent_body, para_style("parent", size=13)),
        paragraph(doc.issuing_body, para_style("issuer", size=13, bold=True)),
        rule_line(25 * mm),
        paragraph(doc.number, para_style("number", size=13)),
    ]
    right = [
        paragraph(NATION, para_style("nation", size=12, bold=True)),
        paragraph(MOTTO, para_style("motto", size=13, bold=True)),
        rule_line(55 * mm),
        paragraph(doc.place_date, para_style("date", size=14, italic=True)),
    ]
    return _two_columns(left, right, HEADER_W)


def _two_columns(left: list, right: list, widths) -> Table:
    """The borderless two-column band an official letter opens (issuer | motto) and closes
    (recipients | signature) with: top-aligned, flush with the margins."""
    table = Table([[left, right]], colWidths=widths)
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
            ]
        )
    )
    return table


def _block(block: Block, body: ParagraphStyle, heading: ParagraphStyle) -> list:
    if block.kind == "table":
        return [_data_table(block.rows), Spacer(1, 3 * mm)] if block.rows else []
    if block.kind == "heading" or block.bold:
        return [paragraph(block.text, heading)]
    text = f"- {block.text}" if block.kind == "item" else block.text
    style = (
        para_style(
            "italic", align=TA_JUSTIFY, italic=True, firstLineIndent=10 * mm, spaceAfter=5, leading=14 * 1.3
        )
        if block.italic
        else body
    )
    return [paragraph(text, style)]


def _data_table(rows: list[list[str]]) -> Table:
    head = para_style("th", size=12, bold=True)
    cell = para_style("td", size=12, align=TA_LEFT)
    data = [[paragraph(str(v), head if i == 0 else cell) for v in row] for i, row in enumerate(rows)]
    table = Table(data, repeatRows=1)
    table.setStyle(
        TableStyle([("GRID", (0, 0), (-1, -1), 0.5, colors.black), ("VALIGN", (0, 0), (-1, -1), "MIDDLE")])
    )
    return table


def official_footer(doc: OfficialDoc) -> Table:
    left = []
    if doc.recipients:
        left.append(
            paragraph(RECIPIENTS_LABEL, para_style("to", size=12, align=TA_LEFT, bold=True, italic=True))
        )
        left += [paragraph(line, para_style("to-line", size=11, align=TA_LEFT)) for line in doc.recipients]
    signer = doc.signer
    sign = para_style("sign", size=14, bold=True)
    right = [paragraph(t, sign) for t in (signer.authority, signer.title) if t]
    right += [Spacer(1, 22 * mm), paragraph(signer.name, sign)]
    return _two_columns(left, right, FOOTER_W)
