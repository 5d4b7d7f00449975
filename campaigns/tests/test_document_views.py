"""Downloads of plans, registrations and covenants as .docx and .pdf: scoping and headers."""

from io import BytesIO
from urllib.parse import quote

from django.urls import reverse
from docx import Document

from accounts.models import Role
from campaigns.models import Plan
from campaigns.tests.factories_documents import make_covenant, make_plan, make_registration
from lib.testing import BaseTestCase, make_user


class DocumentViewTestCase(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.cdcs = make_user("cdcs", cls.school, Role.Kind.OFFICER)
        cls.plan = make_plan(cls.quangtri)
        cls.draft = make_plan(cls.quangtri, status=Plan.Status.DRAFT, number="")
        cls.registration = make_registration(cls.plan, cls.school, members=[cls.ha])
        cls.covenant = make_covenant(
            cls.plan, defined_by=cls.dongha, members=[cls.school, cls.factory], signed=[cls.school]
        )

    def get(self, name: str, obj):
        return self.client.get(reverse(f"campaigns:{name}", args=[obj.pk]))

    def docx_text(self, response) -> list[str]:
        document = Document(BytesIO(response.content))
        texts = [p.text for p in document.paragraphs]
        texts += [p.text for t in document.tables for c in t._cells for p in c.paragraphs]
        return [t for t in texts if t]


class PlanDocumentTests(DocumentViewTestCase):
    def test_it_serves_the_plan_as_docx_with_both_filenames(self):
        self.login(self.alice)
        r = self.get("plan-docx", self.plan)
        self.assertEqual(r.status_code, 200)
        self.assertEqual(
            r["Content-Type"], "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
        )
        disposition = r["Content-Disposition"]
        self.assertTrue(
            disposition.startswith('attachment; filename="Ke-hoach-thi-dua-2021-15-KH-LDLD.docx"')
        )
        self.assertIn(
            "filename*=UTF-8''" + quote("Kế hoạch thi đua 2021 15-KH-LĐLĐ.docx", safe=""), disposition
        )
        disposition.encode("ascii")  # the header itself is plain ASCII
        texts = self.docx_text(r)
        self.assertIn("Số: 15/KH-LĐLĐ", texts)
        self.assertIn("“Chủ đề thi đua của năm”.", texts)
        movement = self.plan.plan_movements.get().movement.name
        self.assertEqual(
            texts[texts.index("3. Các phong trào thi đua, cuộc vận động:") + 1], f"- “{movement}”."
        )
        self.assertIn("Đợt 2: Từ ngày 01/07/2021 đến 31/12/2021: Về đích.", texts)
        self.assertIn("- Chỉ tiêu: mỗi công đoàn cơ sở đăng ký thi đua (tối thiểu 01).", texts)

    def test_it_serves_the_plan_as_pdf(self):
        self.login(self.alice)
        r = self.get("plan-pdf", self.plan)
        self.assertEqual(r.status_code, 200)
        self.assertEqual(r["Content-Type"], "application/pdf")
        self.assertTrue(r.content.startswith(b"%PDF"))
        self.assertIn(".pdf", r["Content-Disposition"])

    def test_a_grassroots_union_downloads_the_provinces_issued_plan_but_not_its_draft(self):
        self.login(self.cdcs)
        self.assertEqual(self.get("plan-docx", self.plan).status_code, 200)
        self.assertEqual(self.get("plan-pdf", self.plan).status_code, 200)
        self.assertEqual(self.get("plan-docx", self.draft).status_code, 404)
        self.assertEqual(self.get("plan-pdf", self.draft).status_code, 404)

    def test_charlie_gets_404(self):
        self.login(self.charlie)
        for name in ("plan-docx", "plan-pdf"):
            self.assertEqual(self.get(name, self.plan).status_code, 404)
            self.assertEqual(self.get(name, self.draft).status_code, 404)

    def test_the_issuing_unit_downloads_its_draft(self):
        officer = make_user("tinh", self.quangtri, Role.Kind.OFFICER)
        self.login(officer)
        r = self.get("plan-docx", self.draft)
        self.assertEqual(r.status_code, 200)
        self.assertIn("Số:      /KH", self.docx_text(r))

    def test_it_requires_login(self):
        r = self.get("plan-docx", self.plan)
        self.assertEqual(r.status_code, 302)


class RegistrationDocumentTests(DocumentViewTestCase):
    def test_it_lists_the_pledges_and_member_pledges(self):
        self.login(self.cdcs)
        r = self.get("registration-docx", self.registration)
        self.assertEqual(r.status_code, 200)
        texts = self.docx_text(r)
        self.assertIn("BẢN ĐĂNG KÝ THI ĐUA NĂM 2021", texts)
        self.assertIn("1. Đăng ký thi đua đúng hạn (số lượng: 1).", texts)
        self.assertIn("Nguyễn Thị Thu Hà", texts)  # the member pledges table
        self.assertIn("Lao động tiên tiến", texts)
        self.assertIn("CÔNG ĐOÀN TRƯỜNG THPT LÊ LỢI", texts)  # issued by the unit itself

    def test_the_upper_level_reads_it_as_pdf(self):
        self.login(self.alice)
        r = self.get("registration-pdf", self.registration)
        self.assertEqual(r.status_code, 200)
        self.assertTrue(r.content.startswith(b"%PDF"))

    def test_charlie_and_a_sibling_union_get_404(self):
        sibling = make_user("factory", self.factory, Role.Kind.OFFICER)
        for user in (self.charlie, sibling):
            self.login(user)
            self.assertEqual(self.get("registration-docx", self.registration).status_code, 404)
            self.assertEqual(self.get("registration-pdf", self.registration).status_code, 404)


class CovenantDocumentTests(DocumentViewTestCase):
    def test_it_lists_signatories_and_who_has_not_signed(self):
        self.login(self.alice)
        r = self.get("covenant-docx", self.covenant)
        self.assertEqual(r.status_code, 200)
        texts = self.docx_text(r)
        self.assertIn("GIAO ƯỚC THI ĐUA", texts)
        self.assertIn("Chủ tịch QT.DH.001", texts)  # signatories table
        not_signed = texts.index("Đơn vị chưa ký:")
        self.assertEqual(texts[not_signed + 1], "- Công đoàn Công ty May Đông Hà")

    def test_a_member_unit_reads_it(self):
        self.login(self.cdcs)
        self.assertEqual(self.get("covenant-pdf", self.covenant).status_code, 200)

    def test_charlie_gets_404(self):
        self.login(self.charlie)
        self.assertEqual(self.get("covenant-docx", self.covenant).status_code, 404)
        self.assertEqual(self.get("covenant-pdf", self.covenant).status_code, 404)
