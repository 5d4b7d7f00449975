"""Excel round-trip of a report form: download, fill as a user would, upload; and every wrong file."""

from io import BytesIO

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from lib.testing import BaseTestCase, EnglishMixin
from reports.models import Report, ReportVersion
from reports.services.reports import report_get_or_create, report_save, report_values
from reports.tests.factories_excel import DongHaRequestTestCase, make_form, make_request
from reports.xlsx import DATA_SHEET, META_SHEET, excel_formula

WEB_RAW = {
    "registered": "120",
    "pilot_models": "2",
    "initiative_value": "1.234.000",
    "rate": "12,5",
    "has_club": "Có",
    "helped": "15",
    "helped_amount": "3.000.000",
    "note": "Tốt",
}
CELL_INPUT = {
    "registered": 120,
    "pilot_models": 2,
    "initiative_value": 1234000,
    "rate": 12.5,
    "has_club": "Có",
    "helped": 15,
    "helped_amount": 3000000,
    "note": "Tốt",
}


def rows_by_code(ws) -> dict[str, int]:
    return {row[0].value: row[0].row for row in ws.iter_rows(max_col=1) if row[0].value}


def fill(data: bytes, values: dict, *, insert_rows_at: int | None = None) -> bytes:
    """Type values in the value cells (column D), the way a user would in Excel."""
    wb = load_workbook(BytesIO(data))
    ws = wb[DATA_SHEET]
    if insert_rows_at:
        ws.insert_rows(insert_rows_at, 2)
    rows = rows_by_code(ws)
    for code, value in values.items():
        ws[f"D{rows[code]}"] = value
    out = BytesIO()
    wb.save(out)
    return out.getvalue()


