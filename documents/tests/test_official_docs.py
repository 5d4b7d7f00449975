"""The Decree 30 builders, from plain data: .docx read back with python-docx, PDF bytes."""

import datetime
from io import BytesIO
from unittest import TestCase, mock

from docx import Document
from docx.oxml.ns import qn

from documents import pdf as pdf_module
from documents.docx import build_docx
from documents.official import Block, OfficialDoc, Signer, number_line, place_date
from documents.pdf import build_pdf


def sample() -> OfficialDoc:
    return OfficialDoc(
        parent_body="LĐLĐ TỈNH QUẢNG TRỊ",
        issuing_body="BAN THƯỜNG VỤ",
        number="Số: 15/KH-LĐLĐ",
        place_date="Quảng Trị, ngày 22 tháng 02 năm 2021",
        kind="KẾ HOẠCH",
        title="Tổ chức phong trào thi đua năm 2021",
        blocks=[
            Block("paragraph", "Lời mở đầu."),
            Block("heading", "I. MỤC ĐÍCH, YÊU CẦU"),
            Block("paragraph", "1. Động viên cán bộ."),
            Block("item", "Xây dựng kế hoạch."),
            Block("table", rows=[["STT", "Họ và tên"], ["1", "Nguyễn Thị Thu Hà"]]),
        ],
        recipients=["- Tổng LĐLĐ Việt Nam;", "- Lưu: VT."],
        signer=Signer("TM. BAN THƯỜNG VỤ", "PHÓ CHỦ TỊCH", "Nguyễn Thị Thu Hà"),
    )


class PlaceDateTests(TestCase):
    def test_it_pads_days_below_10_and_months_below_3(self):
        self.assertEqual(
            place_date("Quảng Trị", datetime.date(2021, 2, 22)), "Quảng Trị, ngày 22 tháng 02 năm 2021"
        )
        self.assertEqual(
            place_date("Đông Hà", datetime.date(2021, 7, 1)), "Đông Hà, ngày 01 tháng 7 năm 2021"
        )
        self.assertEqual(place_date("Huế", datetime.date(2021, 12, 5)), "Huế, ngày 05 tháng 12 năm 2021")

    def test_an_undated_paper_keeps_room_for_the_date(self):
        self.assertEqual(place_date("Quảng Trị", None), "Quảng Trị, ngày     tháng     năm     ")

    def test_number_line(self):
        self.assertEqual(number_line("15/KH-LĐLĐ"), "Số: 15/KH-LĐLĐ")
        self.assertEqual(number_line("", placeholder="/KH"), "Số:      /KH")


