import io
import tempfile
import zipfile
from pathlib import Path

import openpyxl

from imports.members import import_members_file
from imports.tests.rosters import HEADERS, member_rows, write_csv, write_ods, write_xls, write_xlsx
from lib.tabular.readers import ImportFileError, detect_encoding, open_rows, sniff_delimiter
from lib.testing import BaseTestCase
from org.models import Member

NAMES = ["Nguyễn Thị Thu Hà", "Trần Văn Đức", "Lê Minh Khôi"]


class RosterReaderTests(BaseTestCase):
    def setUp(self) -> None:
        tmp = tempfile.TemporaryDirectory()
        self.addCleanup(tmp.cleanup)
        self.dir = Path(tmp.name)

    def assert_imports(self, path: Path) -> None:
        result = import_members_file(path=path, unit=self.dongha, imported_by=self.alice)
        self.assertTrue(result.ok, result.errors)
        self.assertEqual(result.added, 3)
        names = sorted(Member.objects.filter(unit=self.dongha).values_list("full_name", flat=True))
        self.assertEqual(names, sorted(NAMES))

    def test_it_reads_xlsx(self):
        self.assert_imports(write_xlsx(self.dir / "r.xlsx", member_rows(3), before=[["DANH SÁCH ĐOÀN VIÊN"]]))

    def test_it_reads_xls(self):
        path = write_xls(self.dir / "r.xls", member_rows(3), before=[["DANH SÁCH ĐOÀN VIÊN"]])
        self.assertTrue(path.read_bytes().startswith(b"\xd0\xcf\x11\xe0"))  # OLE2, not a renamed xlsx
        self.assert_imports(path)

    def test_it_reads_ods(self):
        self.assert_imports(write_ods(self.dir / "r.ods", member_rows(3)))

    def test_it_reads_utf8_csv_with_a_bom(self):
        path = write_csv(self.dir / "r.csv", member_rows(3), encoding="utf-8-sig")
        self.assertTrue(path.read_bytes().startswith(b"\xef\xbb\xbf"))
        self.assert_imports(path)

    def test_it_reads_utf8_csv_without_a_bom_and_with_semicolons(self):
        self.assert_imports(write_csv(self.dir / "r.csv", member_rows(3), encoding="utf-8", delimiter=";"))

    def test_it_reads_excel_unicode_text_utf16_tab_separated(self):
        path = write_csv(self.dir / "r.txt", member_rows(3), encoding="utf-16", delimiter="\t")
        self.assertTrue(path.read_bytes().startswith(b"\xff\xfe"))
        self.assert_imports(path)

    def test_it_reads_windows_1258_and_stores_composed_text(self):
        path = write_csv(self.dir / "r.csv", member_rows(3), encoding="cp1258")
        with self.assertRaises(UnicodeDecodeError):
            path.read_bytes().decode("utf-8")
        self.assert_imports(path)
        self.assertTrue(
            Member.objects.filter(full_name="Nguyễn Thị Thu Hà", name_folded="nguyen thi thu ha").exists()
        )

    def test_it_detects_encodings_and_delimiters(self):
        self.assertEqual(detect_encoding("Họ tên".encode()), ("utf-8", 0))
        self.assertEqual(detect_encoding(b"\xef\xbb\xbfabc"), ("utf-8", 3))
        self.assertEqual(detect_encoding("ab".encode("utf-16")), ("utf-16-le", 2))
        self.assertEqual(detect_encoding(b"H\xd2 t\xean"), ("cp1258", 0))
        self.assertEqual(sniff_delimiter("a;b;c\n1;2,5;3\n"), ";")
        self.assertEqual(sniff_delimiter("a\tb\n1\t2\n"), "\t")
        self.assertEqual(sniff_delimiter("a,b\n1,2\n"), ",")

    def test_it_numbers_rows_as_the_spreadsheet_shows_them(self):
        path = write_xlsx(self.dir / "r.xlsx", member_rows(1), before=[["Title"], [None]])
        with open_rows(path) as source:
            rows = list(source.rows)
        self.assertEqual([n for n, _ in rows], [1, 2, 3, 4])
        self.assertEqual(rows[2][1][0], HEADERS[0])

    def test_it_refuses_unreadable_files_with_a_clear_error(self):
        cases = {
            "empty.csv": b"",
            "report.pdf": b"%PDF-1.4 not a roster",
            "broken.xlsx": b"PK\x03\x04 this is not really a zip",
            "other.xlsx": self._zip({"word/document.xml": "<w/>"}),
            "binary.csv": b"\x00\x01\x02\x00garbage",
        }
        for name, content in cases.items():
            path = self.dir / name
            path.write_bytes(content)
            with self.subTest(name), self.assertRaises(ImportFileError) as ctx:
                import_members_file(path=path, unit=self.dongha, imported_by=self.alice, filename=name)
            self.assertTrue(str(ctx.exception))

    def test_the_template_reads_back_with_the_example_row(self):
        from imports.files import template_xlsx

        path = self.dir / "template.xlsx"
        path.write_bytes(template_xlsx())
        result = import_members_file(path=path, unit=self.dongha, imported_by=self.alice)
        self.assertTrue(result.ok, result.errors)
        self.assertEqual((result.added, result.ignored_columns), (1, []))

    @staticmethod
    def _zip(files: dict[str, str]) -> bytes:
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w") as zf:
            for name, text in files.items():
                zf.writestr(name, text)
        return out.getvalue()


class TemplateWorkbookTests(BaseTestCase):
    def test_it_has_vietnamese_headers_an_example_and_a_sex_list(self):
        from imports.files import template_xlsx

        wb = openpyxl.load_workbook(io.BytesIO(template_xlsx()))
        ws = wb.active
        headers = [c.value for c in ws[1]]
        self.assertEqual(headers[:4], ["Họ và tên", "Ngày sinh", "Giới tính", "Số CCCD"])
        self.assertIn("Ngày vào công đoàn", headers)
        self.assertEqual(ws["A2"].value, "Nguyễn Thị Thu Hà")
        formulas = [dv.formula1 for dv in ws.data_validations.dataValidation]
        self.assertEqual(formulas, ['"Nam,Nữ"'])
        self.assertIn("C2", ws.data_validations.dataValidation[0].sqref)