class ExcelRoundTripTests(EnglishMixin, DongHaRequestTestCase):
    def setUp(self):
        super().setUp()
        self.login(self.alice)

    def url(self, name: str, unit) -> str:
        return reverse(f"reports:{name}", kwargs={"request_pk": self.req.pk, "unit_pk": unit.pk})

    def download(self, unit=None) -> bytes:
        response = self.client.get(self.url("report-xlsx", unit or self.school))
        self.assertEqual(response.status_code, 200)
        return response.content

    def upload(self, data: bytes, unit=None, *, submit=False, name="bao-cao.xlsx"):
        """Post the file and follow its upload job (run at once in tests) to where it leads."""
        post = {"file": SimpleUploadedFile(name, data)}
        if submit:
            post["submit"] = "1"
        return self.client.post(self.url("report-xlsx-upload", unit or self.school), post, follow=True)

    def assertSaved(self, response) -> None:
        """The upload led to the report's page."""
        report = Report.objects.get(request=self.req, unit=self.school)
        self.assertRedirects(response, reverse("reports:report-detail", kwargs={"pk": report.pk}))

    def assertNothingSaved(self, unit=None):
        self.assertFalse(Report.objects.filter(request=self.req, unit=unit or self.school).exists())
        self.assertFalse(ReportVersion.objects.exists())

    def test_upload_gives_the_same_values_as_the_web_form(self):
        web = report_get_or_create(request=self.req, unit=self.factory)
        report_save(report=web, raw=WEB_RAW, by=self.alice)

        response = self.upload(fill(self.download(), CELL_INPUT), submit=True)

        self.assertSaved(response)
        report = Report.objects.get(request=self.req, unit=self.school)
        self.assertEqual(report_values(report), report_values(web))
        self.assertEqual(report.status, Report.Status.SUBMITTED)
        self.assertEqual(report.current_version.source, ReportVersion.Source.XLSX)
        self.assertEqual(report_values(report)["total"], 135)

    def test_rows_inserted_by_the_user_do_not_shift_the_values(self):
        response = self.upload(fill(self.download(), CELL_INPUT, insert_rows_at=12))
        self.assertSaved(response)
        values = report_values(Report.objects.get(request=self.req, unit=self.school))
        self.assertEqual(values["registered"], 120)
        self.assertEqual(values["helped_amount"], 3000000)

    def test_the_file_is_prefilled_protected_and_signed(self):
        report = report_get_or_create(request=self.req, unit=self.school)
        report_save(report=report, raw=WEB_RAW, by=self.alice)
        response = self.client.get(reverse("reports:report-xlsx", kwargs={"pk": report.pk}))
        self.assertEqual(response.status_code, 200)
        wb = load_workbook(BytesIO(response.content))
        ws = wb[DATA_SHEET]
        rows = rows_by_code(ws)
        self.assertIn(self.school.name, ws["B7"].value)
        self.assertIn(self.school.code, ws["B7"].value)
        self.assertTrue(ws.column_dimensions["A"].hidden)
        self.assertTrue(ws.protection.sheet)
        self.assertFalse(ws[f"D{rows['registered']}"].protection.locked)
        self.assertTrue(ws[f"B{rows['registered']}"].protection.locked)
        self.assertTrue(ws[f"D{rows['total']}"].protection.locked)
        self.assertEqual(ws[f"D{rows['total']}"].value, f"=(D{rows['registered']}+D{rows['helped']})")
        self.assertEqual(ws[f"D{rows['initiative_value']}"].value, 1234000)
        self.assertEqual(ws[f"D{rows['initiative_value']}"].number_format, "#,##0")
        self.assertEqual(ws[f"D{rows['has_club']}"].value, "Có")
        kinds = {dv.type for dv in ws.data_validations.dataValidation}
        self.assertEqual(kinds, {"whole", "decimal", "list"})
        self.assertEqual(wb[META_SHEET].sheet_state, "veryHidden")

    def test_every_bad_figure_is_listed_by_cell_and_nothing_is_saved(self):
        data = self.download()
        rows = rows_by_code(load_workbook(BytesIO(data))[DATA_SHEET])
        bad = dict(CELL_INPUT, registered="mười hai", rate=120, helped=600)
        response = self.upload(fill(data, bad))
        self.assertEqual(response.status_code, 400)
        errors = [str(e) for e in response.context["errors"]]
        self.assertIn(f"D{rows['registered']}: This is not a number.", errors)
        self.assertIn(f"D{rows['rate']}: A percentage is between 0 and 100.", errors)
        self.assertIn(f"D{rows['helped']}: The figure is above the maximum 499.", errors)
        self.assertContains(response, f"D{rows['rate']}", status_code=400)
        self.assertNothingSaved()

    def test_a_broken_rule_is_refused(self):
        response = self.upload(fill(self.download(), dict(CELL_INPUT, registered=1, pilot_models=5)))
        self.assertEqual(response.status_code, 400)
        self.assertEqual(
            [str(e) for e in response.context["errors"]], ["Pilot models cannot exceed registrations."]
        )
        self.assertNothingSaved()

    def test_a_required_figure_left_empty_is_refused(self):
        response = self.upload(fill(self.download(), dict(CELL_INPUT, registered=None)))
        rows = rows_by_code(load_workbook(BytesIO(self.download()))[DATA_SHEET])
        self.assertIn(
            f"D{rows['registered']}: This figure is required.", [str(e) for e in response.context["errors"]]
        )
        self.assertNothingSaved()

    def file_errors(self, response) -> list[str]:
        """The errors listed, refused on the form (the upload gate) or back from the worker."""
        self.assertEqual(response.status_code, 400)
        form_errors = [m for messages in response.context["form"].errors.values() for m in messages]
        return form_errors + [str(e) for e in response.context["errors"]]

    def test_a_tampered_file_is_refused(self):
        wb = load_workbook(BytesIO(fill(self.download(), CELL_INPUT)))
        meta = wb[META_SHEET]
        meta["B4"] = str(self.factory.pk)  # pretend to be the factory's file
        out = BytesIO()
        wb.save(out)
        errors = self.file_errors(self.upload(out.getvalue(), self.factory))
        self.assertEqual(len(errors), 1)
        self.assertIn("identification has been changed", errors[0])
        self.assertNothingSaved(self.factory)

    def test_another_units_file_is_refused(self):
        factory_file = fill(self.download(self.factory), CELL_INPUT)
        errors = self.file_errors(self.upload(factory_file, self.school))
        self.assertEqual(len(errors), 1)
        self.assertIn("for another unit, report or form version", errors[0])
        self.assertNothingSaved()

    def test_another_forms_file_is_refused(self):
        other = make_request(make_form(self.dongha, code="OTHER"), self.dongha, [self.school])
        response = self.client.get(
            reverse("reports:report-xlsx", kwargs={"request_pk": other.pk, "unit_pk": self.school.pk})
        )
        errors = self.file_errors(self.upload(fill(response.content, CELL_INPUT)))
        self.assertIn("for another unit, report or form version", errors[0])
        self.assertNothingSaved()

    def test_a_random_xlsx_is_refused(self):
        wb = Workbook()
        wb.active["A1"] = "registered"
        wb.active["D1"] = 5
        out = BytesIO()
        wb.save(out)
        errors = self.file_errors(self.upload(out.getvalue()))
        self.assertIn("not a report form downloaded from this system", errors[0])
        self.assertNothingSaved()

    def test_a_docx_renamed_xlsx_is_refused(self):
        from docx import Document

        out = BytesIO()
        Document().save(out)
        errors = self.file_errors(self.upload(out.getvalue(), name="bao-cao.xlsx"))
        self.assertEqual(
            errors, ["This is not an Excel .xlsx file. Download the form again and fill it in Excel."]
        )
        self.assertNothingSaved()

    def test_plain_bytes_are_refused(self):
        errors = self.file_errors(self.upload(b"not a spreadsheet at all"))
        self.assertIn("not an Excel .xlsx file", errors[0])

    def test_a_file_over_the_size_limit_is_refused(self):
        response = self.upload(fill(self.download(), CELL_INPUT) + b"\0" * (5 * 1024 * 1024))
        self.assertEqual(response.status_code, 400)
        self.assertContains(response, "The file is larger than 5 MB.", status_code=400)
        self.assertNothingSaved()

    def test_a_file_downloaded_before_another_save_is_refused(self):
        data = fill(self.download(), CELL_INPUT)
        report = report_get_or_create(request=self.req, unit=self.school)
        report_save(report=report, raw=WEB_RAW, by=self.alice)
        errors = self.file_errors(self.upload(data))
        self.assertIn("Someone else saved this report", errors[0])
        self.assertEqual(report.versions.count(), 1)

    def test_a_submitted_report_cannot_be_overwritten(self):
        report = report_get_or_create(request=self.req, unit=self.school)
        report_save(report=report, raw=WEB_RAW, by=self.alice, submit=True)
        errors = self.file_errors(self.upload(fill(self.download(), CELL_INPUT)))
        self.assertIn("can no longer be changed", errors[0])
        self.assertEqual(report.versions.count(), 1)

    def test_an_existing_report_is_updated_through_its_own_url(self):
        report = report_get_or_create(request=self.req, unit=self.school)
        report_save(report=report, raw=WEB_RAW, by=self.alice)
        data = self.client.get(reverse("reports:report-xlsx", kwargs={"pk": report.pk})).content
        url = reverse("reports:report-xlsx-upload", kwargs={"pk": report.pk})
        response = self.client.post(
            url, {"file": SimpleUploadedFile("f.xlsx", fill(data, {"registered": 130}))}, follow=True
        )
        self.assertRedirects(response, reverse("reports:report-detail", kwargs={"pk": report.pk}))
        self.assertEqual(report.versions.count(), 2)
        values = report_values(Report.objects.get(pk=report.pk))
        self.assertEqual(values["registered"], 130)
        self.assertEqual(values["initiative_value"], 1234000)  # prefilled in the file, kept

    def test_the_upload_page_shows_the_form(self):
        response = self.client.get(self.url("report-xlsx-upload", self.school))
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, 'data-testid="upload-form"')


