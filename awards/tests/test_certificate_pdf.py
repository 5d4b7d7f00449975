"""The certificate PDF of one award record: its text (Vietnamese intact), its QR code, the
embedded font, and the refusal for a revoked record."""

from __future__ import annotations

from unittest import mock

import pypdfium2 as pdfium
import zxingcpp
from django.core.exceptions import ValidationError

from awards.models import AwardRecord
from awards.services import certificates as cs
from awards.tests import factories_certificates as fc
from lib.testing import BaseTestCase, EnglishMixin

BASE = "https://thidua.example.vn"


def pdf_text(data: bytes, index: int = 0) -> str:
    pdf = pdfium.PdfDocument(data)
    try:
        page = pdf[index]
        text = page.get_textpage().get_text_range()
        return text.replace("\r\n", "\n")
    finally:
        pdf.close()


def qr_values(data: bytes, index: int = 0, dpi: int = 200) -> list[str]:
    """Render one page at `dpi` and decode every barcode on it."""
    pdf = pdfium.PdfDocument(data)
    try:
        image = pdf[index].render(scale=dpi / 72).to_pil()
    finally:
        pdf.close()
    return [r.text for r in zxingcpp.read_barcodes(image)]


class CertificatePdfTests(EnglishMixin, BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.decision = fc.issued_decision(
            unit=cls.dongha,
            award_code="bang-khen-ldld-tinh",
            members=[cls.ha],
            units=[cls.factory],
            number="125/QĐ-LĐLĐ",
            position_title="Giáo viên",
        )
        cls.record = cls.decision.records.get(member=cls.ha)
        cls.unit_record = cls.decision.records.get(unit=cls.factory)

    def fetch(self, pk) -> AwardRecord:
        return cs.records_for_certificates(AwardRecord.objects.all()).get(pk=pk)

    def test_it_prints_the_certificate_text_with_vietnamese_intact(self):
        data = cs.certificate_pdf(record=self.fetch(self.record.pk), base_url=BASE)
        self.assertTrue(data.startswith(b"%PDF"))
        text = pdf_text(data)
        for expected in (
            "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
            "Độc lập - Tự do - Hạnh phúc",
            "LĐLĐ THÀNH PHỐ ĐÔNG HÀ",
            "BẰNG KHEN",
            "Tặng",
            "Bà Nguyễn Thị Thu Hà",
            "Giáo viên, Công đoàn Trường THPT Lê Lợi",
            "Đã có thành tích xuất sắc",
            "Đông Hà, ngày 25 tháng 12 năm 2025",
            "Quyết định số: 125/QĐ-LĐLĐ",
            "TM. BAN THƯỜNG VỤ",
            "CHỦ TỊCH",
            "Nguyễn Văn Ký",
            self.record.verify_code,
        ):
            self.assertIn(expected, text)

    def test_it_is_a_landscape_a4_page_with_the_serif_font_embedded(self):
        data = cs.certificate_pdf(record=self.fetch(self.record.pk), base_url=BASE)
        pdf = pdfium.PdfDocument(data)
        try:
            self.assertEqual(len(pdf), 1)
            width, height = pdf[0].get_size()
        finally:
            pdf.close()
        self.assertAlmostEqual(width, 841.89, places=1)
        self.assertAlmostEqual(height, 595.28, places=1)
        self.assertTrue(b"+LiberationSerif" in data or b"+DejaVuSerif" in data)
        self.assertIn(b"/FontFile2", data)  # embedded, not referenced

    def test_its_qr_code_opens_the_verify_page(self):
        data = cs.certificate_pdf(record=self.fetch(self.record.pk), base_url=BASE)
        self.assertEqual(qr_values(data), [f"{BASE}/verify/{self.record.verify_code}/"])

    def test_without_a_request_the_address_comes_from_the_settings(self):
        with self.settings(SITE_URL="https://khenthuong.congdoan.vn/"):
            self.assertEqual(cs.site_url(), "https://khenthuong.congdoan.vn")
            data = cs.certificate_pdf(record=self.fetch(self.record.pk))
        self.assertEqual(
            qr_values(data), [f"https://khenthuong.congdoan.vn/verify/{self.record.verify_code}/"]
        )

    def test_a_collective_gets_no_honorific_and_no_unit_line(self):
        text = pdf_text(cs.certificate_pdf(record=self.fetch(self.unit_record.pk), base_url=BASE))
        self.assertIn("Công đoàn Công ty May Đông Hà", text)
        self.assertNotIn("Ông Công đoàn", text)
        self.assertNotIn("Bà Công đoàn", text)

    def test_the_decision_line_achievement_is_printed(self):
        decision = fc.issued_decision(
            unit=self.dongha,
            members=[self.duc],
            number="126/QĐ-LĐLĐ",
            achievement="Đã có thành tích xuất sắc trong phong trào “Xanh - Sạch - Đẹp” năm 2025",
        )
        text = pdf_text(cs.certificate_pdf(record=self.fetch(decision.records.get().pk), base_url=BASE))
        self.assertIn("“Xanh - Sạch - Đẹp”", text)
        self.assertIn("GIẤY KHEN", text)
        self.assertIn("Ông Trần Văn Đức", text)

    def test_a_title_says_the_title_won(self):
        decision = fc.issued_decision(unit=self.dongha, award_code="lao-dong-tien-tien", members=[self.duc])
        text = pdf_text(cs.certificate_pdf(record=self.fetch(decision.records.get().pk), base_url=BASE))
        self.assertIn("Đã đạt danh hiệu “Lao động tiên tiến” năm 2025", text)

    def test_a_long_name_and_achievement_still_fit_the_page(self):
        decision = fc.issued_decision(
            unit=self.dongha,
            persons=[("Công đoàn " + "Tổng công ty Đầu tư Phát triển Hạ tầng " * 4, self.school)],
            number="127/QĐ-LĐLĐ",
            achievement="Đã có thành tích xuất sắc " + "trong phong trào thi đua lao động giỏi " * 8,
        )
        data = cs.certificate_pdf(record=self.fetch(decision.records.get().pk), base_url=BASE)
        pdf = pdfium.PdfDocument(data)
        try:
            textpage = pdf[0].get_textpage()
            width, _height = pdf[0].get_size()
            boxes = [textpage.get_charbox(i) for i in range(textpage.count_chars())]
        finally:
            pdf.close()
        self.assertTrue(all(0 < left and right < width for left, _b, right, _t in boxes if right > left))

    def test_an_imported_record_without_a_decision_still_prints(self):
        record = AwardRecord.objects.create(
            award=self.record.award,
            year=2019,
            recipient_kind="member",
            member=self.ha,
            unit=self.school,
            name=self.ha.full_name,
            unit_name=self.school.name,
            issuer_name="Liên đoàn Lao động tỉnh Quảng Trị",
            decision_number="45/QĐ-LĐLĐ",
            source=AwardRecord.Source.IMPORT,
        )
        text = pdf_text(cs.certificate_pdf(record=self.fetch(record.pk), base_url=BASE))
        self.assertIn("LIÊN ĐOÀN LAO ĐỘNG TỈNH QUẢNG TRỊ", text)
        self.assertIn("45/QĐ-LĐLĐ", text)

    def test_a_revoked_record_is_refused(self):
        fc.revoke(self.record)
        with self.assertRaisesMessage(ValidationError, "revoked"):
            cs.certificate_pdf(record=self.fetch(self.record.pk), base_url=BASE)


class CodeTests(BaseTestCase):
    def test_typed_codes_are_normalised(self):
        self.assertEqual(cs.normalise_code(" abcde-23456 "), "ABCDE23456")
        self.assertEqual(cs.normalise_code("abc de_234.56"), "ABCDE23456")
        self.assertTrue(cs.is_well_formed("ABCDE23456"))
        self.assertFalse(cs.is_well_formed("ABCDE2345O"))  # O is not in the alphabet
        self.assertFalse(cs.is_well_formed("ABCDE2345"))

    def test_it_refuses_fonts_without_vietnamese_letters(self):
        from documents import pdf
        from documents.pdf import FontMissing

        liberation_1 = tuple(  # Debian's fonts-liberation 1.07: no ơ, ư, ộ (skipped when absent too)
            f"/usr/share/fonts/truetype/liberation/LiberationSerif-{s}.ttf"
            for s in ("Regular", "Bold", "Italic", "BoldItalic")
        )
        with (
            mock.patch.object(pdf.pdfmetrics, "getRegisteredFontNames", return_value=[]),
            mock.patch.object(pdf, "FONT_CANDIDATES", [liberation_1]),
        ):
            with self.assertRaises(FontMissing):
                cs.register_fonts()
