"""No existence oracle for CCCDs outside an officer's units.

A CCCD is unique across the country, so a number held by any member cannot be given to another
(no duplicates); but the officer is told the same thing whether the holder is in their units or
not, and never where. The award register import goes further: a CCCD held outside the importing
subtree is treated exactly like a CCCD on no roster at all."""

from __future__ import annotations

import tempfile
from pathlib import Path

from django.core.exceptions import ValidationError
from django.test import override_settings
from django.urls import reverse
from django.utils import translation

from awards.models import AwardRecord
from awards.services.register_import import import_register_file
from awards.tests.factories_register import xlsx
from awards.tests.test_register_import import HEADER
from imports.members import import_members_file
from imports.tests.rosters import write_csv
from lib.testing import BaseTestCase, EnglishMixin
from org.models import Member, Sex
from org.services.members import member_create
from org.validators import cccd_taken_message

UNKNOWN = "045190000099"  # well formed, held by nobody
WHERE = ("Cảng Nhật Lệ", "Quảng Bình", "Đồng Hới", "Lê Thị Lan", "outside", "another unit")


class MemberFormTests(EnglishMixin, BaseTestCase):
    url = reverse("org:member-create")

    def post(self, cccd: str):
        data = {"unit": self.school.pk, "full_name": "Võ Thị Sáu", "sex": Sex.FEMALE, "cccd": cccd}
        return self.client.post(self.url, data)

    def test_a_cccd_held_outside_is_refused_in_the_same_words_as_one_held_inside(self):
        self.login(self.alice)
        outside, inside = self.post(self.lan.cccd), self.post(self.duc.cccd)  # Lan: Quảng Bình
        self.assertEqual(outside.context["form"].errors["cccd"], [cccd_taken_message()])
        self.assertEqual(inside.context["form"].errors["cccd"], [cccd_taken_message()])
        for words in WHERE:
            self.assertNotContains(outside, words)
        self.assertEqual(Member.objects.filter(cccd=self.lan.cccd).count(), 1)  # no duplicate
        self.assertEqual(self.post(UNKNOWN).status_code, 302)

    def test_the_service_names_no_unit_either(self):
        with self.assertRaises(ValidationError) as caught:
            member_create(unit=self.school, full_name="Võ Thị Sáu", sex=Sex.FEMALE, cccd=self.lan.cccd)
        self.assertEqual(caught.exception.message_dict["cccd"], [cccd_taken_message()])


class RosterImportTests(BaseTestCase):
    def test_a_cccd_held_outside_is_refused_without_saying_where(self):
        self.enterContext(translation.override("en"))
        with tempfile.TemporaryDirectory() as tmp:
            rows = [["Lê Thị Lan Mới", "01/05/1980", "Nữ", self.lan.cccd, "", "Kế toán"]]
            path = write_csv(Path(tmp) / "roster.csv", rows)
            result = import_members_file(path=path, unit=self.dongha, imported_by=self.alice)
        self.assertEqual([(e.column, e.message) for e in result.errors], [("Số CCCD", cccd_taken_message())])
        for words in WHERE:
            self.assertNotIn(words, result.errors[0].message)
        self.assertEqual(Member.objects.filter(cccd=self.lan.cccd).count(), 1)


@override_settings(LANGUAGE_CODE="en")
class RegisterImportTests(BaseTestCase):
    def run_import(self, cccd: str, name: str = "Lê Thị Lan"):
        row = [1, name, None, cccd, None, "Nữ", None, "Giấy khen", 2020, "1/QĐ", None, None, None]
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "so-khen-thuong.xlsx"
            path.write_bytes(xlsx([HEADER, row]))
            return import_register_file(path=path, unit=self.dongha, imported_by=self.alice)

    def outcome(self, cccd: str) -> tuple:
        result = self.run_import(cccd)
        line = AwardRecord.objects.get()
        outcome = (result.errors, result.added, result.linked, line.member_id, line.unit_id, line.name)
        AwardRecord.objects.all().delete()
        return outcome

    def test_a_cccd_held_outside_is_treated_like_one_on_no_roster(self):
        outside, unknown = self.outcome(self.lan.cccd), self.outcome(UNKNOWN)
        self.assertEqual(outside, unknown)
        self.assertEqual(outside, ([], 1, 0, None, self.dongha.pk, "Lê Thị Lan"))

    def test_a_cccd_held_inside_still_links_the_member(self):
        result = self.run_import(self.ha.cccd, name=self.ha.full_name)  # Hà is at the school
        self.assertEqual((result.errors, result.linked), ([], 1))
        self.assertEqual(AwardRecord.objects.get().member_id, self.ha.pk)