class ExcelFormulaTests(BaseTestCase):
    def test_it_translates_simple_arithmetic(self):
        self.assertEqual(excel_formula("a + b * 2", {"a": 10, "b": 11}), "=(D10+(D11*2))")

    def test_it_guards_division_like_the_app(self):
        self.assertEqual(excel_formula("a / b", {"a": 10, "b": 11}), "=IFERROR((D10/D11),0)")

    def test_it_gives_up_on_anything_else(self):
        self.assertIsNone(excel_formula("a > b", {"a": 10, "b": 11}))
        self.assertIsNone(excel_formula("a + flag", {"a": 10}))


class ExcelScopeTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.version = make_form(cls.dongha)
        cls.req = make_request(cls.version, cls.dongha, [cls.school, cls.factory])
        cls.report = report_get_or_create(request=cls.req, unit=cls.school)

    def urls(self, name: str) -> list[str]:
        return [
            reverse(f"reports:{name}", kwargs={"pk": self.report.pk}),
            reverse(f"reports:{name}", kwargs={"request_pk": self.req.pk, "unit_pk": self.school.pk}),
        ]

    def test_charlie_gets_404_on_download_and_upload(self):
        self.login(self.charlie)
        for url in self.urls("report-xlsx") + self.urls("report-xlsx-upload"):
            self.assertEqual(self.client.get(url).status_code, 404, url)
        for url in self.urls("report-xlsx-upload"):
            self.assertEqual(self.client.post(url, {}).status_code, 404, url)

    def test_a_unit_that_is_not_a_recipient_gets_404(self):
        self.login(self.alice)
        url = reverse("reports:report-xlsx", kwargs={"request_pk": self.req.pk, "unit_pk": self.dongha.pk})
        self.assertEqual(self.client.get(url).status_code, 404)

    def test_bob_may_download_but_not_upload(self):
        self.login(self.bob)
        for url in self.urls("report-xlsx"):
            self.assertEqual(self.client.get(url).status_code, 200, url)
        for url in self.urls("report-xlsx-upload"):
            self.assertEqual(self.client.get(url).status_code, 403, url)
            self.assertEqual(self.client.post(url, {}).status_code, 403, url)

    def test_it_requires_login(self):
        for url in self.urls("report-xlsx"):
            self.assertEqual(self.client.get(url).status_code, 302)
