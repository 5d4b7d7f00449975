"""Test plans built as real files: one plan of the Công đoàn Viên chức tỉnh as a Word document with
heading styles, list styles and tables (as officers write them), and the same plan as a PDF made
with reportlab (so it has a text layer); a scan-like PDF with only an image; a .docx that is a zip
of something else."""

from __future__ import annotations

import io
import re
import zipfile

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH

from documents.official import Block, OfficialDoc, Signer

PARENT = "LĐLĐ TỈNH QUẢNG TRỊ"
ISSUER = "CÔNG ĐOÀN VIÊN CHỨC TỈNH"
NUMBER = "Số: 07/KH-CĐVC"
PLACE_DATE = "Quảng Trị, ngày 18 tháng 02 năm 2025"
TITLE = "Tổ chức phong trào thi đua trong cán bộ, công chức, viên chức, lao động năm 2025"
OPENING = (
    "Thực hiện Kế hoạch số 45/KH-LĐLĐ ngày 10/02/2025 của Liên đoàn Lao động tỉnh Quảng Trị, Ban Thường vụ "
    "Công đoàn Viên chức tỉnh xây dựng kế hoạch tổ chức phong trào thi đua năm 2025 như sau:"
)
PURPOSES = [
    "Động viên cán bộ, công chức, viên chức, lao động thi đua hoàn thành xuất sắc nhiệm vụ được giao.",
    "Kịp thời phát hiện, biểu dương các tập thể, cá nhân tiêu biểu trong phong trào thi đua.",
]
THEME = "Kỷ cương, trách nhiệm, hành động, sáng tạo, hiệu quả"
CONTENTS = [
    (
        "2.1",
        "Đẩy mạnh phong trào thi đua “Cán bộ, công chức, viên chức thi đua thực hiện văn hóa công sở” "
        "gắn với cải cách hành chính.",
    ),
    ("2.2", "Hưởng ứng phong trào “Đổi mới, sáng tạo trong hoạt động công đoàn” ở các công đoàn cơ sở."),
]
PHASES = [
    ("Đợt 1", "Từ ngày 18/02/2025 đến 30/6/2025", "Phát động, đăng ký thi đua và ký kết giao ước."),
    ("Đợt 2", "Từ 01/7 đến 31/12/2025", "Thi đua hoàn thành toàn diện nhiệm vụ năm 2025."),
]
DUTIES = [
    (
        "1. Ban Thường vụ Công đoàn Viên chức tỉnh",
        [
            "Hướng dẫn các công đoàn cơ sở tổ chức phong trào thi đua.",
            "Sơ kết, tổng kết và đề nghị khen thưởng.",
        ],
    ),
    (
        "2. Công đoàn cơ sở trực thuộc",
        [
            "Mỗi công đoàn cơ sở xây dựng ít nhất 01 mô hình điểm về văn hóa công sở.",
            "Báo cáo kết quả về Công đoàn Viên chức tỉnh trước ngày 15/12/2025.",
        ],
    ),
]
RECIPIENTS = ["- LĐLĐ tỉnh (b/c);", "- Các công đoàn cơ sở trực thuộc;", "- Lưu: VT."]
SIGNER = ("TM. BAN THƯỜNG VỤ", "CHỦ TỊCH", "Hoàng Văn Minh")

EXPECTED = {
    "issuer": "Công đoàn Viên chức tỉnh Quảng Trị",
    "number": "07/KH-CĐVC",
    "place": "Quảng Trị",
    "date": "2025-02-18",
    "title": TITLE,
    "year": 2025,
    "purposes": PURPOSES,
    "theme": THEME,
    "contents": [{"number": n, "text": t} for n, t in CONTENTS],
    "movements": [
        "Cán bộ, công chức, viên chức thi đua thực hiện văn hóa công sở",
        "Đổi mới, sáng tạo trong hoạt động công đoàn",
    ],
    "phases": [
        {
            "name": "Đợt 1",
            "start": "2025-02-18",
            "end": "2025-06-30",
            "purpose": "Phát động, đăng ký thi đua và ký kết giao ước.",
        },
        {
            "name": "Đợt 2",
            "start": "2025-07-01",
            "end": "2025-12-31",
            "purpose": "Thi đua hoàn thành toàn diện nhiệm vụ năm 2025.",
        },
    ],
    "duties": [
        {"level": "Ban Thường vụ Công đoàn Viên chức tỉnh", "items": DUTIES[0][1]},
        {"level": "Công đoàn cơ sở trực thuộc", "items": DUTIES[1][1]},
    ],
    "targets": [{"text": "ít nhất 01 mô hình điểm", "count": 1, "level": "Công đoàn cơ sở trực thuộc"}],
    "recipients": ["LĐLĐ tỉnh (b/c)", "Các công đoàn cơ sở trực thuộc", "Lưu: VT"],
    "signer": {"authority": SIGNER[0], "title": SIGNER[1], "name": SIGNER[2]},
}