class DocxTests(TestCase):
    @classmethod
    def setUpClass(cls) -> None:
        super().setUpClass()
        cls.doc = Document(BytesIO(build_docx(sample())))

    def test_the_header_is_a_borderless_two_column_table(self):
        header = self.doc.tables[0]
        self.assertEqual(len(header.columns), 2)
        borders = header._tbl.tblPr.find(qn("w:tblBorders"))
        self.assertEqual({el.get(qn("w:val")) for el in borders}, {"nil"})
        left, right = header.rows[0].cells
        parent, issuer = left.paragraphs[0], left.paragraphs[1]
        self.assertEqual((parent.text, bool(parent.runs[0].bold)), ("LĐLĐ TỈNH QUẢNG TRỊ", False))
        self.assertEqual((issuer.text, issuer.runs[0].bold), ("BAN THƯỜNG VỤ", True))
        # The short rule under the issuing body is a bottom border on its own paragraph.
        self.assertIsNotNone(left.paragraphs[2]._p.pPr.find(qn("w:pBdr")))
        self.assertEqual(left.paragraphs[3].text, "Số: 15/KH-LĐLĐ")
        texts = [p.text for p in right.paragraphs]
        self.assertEqual(texts[0], "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")
        self.assertEqual(texts[1], "Độc lập - Tự do - Hạnh phúc")
        self.assertTrue(right.paragraphs[0].runs[0].bold and right.paragraphs[1].runs[0].bold)
        date = right.paragraphs[3]
        self.assertEqual((date.text, date.runs[0].italic), ("Quảng Trị, ngày 22 tháng 02 năm 2021", True))

    def test_the_header_comes_first_in_the_body(self):
        first = self.doc.element.body[0]
        self.assertEqual(first.tag, qn("w:tbl"))

    def test_kind_and_title_are_bold_and_centred(self):
        paragraphs = [p for p in self.doc.paragraphs if p.text]
        kind, title = paragraphs[0], paragraphs[1]
        self.assertEqual((kind.text, title.text), ("KẾ HOẠCH", "Tổ chức phong trào thi đua năm 2021"))
        for p in (kind, title):
            self.assertTrue(p.runs[0].bold)
            self.assertEqual(p.alignment, 1)  # centre

    def test_body_blocks_keep_their_order_and_form(self):
        texts = [p.text for p in self.doc.paragraphs if p.text][2:]
        self.assertEqual(
            texts, ["Lời mở đầu.", "I. MỤC ĐÍCH, YÊU CẦU", "1. Động viên cán bộ.", "- Xây dựng kế hoạch."]
        )
        heading = next(p for p in self.doc.paragraphs if p.text == "I. MỤC ĐÍCH, YÊU CẦU")
        self.assertTrue(heading.runs[0].bold)
        data = self.doc.tables[1]
        self.assertEqual([c.text for c in data.rows[1].cells], ["1", "Nguyễn Thị Thu Hà"])

    def test_recipients_and_signature_close_the_paper(self):
        footer = self.doc.tables[-1]
        left, right = footer.rows[0].cells
        label = left.paragraphs[0]
        self.assertEqual(label.text, "Nơi nhận:")
        self.assertTrue(label.runs[0].bold and label.runs[0].italic)
        self.assertEqual(left.paragraphs[1].runs[0].font.size.pt, 11)
        self.assertEqual(left.paragraphs[1].alignment, 0)  # left
        signed = [p.text for p in right.paragraphs if p.text]
        self.assertEqual(signed, ["TM. BAN THƯỜNG VỤ", "PHÓ CHỦ TỊCH", "Nguyễn Thị Thu Hà"])
        blank = [p for p in right.paragraphs if not p.text]
        self.assertGreaterEqual(len(blank), 3)  # room for the signature and seal

    def test_it_is_a4_with_decree_margins_in_times_new_roman(self):
        section = self.doc.sections[0]
        self.assertEqual(round(section.page_width.mm), 210)
        self.assertTrue(20 <= round(section.top_margin.mm) <= 25)
        self.assertTrue(20 <= round(section.bottom_margin.mm) <= 25)
        self.assertTrue(30 <= round(section.left_margin.mm) <= 35)
        self.assertTrue(15 <= round(section.right_margin.mm) <= 20)
        normal = self.doc.styles["Normal"]
        self.assertEqual(normal.font.name, "Times New Roman")
        self.assertTrue(13 <= normal.font.size.pt <= 14)
        fonts = normal.element.rPr.find(qn("w:rFonts"))
        self.assertEqual(fonts.get(qn("w:eastAsia")), "Times New Roman")
        self.assertEqual(fonts.get(qn("w:cs")), "Times New Roman")


class PdfTests(TestCase):
    def test_it_builds_a_pdf_with_an_embedded_serif_font(self):
        data = build_pdf(sample())
        self.assertTrue(data.startswith(b"%PDF"))
        self.assertTrue(data.rstrip().endswith(b"%%EOF"))
        self.assertIn(b"/FontFile2", data)  # TrueType, embedded (subset)
        self.assertTrue(b"+LiberationSerif" in data or b"+DejaVuSerif" in data)
        self.assertIn(b"Serif-Bold", data)  # the header and signature use the bold face

    def test_it_says_which_font_is_missing(self):
        with (
            mock.patch.object(pdf_module, "FONT_CANDIDATES", [("/nope.ttf",) * 4]),
            mock.patch.object(pdf_module.pdfmetrics, "getRegisteredFontNames", return_value=[]),
        ):
            with self.assertRaises(pdf_module.FontMissing):
                pdf_module.register_fonts()
