"""The demo loader: tree shape, accounts, search, counts, idempotence and scoping."""

from io import StringIO

from django.conf import settings
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.test import RequestFactory, TestCase

from accounts.models import User
from accounts.scoping import visible_units
from org.models import Member, MemberStatus, Sex, Unit, UnitKind, UnitLink
from org.selectors.search import member_search
from org.selectors.units import unit_rollup

QT_DISTRICTS = {
    "Liên đoàn Lao động thành phố Đông Hà",
    "Liên đoàn Lao động thị xã Quảng Trị",
    "Liên đoàn Lao động huyện Vĩnh Linh",
    "Liên đoàn Lao động huyện Gio Linh",
    "Liên đoàn Lao động huyện Cam Lộ",
    "Liên đoàn Lao động huyện Triệu Phong",
    "Liên đoàn Lao động huyện Hải Lăng",
    "Liên đoàn Lao động huyện Hướng Hóa",
    "Liên đoàn Lao động huyện Đakrông",
}


class LoadDemoTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.out = StringIO()
        call_command("load_demo", members=300, stdout=cls.out)
        cls.quangtri = Unit.objects.get(code="QT")
        cls.quangbinh = Unit.objects.get(code="QB")

    def test_it_prints_the_accounts(self):
        text = self.out.getvalue()
        for username in ("tinh.quangtri", "cdcs.demo", "admin", settings.DEMO_PASSWORD):
            self.assertIn(username, text)
        self.assertIn("Công đoàn Trường THCS Nguyễn Trãi", text)

    def test_the_demo_accounts_log_in_with_the_demo_password(self):
        for username in ("tinh.quangtri", "cdcs.demo", "admin"):
            request = RequestFactory().post("/accounts/login/")
            user = authenticate(request, username=username, password=settings.DEMO_PASSWORD)
            self.assertIsNotNone(user, username)
        self.assertTrue(User.objects.get(username="admin").is_superuser)

    def test_quang_tri_has_its_real_upper_level_unions(self):
        children = Unit.objects.filter(path__startswith=self.quangtri.path, depth=self.quangtri.depth + 1)
        districts = set(children.filter(kind=UnitKind.DISTRICT).values_list("name", flat=True))
        self.assertEqual(districts, QT_DISTRICTS)
        self.assertEqual(children.filter(kind=UnitKind.CIVIL_SERVANTS).count(), 1)
        self.assertEqual(children.filter(kind=UnitKind.ZONE).count(), 1)
        self.assertGreaterEqual(children.filter(kind=UnitKind.SECTOR).count(), 3)
        grassroots = Unit.objects.filter(path__startswith=self.quangtri.path, kind=UnitKind.GRASSROOTS)
        self.assertGreaterEqual(grassroots.count(), 200)
        self.assertTrue(Unit.objects.filter(kind=UnitKind.GROUP).exists())

    def test_every_unit_has_a_current_parent_link(self):
        self.assertEqual(UnitLink.objects.filter(valid_to__isnull=True).count(), Unit.objects.count())

    def test_the_signer_is_found_without_accents(self):
        found = member_search(
            Member.objects.filter(unit__path__startswith=self.quangtri.path), "nguyen thi thu ha"
        )
        self.assertIn("Nguyễn Thị Thu Hà", [m.full_name for m in found])

    def test_members_have_valid_unique_cccds_and_both_sexes(self):
        cccds = list(Member.objects.values_list("cccd", flat=True))
        self.assertEqual(len(cccds), 300)
        self.assertEqual(len(set(cccds)), 300)
        self.assertTrue(all(len(c) == 12 and c.isdigit() for c in cccds))
        female = Member.objects.filter(sex=Sex.FEMALE).count()
        self.assertTrue(0.4 < female / 300 < 0.7, female)

    def test_rolled_up_counts_equal_the_active_members(self):
        active = Member.objects.filter(status=MemberStatus.ACTIVE)
        self.assertLess(active.count(), Member.objects.count())  # some have left: the check can fail
        root = Unit.objects.get_first_root_node()
        rollup = unit_rollup(unit=root)
        self.assertEqual(rollup["members"], active.count())
        self.assertEqual(rollup["female"], active.filter(sex=Sex.FEMALE).count())
        qt = unit_rollup(unit=self.quangtri)
        self.assertEqual(qt["members"], active.filter(unit__path__startswith=self.quangtri.path).count())
        self.assertGreater(unit_rollup(unit=self.quangbinh)["members"], 0)

    def test_if_empty_a_second_time_changes_nothing(self):
        before = (Unit.objects.count(), Member.objects.count(), User.objects.count())
        out = StringIO()
        call_command("load_demo", if_empty=True, members=300, stdout=out)
        self.assertEqual((Unit.objects.count(), Member.objects.count(), User.objects.count()), before)
        self.assertIn("already", out.getvalue())
        self.assertIn("cdcs.demo", out.getvalue())

    def test_cdcs_demo_sees_only_its_grassroots_union(self):
        cdcs = User.objects.get(username="cdcs.demo")
        visible = visible_units(user=cdcs)
        self.assertFalse(visible.filter(path__startswith=self.quangbinh.path).exists())
        self.assertFalse(visible.filter(pk=self.quangtri.pk).exists())
        self.assertTrue(visible.filter(code="QT.DH.001").exists())

    def test_the_provincial_officer_sees_quang_tri_but_not_quang_binh(self):
        officer = User.objects.get(username="tinh.quangtri")
        visible = visible_units(user=officer)
        self.assertTrue(visible.filter(pk=self.quangtri.pk).exists())
        self.assertFalse(visible.filter(path__startswith=self.quangbinh.path).exists())
