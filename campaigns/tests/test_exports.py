import datetime
import io

from django.urls import reverse
from openpyxl import load_workbook

from campaigns.exports import REGISTRATION_HEADERS, TARGET_HEADERS
from campaigns.models import MemberPledge, Pledge, Registration
from campaigns.tests.factories_targets import TargetTestCase


def sheet_rows(response) -> list[tuple]:
    wb = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
    # Read-only sheets drop trailing empty cells: pad to the header's width.
    return [
        tuple(r) + (None,) * (len(TARGET_HEADERS) - len(r))
        for r in wb.worksheets[0].iter_rows(values_only=True)
    ]


class TargetExportTests(TargetTestCase):
    def test_it_exports_every_target_per_child_unit(self):
        self.login(self.dana)
        r = self.client.get(reverse("campaigns:target-export", args=[self.plan.pk]))
        self.assertEqual(r.status_code, 200)
        self.assertIn(".xlsx", r["Content-Disposition"])
        rows = sheet_rows(r)
        self.assertEqual(list(rows[2]), TARGET_HEADERS)
        data = rows[3:]
        self.assertEqual(data[0][:2], (1, self.pilot_target.text))
        self.assertEqual(data[0][7:10], (3, 2, 66.7))  # total: 2 of 3 upper-level unions
        by_unit = {}
        current = None
        for row in data:
            if row[0] not in ("", None):
                current = row[0]
            by_unit[(current, row[5])] = row[7:9]
        self.assertEqual(by_unit[(1, "QT.DH")], (1, 1))
        self.assertEqual(by_unit[(1, "QT.VL")], (1, 0))
        self.assertEqual(by_unit[(2, "QT")], (3, 1))  # registration: 1 of 3 grassroots unions
        self.assertEqual(by_unit[(2, "QT.DH")], (2, 1))
        self.assertEqual(by_unit[(3, "QT.CL")], (1, 0))
        self.assertEqual(by_unit[(4, "QT")], (None, None))  # reported by hand

    def test_it_returns_404_outside_scope(self):
        self.login(self.charlie)
        self.assertEqual(
            self.client.get(reverse("campaigns:target-export", args=[self.plan.pk])).status_code, 404
        )
        self.login(self.alice)
        url = reverse("campaigns:target-export", args=[self.plan.pk])
        self.assertEqual(self.client.get(url, {"unit": self.quangtri.pk}).status_code, 404)


class RegistrationExportTests(TargetTestCase):
    def test_it_lists_units_with_status_date_and_pledge_counts(self):
        reg = Registration.objects.get(unit=self.school)
        Pledge.objects.create(registration=reg, text="Đạt vững mạnh")
        Pledge.objects.create(registration=reg, text="Một mô hình")
        MemberPledge.objects.create(registration=reg, member=self.ha, title="Lao động giỏi")
        self.login(self.alice)
        url = reverse("campaigns:registration-export", args=[self.plan.pk])
        with self.assertNumQueries(7):
            r = self.client.get(url)
            content = b"".join(r.streaming_content)
        wb = load_workbook(io.BytesIO(content), read_only=True)
        rows = [tuple(x) for x in wb.worksheets[0].iter_rows(values_only=True)]
        self.assertEqual(list(rows[2]), REGISTRATION_HEADERS)
        by_code = {row[1]: row for row in rows[3:]}
        self.assertEqual(set(by_code), {"QT.DH", "QT.DH.001", "QT.DH.002"})
        school = by_code["QT.DH.001"]
        self.assertEqual(school[4], "Đã gửi")
        self.assertEqual(
            school[5].date() if isinstance(school[5], datetime.datetime) else school[5],
            datetime.date(2025, 2, 3),
        )
        self.assertEqual(school[6:8], (2, 1))
        self.assertEqual(by_code["QT.DH.002"][4:8], ("Đang soạn", None, 0, 0))
        self.assertEqual(by_code["QT.DH"][4], "Chưa đăng ký")

    def test_it_returns_404_outside_scope(self):
        self.login(self.charlie)
        url = reverse("campaigns:registration-export", args=[self.plan.pk])
        self.assertEqual(self.client.get(url).status_code, 404)
