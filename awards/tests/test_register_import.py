"""Import of old registers: every error listed by row and column, nothing saved on error, lines
linked to members, units, issuers and provinces, and a second import adding nothing."""

import datetime
import tempfile
from pathlib import Path
from unittest import mock

from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext

from awards.models import AwardRecord, RecipientKind
from awards.services.register_import import ImportFileError, import_register_file
from awards.services.register_rows import issuer_level_from_text
from awards.tests import factories as f
from awards.tests.factories_register import xlsx
from lib.testing import BaseTestCase, EnglishMixin
from org.models import Sex, UnitLevel
from org.services.members import member_create

HEADER = [
    "STT",
    "Họ và tên",
    "Tên tập thể",
    "Số CCCD",
    "Ngày sinh",
    "Giới tính",
    "Đơn vị",
    "Danh hiệu / Hình thức khen thưởng",
    "Năm",
    "Số quyết định",
    "Ngày quyết định",
    "Cấp khen",
    "Ghi chú",
]
GOOD_ROWS = [
    [1, "Nguyễn Thị Thu Hà", None, "045190000001", "01/05/1980", "Nữ", "QT.DH.001",
     "chien si thi dua co so", 2019, "10/QĐ-CĐ", "20/12/2019", "Công đoàn Trường THPT Lê Lợi", ""],
    [2, "Trần Văn Đức", None, None, None, "Nam", "Công đoàn Công ty May Đông Hà",
     "GIẤY KHEN", "2020", "25/QĐ-LĐLĐ", datetime.date(2021, 1, 10), "LĐLĐ thành phố Đông Hà", None],
    [3, "Phạm Văn Cũ", None, None, None, "nam", None,
     "lao-dong-tien-tien", 2018.0, "5/QĐ-CT", None, "Thủ trưởng đơn vị", "Đã nghỉ hưu"],
    [4, None, "Công đoàn Trường THPT Lê Lợi", None, None, None, None,
     "Công đoàn cơ sở vững mạnh", 2021, "3/QĐ-LĐLĐ", "05/01/2022", "Liên đoàn Lao động tỉnh Quảng Trị", None],
    [5, None, "Tổ công đoàn Khối văn phòng", None, None, None, "QT.DH.002",
     "Giấy khen", 2022, None, None, None, None],
]  # fmt: skip


def person_row(no, name: str, award: str, year, *, cccd: str | None = None, born: str | None = None) -> list:
    """One person's line of a register with only the cells a test is about; the others blank."""
    return [no, name, None, cccd, born, None, None, award, year, None, None, None, None]


class ImportCase(BaseTestCase):
    def run_import(self, rows, *, user=None, unit=None, suffix=".xlsx", content=None, title_rows=0):
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / f"so-khen-thuong{suffix}"
            path.write_bytes(content if content is not None else xlsx(rows, title_rows=title_rows))
            return import_register_file(path=path, unit=unit or self.dongha, imported_by=user or self.alice)


