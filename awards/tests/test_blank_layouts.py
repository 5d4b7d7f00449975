"""Printing on pre-printed blanks (phôi): layouts per unit (pages for their officers), and the
variable text landing exactly where a layout puts it, offsets applied."""

from __future__ import annotations

import ctypes

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
from django.core.exceptions import ValidationError
from django.urls import reverse
from reportlab.lib.units import mm

from awards.models import AwardRecord, BlankLayout, CertificateBatch
from awards.services import certificate_batches as batches
from awards.services import certificates as cs
from awards.tests import factories_certificates as fc
from awards.tests.test_certificate_pdf import pdf_text, qr_values
from lib.testing import BaseTestCase, EnglishMixin

BASE = "https://thidua.example.vn"


def glyphs(data: bytes) -> tuple[str, list[tuple[float, float]], float, float]:
    """The page's text and each character's origin (x, baseline y in points), with the page size."""
    pdf = pdfium.PdfDocument(data)
    try:
        page = pdf[0]
        width, height = page.get_size()
        textpage = page.get_textpage()
        count = textpage.count_chars()
        text = textpage.get_text_range(0, count)
        origins = []
        for i in range(count):
            x, y = ctypes.c_double(), ctypes.c_double()
            pdfium_c.FPDFText_GetCharOrigin(textpage.raw, i, ctypes.byref(x), ctypes.byref(y))
            origins.append((x.value, y.value))
        return text, origins, width, height
    finally:
        pdf.close()


def origin_of(data: bytes, needle: str) -> tuple[float, float]:
    text, origins, _w, _h = glyphs(data)
    index = text.index(needle)
    return origins[index]


ONLY_NAME = {key: {"show": False} for key in cs.BLANK_FIELDS} | {
    "name": {"show": True, "x": 50, "y": 60, "size": 20, "align": "left", "width": 0}
}


class BlankPrintTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.decision = fc.issued_decision(unit=cls.dongha, members=[cls.ha], number="150/QĐ-LĐLĐ")
        cls.record = cs.records_for_certificates(AwardRecord.objects.all()).get(decision=cls.decision)

    def layout(self, fields, **extra) -> BlankLayout:
        return batches.blank_layout_create(
            unit=self.dongha, name="Phôi", created_by=self.alice, fields=fields, **extra
        )

    def test_a_new_layout_starts_from_the_default_positions(self):
        layout = batches.blank_layout_create(unit=self.dongha, name="Phôi mặc định", created_by=self.alice)
        self.assertEqual(set(layout.fields), set(cs.BLANK_FIELDS))
        self.assertEqual(layout.fields["name"]["x"], 148.5)
        self.assertFalse(layout.fields["qr"]["show"])
        text = pdf_text(cs.blank_pdf(record=self.record, layout=layout, base_url=BASE))
        for expected in (
            "Bà Nguyễn Thị Thu Hà",
            "Công đoàn Trường THPT Lê Lợi",
            "150/QĐ-LĐLĐ",
            "Nguyễn Văn Ký",
        ):
            self.assertIn(expected, text)
        for absent in (
            "CỘNG HÒA",
            "GIẤY KHEN",
            "Tặng",
            "TM. BAN THƯỜNG VỤ",
            "Quyết định số",
            self.record.verify_code,
        ):
            self.assertNotIn(absent, text)

    def test_the_text_lands_at_the_configured_position(self):
        data = cs.blank_pdf(record=self.record, layout=self.layout(ONLY_NAME), base_url=BASE)
        text, _origins, width, height = glyphs(data)
        self.assertEqual(text.strip(), "Bà Nguyễn Thị Thu Hà")
        self.assertAlmostEqual(width, 297 * mm, places=1)
        x, y = origin_of(data, "Bà")
        self.assertAlmostEqual(x, 50 * mm, delta=0.5)
        self.assertAlmostEqual(y, height - 60 * mm, delta=0.5)

    def test_the_offsets_shift_every_field_by_exactly_that_much(self):
        fields = dict(ONLY_NAME, place_date={"show": True, "x": 200, "y": 150, "size": 14, "align": "center"})
        plain = cs.blank_pdf(record=self.record, layout=self.layout(fields), base_url=BASE)
        shifted_layout = self.layout(fields, offset_x_mm=3.5, offset_y_mm=-2)
        shifted = cs.blank_pdf(record=self.record, layout=shifted_layout, base_url=BASE)
        for needle in ("Bà", "Đông Hà, ngày"):
            (x0, y0), (x1, y1) = origin_of(plain, needle), origin_of(shifted, needle)
            self.assertAlmostEqual(x1 - x0, 3.5 * mm, delta=0.05)
            self.assertAlmostEqual(y1 - y0, 2 * mm, delta=0.05)  # 2 mm up: PDF y grows upwards

    def test_centred_and_right_aligned_text_is_placed_around_x(self):
        for align in ("center", "right"):
            fields = dict(ONLY_NAME, name={"show": True, "x": 150, "y": 100, "size": 20, "align": align})
            data = cs.blank_pdf(record=self.record, layout=self.layout(fields), base_url=BASE)
            text, origins, _w, _h = glyphs(data)
            width = cs.pdfmetrics.stringWidth("Bà Nguyễn Thị Thu Hà", cs.BOLD, 20)
            start = 150 * mm - (width / 2 if align == "center" else width)
            self.assertAlmostEqual(origins[0][0], start, delta=0.5, msg=align)

    def test_a_page_size_of_its_own(self):
        layout = self.layout(ONLY_NAME, page_width_mm=210, page_height_mm=297)
        _text, _o, width, height = glyphs(cs.blank_pdf(record=self.record, layout=layout, base_url=BASE))
        self.assertAlmostEqual(width, 210 * mm, places=1)
        self.assertAlmostEqual(height, 297 * mm, places=1)

    def test_the_qr_code_prints_only_when_placed(self):
        fields = dict(ONLY_NAME, qr={"show": True, "x": 20, "y": 150, "size": 30})
        data = cs.blank_pdf(record=self.record, layout=self.layout(fields), base_url=BASE)
        self.assertEqual(qr_values(data), [f"{BASE}/verify/{self.record.verify_code}/"])
        self.assertIn(self.record.verify_code, pdf_text(data))

    def test_a_layout_stored_without_fields_prints_the_defaults(self):
        layout = BlankLayout.objects.create(unit=self.dongha, name="Phôi cũ")
        self.assertIn("Bà Nguyễn Thị Thu Hà", pdf_text(cs.blank_pdf(record=self.record, layout=layout)))

    def test_bad_positions_are_refused_with_every_reason(self):
        fields = {"name": {"x": "abc"}, "achievement": {"size": 200}, "place_date": {"y": -5}}
        with self.assertRaises(ValidationError) as caught:
            batches.clean_blank_fields(fields)
        self.assertEqual(len(caught.exception.messages), 3)

    def test_the_sample_prints_the_layout_with_sample_text(self):
        data = cs.blank_preview_pdf(layout=self.layout(None), base_url=BASE)
        self.assertIn("Nguyễn Thị Mẫu", pdf_text(data))

    def test_a_layout_used_by_a_batch_cannot_be_deleted(self):
        layout = self.layout(None)
        batches.batch_create(
            decision=self.decision, created_by=self.alice, layout="blank", blank=layout, base_url=BASE
        )
        with self.assertRaises(ValidationError):
            batches.blank_layout_delete(layout=layout, deleted_by=self.alice)
        CertificateBatch.objects.all().delete()
        batches.blank_layout_delete(layout=layout, deleted_by=self.alice)
        self.assertFalse(BlankLayout.objects.filter(pk=layout.pk).exists())


def form_data(layout_fields: dict | None = None, **extra) -> dict:
    data = {"name": "Phôi bằng khen 2025", "page_width_mm": "297", "page_height_mm": "210"}
    data |= {"offset_x_mm": "0", "offset_y_mm": "0"}
    for key in cs.BLANK_FIELDS:
        spec = {**cs.BLANK_DEFAULTS[key], **(layout_fields or {}).get(key, {})}
        if spec["show"]:
            data[f"{key}_show"] = "on"
        for part in ("x", "y", "size", "align", "width"):
            data[f"{key}_{part}"] = str(spec[part])
    return data | extra


