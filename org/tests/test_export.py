import csv
import datetime
import io

from django.urls import reverse
from openpyxl import load_workbook

from lib.testing import BaseTestCase
from org.exports import MEMBER_COLUMNS
from org.models import Sex
from org.services.members import member_create


class MemberExportTests(BaseTestCase):
    url = reverse("org:member-export")

    def csv_rows(self, response) -> list[list[str]]:
        body = b"".join(response.streaming_content)
        self.assertTrue(body.startswith("\ufeff".encode()))  # BOM, so Excel reads UTF-8
        return list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))

    def xlsx_rows(self, response) -> list[tuple]:
        wb = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
        return list(wb.active.iter_rows(values_only=True))

    def test_it_streams_csv_with_vietnamese_headers(self):
        self.login(self.alice)
        r = self.client.get(self.url, {"format": "csv"})
        self.assertEqual(r.status_code, 200)
        self.assertTrue(r.streaming)
        self.assertIn("attachment", r["Content-Disposition"])
        rows = self.csv_rows(r)
        self.assertEqual(rows[0], [h for _, h in MEMBER_COLUMNS])
        self.assertEqual(rows[0][:4], ["Họ và tên", "Ngày sinh", "Giới tính", "Số CCCD"])
        self.assertEqual(len(rows), 3)
        ha = rows[1]
        self.assertEqual(ha[:4], ["Nguyễn Thị Thu Hà", "01/05/1980", "Nữ", "045190000001"])
        self.assertEqual(ha[-3:], ["Công đoàn Trường THPT Lê Lợi", "QT.DH.001", "Đang sinh hoạt"])

    def test_it_writes_xlsx_with_real_dates(self):
        self.login(self.alice)
        r = self.client.get(self.url, {"format": "xlsx", "unit": self.school.pk})
        self.assertEqual(r.status_code, 200)
        self.assertIn(".xlsx", r["Content-Disposition"])
        rows = self.xlsx_rows(r)
        self.assertEqual(list(rows[0]), [h for _, h in MEMBER_COLUMNS])
        self.assertEqual(len(rows), 2)
        self.assertEqual(rows[1][0], "Nguyễn Thị Thu Hà")
        self.assertEqual(rows[1][1], datetime.datetime(1980, 5, 1))
        self.assertEqual(rows[1][3], "045190000001")  # text: the leading zero stays

    def test_it_applies_the_search(self):
        self.login(self.alice)
        r = self.client.get(self.url, {"format": "csv", "q": "duc"})
        rows = self.csv_rows(r)
        self.assertEqual([row[0] for row in rows[1:]], ["Trần Văn Đức"])

    def test_its_query_count_does_not_grow_with_rows(self):
        self.login(self.alice)
        with self.assertNumQueries(4):  # session, user, roles, members
            self.csv_rows(self.client.get(self.url, {"format": "csv"}))
        for i in range(30):
            member_create(unit=self.factory, full_name=f"Đặng Văn Nam {i}", sex=Sex.MALE)
        with self.assertNumQueries(4):
            rows = self.csv_rows(self.client.get(self.url, {"format": "csv"}))
        self.assertEqual(len(rows), 33)

    def test_charlies_export_never_contains_alices_members(self):
        self.login(self.charlie)
        for fmt in ("csv", "xlsx"):
            r = self.client.get(self.url, {"format": fmt})
            rows = self.csv_rows(r) if fmt == "csv" else self.xlsx_rows(r)
            self.assertEqual([row[0] for row in rows[1:]], ["Lê Thị Lan"], fmt)

    def test_it_returns_404_for_a_unit_outside_scope(self):
        self.login(self.charlie)
        r = self.client.get(self.url, {"format": "csv", "unit": self.school.pk})
        self.assertEqual(r.status_code, 404)
