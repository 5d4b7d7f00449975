"""The engine's main paths, per person and as a list; the condition kinds are covered in depth
by test_eligibility_conditions.py."""

import datetime

from awards.selectors import eligibility as el
from awards.tests import factories as f
from lib.testing import BaseTestCase
from org.models import UnitLevel


class EligibilitySmokeTest(BaseTestCase):
    def test_cstd_province_needs_three_years_in_a_row_and_an_initiative(self):
        aw = f.award("cstd-cap-tinh")
        for y in (2023, 2024, 2025):
            f.record("cstd-co-so", y, member=self.ha)
        f.record("cstd-co-so", 2023, member=self.duc)
        f.record("cstd-co-so", 2025, member=self.duc)
        f.initiative(year=2024, level=UnitLevel.PROVINCE, member=self.ha)
        verdict = el.check(award=aw, year=2025, member=self.ha)
        self.assertEqual(verdict.status, el.ELIGIBLE, [r.as_dict() for r in verdict.results])
        duc = el.check(award=aw, year=2025, member=self.duc)
        self.assertEqual(duc.status, el.NOT_ELIGIBLE)  # 2024 is missing: the streak is broken
        self.assertEqual(list(el.eligible_members(award=aw, unit=self.quangtri, year=2025)), [self.ha])
        self.assertEqual(list(el.eligible_members(award=aw, unit=self.quangbinh, year=2025)), [])

    def test_medal_weighted_service_and_once_in_life(self):
        aw = f.award("ky-niem-chuong")
        f.service(
            self.ha, datetime.date(2012, 1, 1), datetime.date(2021, 12, 31), kind="part_time"
        )  # 10 y ×1.5
        self.assertEqual(el.check(award=aw, year=2025, member=self.ha).status, el.ELIGIBLE)  # woman: 15 y
        f.service(self.duc, datetime.date(2012, 1, 1), None, kind="full_time")  # 14 y by 2025, man needs 20
        self.assertEqual(el.check(award=aw, year=2025, member=self.duc).status, el.NOT_YET)
        self.assertEqual(list(el.eligible_members(award=aw, unit=self.root, year=2025)), [self.ha])
        f.record("ky-niem-chuong", 2024, member=self.ha)
        self.assertEqual(el.check(award=aw, year=2025, member=self.ha).status, el.NOT_ELIGIBLE)
        self.assertEqual(list(el.eligible_members(award=aw, unit=self.root, year=2025)), [])
