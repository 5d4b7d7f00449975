"""The import's fast paths give exactly what the general code gives (lib.text); its id ranges and audit entry."""

import datetime
import tempfile
import unicodedata
from pathlib import Path

from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.test import SimpleTestCase

from imports.members import ImportResult, import_members_file
from imports.members.importer import _Importer
from imports.members.staging import IdRanges
from imports.models import ImportJob
from imports.tests.rosters import cccd, member_rows, write_csv
from lib.audit import audit_for_object
from lib.tabular import Header, clean_str, parse_date
from lib.testing import BaseTestCase
from lib.text import clean, fold
from org.models import Member

AWKWARD = [
    "",
    "   ",
    "Nguyễn  Thị\tThu\u00a0Hà ",
    unicodedata.normalize("NFD", "Đặng Văn Ánh"),
    'Trần "Tí" \\ Lê\n',
    "Σίσυφος ΣΑΣ",
    "İstanbul ǅemal",
    "x\u2028y\u3000z",
    "Nguyễn Văn A (Út)",
]


class CleanFastPathTests(SimpleTestCase):
    def test_it_matches_lib_text_clean(self):
        for text in AWKWARD:
            with self.subTest(text=text):
                self.assertEqual(clean_str(text), clean(text))


class FoldByWordsTests(BaseTestCase):
    def test_it_matches_lib_text_fold(self):
        importer = _Importer(
            unit=self.dongha,
            user=None,
            columns=Header(row=1, index={"full_name": 0}, headers={}, ignored=[]),
            result=ImportResult(),
        )
        for text in AWKWARD:
            with self.subTest(text=text):
                self.assertEqual(importer.fold_name(text), fold(text))


class DateFastPathTests(SimpleTestCase):
    def test_it_reads_what_the_general_parser_reads(self):
        self.assertEqual(parse_date("05/03/1990"), datetime.date(1990, 3, 5))
        self.assertEqual(parse_date("٠٥/٠٣/١٩٩٠"), datetime.date(1990, 3, 5))  # Arabic-Indic digits, as \d
        self.assertEqual(parse_date(" 5/3/1990 "), datetime.date(1990, 3, 5))

    def test_it_rejects_what_the_general_parser_rejects(self):
        for text in ("31/02/1990", "05/13/1990", "²5/03/1990", "05/03/199x"):
            with self.subTest(text=text), self.assertRaises(ValueError):
                parse_date(text)


class IdRangesTests(SimpleTestCase):
    def test_ids_in_any_order_become_sorted_disjoint_ranges(self):
        ids = IdRanges()
        for pk in [5, 6, 7, 9, 10, 3, 8, 20, 1, 2]:
            ids.add(pk)
        self.assertEqual(ids.as_list(), [[1, 3], [5, 10], [20, 20]])
        self.assertEqual(len(ids), 10)
        self.assertEqual([pk for pk in range(0, 22) if pk in ids], [1, 2, 3, 5, 6, 7, 8, 9, 10, 20])


class ImportAuditIdsTests(BaseTestCase):
    def test_one_entry_names_every_member_written_and_no_other(self):
        rows = member_rows(40)
        rows[7][0] = 'Trần "Tí" \\ Văn'
        with tempfile.TemporaryDirectory() as tmp:
            path = write_csv(Path(tmp) / "roster.csv", rows)
            result = import_members_file(path=path, unit=self.dongha, imported_by=self.alice)

        self.assertTrue(result.ok, result.errors)
        members = list(Member.objects.filter(cccd__in=[cccd(i) for i in range(40)]))
        self.assertEqual(len(members), 40)
        entries = LogEntry.objects.filter(content_type=ContentType.objects.get_for_model(ImportJob))
        (entry,) = entries
        self.assertEqual(entry.changes["added"], [None, "40"])
        for member in members:
            self.assertEqual(list(audit_for_object(member)), [entry])
        before = Member.objects.exclude(pk__in=[m.pk for m in members]).first()
        self.assertNotIn(entry, list(audit_for_object(before)))
        self.assertFalse(
            LogEntry.objects.filter(
                content_type=ContentType.objects.get_for_model(Member), object_id__in=[m.pk for m in members]
            ).exists()
        )