class SuccessfulImportTests(ImportCase):
    def test_every_line_is_added_with_what_the_register_needs(self):
        result = self.run_import([HEADER, *GOOD_ROWS], title_rows=3)
        self.assertEqual(result.errors, [])
        self.assertEqual((result.rows, result.added, result.linked, result.unchanged), (5, 5, 1, 0))
        self.assertEqual(result.ignored_columns, [])
        lines = {r.name: r for r in AwardRecord.objects.all()}
        self.assertEqual(len(lines), 5)
        self.assertEqual(lines["Phạm Văn Cũ"].note, "Đã nghỉ hưu")  # the "Ghi chú" column is kept

        ha = lines["Nguyễn Thị Thu Hà"]
        self.assertEqual(
            (ha.member_id, ha.unit_id, ha.award.code, ha.year),
            (self.ha.pk, self.school.pk, "cstd-co-so", 2019),
        )
        self.assertEqual(
            (ha.recipient_kind, ha.sex, ha.sector), (RecipientKind.MEMBER, Sex.FEMALE, "public_service")
        )
        self.assertEqual(
            (ha.name_folded, ha.unit_name), ("nguyen thi thu ha", "Công đoàn Trường THPT Lê Lợi")
        )
        self.assertEqual(
            (ha.province_id, ha.issuer_id, ha.issuer_level),
            (self.quangtri.pk, self.school.pk, UnitLevel.GRASSROOTS),
        )
        self.assertEqual((ha.decision_number, ha.decided_on), ("10/QĐ-CĐ", datetime.date(2019, 12, 20)))
        self.assertEqual(
            (ha.source, ha.status, ha.created_by),
            (AwardRecord.Source.IMPORT, AwardRecord.Status.VALID, self.alice),
        )

        duc = lines["Trần Văn Đức"]  # no CCCD: kept by name, unit found by its name
        self.assertEqual((duc.member_id, duc.unit_id, duc.sex), (None, self.factory.pk, Sex.MALE))
        self.assertEqual(
            (duc.issuer_id, duc.issuer_level, duc.sector), (self.dongha.pk, UnitLevel.UPPER, "non_state")
        )
        self.assertEqual(duc.recipient_kind, RecipientKind.PERSON)

        old = lines["Phạm Văn Cũ"]  # no unit: the importing unit; an issuer outside the union
        self.assertEqual(
            (old.unit_id, old.award.code, old.year), (self.dongha.pk, "lao-dong-tien-tien", 2018)
        )
        self.assertIsNone(old.issuer_level)
        self.assertEqual(old.issuer_name, "Thủ trưởng đơn vị")

        school = lines["Công đoàn Trường THPT Lê Lợi"]  # a collective found by its name
        self.assertEqual(
            (school.unit_id, school.recipient_kind, school.sex),
            (self.school.pk, RecipientKind.GRASSROOTS, ""),
        )
        self.assertEqual((school.issuer_id, school.issuer_level), (self.quangtri.pk, UnitLevel.PROVINCE))

        group = lines["Tổ công đoàn Khối văn phòng"]  # no issuer: the award's deciding level
        self.assertEqual((group.unit_id, group.recipient_kind), (self.factory.pk, RecipientKind.COLLECTIVE))
        self.assertEqual(group.issuer_level, f.award("giay-khen").decider_level)

        codes = {r.verify_code for r in lines.values()}
        self.assertEqual(len(codes), 5)
        self.assertTrue(all(len(c) == 10 for c in codes))

    def test_each_line_gets_an_audit_entry(self):
        self.run_import([HEADER, *GOOD_ROWS])
        entries = LogEntry.objects.filter(content_type=ContentType.objects.get_for_model(AwardRecord))
        self.assertEqual(entries.count(), 5)
        ha = AwardRecord.objects.get(member=self.ha)
        entry = entries.get(object_id=ha.pk)
        self.assertEqual(
            (entry.action, entry.actor, entry.additional_data),
            (LogEntry.Action.CREATE, self.alice, {"unit_id": self.school.pk}),
        )
        self.assertEqual(entry.changes["award"], ["None", "Chiến sĩ thi đua cơ sở"])

    def test_a_second_import_of_the_same_file_adds_nothing(self):
        self.run_import([HEADER, *GOOD_ROWS])
        result = self.run_import([HEADER, *GOOD_ROWS])
        self.assertEqual((result.added, result.unchanged, result.errors), (0, 5, []))
        self.assertEqual(AwardRecord.objects.count(), 5)

    def test_a_person_without_cccd_is_linked_by_name_and_date_of_birth(self):
        rows = [
            HEADER,
            person_row(1, "Nguyen Thi Thu Ha", "Giấy khen", 2020, born="01/05/1980"),
        ]
        result = self.run_import(rows)
        self.assertEqual((result.added, result.linked), (1, 1))
        line = AwardRecord.objects.get()
        self.assertEqual((line.member_id, line.unit_id, line.sex), (self.ha.pk, self.school.pk, Sex.FEMALE))
        self.assertEqual(line.name, "Nguyen Thi Thu Ha")  # as written in the old register

    def test_two_members_with_the_same_name_and_birthday_are_not_guessed(self):
        member_create(
            unit=self.factory,
            full_name="Nguyễn Thị Thu Hà",
            sex=Sex.FEMALE,
            cccd="045190000099",
            date_of_birth=datetime.date(1980, 5, 1),
        )
        rows = [
            HEADER,
            person_row(1, "Nguyễn Thị Thu Hà", "Giấy khen", 2020, born="01/05/1980"),
        ]
        result = self.run_import(rows)
        self.assertEqual((result.added, result.linked), (1, 0))

    def test_an_award_is_matched_by_the_start_of_its_name(self):
        rows = [
            HEADER,
            person_row(1, "Trần Văn Đức", "Chiến sĩ thi đua cấp tỉnh", 2022, cccd="045090000002"),
        ]
        result = self.run_import(rows)
        self.assertEqual(result.errors, [])
        self.assertEqual(AwardRecord.objects.get().award.code, "cstd-cap-tinh")

    def test_a_csv_file_imports_too(self):
        text = "Họ và tên;Danh hiệu;Năm;Số CCCD\nTrần Văn Đức;Giấy khen;2019;045090000002\n"
        result = self.run_import(None, suffix=".csv", content=text.encode("utf-8"))
        self.assertEqual((result.errors, result.added, result.linked), ([], 1, 1))

    def test_the_file_is_written_in_chunks(self):
        rows = [HEADER] + [
            person_row(i, "Trần Văn Đức", "Giấy khen", 2000 + i, cccd="045090000002") for i in range(1, 8)
        ]
        with mock.patch("awards.services.register_import.CHUNK_SIZE", 3):
            result = self.run_import(rows)
        self.assertEqual((result.errors, result.added), ([], 7))


