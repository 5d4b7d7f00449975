"""The import's fast paths give exactly what the general code gives (lib.text, json.dumps)."""

import datetime
import json
import tempfile
import unicodedata
from pathlib import Path

from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.test import SimpleTestCase

from imports.members import ImportResult, import_members_file
from imports.members.importer import _changes_json, _Importer
from imports.tests.rosters import cccd, member_rows, write_csv
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


class ChangesJsonTests(SimpleTestCase):
    def test_it_is_what_json_dumps_writes(self):
        pairs = [(f"f{n}", text, "None") for n, text in enumerate(AWKWARD)]
        self.assertEqual(_changes_json(pairs), json.dumps({name: [old, new] for name, old, new in pairs}))


class ImportAuditIdsTests(BaseTestCase):
    def test_each_audit_entry_names_the_member_it_describes(self):
        rows = member_rows(40)
        rows[7][0] = 'Trần "Tí" \\ Văn'
        with tempfile.TemporaryDirectory() as tmp:
            path = write_csv(Path(tmp) / "roster.csv", rows)
            result = import_members_file(path=path, unit=self.dongha, imported_by=self.alice)

        self.assertTrue(result.ok, result.errors)
        entries = LogEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(Member), action=LogEntry.Action.CREATE
        )
        members = {m.pk: m for m in Member.objects.filter(cccd__in=[cccd(i) for i in range(40)])}
        self.assertEqual(len(members), 40)
        seen = set()
        for entry in entries.filter(object_id__in=members):
            member = members[entry.object_id]
            seen.add(member.pk)
            self.assertEqual(entry.object_pk, str(member.pk))
            self.assertEqual(entry.object_repr, member.full_name)
            self.assertEqual(entry.changes["cccd"], ["None", member.cccd])
            self.assertEqual(entry.changes["full_name"], ["None", member.full_name])
            self.assertEqual(entry.changes["date_of_birth"], ["None", member.date_of_birth.isoformat()])
            self.assertEqual(entry.changes["sex"], ["None", member.sex])
            self.assertEqual(
                set(entry.changes), {"unit", "cccd", "full_name", "date_of_birth", "sex", "phone", "position"}
            )
            self.assertEqual(entry.changes["unit"], ["None", str(self.dongha.pk)])
        self.assertEqual(seen, set(members))
        self.assertEqual(Member.objects.get(cccd=cccd(7)).full_name, 'Trần "Tí" \\ Văn')
