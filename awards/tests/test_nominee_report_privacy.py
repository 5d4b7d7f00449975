"""A nominee's achievement report prints the member's current sex, birth date and ethnicity only
to readers of the member's current unit: a unit the member has left keeps the paper, not the data
the new unit keeps (as the register's exports do)."""

from __future__ import annotations

import datetime
import io
import zipfile

from django.contrib.auth import get_user_model
from django.urls import reverse

from awards.tests import factories as f
from awards.tests.test_nomination_views import docx_text
from lib.testing import BaseTestCase
from org.models import Member
from org.services.members import member_move, member_update

NEW_BIRTH = datetime.date(1981, 7, 9)


class NomineeReportPrivacyTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        Member.objects.filter(pk=cls.ha.pk).update(ethnicity="Vân Kiều")
        cls.ha.refresh_from_db()
        rnd = f.make_round(cls.dongha, 2025, ("giay-khen",))
        cls.nomination = f.make_nomination(rnd, "giay-khen", cls.school, members=[cls.ha])
        cls.nominee = cls.nomination.nominees.get()
        cls.root_user = get_user_model().objects.create_superuser("root", password="x")

    def report(self, user) -> str:
        self.login(user)
        r = self.client.get(reverse("awards:nominee-report", args=[self.nominee.pk]))
        self.assertEqual(r.status_code, 200)
        return docx_text(r.content)

    def dossier(self, user) -> str:
        self.login(user)
        r = self.client.get(reverse("awards:nomination-dossier", args=[self.nomination.pk]))
        self.assertEqual(r.status_code, 200)
        with zipfile.ZipFile(io.BytesIO(r.content)) as zf:
            return "\n".join(docx_text(zf.read(name)) for name in zf.namelist())

    def move_out_and_correct(self, to_unit) -> None:
        member_move(member=self.ha, to_unit=to_unit, moved_on=datetime.date(2025, 3, 1))
        member_update(member=Member.objects.get(pk=self.ha.pk), date_of_birth=NEW_BIRTH)

    def test_the_unit_holding_the_member_sees_the_personal_data(self):
        for text in (self.report(self.alice), self.dossier(self.alice)):
            self.assertIn("Ngày sinh: 01/05/1980", text)
            self.assertIn("Giới tính: Nữ", text)
            self.assertIn("Dân tộc: Vân Kiều", text)

    def test_a_unit_the_member_left_does_not_see_the_current_data(self):
        self.move_out_and_correct(self.port)  # Quảng Bình, outside Alice's units
        for text in (self.report(self.alice), self.dossier(self.alice)):
            self.assertIn("Họ và tên: Nguyễn Thị Thu Hà", text)  # the paper itself stays
            self.assertNotIn("09/07/1981", text)
            self.assertNotIn("Ngày sinh", text)
            self.assertNotIn("Dân tộc", text)
            self.assertNotIn("Giới tính", text)

    def test_a_reader_of_the_new_unit_still_sees_it(self):
        self.move_out_and_correct(self.port)
        self.assertIn("Ngày sinh: 09/07/1981", self.report(self.root_user))

    def test_a_move_inside_the_readers_units_changes_nothing(self):
        self.move_out_and_correct(self.factory)
        self.assertIn("Ngày sinh: 09/07/1981", self.report(self.alice))