class FailedImportTests(EnglishMixin, ImportCase):
    def test_every_error_is_listed_and_nothing_is_saved(self):
        bad = [
            [6, None, None, None, None, None, None, "Giấy khen", 2020, None, None, None, None],
            [7, "Lê Văn Sai", None, None, None, None, None, "Huân chương Lao động", 2020, None, None, None, None],
            [8, "Lê Văn Năm", None, None, None, None, None, "Giấy khen", "20xx", None, None, None, None],
            [9, "Lê Văn Ngày", None, None, None, None, None, "Giấy khen", 2020, None, "01/01/2099", None, None],
            [10, "Lê Văn Xa", None, None, None, None, "QB.DHO.001", "Giấy khen", 2020, None, None, None, None],
            [11, "Lê Thị Lan", None, "044190000003", None, None, None, "Giấy khen", 2020, None, None, None, None],
            [12, "Lê Văn Giới", None, None, None, "X", None, "Giấy khen", 2020, None, None, None, None],
            [13, None, "Công đoàn Trường THPT Lê Lợi", None, None, None, None, "Lao động tiên tiến", 2020, None, None, None, None],
            [14, "Nguyễn Văn Khác", None, "045190000001", None, None, None, "Giấy khen", 2020, None, None, None, None],
            [15, "Trần Văn Đức", None, "045090000002", None, None, None, "Giấy khen", 2021, None, None, None, None],
            [16, "Trần Văn Đức", None, "045090000002", None, None, None, "giay khen", 2021, None, None, None, None],
            [17, "Lê Văn Trước", None, None, None, None, None, "Giấy khen", 2020, None, "01/01/2019", None, None],
            [18, "Lê Văn Mơ", None, None, None, None, None, "Bằng khen", 2020, None, None, None, None],
            [19, "Lê Văn Số", None, "12345", None, None, None, "Giấy khen", 2020, None, None, None, None],
        ]  # fmt: skip
        result = self.run_import([HEADER, *GOOD_ROWS, *bad])
        self.assertFalse(result.ok)
        self.assertEqual((result.added, result.linked, result.unchanged), (0, 0, 0))
        self.assertEqual(AwardRecord.objects.count(), 0)
        self.assertEqual(LogEntry.objects.filter(content_type__model="awardrecord").count(), 0)
        found = {(e.row, e.column, e.value) for e in result.errors}
        expected = {
            (7, "Họ và tên", ""),
            (8, "Danh hiệu / Hình thức khen thưởng", "Huân chương Lao động"),
            (9, "Năm", "20xx"),
            (10, "Ngày quyết định", "01/01/2099"),
            (11, "Đơn vị", "QB.DHO.001"),
            (13, "Giới tính", "X"),
            (14, "Danh hiệu / Hình thức khen thưởng", "Lao động tiên tiến"),
            (15, "Họ và tên", "Nguyễn Văn Khác"),
            (17, "Họ và tên", "Trần Văn Đức"),
            (18, "Ngày quyết định", "01/01/2019"),
            (19, "Danh hiệu / Hình thức khen thưởng", "Bằng khen"),
            (20, "Số CCCD", "12345"),
        }
        self.assertEqual(found, expected)
        self.assertEqual(result.error_count, len(expected))
        self.assertEqual([e.row for e in result.errors], sorted(e.row for e in result.errors))
        messages = {e.row: e.message for e in result.errors}
        self.assertEqual(messages[8], "No award of the catalogue has this name or code.")
        self.assertIn("not within", messages[11])
        self.assertIn("not given to collectives", messages[14])
        self.assertIn("does not match", messages[15])
        self.assertIn("row 16", messages[17])
        self.assertIn("Several awards", messages[19])

    def test_an_error_in_a_later_chunk_undoes_the_chunks_already_written(self):
        rows = [HEADER] + [person_row(i, "Trần Văn Đức", "Giấy khen", 2000 + i) for i in range(1, 8)]
        rows.append(person_row(8, "Trần Văn Đức", "Không có", 2020))
        with mock.patch("awards.services.register_import.CHUNK_SIZE", 3):
            result = self.run_import(rows)
        self.assertEqual(
            [(e.row, e.column) for e in result.errors], [(9, "Danh hiệu / Hình thức khen thưởng")]
        )
        self.assertEqual((result.added, AwardRecord.objects.count()), (0, 0))

    def test_a_file_without_a_header_row(self):
        result = self.run_import([["a", "b"], ["c", "d"]])
        self.assertEqual([(e.row, e.column) for e in result.errors], [(0, "")])
        self.assertIn("No header row", result.errors[0].message)

    def test_a_file_without_the_year_column(self):
        result = self.run_import([["Họ và tên", "Danh hiệu"], ["Trần Văn Đức", "Giấy khen"]], title_rows=2)
        self.assertEqual(len(result.errors), 1)
        self.assertEqual(result.errors[0].row, 3)
        self.assertIn("Năm", result.errors[0].message)

    def test_an_unreadable_file_raises(self):
        with self.assertRaises(ImportFileError):
            self.run_import(None, content=b"PK\x03\x04 not really a zip")


