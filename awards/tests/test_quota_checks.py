"""Quotas checked at submission, one scope at a time: per issuing body per year, per province per
theme, nationally per theme, and as a share of another list's nominees."""

from django.core.exceptions import ValidationError

from awards.models import AwardQuota, AwardRecord, Nomination
from awards.services import nominations as services
from awards.services.quotas import quota_problems
from awards.tests import factories as f
from awards.tests import factories_nominations as fn
from lib.testing import BaseTestCase, EnglishMixin
from org.models import Sex, UnitKind, UnitLevel
from org.services.units import unit_create

S = AwardQuota.Scope


class QuotaTestCase(EnglishMixin, BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        fn.officers(cls)
        cls.an = fn.member(cls.school, "Phạm Văn An")
        cls.binh = fn.member(cls.school, "Hoàng Thị Bình", Sex.FEMALE)

    def refused(self, nomination, by) -> list[str]:
        with self.assertRaises(ValidationError) as ctx:
            services.nomination_submit(nomination=nomination, submitted_by=by)
        nomination.refresh_from_db()
        self.assertIn(nomination.status, (Nomination.Status.DRAFT, Nomination.Status.RETURNED))
        return ctx.exception.messages


class IssuerYearQuotaTests(QuotaTestCase):
    def test_lists_decided_by_the_same_body_in_the_year_share_the_cap(self):
        award = fn.quota_award(scope=S.ISSUER_YEAR, limit=3)  # decided by the provincial federation
        rnd = f.make_round(self.quangtri, 2025)
        fn.proposal(rnd, award, self.school, self.sam, members=[self.ha, self.an], submit=True)
        f.record(award.code, 2025, member=self.binh, issuer=self.quangtri)  # already awarded this year
        f.record(award.code, 2024, member=self.duc, issuer=self.quangtri)  # another year: not counted
        late = fn.proposal(rnd, award, self.factory, self.alice, members=[self.duc])
        reasons = self.refused(late, self.alice)
        self.assertEqual(len(reasons), 1)
        self.assertIn("per issuing body per year (Liên đoàn Lao động tỉnh Quảng Trị, 2025)", reasons[0])
        self.assertIn("at most 3; 3 already proposed or awarded and 1 in this list", reasons[0])

    def test_another_issuer_withdrawn_lists_and_other_drafts_do_not_count(self):
        award = fn.quota_award(scope=S.ISSUER_YEAR, limit=1)
        rnd = f.make_round(self.root, 2025)
        fn.proposal(
            rnd, award, self.port, self.charlie, members=[self.lan], submit=True
        )  # Quảng Bình decides
        fn.proposal(rnd, award, self.school, self.sam, members=[self.an])  # a draft
        gone = fn.proposal(rnd, award, self.school, self.sam, members=[self.binh], submit=True)
        services.nomination_withdraw(nomination=gone, by=self.sam)
        ok = fn.proposal(rnd, award, self.factory, self.alice, members=[self.duc], submit=True)
        self.assertEqual(ok.status, Nomination.Status.SUBMITTED)

    def test_a_list_over_the_cap_on_its_own_is_refused(self):
        award = fn.quota_award(scope=S.ISSUER_YEAR, limit=1)
        rnd = f.make_round(self.quangtri, 2025)
        nomination = fn.proposal(rnd, award, self.school, self.sam, members=[self.ha, self.an])
        self.assertIn(
            "0 already proposed or awarded and 2 in this list", self.refused(nomination, self.sam)[0]
        )


class ProvinceThemeQuotaTests(QuotaTestCase):
    THEME = "Xanh - Sạch - Đẹp, Bảo đảm ATVSLĐ"

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.award = fn.quota_award(scope=S.PROVINCE_THEME, limit=1, decider_level=UnitLevel.CONFEDERATION)
        cls.rnd = f.make_round(cls.root, 2025, kind="theme", theme=cls.THEME)

    def test_the_cap_is_per_province(self):
        fn.proposal(self.rnd, self.award, self.quangtri, self.quinn, members=[self.ha], submit=True)
        qb = fn.proposal(self.rnd, self.award, self.quangbinh, self.charlie, members=[self.lan], submit=True)
        self.assertEqual(qb.status, Nomination.Status.SUBMITTED)  # Quảng Bình's own place
        second = fn.proposal(self.rnd, self.award, self.dongha, self.alice, members=[self.duc])
        reasons = self.refused(second, self.alice)
        self.assertEqual(len(reasons), 1)
        self.assertIn(
            f"per province per theme (Liên đoàn Lao động tỉnh Quảng Trị, {self.THEME}, 2025)", reasons[0]
        )

    def test_a_list_spanning_provinces_is_checked_per_province(self):
        both = fn.proposal(self.rnd, self.award, self.root, self.root_officer, members=[self.ha, self.lan])
        services.nomination_submit(nomination=both, submitted_by=self.root_officer)
        self.assertEqual(both.status, Nomination.Status.SUBMITTED)
        over = fn.proposal(self.rnd, self.award, self.root, self.root_officer, members=[self.duc, self.an])
        reasons = self.refused(over, self.root_officer)
        self.assertEqual(len(reasons), 1)  # one province (Quảng Trị), both in it
        self.assertIn("1 already proposed or awarded and 2 in this list", reasons[0])

    def test_other_themes_and_years_are_separate_but_awarded_records_count(self):
        fn.proposal(self.rnd, self.award, self.quangtri, self.quinn, members=[self.ha], submit=True)
        other_theme = f.make_round(self.root, 2025, kind="theme", theme="Giỏi việc nước, đảm việc nhà")
        ok = fn.proposal(other_theme, self.award, self.quangtri, self.quinn, members=[self.an], submit=True)
        self.assertEqual(ok.status, Nomination.Status.SUBMITTED)
        f.record(self.award.code, 2025, member=self.lan, theme=self.THEME, province=self.quangbinh)
        late = fn.proposal(self.rnd, self.award, self.quangbinh, self.charlie, members=[self.lan])
        self.assertIn("Quảng Bình", self.refused(late, self.charlie)[0])

    def test_the_default_catalogue_caps_a_theme_at_four_per_province(self):
        award = f.award("bang-khen-chuyen-de-tld")
        self.rnd.awards.add(award)
        district = unit_create(
            parent=self.quangtri, code="QT.GL", name="LĐLĐ huyện Gio Linh", kind=UnitKind.DISTRICT
        )
        people = [fn.member(district, f"Công nhân {i}") for i in range(5)]
        nomination = fn.proposal(self.rnd, award, self.quangtri, self.quinn, members=people)
        reasons = self.refused(nomination, self.quinn)
        self.assertEqual(len(reasons), 1)
        self.assertIn("at most 4; 0 already proposed or awarded and 5 in this list", reasons[0])


class NationThemeQuotaTests(QuotaTestCase):
    def test_the_cap_counts_every_province_for_the_theme(self):
        theme = "Giỏi việc nước, đảm việc nhà"
        award = fn.quota_award(scope=S.NATION_THEME, limit=2, decider_level=UnitLevel.CONFEDERATION)
        rnd = f.make_round(self.root, 2025, kind="theme", theme=theme)
        fn.proposal(rnd, award, self.quangtri, self.quinn, members=[self.ha, self.an], submit=True)
        late = fn.proposal(rnd, award, self.quangbinh, self.charlie, members=[self.lan])
        reasons = self.refused(late, self.charlie)
        self.assertIn(f"nationally per theme ({theme}, 2025)", reasons[0])
        other_year = f.make_round(self.root, 2026, kind="theme", theme=theme)
        ok = fn.proposal(other_year, award, self.quangbinh, self.charlie, members=[self.lan], submit=True)
        self.assertEqual(ok.status, Nomination.Status.SUBMITTED)


class ShareQuotaTests(QuotaTestCase):
    def test_at_most_a_share_of_the_units_nominees_for_the_other_award(self):
        base = fn.quota_award(scope=S.ISSUER_YEAR, limit=100)
        share = fn.quota_award(scope=S.SHARE_OF_NOMINEES, percent="20", of_award=base)
        rnd = f.make_round(self.quangtri, 2025)
        extra = [fn.member(self.school, f"Giáo viên {i}") for i in range(3)]
        fn.proposal(rnd, base, self.school, self.sam, members=[self.ha, self.an, *extra])  # 5 proposed
        two = fn.proposal(rnd, share, self.school, self.sam, members=[self.ha, self.an])
        reasons = self.refused(two, self.sam)
        self.assertIn("at most 20% of the 5 nominees", reasons[0])
        self.assertIn("that is 1; this list has 2", reasons[0])
        services.nominee_remove(nominee=two.nominees.get(member=self.an), removed_by=self.sam)
        services.nomination_submit(nomination=two, submitted_by=self.sam)
        self.assertEqual(two.status, Nomination.Status.SUBMITTED)

    def test_the_default_catalogue_share_for_excellent_grassroots_unions(self):
        # "vững mạnh xuất sắc": at most 20 % of those proposed "vững mạnh" by the same unit.
        rnd = f.make_round(self.dongha, 2025, ("cdcs-vung-manh", "cdcs-vung-manh-xuat-sac"))
        ground = "Đã chấm điểm, chờ công bố"
        fn.proposal(
            rnd,
            f.award("cdcs-vung-manh"),
            self.dongha,
            self.alice,
            units=[self.school, self.factory],
            grounds=ground,
        )
        best = fn.proposal(
            rnd,
            f.award("cdcs-vung-manh-xuat-sac"),
            self.dongha,
            self.alice,
            units=[self.school],
            grounds=ground,
        )
        self.assertIn("that is 0; this list has 1", self.refused(best, self.alice)[0])

    def test_no_problem_without_nominees_or_quotas(self):
        rnd = f.make_round(self.quangtri, 2025, ("giay-khen",))
        nomination = fn.proposal(rnd, f.award("giay-khen"), self.school, self.sam)
        self.assertEqual(quota_problems(nomination=nomination), [])
        self.assertFalse(AwardRecord.objects.exists())
