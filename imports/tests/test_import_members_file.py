import datetime
import tempfile
from pathlib import Path

from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from imports.members import ImportResult, import_members_file
from imports.models import ImportJob
from imports.tests.rosters import HEADERS, cccd, member_rows, write_csv, write_xlsx
from lib.audit import audit_for_object
from lib.tabular import RowError
from lib.testing import BaseTestCase
from org.models import Member, MemberMove, Sex
from org.validators import cccd_taken_message


class ImportTestCase(BaseTestCase):
    def setUp(self) -> None:
        tmp = tempfile.TemporaryDirectory()
        self.addCleanup(tmp.cleanup)
        self.dir = Path(tmp.name)
        # Messages are checked in their English source form, whatever the catalogue holds.
        self.enterContext(translation.override("en"))

    def run_import(self, path: Path, unit=None, user=None) -> ImportResult:
        return import_members_file(path=path, unit=unit or self.dongha, imported_by=user or self.alice)

    def csv(self, rows, **kwargs) -> Path:
        return write_csv(self.dir / "roster.csv", rows, **kwargs)


class ImportMembersFileTests(ImportTestCase):
    def test_it_adds_new_members_with_folded_names_counts_and_audit(self):
        result = self.run_import(self.csv(member_rows(3)))

        self.assertTrue(result.ok, result.errors)
        self.assertEqual((result.added, result.updated, result.unchanged, result.rows), (3, 0, 0, 3))
        member = Member.objects.get(cccd=cccd(0))
        self.assertEqual(member.full_name, "Nguyễn Thị Thu Hà")
        self.assertEqual(member.name_folded, "nguyen thi thu ha")
        self.assertEqual(member.sex, Sex.FEMALE)
        self.assertEqual(member.date_of_birth, datetime.date(1970, 1, 1))
        self.assertEqual(member.unit, self.dongha)
        self.dongha.refresh_from_db()
        self.assertEqual((self.dongha.member_count, self.dongha.female_count), (3, 1))
        # One audit entry for the whole import, on the member's history through its id ranges.
        self.assertFalse(
            LogEntry.objects.filter(
                content_type=ContentType.objects.get_for_model(Member), object_id=member.pk
            ).exists()
        )
        (entry,) = audit_for_object(member)
        self.assertEqual(entry.content_type, ContentType.objects.get_for_model(ImportJob))
        self.assertEqual(entry.action, LogEntry.Action.CREATE)
        self.assertEqual(entry.actor, self.alice)
        self.assertEqual(entry.object_repr, "roster.csv")
        self.assertEqual(entry.additional_data["unit_id"], self.dongha.pk)
        self.assertEqual((entry.changes["added"], entry.changes["rows"]), ([None, "3"], [None, "3"]))
        self.assertEqual(sum(b - a + 1 for a, b in result.member_ids["added"]), 3)
        self.assertNotIn(entry, list(audit_for_object(self.ha)))  # not imported: not named

    def test_the_members_history_page_shows_who_imported_it_and_when(self):
        self.run_import(self.csv(member_rows(2)))
        member = Member.objects.get(cccd=cccd(1))

        self.login(self.alice)
        page = self.client.get(reverse("org:member-audit", args=[member.pk])).content.decode()

        self.assertIn("roster.csv", page)
        self.assertIn(str(self.alice), page)
        other = self.client.get(reverse("org:member-audit", args=[self.ha.pk])).content.decode()
        self.assertNotIn("roster.csv", other)

    def test_one_bad_row_among_500_saves_nothing_and_reports_only_that_row(self):
        rows = member_rows(500)
        rows[321][1] = "31/02/1990"  # row 323 in the file: header is row 1
        members, entries = Member.objects.count(), LogEntry.objects.count()

        result = self.run_import(self.csv(rows))

        self.assertFalse(result.ok)
        self.assertEqual(
            result.errors,
            [RowError(323, "Ngày sinh", "31/02/1990", "This is not a date; write it as dd/mm/yyyy.")],
        )
        self.assertEqual((result.added, result.updated, result.unchanged, result.rows), (0, 0, 0, 500))
        self.assertEqual(Member.objects.count(), members)
        self.assertEqual(LogEntry.objects.count(), entries)
        self.dongha.refresh_from_db()
        self.assertEqual(self.dongha.member_count, 0)

    def test_a_bad_row_in_a_later_chunk_rolls_back_the_chunks_already_written(self):
        rows = member_rows(4500)
        rows[4400][3] = "12345"
        members = Member.objects.count()

        result = self.run_import(self.csv(rows))

        self.assertEqual([(e.row, e.column) for e in result.errors], [(4402, "Số CCCD")])
        self.assertEqual(Member.objects.count(), members)

    def test_it_reports_every_kind_of_error(self):
        headers = [*HEADERS, "Ngày vào công đoàn", "Mã đơn vị"]
        ok = ["Trần Văn An", "01/02/1980", "Nam", cccd(1), "0912345678", "", "01/01/2005", ""]
        rows = [
            ok,
            ["Lê Văn Bình", "32/13/1980", "Nam", cccd(2), "", "", "", ""],  # 3: bad date
            ["Lê Văn Cường", "01/02/1980", "Nam", "04519", "", "", "", ""],  # 4: bad CCCD
            ["Lê Văn Dũng", "01/02/1980", "Nam", cccd(1), "", "", "", ""],  # 5: duplicate of row 2
            ["", "01/02/1980", "Nam", cccd(5), "", "", "", ""],  # 6: no name
            ["Lê Thị Én", "01/02/1980", "Không rõ", cccd(6), "", "", "", ""],  # 7: bad sex
            ["Lê Văn Giang", "01/02/1980", "Nam", cccd(7), "", "", "", "QB.DHO.001"],  # 8: other province
            ["Lê Văn Hải", "01/02/2099", "Nam", cccd(8), "", "", "", ""],  # 9: born in the future
            ["Lê Văn Khoa", "01/02/2020", "Nam", cccd(9), "", "", "", ""],  # 10: too young
            ["Lê Văn Long", "01/02/1980", "Nam", cccd(10), "12", "", "", ""],  # 11: bad phone
            [
                "Lê Văn Minh",
                "01/02/1980",
                "Nam",
                cccd(11),
                "",
                "",
                "01/01/1970",
                "",
            ],  # 12: joined before birth
            ["Lê Văn Nam", "01/02/1980", "Nam", cccd(12), "", "", "", "NO.SUCH"],  # 13: unknown unit
            ["Lê Văn Phúc", "01/02/1980", "", cccd(13), "", "", "", ""],  # 14: no sex
        ]
        result = self.run_import(self.csv(rows, headers=headers))

        self.assertEqual(
            [(e.row, e.column, e.value) for e in result.errors],
            [
                (2, "Số CCCD", cccd(1)),
                (3, "Ngày sinh", "32/13/1980"),
                (4, "Số CCCD", "04519"),
                (5, "Số CCCD", cccd(1)),
                (6, "Họ và tên", ""),
                (7, "Giới tính", "Không rõ"),
                (8, "Mã đơn vị", "QB.DHO.001"),
                (9, "Ngày sinh", "01/02/2099"),
                (10, "Ngày sinh", "01/02/2020"),
                (11, "Số điện thoại", "12"),
                (12, "Ngày vào công đoàn", "01/01/1970"),
                (13, "Mã đơn vị", "NO.SUCH"),
                (14, "Giới tính", ""),
            ],
        )
        self.assertEqual(result.error_count, 13)
        self.assertIn("row 5", result.errors[0].message)
        self.assertIn("row 2", result.errors[3].message)
        self.assertEqual(result.errors[1].message, "This is not a date; write it as dd/mm/yyyy.")
        self.assertFalse(Member.objects.filter(full_name="Trần Văn An").exists())

    def test_a_cccd_repeated_in_a_later_chunk_is_reported_on_both_rows_and_saves_nothing(self):
        rows = member_rows(5200)
        rows[5100][3] = rows[10][3]  # file rows 12 and 5102: different chunks of 5,000
        members = Member.objects.count()

        result = self.run_import(self.csv(rows))

        self.assertEqual(
            [(e.row, e.column, e.message) for e in result.errors],
            [
                (12, "Số CCCD", "This CCCD also appears in row 5102."),
                (5102, "Số CCCD", "This CCCD also appears in row 12."),
            ],
        )
        self.assertEqual((result.added, result.member_ids), (0, {}))
        self.assertEqual(Member.objects.count(), members)

    def test_a_reimport_of_the_same_file_changes_nothing(self):
        path = self.csv(member_rows(40))
        first = self.run_import(path)
        entries = LogEntry.objects.count()
        stamps = dict(Member.objects.values_list("cccd", "updated_at"))

        again = self.run_import(path)

        self.assertEqual(first.added, 40)
        self.assertEqual((again.added, again.updated, again.unchanged), (0, 0, 40))
        # The run is recorded (one entry), naming no member: none was written.
        self.assertEqual(LogEntry.objects.count(), entries + 1)
        self.assertEqual(LogEntry.objects.latest("id").additional_data["bulk"]["ids"], [])
        self.assertEqual(again.member_ids, {"added": [], "updated": []})
        self.assertEqual(dict(Member.objects.values_list("cccd", "updated_at")), stamps)

    def test_a_changed_field_is_updated_and_the_import_is_on_the_members_history(self):
        rows = [["Nguyễn Thị Thu Hà", "01/05/1980", "Nữ", self.ha.cccd, "0912 345 678", "Hiệu trưởng"]]

        result = self.run_import(self.csv(rows))

        self.assertEqual((result.added, result.updated, result.unchanged), (0, 1, 0))
        self.ha.refresh_from_db()
        self.assertEqual(self.ha.position, "Hiệu trưởng")
        self.assertEqual(self.ha.unit, self.school)  # no unit code: the member stays where she is
        self.assertEqual(result.member_ids, {"added": [], "updated": [[self.ha.pk, self.ha.pk]]})
        entry = audit_for_object(self.ha).first()
        self.assertEqual(entry.content_type, ContentType.objects.get_for_model(ImportJob))
        self.assertEqual((entry.changes["updated"], entry.actor), ([None, "1"], self.alice))
        self.assertEqual(entry.additional_data["unit_id"], self.dongha.pk)

    def test_a_cccd_of_another_province_is_reported_not_overwritten(self):
        rows = [["Lê Thị Lan Mới", "01/05/1980", "Nữ", self.lan.cccd, "", "Kế toán"]]

        result = self.run_import(self.csv(rows))

        self.assertEqual([(e.row, e.column, e.value) for e in result.errors], [(2, "Số CCCD", self.lan.cccd)])
        self.assertEqual(result.errors[0].message, cccd_taken_message())  # says not where, nor "outside"
        self.assertNotIn(self.port.name, result.errors[0].message)  # charlie's unit stays unnamed
        self.lan.refresh_from_db()
        self.assertEqual(
            (self.lan.full_name, self.lan.position, self.lan.unit), ("Lê Thị Lan", "", self.port)
        )

    def test_a_unit_code_places_and_moves_members_within_the_subtree(self):
        headers = [*HEADERS, "Mã đơn vị"]
        rows = [
            ["Phan Văn Tài", "01/05/1980", "Nam", cccd(1), "", "", "QT.DH.002"],
            ["Nguyễn Thị Thu Hà", "01/05/1980", "Nữ", self.ha.cccd, "", "", "QT.DH.002"],
        ]
        result = self.run_import(self.csv(rows, headers=headers))

        self.assertEqual((result.added, result.updated), (1, 1), result.errors)
        self.assertEqual(Member.objects.get(cccd=cccd(1)).unit, self.factory)
        self.ha.refresh_from_db()
        self.assertEqual(self.ha.unit, self.factory)
        move = MemberMove.objects.get(member=self.ha)
        self.assertEqual(
            (move.from_unit, move.to_unit, move.created_by), (self.school, self.factory, self.alice)
        )
        self.school.refresh_from_db()
        self.factory.refresh_from_db()
        self.assertEqual((self.school.member_count, self.factory.member_count), (0, 3))

    def test_a_missing_required_column_is_one_error(self):
        result = self.run_import(
            self.csv(member_rows(5), headers=["Họ và tên", "Ngày sinh", "Giới", "Điện thoại"])
        )

        self.assertEqual(len(result.errors), 1)
        self.assertEqual(result.errors[0].column, "Số CCCD")
        self.assertEqual(result.rows, 0)

    def test_a_file_without_a_name_header_is_one_error(self):
        result = self.run_import(self.csv([["a", "b"]], headers=["x", "y"]))

        self.assertEqual(len(result.errors), 1)
        self.assertIn("Họ và tên", result.errors[0].message)

    def test_title_rows_variant_headers_and_unknown_columns_are_handled(self):
        headers = ["STT", "Họ tên", "Giới tính (Nam/Nữ)", "Số CMND/CCCD", "SĐT", "Ngày vào CĐ", "Ghi chú"]
        before = [["LIÊN ĐOÀN LAO ĐỘNG TỈNH QUẢNG TRỊ"], ["DANH SÁCH ĐOÀN VIÊN"], []]
        rows = [["1", "Hồ Văn Tâm", "nam", cccd(1), "912345678", "2010-09-01", "chuyển đến"]]

        result = self.run_import(self.csv(rows, headers=headers, before=before))

        self.assertTrue(result.ok, result.errors)
        self.assertEqual(result.ignored_columns, ["STT", "Ghi chú"])
        member = Member.objects.get(cccd=cccd(1))
        self.assertEqual((member.sex, member.joined_on), (Sex.MALE, datetime.date(2010, 9, 1)))

    def test_error_rows_are_numbered_as_the_spreadsheet_shows_them(self):
        rows = [*member_rows(2), ["", "", "", "", "", ""], ["Ngô Văn Sơn", "1/2/1980", "Nam", "123", "", ""]]

        result = self.run_import(write_xlsx(self.dir / "r.xlsx", rows, before=[["DANH SÁCH"], []]))

        self.assertEqual([(e.row, e.column) for e in result.errors], [(7, "Số CCCD")])

    def test_excel_cells_give_dates_serials_and_numbers_without_lost_zeros(self):
        rows = [
            ["Đỗ Thị Mai", datetime.datetime(1985, 3, 4), "", 45190000111, 912345678, "Kế toán"],
            ["Đỗ Văn Hùng", 31110, "x", int(cccd(2)), "", ""],  # 31110: Excel serial of 04/03/1985
        ]
        headers = ["Họ và tên", "Ngày sinh", "Nam", "Số CCCD", "Số điện thoại", "Chức vụ"]

        result = self.run_import(write_xlsx(self.dir / "r.xlsx", rows, headers=headers))

        self.assertTrue(result.ok, result.errors)
        mai = Member.objects.get(cccd="045190000111")
        self.assertEqual(
            (mai.date_of_birth, mai.phone, mai.sex), (datetime.date(1985, 3, 4), "0912345678", Sex.FEMALE)
        )
        hung = Member.objects.get(cccd=cccd(2))
        self.assertEqual((hung.date_of_birth, hung.sex), (datetime.date(1985, 3, 4), Sex.MALE))

    def test_reads_per_chunk_do_not_grow_with_the_number_of_rows(self):
        small, large = (
            self.csv(member_rows(5)),
            write_csv(self.dir / "large.csv", member_rows(1500, start=100)),
        )

        def reads(path: Path) -> list[str]:
            with CaptureQueriesContext(connection) as ctx:
                self.assertTrue(self.run_import(path).ok)
            return [
                q["sql"].split(" FROM ")[1][:40]
                for q in ctx.captured_queries
                if q["sql"].startswith("SELECT")
            ]

        self.assertEqual(len(reads(small)), len(reads(large)))
        self.assertEqual(Member.objects.filter(unit=self.dongha).count(), 1505)
