"""Plan files: a Word document with heading styles and tables, the same plan as a PDF with a text
layer, a plan exported by the app itself, and every kind of bad file."""

import io
from pathlib import Path

from django.test import SimpleTestCase
from django.utils import translation

from campaigns.papers import plan_paper
from campaigns.tests.factories_plans import make_plan
from documents import pdf as official_pdf
from documents.docx import build_docx
from documents.pdf import build_pdf
from imports.plans.extract import MAX_FILE_BYTES, PlanFileError, check_size, extract
from imports.plans.parser import parse
from imports.plans.services import plan_read
from imports.tests.plan_samples import builders
from lib.testing import BaseTestCase, require_service


class WordAndPdfTests(SimpleTestCase):
    maxDiff = None

    def test_a_docx_with_heading_styles_and_tables(self):
        result = parse(extract(builders.plan_docx(), "ke-hoach.docx"))
        self.assertEqual(result.as_json(), builders.EXPECTED)
        # Only the province's name had to be taken from the text ("CÔNG ĐOÀN VIÊN CHỨC TỈNH").
        self.assertEqual(result.flags, {"issuer": ["completed"]})
        self.assertEqual(result.extra["duty_kinds"], ["issuer", "grassroots"])

    def test_the_same_plan_as_a_pdf_with_a_text_layer(self):
        result = parse(extract(builders.plan_pdf(), "ke-hoach.pdf"))
        self.assertEqual(result.as_json(), builders.EXPECTED)
        self.assertEqual(result.flags, {"issuer": ["completed"]})

    def test_word_paragraphs_and_tables_come_in_document_order(self):
        text = extract(builders.plan_docx(), "x.docx").text
        order = [
            "LĐLĐ TỈNH QUẢNG TRỊ",
            "KẾ HOẠCH",
            "MỤC ĐÍCH, YÊU CẦU",
            "Đợt 1 | Từ ngày 18/02/2025",
            "Nơi nhận:",
            "Hoàng Văn Minh",
        ]
        positions = [text.index(s) for s in order]
        self.assertEqual(positions, sorted(positions))

    def test_the_kind_is_read_from_the_content_not_the_name(self):
        result = parse(extract(builders.plan_pdf(), "ke-hoach.txt"))
        self.assertEqual(result.data["number"], "07/KH-CĐVC")


class BadFileTests(SimpleTestCase):
    """Each bad input: a clear message (Vietnamese by default), never an exception of another kind."""

    def assertRefused(self, data: bytes, name: str, fragment: str) -> None:
        with translation.override("en"):
            with self.assertRaises(PlanFileError) as cm:
                plan_read(data=data, name=name)
        self.assertIn(fragment, str(cm.exception))

    def test_an_empty_file(self):
        self.assertRefused(b"", "ke-hoach.docx", "empty")
        self.assertRefused(b"   \n\n  ", "ke-hoach.txt", "no text")

    def test_a_scanned_pdf_without_text_layer(self):
        self.assertRefused(builders.scanned_pdf(), "scan.pdf", "no text layer")

    def test_a_docx_that_is_a_zip_of_something_else(self):
        self.assertRefused(builders.zip_not_docx(), "ke-hoach.docx", "not a Word document")

    def test_a_damaged_docx_and_pdf(self):
        data = builders.plan_docx()
        self.assertRefused(data[: len(data) // 2], "ke-hoach.docx", "could not be read")
        pdf = builders.plan_pdf()
        self.assertRefused(pdf[:200], "ke-hoach.pdf", "could not be read")

    def test_an_old_word_file(self):
        self.assertRefused(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, "ke-hoach.doc", ".docx")

    def test_a_file_that_is_not_a_plan(self):
        letter = "Kính gửi: Ban Giám đốc\nCông ty thông báo lịch nghỉ lễ từ ngày 29/4 đến 1/5.\n".encode()
        self.assertRefused(letter, "thong-bao.txt", "does not look like a plan")
        self.assertRefused(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4, "anh.txt", "not a text file")
        self.assertRefused(b"x,y\n1,2\n", "bang.csv", ".docx")

    def test_a_50_mb_file_is_refused_by_its_size(self):
        with translation.override("en"):
            with self.assertRaisesMessage(PlanFileError, "too large"):
                check_size(MAX_FILE_BYTES)
            with self.assertRaisesMessage(PlanFileError, "too large"):
                check_size(60 * 1024 * 1024)
        check_size(MAX_FILE_BYTES - 1)

    def test_a_password_protected_pdf(self):
        from reportlab.pdfgen import canvas

        out = io.BytesIO()
        page = canvas.Canvas(out, encrypt="mat-khau")
        page.drawString(100, 700, "KE HOACH")
        page.save()
        self.assertRefused(out.getvalue(), "ke-hoach.pdf", "password")

    def test_the_messages_are_translated(self):
        with translation.override("vi"):
            with self.assertRaises(PlanFileError) as cm:
                plan_read(data=b"", name="x.txt")
        self.assertNotIn("The file", str(cm.exception))


def official_pdf_font_has_vietnamese() -> bool:
    """Whether the font file documents/pdf.py embeds has every Vietnamese letter (read from the
    file itself: reportlab's registry may hold another face under the same name)."""
    from reportlab.pdfbase.ttfonts import TTFontFile

    for files in official_pdf.FONT_CANDIDATES:
        if all(Path(f).exists() for f in files):
            glyphs = TTFontFile(files[0]).charToGlyph
            return all(ord(c) in glyphs for c in "ẢỘỮỹđơư")
    return False


class RoundTripTests(BaseTestCase):
    """A plan the app itself exported as .docx and .pdf reads back into the same fields."""

    def test_an_exported_plan_reads_back(self):
        plan = make_plan(unit=self.quangtri, by=self.alice)
        paper = plan_paper(plan)
        for name in ("ke-hoach.docx", "ke-hoach.pdf"):
            if name.endswith(".pdf"):  # the docx has been checked by now
                require_service(
                    official_pdf_font_has_vietnamese(),
                    "documents/pdf.py embeds Liberation Serif 1.07, which has no "
                    "“Ả”, “Ộ”…: its PDFs show boxes and their text layer has holes (install fonts-liberation2)",
                )
            with self.subTest(name=name):
                data = build_docx(paper) if name.endswith(".docx") else build_pdf(paper)
                result = parse(extract(data, name)).as_json()
                self.assertEqual(result["number"], plan.number)
                self.assertEqual(result["date"], plan.issued_on.isoformat())
                self.assertEqual(result["place"], plan.place)
                self.assertEqual(result["title"], plan.title)
                self.assertEqual(result["year"], plan.year)
                self.assertEqual(result["purposes"], plan.purposes)
                self.assertEqual(result["theme"], plan.theme)
                self.assertEqual(result["contents"], plan.contents)
                self.assertEqual(
                    [(p["name"], p["start"], p["end"]) for p in result["phases"]],
                    [(p.name, p.start.isoformat(), p.end.isoformat()) for p in plan.phases.all()],
                )
                self.assertEqual(
                    [d["level"] for d in result["duties"]], [d.level_label for d in plan.duties.all()]
                )
                self.assertEqual(
                    result["signer"],
                    {
                        "authority": plan.signer_authority,
                        "title": plan.signer_title,
                        "name": plan.signer_name,
                    },
                )
                self.assertEqual(result["recipients"], [r.strip("- ;.") for r in plan.recipients])
                self.assertEqual(result["issuer"], "Liên đoàn Lao động tỉnh Quảng Trị")