def official_doc() -> OfficialDoc:
    """The plan as the app's paper builders take it (Decree 30 layout, numbered headings)."""
    blocks = [Block("paragraph", OPENING), Block("heading", "I. MỤC ĐÍCH, YÊU CẦU")]
    blocks += [Block("item", p) for p in PURPOSES]
    blocks += [
        Block("heading", "II. NỘI DUNG THI ĐUA"),
        Block("paragraph", "1. Chủ đề thi đua:", bold=True),
        Block("paragraph", f"“{THEME}”.", bold=True, italic=True),
        Block("paragraph", "2. Nội dung thi đua:", bold=True),
    ]
    blocks += [Block("paragraph", f"{n}. {t}") for n, t in CONTENTS]
    blocks.append(Block("heading", "III. THỜI GIAN VÀ CÁC ĐỢT THI ĐUA"))
    blocks.append(Block("table", rows=[["Đợt", "Thời gian", "Nội dung"], *[list(p) for p in PHASES]]))
    blocks.append(Block("heading", "IV. TỔ CHỨC THỰC HIỆN"))
    for level, items in DUTIES:
        blocks.append(Block("paragraph", level, bold=True))
        blocks += [Block("item", i) for i in items]
    return OfficialDoc(
        parent_body=PARENT,
        issuing_body=ISSUER,
        number=NUMBER,
        place_date=PLACE_DATE,
        kind="KẾ HOẠCH",
        title=TITLE,
        blocks=blocks,
        recipients=RECIPIENTS,
        signer=Signer(*SIGNER),
    )


def plan_docx() -> bytes:
    """The plan as an officer's Word file: header and signature in borderless tables, section
    titles in "Heading 1" without their numerals (Word numbers them), "Heading 2" sub-titles,
    bullet lists in "List Bullet" (no dash in the text), the phases as a table."""
    doc = Document()
    header = doc.add_table(rows=1, cols=2)
    left, right = header.rows[0].cells
    left.paragraphs[0].text = PARENT
    left.add_paragraph(ISSUER)
    left.add_paragraph(NUMBER)
    right.paragraphs[0].text = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    right.add_paragraph("Độc lập - Tự do - Hạnh phúc")
    right.add_paragraph(PLACE_DATE)
    for text in ("KẾ HOẠCH", TITLE):
        doc.add_paragraph(text).alignment = WD_ALIGN_PARAGRAPH.CENTER
    doc.add_paragraph(OPENING).alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    for block in official_doc().blocks[1:]:
        if block.kind == "heading":
            doc.add_heading(re.sub(r"^[IVX]+\.\s*", "", block.text), level=1)
        elif block.kind == "item":
            doc.add_paragraph(block.text, style="List Bullet")
        elif block.kind == "table":
            table = doc.add_table(rows=0, cols=3)
            table.style = doc.styles["Table Grid"]
            for row in block.rows:
                cells = table.add_row().cells
                for cell, value in zip(cells, row, strict=True):
                    cell.text = value
        elif block.bold and re.match(r"^\d+\. ", block.text) and not block.italic:
            doc.add_heading(block.text.rstrip(":"), level=2)
        else:
            doc.add_paragraph(block.text).alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    footer = doc.add_table(rows=1, cols=2)
    left, right = footer.rows[0].cells
    left.paragraphs[0].text = "Nơi nhận:"
    for line in RECIPIENTS:
        left.add_paragraph(line)
    right.paragraphs[0].text = SIGNER[0]
    right.add_paragraph(SIGNER[1])
    right.add_paragraph("")
    right.add_paragraph(SIGNER[2])
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


# A serif with every Vietnamese letter, as the fonts of a PDF saved from Word have. Not Liberation
# Serif: its 1.07 files (truetype/liberation/) lack "Ả", "Ộ", "Ữ"… (reportlab then draws boxes and
# writes a text layer with holes), and reportlab keeps the first face it loaded under a PostScript
# name, so a sample font named "LiberationSerif" would share whichever Liberation the app's PDF
# builder loaded first in the same test run. DejaVu Serif has its own name; Liberation 2 is the
# fallback.
SERIF_FILES = [
    tuple(f"/usr/share/fonts/truetype/dejavu/DejaVuSerif{s}.ttf" for s in ("", "-Bold", "-Italic")),
    tuple(
        f"/usr/share/fonts/truetype/liberation2/LiberationSerif-{s}.ttf"
        for s in ("Regular", "Bold", "Italic")
    ),
]
SAMPLE_FONT = "PlanSampleSerif"


