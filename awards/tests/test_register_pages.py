"""The register's other pages: the import page (officers only), the template, a person's and a
unit's register, and one line; each answers 404 outside the user's subtree."""

import io

import openpyxl
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from awards.models import AwardRecord
from awards.services.register_rows import HEADERS
from awards.tests import factories as f
from awards.tests import factories_register as fr
from lib.testing import BaseTestCase, EnglishMixin

IMPORT = reverse("awards:register-import")
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def upload(rows, name="so-khen-thuong-cu.xlsx"):
    return SimpleUploadedFile(name, fr.xlsx(rows), content_type=XLSX_TYPE)


GOOD = [
    ["Họ và tên", "Số CCCD", "Danh hiệu", "Năm", "Ghi chú"],
    ["Nguyễn Thị Thu Hà", "045190000001", "Lao động tiên tiến", 2018, "chuyển từ sổ giấy"],
    ["Trần Văn Đức", "045090000002", "Giấy khen", 2019, ""],
]
BAD = [
    ["Họ và tên", "Số CCCD", "Danh hiệu", "Năm"],
    ["Nguyễn Thị Thu Hà", "045190000001", "Lao động tiên tiến", 2018],
    ["Trần Văn Đức", "045090000002", "Không có danh hiệu này", 2019],
    ["", "", "Giấy khen", "năm ngoái"],
]


class RegisterImportPageTests(EnglishMixin, BaseTestCase):
    def test_an_officer_opens_the_page_with_her_units(self):
        self.login(self.alice)
        response = self.client.get(IMPORT)
        self.assertEqual(response.status_code, 200)
        units = {u.pk for u in response.context["form"].fields["unit"].queryset}
        self.assertEqual(units, {self.dongha.pk, self.school.pk, self.factory.pk})

    def test_a_viewer_may_not_import(self):
        self.login(self.bob)
        self.assertEqual(self.client.get(IMPORT).status_code, 403)
        response = self.client.post(IMPORT, {"unit": self.dongha.pk, "file": upload(GOOD)})
        self.assertEqual(response.status_code, 403)
        self.assertFalse(AwardRecord.objects.exists())

    def test_charlie_cannot_import_into_alices_unit(self):
        self.login(self.charlie)
        response = self.client.post(IMPORT, {"unit": self.dongha.pk, "file": upload(GOOD)})
        self.assertEqual(response.status_code, 200)
        self.assertTrue(response.context["form"].errors["unit"])
        self.assertFalse(AwardRecord.objects.exists())

    def test_a_good_file_is_imported(self):
        self.login(self.alice)
        response = self.client.post(IMPORT, {"unit": self.dongha.pk, "file": upload(GOOD)}, follow=True)
        self.assertRedirects(response, reverse("awards:register") + "?unit=QT.DH")
        self.assertContains(response, "2 lines added to the register (2 linked to members), 0 already there.")
        self.assertNotContains(response, "These columns were not imported")
        self.assertEqual(AwardRecord.objects.get(member=self.ha).note, "chuyển từ sổ giấy")
        self.assertEqual(
            set(AwardRecord.objects.values_list("member_id", "year")),
            {(self.ha.pk, 2018), (self.duc.pk, 2019)},
        )

    def test_a_bad_file_lists_every_error_and_saves_nothing(self):
        self.login(self.alice)
        response = self.client.post(IMPORT, {"unit": self.dongha.pk, "file": upload(BAD)}, follow=True)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.request["PATH_INFO"], IMPORT)
        self.assertContains(response, "3 errors: nothing was saved.")
        errors = [(e.row, e.column) for e in response.context["result"].errors]
        self.assertEqual(errors, [(3, "Danh hiệu"), (4, "Họ và tên"), (4, "Năm")])
        self.assertContains(response, 'data-testid="register-import-error"', count=3)
        self.assertContains(response, "Không có danh hiệu này")
        self.assertFalse(AwardRecord.objects.exists())

    def test_an_unreadable_file_is_refused_on_the_form(self):
        self.login(self.alice)
        bad = SimpleUploadedFile("so.xlsx", b"PK\x03\x04 broken", content_type=XLSX_TYPE)
        response = self.client.post(IMPORT, {"unit": self.dongha.pk, "file": bad})
        self.assertTrue(response.context["form"].errors["file"])
        other = SimpleUploadedFile("so.pdf", b"%PDF-1.4", content_type="application/pdf")
        response = self.client.post(IMPORT, {"unit": self.dongha.pk, "file": other})
        self.assertTrue(response.context["form"].errors["file"])

    def test_the_template_downloads_with_the_catalogue(self):
        self.login(self.bob)
        response = self.client.get(reverse("awards:register-template"))
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response["Content-Type"], XLSX_TYPE)
        self.assertIn("mau-so-khen-thuong.xlsx", response["Content-Disposition"])
        wb = openpyxl.load_workbook(io.BytesIO(response.content))
        sheet = wb["Sổ khen thưởng"]
        self.assertEqual([c.value for c in sheet[1]], [header for _name, header in HEADERS])
        catalogue = [r[0] for r in wb["Danh mục khen thưởng"].iter_rows(min_row=2, values_only=True)]
        self.assertIn("Giấy khen", catalogue)
        self.assertIn("Chiến sĩ thi đua cơ sở", catalogue)

    def test_the_template_imports_as_it_is(self):
        """The template's example lines import (Hà is linked by her CCCD)."""
        self.login(self.alice)
        template = self.client.get(reverse("awards:register-template")).content
        response = self.client.post(
            IMPORT,
            {
                "unit": self.dongha.pk,
                "file": SimpleUploadedFile("mau.xlsx", template, content_type=XLSX_TYPE),
            },
            follow=True,
        )
        self.assertRedirects(response, reverse("awards:register") + "?unit=QT.DH")
        self.assertEqual(AwardRecord.objects.count(), 2)
        self.assertEqual(AwardRecord.objects.filter(member=self.ha).count(), 1)

    def test_an_export_imports_back_as_already_there(self):
        fr.build(self)
        self.login(self.alice)
        export = self.client.get(reverse("awards:register-export"))
        content = b"".join(export.streaming_content)
        before = AwardRecord.objects.count()
        response = self.client.post(
            IMPORT,
            {
                "unit": self.dongha.pk,
                "file": SimpleUploadedFile("xuat.xlsx", content, content_type=XLSX_TYPE),
            },
            follow=True,
        )
        self.assertContains(response, "0 lines added to the register (0 linked to members), 5 already there.")
        self.assertEqual(AwardRecord.objects.count(), before)


