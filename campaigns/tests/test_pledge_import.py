import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from campaigns.models import MemberPledge
from campaigns.services.registrations import registration_start
from campaigns.tests.factories_registrations import PlanTestCase
from lib.testing import EnglishMixin
from lib.text import fold
from org.models import Sex
from org.services.members import member_create

GOOD = (
    "Họ và tên,Số CCCD,Danh hiệu đăng ký,Phong trào\n"
    "Nguyễn Thị Thu Hà,045190000001,Lao động giỏi,Lao động giỏi - Lao động sáng tạo\n"
    "Tran Van Duc,045090000002,Chiến sĩ thi đua cơ sở,\n"
    "Nguyễn Thị Thu Hà,045190000001,Đoàn viên công đoàn xuất sắc,\n"
)
BAD = (
    "Họ và tên,Số CCCD,Danh hiệu đăng ký,Phong trào\n"
    "Nguyễn Thị Thu Hà,045190000001,Lao động giỏi,\n"  # row 2: fine
    "Người Lạ,099999999999,Lao động giỏi,\n"  # row 3: unknown CCCD
    "Lê Thị Lan,044190000003,Lao động giỏi,\n"  # row 4: member outside the unit
    "Trần Văn Nam,045090000002,Chiến sĩ thi đua cơ sở,\n"  # row 5: name does not match
    "Trần Văn Đức,045090000002,,\n"  # row 6: title missing
    "Trần Văn Đức,045090000002,Lao động giỏi,Phong trào không có\n"  # row 7: unknown movement
    "Nguyễn Thị Thu Hà,045190000001,Lao động giỏi,\n"  # row 8: duplicate of row 2
)


class PledgeImportTests(EnglishMixin, PlanTestCase):
    def setUp(self):
        super().setUp()
        self.reg = registration_start(plan=self.plan, unit=self.dongha, created_by=self.alice)
        self.url = reverse("campaigns:pledge-import", args=[self.reg.pk])
        self.login(self.alice)

    def upload(self, text: str, name: str = "list.csv"):
        """Post the file and follow the upload job (run at once in tests) to where it leads."""
        return self.client.post(
            self.url, {"file": SimpleUploadedFile(name, text.encode("utf-8"))}, follow=True
        )

    def test_a_good_file_adds_every_pledge(self):
        r = self.upload(GOOD)
        self.assertRedirects(r, reverse("campaigns:registration-detail", args=[self.reg.pk]))
        rows = sorted(MemberPledge.objects.values_list("member__cccd", "title", "movement_id"))
        self.assertEqual(
            rows,
            [
                ("045090000002", "Chiến sĩ thi đua cơ sở", None),
                ("045190000001", "Lao động giỏi", self.mv_good.pk),
                ("045190000001", "Đoàn viên công đoàn xuất sắc", None),
            ],
        )

    def test_importing_the_same_file_again_adds_nothing(self):
        self.upload(GOOD)
        r = self.upload(GOOD)
        self.assertEqual(MemberPledge.objects.count(), 3)
        self.assertEqual(r.request["PATH_INFO"], reverse("campaigns:registration-detail", args=[self.reg.pk]))
        self.assertContains(r, "0 pledges added, 3 already registered")

    def test_a_bad_file_lists_every_error_and_saves_nothing(self):
        r = self.upload(BAD)
        self.assertEqual(r.status_code, 200)
        self.assertFalse(MemberPledge.objects.exists())
        errors = [(e.row, e.column, e.value) for e in r.context["result"].errors]
        self.assertEqual(
            errors,
            [
                (3, "Số CCCD", "099999999999"),
                (4, "Số CCCD", "044190000003"),
                (5, "Họ và tên", "Trần Văn Nam"),
                (6, "Danh hiệu đăng ký", ""),
                (7, "Phong trào", "Phong trào không có"),
                (8, "Số CCCD", "045190000001"),
            ],
        )
        messages = [e.message for e in r.context["result"].errors]
        self.assertIn("No member has this CCCD.", messages[0])
        self.assertIn("does not belong", messages[1])
        self.assertIn("does not match", messages[2])
        self.assertIn("missing", messages[3])
        self.assertIn("movement", messages[4])
        self.assertIn("Duplicate row", messages[5])
        self.assertContains(r, 'data-testid="pledge-import-errors"')

    def test_it_reads_xlsx_with_cccd_typed_as_a_number(self):
        zero = member_create(unit=self.school, full_name="Phan Văn Không", sex=Sex.MALE, cccd="001090000004")
        wb = Workbook()
        ws = wb.active
        ws.append(["DANH SÁCH ĐĂNG KÝ"])  # a title row above the header
        ws.append(["STT", "Họ tên", "CCCD", "Danh hiệu"])
        ws.append([1, "Phan Van Khong", 1090000004, "Lao động tiên tiến"])
        out = io.BytesIO()
        wb.save(out)
        r = self.client.post(self.url, {"file": SimpleUploadedFile("ds.xlsx", out.getvalue())}, follow=True)
        self.assertRedirects(r, reverse("campaigns:registration-detail", args=[self.reg.pk]))
        self.assertEqual(MemberPledge.objects.get().member, zero)

    def test_the_template_has_the_headers(self):
        r = self.client.get(reverse("campaigns:pledge-template"))
        ws = load_workbook(io.BytesIO(r.content)).active
        headers = [fold(c.value) for c in ws[1]]
        self.assertEqual(headers, ["ho va ten", "so cccd", "danh hieu dang ky", "phong trao"])

    def test_bob_cannot_import(self):
        self.login(self.bob)
        self.assertEqual(self.upload(GOOD).status_code, 403)
        self.assertFalse(MemberPledge.objects.exists())
