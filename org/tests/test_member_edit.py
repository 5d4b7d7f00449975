from django.urls import reverse

from lib.testing import BaseTestCase
from org.models import Member, Sex


class MemberCreateTests(BaseTestCase):
    url = reverse("org:member-create")

    def data(self, **extra) -> dict:
        data = {
            "unit": self.school.pk,
            "full_name": "  Võ   Thị Sáu ",
            "date_of_birth": "25/12/1990",
            "sex": Sex.FEMALE,
            "cccd": "045 190 000 009",
            "phone": "0912 345 678",
            "position": "Giáo viên",
            "ethnicity": "Kinh",
            "joined_on": "01/09/2015",
            "card_number": "QT-0009",
        }
        data.update(extra)
        return data

    def test_it_preselects_the_unit(self):
        self.login(self.alice)
        r = self.client.get(self.url, {"unit": self.factory.pk})
        self.assertEqual(r.status_code, 200)
        self.assertEqual(r.context["form"].initial["unit"], self.factory)

    def test_it_offers_only_writable_units(self):
        self.login(self.alice)
        r = self.client.get(self.url)
        units = set(r.context["form"].fields["unit"].queryset)
        self.assertEqual(units, {self.dongha, self.school, self.factory})

    def test_it_creates_a_member_with_dates_in_dd_mm_yyyy(self):
        self.login(self.alice)
        r = self.client.post(self.url, self.data())
        member = Member.objects.get(cccd="045190000009")
        self.assertRedirects(r, reverse("org:member-detail", args=[member.pk]))
        self.assertEqual(member.full_name, "Võ Thị Sáu")
        self.assertEqual(member.name_folded, "vo thi sau")
        self.assertEqual(member.date_of_birth.isoformat(), "1990-12-25")
        self.assertEqual(member.joined_on.isoformat(), "2015-09-01")
        self.assertEqual(member.phone, "0912345678")
        self.assertEqual(member.unit, self.school)
        self.school.refresh_from_db()
        self.assertEqual(self.school.member_count, 2)

    def test_it_rejects_a_bad_cccd(self):
        self.login(self.alice)
        for cccd in ("12345", "999190000009", "04519000000x"):
            r = self.client.post(self.url, self.data(cccd=cccd))
            self.assertEqual(r.status_code, 200, cccd)
            self.assertIn("cccd", r.context["form"].errors, cccd)
        self.assertFalse(Member.objects.filter(full_name="Võ Thị Sáu").exists())

    def test_it_rejects_a_cccd_of_another_member_without_naming_the_unit(self):
        self.login(self.alice)
        r = self.client.post(self.url, self.data(cccd=self.lan.cccd))  # Lan is in Quảng Bình
        self.assertEqual(r.status_code, 200)
        self.assertIn("cccd", r.context["form"].errors)
        self.assertNotContains(r, "Cảng Nhật Lệ")
        self.assertEqual(Member.objects.filter(cccd=self.lan.cccd).count(), 1)

    def test_it_rejects_a_bad_date_and_phone(self):
        self.login(self.alice)
        r = self.client.post(self.url, self.data(date_of_birth="31/02/1990", phone="12ab"))
        self.assertEqual(set(r.context["form"].errors), {"date_of_birth", "phone"})

    def test_it_rejects_a_unit_outside_write_scope(self):
        self.login(self.alice)
        r = self.client.post(self.url, self.data(unit=self.port.pk))
        self.assertIn("unit", r.context["form"].errors)
        self.assertFalse(Member.objects.filter(cccd="045190000009").exists())

    def test_it_returns_403_for_a_viewer(self):
        self.login(self.bob)
        self.assertEqual(self.client.get(self.url).status_code, 403)
        self.assertEqual(self.client.post(self.url, self.data()).status_code, 403)
        self.assertFalse(Member.objects.filter(cccd="045190000009").exists())


class MemberEditTests(BaseTestCase):
    def url(self, member=None) -> str:
        return reverse("org:member-edit", args=[(member or self.ha).pk])

    def data(self, **extra) -> dict:
        data = {
            "full_name": "Nguyễn Thị Thu Hà",
            "date_of_birth": "01/05/1980",
            "sex": Sex.FEMALE,
            "cccd": "045190000001",
            "phone": "",
            "position": "Hiệu trưởng",
            "ethnicity": "",
            "joined_on": "",
            "card_number": "",
        }
        data.update(extra)
        return data

    def test_it_shows_the_current_values(self):
        self.login(self.alice)
        r = self.client.get(self.url())
        self.assertContains(r, 'value="01/05/1980"')
        self.assertContains(r, 'value="045190000001"')

    def test_it_saves_changes(self):
        self.login(self.alice)
        r = self.client.post(self.url(), self.data(full_name="Nguyễn Thị Thu Hằng"))
        self.assertRedirects(r, reverse("org:member-detail", args=[self.ha.pk]))
        self.ha.refresh_from_db()
        self.assertEqual(self.ha.full_name, "Nguyễn Thị Thu Hằng")
        self.assertEqual(self.ha.name_folded, "nguyen thi thu hang")
        self.assertEqual(self.ha.position, "Hiệu trưởng")

    def test_it_keeps_the_members_own_cccd(self):
        self.login(self.alice)
        r = self.client.post(self.url(), self.data())
        self.assertEqual(r.status_code, 302)

    def test_it_rejects_another_members_cccd(self):
        self.login(self.alice)
        r = self.client.post(self.url(), self.data(cccd=self.duc.cccd))
        self.assertIn("cccd", r.context["form"].errors)
        self.ha.refresh_from_db()
        self.assertEqual(self.ha.cccd, "045190000001")

    def test_it_returns_403_for_a_viewer(self):
        self.login(self.bob)
        self.assertEqual(self.client.get(self.url()).status_code, 403)
        r = self.client.post(self.url(), self.data(full_name="Bob was here"))
        self.assertEqual(r.status_code, 403)
        self.ha.refresh_from_db()
        self.assertEqual(self.ha.full_name, "Nguyễn Thị Thu Hà")

    def test_it_returns_404_outside_scope(self):
        self.login(self.charlie)
        self.assertEqual(self.client.get(self.url()).status_code, 404)
        r = self.client.post(self.url(), self.data(full_name="Charlie was here"))
        self.assertEqual(r.status_code, 404)
        self.ha.refresh_from_db()
        self.assertEqual(self.ha.full_name, "Nguyễn Thị Thu Hà")
