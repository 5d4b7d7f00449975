"""The sơ kết / tổng kết paper (.docx) and its full data (.xlsx), read back."""

from io import BytesIO

from django.urls import reverse
from docx import Document
from openpyxl import load_workbook

from accounts.models import Role
from lib.testing import BaseTestCase, make_user
from reports.models import Indicator, ReportRequest, RequestRecipient
from reports.review_paper import figure_text, review_data_xlsx
from reports.services.reports import report_get_or_create, report_review, report_save
from reports.tests.factories_excel import (
    DongHaRequestTestCase,
    make_form,
    make_pilot,
    make_request,
)


def docx_text(data: bytes) -> str:
    document = Document(BytesIO(data))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.append(" | ".join(cell.text for cell in row.cells))
    return "\n".join(parts)


class ReviewPaperTests(DongHaRequestTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        submitted = {}
        for unit, raw in (
            (
                cls.school,
                {"registered": "40", "pilot_models": "1", "initiative_value": "1.000.000", "has_club": "Có"},
            ),
            (
                cls.factory,
                {"registered": "60", "initiative_value": "234000", "rate": "12,5", "has_club": "Không"},
            ),
        ):
            submitted[unit] = report_get_or_create(request=cls.req, unit=unit)
            report_save(report=submitted[unit], raw=raw, by=cls.alice, submit=True)
        report_review(report=submitted[cls.factory], accept=True, comment="", by=cls.alice)
        make_pilot(cls.plan, cls.school, "Mô hình Thư viện xanh")
        make_pilot(cls.plan, cls.factory, "Mô hình Bữa ăn ca an toàn")
        cls.movement = cls.plan.plan_movements.get().movement
        Indicator.objects.filter(version=cls.version, code="initiative_value").update(content_number="2.1")
        Indicator.objects.filter(version=cls.version, code="registered").update(movement=cls.movement)

    def setUp(self):
        super().setUp()
        self.login(self.alice)

    def docx(self, **params) -> str:
        response = self.client.get(reverse("reports:review-docx", kwargs={"pk": self.req.pk}), params)
        self.assertEqual(response.status_code, 200)
        self.assertIn("wordprocessingml", response["Content-Type"])
        return docx_text(response.content)

    def test_it_formats_figures_the_vietnamese_way(self):
        self.assertEqual(figure_text(1234000), "1.234.000")
        self.assertEqual(figure_text(12.5), "12,5")
        self.assertEqual(figure_text(None), "-")

    def test_the_paper_holds_the_campaign_items_and_the_rolled_up_figures(self):
        text = self.docx()
        self.assertIn("BÁO CÁO", text)
        self.assertIn("Sơ kết đợt 1 năm 2021 thực hiện kế hoạch tổ chức phong trào thi đua năm 2021", text)
        self.assertIn("2.1. Đẩy mạnh phong trào Lao động giỏi, Lao động sáng tạo.", text)
        self.assertIn("2.2. Chăm lo đời sống đoàn viên khó khăn.", text)
        self.assertIn("Xanh - Sạch - Đẹp, bảo đảm an toàn vệ sinh lao động\u201d: 2 mô hình điểm", text)
        self.assertIn("Giá trị làm lợi của sáng kiến | đồng | 1.234.000", text)
        self.assertIn("Số đoàn viên đăng ký thi đua | người | 100", text)
        self.assertIn("Có câu lạc bộ sáng tạo |  | 1", text)
        self.assertIn("Có 2/2 đơn vị đã gửi báo cáo (1 báo cáo đã được duyệt)", text)
        self.assertIn("ĐÁNH GIÁ CHUNG", text)

    def test_a_content_item_shows_the_rolled_up_figures_linked_to_it(self):
        lines = self.docx().splitlines()
        item = lines.index("2.1. Đẩy mạnh phong trào Lao động giỏi, Lao động sáng tạo.")
        self.assertEqual(lines[item + 1], "- Giá trị làm lợi của sáng kiến: 1.234.000 đồng;")
        self.assertEqual(lines[item + 2], "2.2. Chăm lo đời sống đoàn viên khó khăn.")
        self.assertTrue(lines[item + 3].startswith("Kết quả: ..."))  # nothing linked to 2.2

    def test_a_movement_shows_its_linked_figures_with_the_pilot_models(self):
        text = self.docx()
        self.assertIn(
            f"- Phong trào \u201c{self.movement.name}\u201d: 2 mô hình điểm; Số đoàn viên đăng ký thi đua: 100 người;",
            text,
        )

    def test_it_has_a_table_by_unit_and_the_outstanding_units(self):
        text = self.docx(by="initiative_value")
        self.assertIn(f"1 | {self.school.name} | 1/1 | 40 | 1 | 1.000.000", text)
        self.assertIn(f"2 | {self.factory.name} | 1/1 | 60 | - | 234.000", text)
        top = text.index("Đơn vị tiêu biểu")
        self.assertLess(
            text.index(f"{self.school.name}: 1.000.000 đồng"),
            text.index(f"{self.factory.name}: 234.000 đồng"),
        )
        self.assertGreater(text.index(f"{self.school.name}: 1.000.000 đồng"), top)

    def test_it_lists_the_pilot_models(self):
        text = self.docx()
        self.assertIn(f"Mô hình Thư viện xanh | {self.school.name}", text)
        self.assertIn("Mô hình Bữa ăn ca an toàn", text)

    def test_a_higher_unit_sees_its_child_federation_in_the_table(self):
        province = make_user("dung", self.quangtri, Role.Kind.OFFICER)
        self.login(province)
        text = self.docx(unit=self.quangtri.pk)
        self.assertIn(f"1 | {self.dongha.name} | 2/2 | 100 | 1 | 1.234.000", text)

    def test_the_full_data_holds_every_recipient_with_its_figures(self):
        response = self.client.get(reverse("reports:review-xlsx", kwargs={"pk": self.req.pk}))
        self.assertEqual(response.status_code, 200)
        ws = load_workbook(BytesIO(b"".join(response.streaming_content))).active
        rows = list(ws.iter_rows(values_only=True))
        header = rows[2]
        col = {h: i for i, h in enumerate(header)}
        data = {r[1]: r for r in rows[3:]}
        school, factory = data[self.school.code], data[self.factory.code]
        self.assertEqual(school[col["Trạng thái"]], "Đã gửi")
        self.assertEqual(factory[col["Trạng thái"]], "Đã duyệt")
        self.assertEqual(school[col["Giá trị làm lợi của sáng kiến (đồng)"]], 1000000)
        self.assertEqual(factory[col["Giá trị làm lợi của sáng kiến (đồng)"]], 234000)
        self.assertEqual(factory[col["Tỷ lệ đoàn viên tham gia (%)"]], 12.5)
        self.assertEqual(school[col["Có câu lạc bộ sáng tạo"]], "Có")
        self.assertEqual(factory[col["Tổng số lượt (lượt)"]], 60)
        self.assertIsNotNone(school[col["Ngày gửi"]])

    def test_the_full_data_reads_in_a_fixed_number_of_queries(self):
        req = ReportRequest.objects.get(pk=self.req.pk)
        with self.assertNumQueries(4):
            review_data_xlsx(request=req, unit=self.dongha).close()

    def test_the_paper_reads_in_a_fixed_number_of_queries(self):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        from reports.review_paper import review_paper

        with CaptureQueriesContext(connection) as before:
            review_paper(request=self.req, unit=self.dongha)
        port_pilot = make_pilot(self.plan, self.school, "Mô hình thứ ba")
        self.assertTrue(port_pilot.pk)
        RequestRecipient.objects.create(request=self.req, unit=self.dongha)
        report_save(
            report=report_get_or_create(request=self.req, unit=self.dongha),
            raw={"registered": "1"},
            by=self.alice,
        )
        with CaptureQueriesContext(connection) as after:
            review_paper(request=self.req, unit=self.dongha)
        self.assertEqual(len(after), len(before))

    def test_a_recipient_without_a_report_is_listed_as_not_started(self):
        extra = make_request(
            self.version, self.dongha, [self.school, self.factory], period="Tổng kết năm 2021"
        )
        report_save(
            report=report_get_or_create(request=extra, unit=self.school),
            raw={"registered": "5"},
            by=self.alice,
        )
        ws = load_workbook(review_data_xlsx(request=extra, unit=self.dongha)).active
        rows = {r[1]: r for r in ws.iter_rows(min_row=4, values_only=True)}
        self.assertEqual(rows[self.factory.code][3], "Chưa báo cáo")
        self.assertEqual(rows[self.school.code][3], "Đang soạn")
        self.assertEqual(rows[self.school.code][5], 5)


class ReviewPaperScopeTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.req = make_request(make_form(cls.dongha), cls.dongha, [cls.school, cls.factory])

    def test_charlie_gets_404(self):
        self.login(self.charlie)
        for name in ("review-docx", "review-xlsx"):
            url = reverse(f"reports:{name}", kwargs={"pk": self.req.pk})
            self.assertEqual(self.client.get(url).status_code, 404, name)
            self.assertEqual(self.client.get(url, {"unit": self.dongha.pk}).status_code, 404, name)

    def test_alice_cannot_ask_for_a_unit_outside_her_tree(self):
        self.login(self.alice)
        url = reverse("reports:review-docx", kwargs={"pk": self.req.pk})
        self.assertEqual(self.client.get(url, {"unit": self.port.pk}).status_code, 404)

    def test_a_grassroots_recipient_gets_its_own_paper(self):
        self.login(make_user("eve", self.school, Role.Kind.OFFICER))
        response = self.client.get(reverse("reports:review-docx", kwargs={"pk": self.req.pk}))
        self.assertEqual(response.status_code, 200)
        self.assertIn(self.school.name.upper(), docx_text(response.content))