def _register_sample_font() -> str:
    from pathlib import Path

    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    if SAMPLE_FONT in pdfmetrics.getRegisteredFontNames():
        return SAMPLE_FONT
    for files in SERIF_FILES:
        if all(Path(f).exists() for f in files):
            names = [SAMPLE_FONT, f"{SAMPLE_FONT}-Bold", f"{SAMPLE_FONT}-Italic"]
            for name, path in zip(names, files, strict=True):
                pdfmetrics.registerFont(TTFont(name, path))
            pdfmetrics.registerFontFamily(SAMPLE_FONT, normal=names[0], bold=names[1], italic=names[2])
            return SAMPLE_FONT
    raise RuntimeError("no serif font with the Vietnamese letters (install fonts-dejavu-core)")


def plan_pdf() -> bytes:
    """The same plan as a PDF with a text layer, in the Decree 30 layout of documents/pdf.py
    (header and signature as two-column tables, the phases as a ruled table), made with reportlab."""
    from xml.sax.saxutils import escape

    from reportlab.lib import colors
    from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    font = _register_sample_font()

    def style(name, align=TA_CENTER, bold=False, italic=False, size=13, indent=0):
        face = f"{font}-Bold" if bold else f"{font}-Italic" if italic else font
        return ParagraphStyle(
            name, fontName=face, fontSize=size, leading=size * 1.3, alignment=align, firstLineIndent=indent
        )

    def p(text, st):
        return Paragraph(escape(text), st)

    body = style("body", TA_JUSTIFY, indent=10 * mm, size=14)
    heading = style("heading", TA_JUSTIFY, bold=True, indent=10 * mm, size=14)
    paper = official_doc()
    left = [
        p(paper.parent_body, style("a")),
        p(paper.issuing_body, style("b", bold=True)),
        p(paper.number, style("c")),
    ]
    right = [
        p("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", style("d", bold=True, size=12)),
        p("Độc lập - Tự do - Hạnh phúc", style("e", bold=True)),
        p(paper.place_date, style("f", italic=True)),
    ]
    story = [Table([[left, right]], colWidths=(68 * mm, 97 * mm)), Spacer(1, 8 * mm)]
    story += [
        p(paper.kind, style("k", bold=True, size=14)),
        p(paper.title, style("t", bold=True, size=14)),
        Spacer(1, 4 * mm),
    ]
    for block in paper.blocks:
        if block.kind == "table":
            cell = style("cell", TA_LEFT, size=12)
            table = Table(
                [[p(v, cell) for v in row] for row in block.rows], colWidths=(25 * mm, 60 * mm, 80 * mm)
            )
            table.setStyle(
                TableStyle(
                    [("GRID", (0, 0), (-1, -1), 0.5, colors.black), ("VALIGN", (0, 0), (-1, -1), "TOP")]
                )
            )
            story += [table, Spacer(1, 3 * mm)]
        else:
            text = f"- {block.text}" if block.kind == "item" else block.text
            story.append(p(text, heading if block.kind == "heading" or block.bold else body))
    small = style("r", TA_LEFT, size=11)
    footer_left = [p("Nơi nhận:", style("n", TA_LEFT, bold=True, size=12))] + [
        p(r, small) for r in paper.recipients
    ]
    signer = paper.signer
    footer_right = [
        p(signer.authority, style("s1", bold=True, size=14)),
        p(signer.title, style("s2", bold=True, size=14)),
    ]
    footer_right += [Spacer(1, 18 * mm), p(signer.name, style("s3", bold=True, size=14))]
    footer = Table([[footer_left, footer_right]], colWidths=(85 * mm, 80 * mm))
    footer.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP")]))
    story += [Spacer(1, 4 * mm), footer]
    out = io.BytesIO()
    SimpleDocTemplate(
        out, pagesize=A4, topMargin=20 * mm, bottomMargin=20 * mm, leftMargin=30 * mm, rightMargin=15 * mm
    ).build(story)
    return out.getvalue()


def scanned_pdf() -> bytes:
    """A PDF holding one page image and no text, as a scanner makes it."""
    from PIL import Image, ImageDraw
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    image = Image.new("RGB", (600, 800), "white")
    draw = ImageDraw.Draw(image)
    for y in range(100, 700, 30):
        draw.line((60, y, 540, y), fill="black", width=3)
    out = io.BytesIO()
    page = canvas.Canvas(out, pagesize=A4)
    page.drawImage(ImageReader(image), 0, 0, width=A4[0], height=A4[1])
    page.showPage()
    page.save()
    return out.getvalue()


def zip_not_docx() -> bytes:
    """A zip archive named .docx that holds a spreadsheet export, not a Word document."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("danh-sach.csv", "Họ và tên,Số CCCD\nNguyễn Văn A,045090000001\n")
        archive.writestr("readme.txt", "Không phải tệp Word")
    return out.getvalue()