class PersonAndUnitPageTests(EnglishMixin, BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        fr.build(cls)

    def test_a_persons_register(self):
        self.login(self.bob)
        response = self.client.get(reverse("awards:register-person", args=[self.duc.pk]))
        self.assertEqual(response.status_code, 200)
        self.assertEqual([r.pk for r in response.context["records"]], [self.duc_gk.pk, self.duc_revoked.pk])
        self.assertContains(response, fr.REVOKING_NUMBER)

    def test_a_persons_register_exports(self):
        self.login(self.alice)
        response = self.client.get(reverse("awards:register-person", args=[self.ha.pk]), {"format": "xlsx"})
        rows = list(openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active.values)
        self.assertEqual(len(rows), 3)
        self.assertIn("nguyen-thi-thu-ha", response["Content-Disposition"])

    def test_a_units_register_and_below(self):
        self.login(self.alice)
        url = reverse("awards:register-unit", args=[self.school.pk])
        response = self.client.get(url)
        self.assertEqual(
            {r.pk for r in response.context["page"]}, {self.ha_cstd.pk, self.ha_ldtt.pk, self.school_cdcs.pk}
        )
        response = self.client.get(url, {"kind": "collective"})
        self.assertEqual([r.pk for r in response.context["page"]], [self.school_cdcs.pk])
        district = reverse("awards:register-unit", args=[self.dongha.pk])
        self.assertEqual(list(self.client.get(district).context["page"]), [])
        self.assertEqual(len(self.client.get(district, {"below": "1"}).context["page"].object_list), 5)
        export = self.client.get(district, {"below": "1", "format": "xlsx"})
        rows = list(openpyxl.load_workbook(io.BytesIO(b"".join(export.streaming_content))).active.values)
        self.assertEqual(len(rows), 6)

    def test_a_units_register_costs_a_fixed_number_of_queries(self):
        self.login(self.alice)
        url = reverse("awards:register-unit", args=[self.school.pk])
        self.client.get(url)

        def count() -> int:
            with CaptureQueriesContext(connection) as ctx:
                self.client.get(url)
            return len(ctx.captured_queries)

        few = count()
        for year in range(1990, 2010):
            f.record("giay-khen", year, member=self.ha)
        self.assertEqual(count(), few)

    def test_one_line(self):
        self.login(self.bob)
        response = self.client.get(reverse("awards:register-record", args=[self.duc_revoked.pk]))
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, 'data-testid="register-revoked"')
        self.assertContains(response, fr.REVOKING_NUMBER)
        self.assertContains(response, self.duc_revoked.verify_code)

    def test_charlie_gets_404_on_alices_pages(self):
        self.login(self.charlie)
        for url in (
            reverse("awards:register-person", args=[self.ha.pk]),
            reverse("awards:register-person", args=[self.ha.pk]) + "?format=xlsx",
            reverse("awards:register-unit", args=[self.school.pk]),
            reverse("awards:register-unit", args=[self.dongha.pk]) + "?below=1&format=xlsx",
            reverse("awards:register-record", args=[self.ha_cstd.pk]),
            reverse("awards:register-record", args=[self.school_cdcs.pk]),
        ):
            with self.subTest(url=url):
                self.assertEqual(self.client.get(url).status_code, 404)

    def test_charlie_sees_his_own(self):
        self.login(self.charlie)
        self.assertEqual(
            self.client.get(reverse("awards:register-person", args=[self.lan.pk])).status_code, 200
        )
        self.assertEqual(
            self.client.get(reverse("awards:register-record", args=[self.lan_gk.pk])).status_code, 200
        )