class BlankViewTests(EnglishMixin, fc.TempMediaMixin, BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.layout = batches.blank_layout_create(unit=cls.dongha, name="Phôi Đông Hà", created_by=cls.alice)
        cls.qb_layout = batches.blank_layout_create(
            unit=cls.quangbinh, name="Phôi Quảng Bình", created_by=cls.charlie
        )

    def test_the_list_shows_layouts_in_scope_and_above(self):
        root_layout = BlankLayout.objects.create(unit=self.root, name="Phôi Tổng Liên đoàn")
        self.login(self.alice)
        with self.assertNumQueries(6):  # session, user, roles (read, write), writable units, layouts
            response = self.client.get(reverse("awards:blank-list"))
        self.assertContains(response, "Phôi Đông Hà")
        self.assertContains(response, 'href="{}"'.format(reverse("awards:blank-edit", args=[self.layout.pk])))
        self.assertContains(response, root_layout.name)  # printed on, not changed, by alice
        self.assertNotContains(
            response, 'href="{}"'.format(reverse("awards:blank-edit", args=[root_layout.pk]))
        )
        self.assertNotContains(response, "Phôi Quảng Bình")
        self.login(self.charlie)
        self.assertNotContains(self.client.get(reverse("awards:blank-list")), "Phôi Đông Hà")

    def test_an_officer_creates_a_layout_for_a_unit_of_theirs(self):
        self.login(self.alice)
        self.assertContains(self.client.get(reverse("awards:blank-create")), 'value="148.5"')
        data = form_data({"name": {"x": 140, "y": 98.5}, "qr": {"show": True}}, unit="QT.DH.001 - Công đoàn")
        response = self.client.post(reverse("awards:blank-create"), data)
        layout = BlankLayout.objects.get(name="Phôi bằng khen 2025")
        self.assertRedirects(response, reverse("awards:blank-edit", args=[layout.pk]))
        self.assertEqual(layout.unit, self.school)
        self.assertEqual((layout.fields["name"]["x"], layout.fields["name"]["y"]), (140.0, 98.5))
        self.assertTrue(layout.fields["qr"]["show"])

    def test_nobody_creates_a_layout_for_a_unit_they_cannot_change(self):
        for user, code in ((self.bob, "QT.DH"), (self.charlie, "QT.DH"), (self.alice, "QB")):
            self.login(user)
            response = self.client.post(reverse("awards:blank-create"), form_data(unit=code))
            self.assertContains(response, "Choose a unit you may change.")
        self.assertEqual(BlankLayout.objects.count(), 2)

    def test_bad_numbers_show_errors_and_save_nothing(self):
        self.login(self.alice)
        response = self.client.post(reverse("awards:blank-create"), form_data(unit="QT.DH", name_size="300"))
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "is-invalid")
        self.assertEqual(BlankLayout.objects.count(), 2)

    def test_an_officer_edits_the_offsets_and_positions(self):
        self.login(self.alice)
        url = reverse("awards:blank-edit", args=[self.layout.pk])
        self.assertContains(self.client.get(url), "Phôi Đông Hà")
        response = self.client.post(
            url, form_data({"achievement": {"width": 200}}, offset_x_mm="-1.5", offset_y_mm="2")
        )
        self.assertRedirects(response, url)
        self.layout.refresh_from_db()
        self.assertEqual((float(self.layout.offset_x_mm), float(self.layout.offset_y_mm)), (-1.5, 2.0))
        self.assertEqual(self.layout.fields["achievement"]["width"], 200.0)
        self.assertEqual(self.layout.unit, self.dongha)

    def test_a_viewer_may_not_edit_or_delete_and_another_province_sees_nothing(self):
        edit = reverse("awards:blank-edit", args=[self.layout.pk])
        delete = reverse("awards:blank-delete", args=[self.layout.pk])
        self.login(self.bob)
        self.assertEqual(self.client.get(edit).status_code, 403)
        self.assertEqual(self.client.post(edit, form_data(name="x")).status_code, 403)
        self.assertEqual(self.client.post(delete).status_code, 403)
        self.login(self.charlie)
        self.assertEqual(self.client.get(edit).status_code, 404)
        self.assertEqual(self.client.post(delete).status_code, 404)
        self.assertEqual(
            self.client.get(reverse("awards:blank-preview", args=[self.layout.pk])).status_code, 404
        )
        self.layout.refresh_from_db()
        self.assertEqual(self.layout.name, "Phôi Đông Hà")

    def test_an_officer_deletes_an_unused_layout(self):
        self.login(self.alice)
        response = self.client.post(reverse("awards:blank-delete", args=[self.layout.pk]))
        self.assertRedirects(response, reverse("awards:blank-list"))
        self.assertFalse(BlankLayout.objects.filter(pk=self.layout.pk).exists())

    def test_a_viewer_prints_a_sample(self):
        self.login(self.bob)
        response = self.client.get(reverse("awards:blank-preview", args=[self.layout.pk]))
        self.assertEqual(response["Content-Type"], "application/pdf")
        self.assertIn("Nguyễn Thị Mẫu", pdf_text(response.content))