class IssuerLevelTests(BaseTestCase):
    def test_levels_named_in_words(self):
        cases = {
            "Tổng Liên đoàn Lao động Việt Nam": (True, UnitLevel.CONFEDERATION),
            "LĐLĐ tỉnh Quảng Bình": (True, UnitLevel.PROVINCE),
            "Công đoàn ngành Giáo dục tỉnh": (True, UnitLevel.UPPER),
            "Công đoàn ngành Trung ương": (True, UnitLevel.PROVINCE),
            "LĐLĐ huyện Vĩnh Linh": (True, UnitLevel.UPPER),
            "Công đoàn cấp trên cơ sở": (True, UnitLevel.UPPER),
            "Công đoàn cơ sở Trường Lê Lợi": (True, UnitLevel.GRASSROOTS),
            "UBND tỉnh Quảng Trị": (True, None),
            "Thủ tướng Chính phủ": (True, None),
            "Ban Thường vụ": (False, None),
        }
        for text, expected in cases.items():
            with self.subTest(text=text):
                self.assertEqual(issuer_level_from_text(text), expected)


class ImportQueryTests(ImportCase):
    def test_the_queries_do_not_grow_with_the_rows(self):
        def rows(n):
            return [HEADER] + [
                [i, f"Người Số {i}", None, None, None, "Nam", "QT.DH.002", "Giấy khen", 1990 + i % 30,
                 f"{i}/QĐ", None, "LĐLĐ thành phố Đông Hà", None]
                for i in range(n)
            ]  # fmt: skip

        def count(n) -> int:
            AwardRecord.objects.all().delete()
            with CaptureQueriesContext(connection) as ctx:
                result = self.run_import(rows(n))
            self.assertEqual(result.added, n)
            return len(ctx.captured_queries)

        count(5)  # content types cached
        few, many = count(10), count(400)
        # a fixed number per chunk, plus the bulk inserts' batches (SQLite caps a batch at its
        # 999 parameters, ~40 lines): never one per row
        self.assertLessEqual(few, 12)
        self.assertLess(many, few + 2 * (400 // 35))


class ImportCommandTests(ImportCase):
    def test_the_command_imports_a_file(self):
        from io import StringIO

        from django.core.management import CommandError, call_command

        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "so.xlsx"
            path.write_bytes(xlsx([HEADER, *GOOD_ROWS]))
            out = StringIO()
            call_command("import_award_register", str(path), unit="QT.DH", user="alice", stdout=out)
            self.assertIn("5 rows: 5 added (1 linked to members), 0 already in the register.", out.getvalue())
            self.assertEqual(AwardRecord.objects.filter(created_by=self.alice).count(), 5)
            path.write_bytes(xlsx([HEADER, [1, "X", None, None, None, None, None, "Không có", 2020]]))
            with self.assertRaises(CommandError):
                call_command("import_award_register", str(path), unit="QT.DH", stdout=out, stderr=StringIO())
