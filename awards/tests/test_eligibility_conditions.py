"""Each condition kind, passing and failing, judged both ways: `check` (one person or unit, with
reasons) and `eligible_members` / `eligible_units` (the SQL list). Every case asserts that the
two agree: listed exactly when the verdict is "eligible"."""

from __future__ import annotations

import datetime
from decimal import Decimal

from awards.models import Award, AwardRecord, RecipientKind
from awards.selectors import eligibility as el
from awards.tests import factories as f
from lib.testing import BaseTestCase, EnglishMixin
from org.models import MemberStatus, Sex, UnitKind, UnitLevel, UnitStatus
from org.services.members import member_create, member_move, member_set_status
from org.services.restructure import units_merge
from org.services.units import unit_create

D = datetime.date
YEAR = 2025
P, G, U, C = UnitLevel.PROVINCE, UnitLevel.GRASSROOTS, UnitLevel.UPPER, UnitLevel.CONFEDERATION
MEDAL = {"years": 20, "years_female": 15, "weights": {"part_time": 1.5, "non_state": 2}}


class ConditionCase(EnglishMixin, BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.aw = Award.objects.create(
            code="thu-nghiem",
            name="Danh hiệu thử nghiệm",
            kind=Award.Kind.TITLE,
            recipient_kinds=["member", "person", "collective"],
            proposer_levels=[3],
            decider_level=2,
        )

    def rules(self, *conditions, kinds=None) -> dict:
        return {
            "award": self.aw.code,
            "version": 1,
            "recipient_kinds": kinds or list(self.aw.recipient_kinds),
            "conditions": [{"kind": k, "params": p, "text": f"{k} text"} for k, p in conditions],
            "quotas": [],
        }

    def judge(self, *conditions, year=YEAR, member=None, unit=None, kinds=None) -> el.Verdict:
        """The verdict of `check`, after asserting that the SQL list agrees with it."""
        rules = self.rules(*conditions, kinds=kinds)
        verdict = el.check(award=self.aw, year=year, member=member, unit=unit, rules=rules)
        if member is not None:
            listed = el.eligible_members(award=self.aw, unit=self.root, year=year, rules=rules)
            found = listed.filter(pk=member.pk).exists()
        else:
            listed = el.eligible_units(award=self.aw, unit=self.root, year=year, rules=rules)
            found = listed.filter(pk=unit.pk).exists()
        details = [r.as_dict() for r in verdict.results]
        self.assertEqual(found, verdict.status == el.ELIGIBLE, f"list and check disagree: {details}")
        return verdict

    def assertStatus(self, expected: str, *conditions, **who) -> el.Verdict:
        verdict = self.judge(*conditions, **who)
        self.assertEqual(verdict.status, expected, [r.as_dict() for r in verdict.results])
        return verdict


class PriorAwardTests(ConditionCase):
    IN_A_ROW = ("prior_award", {"award": "cstd-co-so", "count": 3, "consecutive": True, "offset": 0})

    def test_three_years_in_a_row_pass(self):
        for y in (2023, 2024, 2025):
            f.record("cstd-co-so", y, member=self.ha)
        v = self.assertStatus(el.ELIGIBLE, self.IN_A_ROW, member=self.ha)
        self.assertIn("2023, 2024, 2025", v.results[0].reason)

    def test_a_streak_broken_by_one_year_is_not_eligible(self):
        for y in (2022, 2023, 2025):
            f.record("cstd-co-so", y, member=self.ha)
        v = self.assertStatus(el.NOT_ELIGIBLE, self.IN_A_ROW, member=self.ha)
        self.assertEqual(v.results[0].status, el.BLOCKED)

    def test_the_years_review_still_pending_is_not_yet(self):
        for y in (2023, 2024):
            f.record("cstd-co-so", y, member=self.ha)
        v = self.assertStatus(el.NOT_YET, self.IN_A_ROW, member=self.ha)
        self.assertEqual(v.results[0].status, el.MISSING)

    def test_offset_one_counts_the_years_before(self):
        cond = ("prior_award", {"award": "bang-khen-ldld-tinh", "count": 2, "consecutive": True, "offset": 1})
        for y in (2023, 2024):
            f.record("bang-khen-ldld-tinh", y, member=self.ha)
        f.record("bang-khen-ldld-tinh", 2022, member=self.duc)
        f.record("bang-khen-ldld-tinh", 2024, member=self.duc)
        self.assertStatus(el.ELIGIBLE, cond, member=self.ha)
        self.assertStatus(el.NOT_ELIGIBLE, cond, member=self.duc)
        # A record of the round's year itself does not fill a window that ended before it.
        f.record("bang-khen-ldld-tinh", 2025, member=self.duc)
        self.assertStatus(el.NOT_ELIGIBLE, cond, member=self.duc)

    def test_a_count_within_a_window_need_not_be_consecutive(self):
        cond = ("prior_award", {"award": "cstd-cap-tinh", "count": 2, "window": 5, "offset": 0})
        f.record("cstd-cap-tinh", 2021, member=self.ha)
        f.record("cstd-cap-tinh", 2024, member=self.ha)
        self.assertStatus(el.ELIGIBLE, cond, member=self.ha)
        f.record("cstd-cap-tinh", 2019, member=self.duc)  # outside 2021–2025
        f.record("cstd-cap-tinh", 2024, member=self.duc)
        self.assertStatus(el.NOT_YET, cond, member=self.duc)  # 2025 may still bring the second
        closed = ("prior_award", {"award": "cstd-cap-tinh", "count": 2, "window": 5, "offset": 1})
        self.assertStatus(el.NOT_ELIGIBLE, closed, member=self.duc)  # 2020–2024 holds only one

    def test_a_run_in_a_row_anywhere_inside_a_longer_window(self):
        cond = (
            "prior_award",
            {"award": "cstd-co-so", "count": 2, "window": 4, "consecutive": True, "offset": 1},
        )
        for y in (2021, 2022):
            f.record("cstd-co-so", y, member=self.ha)
        for y in (2021, 2023):
            f.record("cstd-co-so", y, member=self.duc)
        self.assertStatus(el.ELIGIBLE, cond, member=self.ha)
        self.assertStatus(el.NOT_ELIGIBLE, cond, member=self.duc)

    def test_revoked_records_do_not_count(self):
        for y in (2023, 2024, 2025):
            f.record("cstd-co-so", y, member=self.ha)
        AwardRecord.objects.filter(member=self.ha, year=2024).update(status=AwardRecord.Status.REVOKED)
        self.assertStatus(el.NOT_ELIGIBLE, self.IN_A_ROW, member=self.ha)

    def test_another_award_does_not_count(self):
        for y in (2023, 2024, 2025):
            f.record("lao-dong-tien-tien", y, member=self.ha)
        self.assertStatus(el.NOT_ELIGIBLE, self.IN_A_ROW, member=self.ha)

    def test_a_persons_records_follow_the_person(self):
        for y in (2023, 2024, 2025):
            f.record("cstd-co-so", y, member=self.ha)  # given at the school
        member_move(member=self.ha, to_unit=self.port, moved_on=D(2025, 6, 1))
        self.ha.refresh_from_db()
        self.assertStatus(el.ELIGIBLE, self.IN_A_ROW, member=self.ha)
        rules = self.rules(self.IN_A_ROW)
        self.assertIn(
            self.ha, el.eligible_members(award=self.aw, unit=self.quangbinh, year=YEAR, rules=rules)
        )
        self.assertNotIn(
            self.ha, el.eligible_members(award=self.aw, unit=self.quangtri, year=YEAR, rules=rules)
        )

    def test_collectives_count_their_own_records_only(self):
        cond = ("prior_award", {"award": "giay-khen", "count": 2, "consecutive": True, "offset": 1})
        for y in (2023, 2024):
            f.record("giay-khen", y, unit=self.school)
            f.record("giay-khen", y, member=self.duc)  # a person's line at the factory
        self.assertStatus(el.ELIGIBLE, cond, unit=self.school)
        self.assertStatus(el.NOT_ELIGIBLE, cond, unit=self.factory)


class AwardThisYearTests(ConditionCase):
    COND = ("award_this_year", {"award": "lao-dong-tien-tien"})

    def test_the_title_this_year_passes(self):
        f.record("lao-dong-tien-tien", YEAR, member=self.ha)
        self.assertStatus(el.ELIGIBLE, self.COND, member=self.ha)

    def test_last_years_title_is_not_enough_yet(self):
        f.record("lao-dong-tien-tien", YEAR - 1, member=self.ha)
        v = self.assertStatus(el.NOT_YET, self.COND, member=self.ha)
        self.assertIn(str(YEAR), v.results[0].reason)


class InitiativeTests(ConditionCase):
    def cond(self, **params):
        return ("initiative", {"max_level": int(P), "window": 1, **params})

    def test_scope_must_be_wide_enough(self):
        f.initiative(year=YEAR, level=G, member=self.ha)
        self.assertStatus(el.NOT_YET, self.cond(), member=self.ha)
        f.initiative(year=YEAR, level=P, member=self.duc)
        self.assertStatus(el.ELIGIBLE, self.cond(), member=self.duc)
        f.initiative(year=YEAR, level=C, member=self.lan)  # national: wider than the province
        self.assertStatus(el.ELIGIBLE, self.cond(), member=self.lan)
        self.assertStatus(el.ELIGIBLE, self.cond(max_level=int(G)), member=self.ha)

    def test_the_window_counts_back_from_the_year(self):
        f.initiative(year=YEAR - 3, level=P, member=self.ha)
        self.assertStatus(el.NOT_YET, self.cond(window=3), member=self.ha)
        f.initiative(year=YEAR - 2, level=P, member=self.ha)
        self.assertStatus(el.ELIGIBLE, self.cond(window=3), member=self.ha)
        f.initiative(year=YEAR + 1, level=P, member=self.duc)  # recognised after the year
        self.assertStatus(el.NOT_YET, self.cond(window=3), member=self.duc)

    def test_a_minimum_value(self):
        f.initiative(year=YEAR, level=P, member=self.ha, value=50_000_000)
        f.initiative(year=YEAR, level=P, member=self.lan)  # no proven value
        self.assertStatus(el.NOT_YET, self.cond(min_value=80_000_000), member=self.ha)
        self.assertStatus(el.NOT_YET, self.cond(min_value=80_000_000), member=self.lan)
        f.initiative(year=YEAR, level=P, member=self.duc, value=80_000_000)
        self.assertStatus(el.ELIGIBLE, self.cond(min_value=80_000_000), member=self.duc)

    def test_a_minimum_value_by_level_of_recognition(self):
        by_level = {str(int(P)): 150_000_000, str(int(G)): 80_000_000}
        cond = self.cond(max_level=int(G), min_value_by_level=by_level)
        f.initiative(year=YEAR, level=P, member=self.ha, value=120_000_000)  # province needs 150 M
        self.assertStatus(el.NOT_YET, cond, member=self.ha)
        f.initiative(year=YEAR, level=G, member=self.duc, value=90_000_000)  # grassroots needs 80 M
        self.assertStatus(el.ELIGIBLE, cond, member=self.duc)
        f.initiative(year=YEAR, level=U, member=self.lan, value=999_000_000)  # no threshold set: not accepted
        v = self.assertStatus(el.NOT_YET, cond, member=self.lan)
        self.assertIn("threshold", v.results[0].reason)

    def test_a_collectives_initiative_is_not_a_persons(self):
        f.initiative(year=YEAR, level=P, unit=self.school)
        f.initiative(year=YEAR, level=P, member=self.duc)  # the factory's member, not the factory
        self.assertStatus(el.ELIGIBLE, self.cond(), unit=self.school)
        self.assertStatus(el.NOT_YET, self.cond(), unit=self.factory)
        self.assertStatus(el.NOT_YET, self.cond(), member=self.ha)


class ServiceYearsTests(ConditionCase):
    COND = ("service_years", MEDAL)

    def test_twenty_full_time_years_for_a_man(self):
        f.service(self.duc, D(2005, 1, 1), D(2024, 12, 31))
        self.assertStatus(el.ELIGIBLE, self.COND, member=self.duc)

    def test_a_year_short_is_not_yet(self):
        f.service(self.duc, D(2006, 1, 1), D(2024, 12, 31))
        v = self.assertStatus(el.NOT_YET, self.COND, member=self.duc)
        self.assertIn("19,0", v.results[0].reason)

    def test_part_time_weighs_one_and_a_half(self):
        f.service(self.duc, D(2011, 1, 1), D(2024, 12, 31), kind="part_time")  # 14 y -> 21
        self.assertStatus(el.ELIGIBLE, self.COND, member=self.duc)
        f.service(self.lan, D(2012, 1, 1), D(2024, 12, 31), kind="part_time")  # woman, 13 y -> 19.5
        self.assertStatus(el.ELIGIBLE, self.COND, member=self.lan)
        man = member_create(unit=self.school, full_name="Phan Văn Bảy", sex=Sex.MALE, cccd="045090000007")
        f.service(man, D(2012, 1, 1), D(2024, 12, 31), kind="part_time")  # man, 13 y -> 19.5
        self.assertStatus(el.NOT_YET, self.COND, member=man)

    def test_non_state_weighs_double(self):
        f.service(self.duc, D(2015, 1, 1), D(2024, 12, 31), kind="non_state")  # 10 y -> 20
        self.assertStatus(el.ELIGIBLE, self.COND, member=self.duc)

    def test_women_count_fewer_years(self):
        f.service(self.ha, D(2010, 1, 1), D(2024, 12, 31))  # 15 y
        f.service(self.duc, D(2010, 1, 1), D(2024, 12, 31))
        self.assertStatus(el.ELIGIBLE, self.COND, member=self.ha)
        self.assertStatus(el.NOT_YET, self.COND, member=self.duc)

    def test_an_ongoing_period_counts_to_the_end_of_the_year(self):
        f.service(self.duc, D(2006, 1, 1))
        self.assertStatus(el.ELIGIBLE, self.COND, member=self.duc, year=2025)  # Jan 2006 – Dec 2025
        self.assertStatus(el.NOT_YET, self.COND, member=self.duc, year=2024)

    def test_periods_add_up_and_later_ones_wait(self):
        f.service(self.duc, D(2000, 1, 1), D(2009, 12, 31))  # ended long before: 10 y
        f.service(self.duc, D(2010, 1, 1), D(2016, 12, 31), kind="part_time")  # 7 y -> 10.5
        self.assertStatus(el.ELIGIBLE, self.COND, member=self.duc)
        f.service(self.lan, D(2015, 1, 1), D(2025, 12, 31))  # 11 y by 2025
        f.service(self.lan, D(2026, 1, 1), None, kind="non_state")  # after the year: not counted
        self.assertStatus(el.NOT_YET, self.COND, member=self.lan)
        self.assertEqual(el.service_months(member=self.lan, year=YEAR, weights=MEDAL["weights"]), 132)

    def test_no_service_is_not_yet_and_collectives_confirm(self):
        self.assertStatus(el.NOT_YET, self.COND, member=self.duc)
        v = self.assertStatus(el.ELIGIBLE, self.COND, unit=self.school)
        self.assertEqual(v.results[0].status, el.CONFIRM)


class OnceInLifeTests(ConditionCase):
    COND = ("once_in_life", {})

    def test_not_received_passes(self):
        f.record("ky-niem-chuong", 2010, member=self.duc)  # another award's record
        self.assertStatus(el.ELIGIBLE, self.COND, member=self.ha)

    def test_received_before_blocks(self):
        f.record("thu-nghiem", 2010, member=self.ha, decision_number="12/QĐ-TLĐ")
        v = self.assertStatus(el.NOT_ELIGIBLE, self.COND, member=self.ha)
        self.assertIn("12/QĐ-TLĐ", v.results[0].reason)
        self.assertStatus(el.ELIGIBLE, self.COND, member=self.duc)

    def test_a_revoked_award_may_be_given_again(self):
        f.record("thu-nghiem", 2010, member=self.ha, status=AwardRecord.Status.REVOKED)
        self.assertStatus(el.ELIGIBLE, self.COND, member=self.ha)

    def test_for_collectives(self):
        f.record("thu-nghiem", 2010, unit=self.school)
        self.assertStatus(el.NOT_ELIGIBLE, self.COND, unit=self.school)
        self.assertStatus(el.ELIGIBLE, self.COND, unit=self.factory)


class ScoreTests(ConditionCase):
    @classmethod
    def setUpTestData(cls) -> None:
        from reports.tests.factories_scoring import make_cluster, make_table

        super().setUpTestData()
        cluster = make_cluster(unit=cls.dongha, members=[cls.school, cls.factory])
        cls.table = make_table(unit=cls.dongha, clusters=[cluster])  # criteria maxima add up to 100
        cls.other_table = make_table(unit=cls.dongha, clusters=[cluster])

    def sheet(self, unit, total, rank=None, *, year=YEAR, frozen=True, table=None):
        from reports.models import ScoreSheet

        status = ScoreSheet.Status.FROZEN if frozen else ScoreSheet.Status.REVIEWED
        return ScoreSheet.objects.create(
            table=table or self.table, unit=unit, year=year, total=Decimal(total), rank=rank, status=status
        )

    def test_min_share_of_the_tables_maximum(self):
        cond = ("score", {"min_share": "0.70", "offset": 0})
        self.sheet(self.school, "75")
        self.sheet(self.factory, "65")
        self.assertStatus(el.ELIGIBLE, cond, unit=self.school)
        v = self.assertStatus(el.NOT_ELIGIBLE, cond, unit=self.factory)
        self.assertIn("70%", v.results[0].reason)

    def test_the_share_boundary_is_included(self):
        self.sheet(self.school, "70")
        self.assertStatus(el.ELIGIBLE, ("score", {"min_share": "0.7"}), unit=self.school)

    def test_min_total(self):
        self.sheet(self.school, "85")
        self.sheet(self.factory, "75.5")
        self.assertStatus(el.ELIGIBLE, ("score", {"min_total": "80"}), unit=self.school)
        self.assertStatus(el.NOT_ELIGIBLE, ("score", {"min_total": "80"}), unit=self.factory)

    def test_max_rank(self):
        self.sheet(self.school, "90", rank=1)
        self.sheet(self.factory, "95", rank=2)
        self.assertStatus(el.ELIGIBLE, ("score", {"max_rank": 1}), unit=self.school)
        self.assertStatus(el.NOT_ELIGIBLE, ("score", {"max_rank": 1}), unit=self.factory)

    def test_an_unranked_sheet_fails_a_rank_condition(self):
        self.sheet(self.school, "90")
        self.assertStatus(el.NOT_ELIGIBLE, ("score", {"max_rank": 3}), unit=self.school)

    def test_an_unpublished_score_is_not_yet(self):
        self.sheet(self.school, "99", rank=1, frozen=False)
        v = self.assertStatus(el.NOT_YET, ("score", {"min_share": "0.7"}), unit=self.school)
        self.assertEqual(v.results[0].status, el.MISSING)

    def test_offset_reads_an_earlier_year(self):
        self.sheet(self.school, "90", year=YEAR - 1)
        self.assertStatus(el.ELIGIBLE, ("score", {"min_total": "80", "offset": 1}), unit=self.school)
        self.assertStatus(el.NOT_YET, ("score", {"min_total": "80", "offset": 0}), unit=self.school)

    def test_any_one_sheet_meeting_every_bound_is_enough(self):
        self.sheet(self.school, "60", rank=1)
        self.sheet(self.school, "95", rank=2, table=self.other_table)
        self.assertStatus(el.ELIGIBLE, ("score", {"min_share": "0.9"}), unit=self.school)
        self.assertStatus(el.ELIGIBLE, ("score", {"max_rank": 1}), unit=self.school)
        self.assertStatus(el.NOT_ELIGIBLE, ("score", {"max_rank": 1, "min_share": "0.9"}), unit=self.school)

    def test_persons_leave_it_to_the_proposer(self):
        v = self.assertStatus(el.ELIGIBLE, ("score", {"min_share": "0.7"}), member=self.ha)
        self.assertEqual(v.results[0].status, el.CONFIRM)


class ManualAndRecipientTests(ConditionCase):
    def test_manual_never_blocks(self):
        v = self.assertStatus(el.ELIGIBLE, ("manual", {}), member=self.ha)
        self.assertEqual(v.results[0].status, el.CONFIRM)
        self.assertEqual(v.results[0].text, "manual text")
        self.assertStatus(el.ELIGIBLE, ("manual", {}), unit=self.school)

    def test_an_inactive_member_is_not_eligible(self):
        member_set_status(member=self.ha, status=MemberStatus.LEFT, on=D(2025, 3, 1))
        self.ha.refresh_from_db()
        v = self.assertStatus(el.NOT_ELIGIBLE, ("manual", {}), member=self.ha)
        self.assertEqual(v.results[0].kind, "recipient")

    def test_an_award_for_persons_is_not_for_units(self):
        self.assertStatus(el.NOT_ELIGIBLE, ("manual", {}), unit=self.school, kinds=["member"])
        self.assertStatus(el.NOT_ELIGIBLE, ("manual", {}), member=self.ha, kinds=["collective"])

    def test_a_grassroots_title_is_not_for_a_district(self):
        self.assertStatus(el.ELIGIBLE, ("manual", {}), unit=self.school, kinds=["grassroots"])
        self.assertStatus(el.NOT_ELIGIBLE, ("manual", {}), unit=self.dongha, kinds=["grassroots"])
        self.assertStatus(el.ELIGIBLE, ("manual", {}), unit=self.dongha, kinds=["collective"])

    def test_several_conditions_all_count(self):
        conds = [("award_this_year", {"award": "lao-dong-tien-tien"}), ("initiative", {"max_level": int(G)})]
        f.record("lao-dong-tien-tien", YEAR, member=self.ha)
        self.assertStatus(el.NOT_YET, *conds, member=self.ha)
        f.initiative(year=YEAR, member=self.ha)
        self.assertStatus(el.ELIGIBLE, *conds, member=self.ha)


class SuccessorTests(ConditionCase):
    """A collective's records follow its successor unit after a merger."""

    COND = ("prior_award", {"award": "giay-khen", "count": 3, "consecutive": True, "offset": 0})

    def grassroots(self, code: str, name: str):
        unit = unit_create(
            parent=self.dongha, code=code, name=name, kind=UnitKind.GRASSROOTS, established_on=D(2020, 1, 1)
        )
        unit.refresh_from_db()
        return unit

    def merge(self, source, into, on=None):
        units_merge(sources=[source], into=into, effective_on=on or D(2025, 6, 1), decision_number="5/QĐ")
        into.refresh_from_db()
        source.refresh_from_db()

    def test_the_survivor_counts_the_merged_units_records(self):
        f.record("giay-khen", 2023, unit=self.factory)
        f.record("giay-khen", 2024, unit=self.factory)
        f.record("giay-khen", 2025, unit=self.school)
        self.assertStatus(el.NOT_ELIGIBLE, self.COND, unit=self.school)
        self.merge(self.factory, self.school)
        self.assertEqual(self.factory.status, UnitStatus.MERGED)
        self.assertStatus(el.ELIGIBLE, self.COND, unit=self.school)
        self.assertStatus(el.NOT_ELIGIBLE, self.COND, unit=self.factory)  # ended, not eligible itself

    def test_a_chain_of_mergers_is_followed(self):
        a = self.grassroots("QT.DH.101", "Công đoàn Xí nghiệp A")
        b = self.grassroots("QT.DH.102", "Công đoàn Xí nghiệp B")
        f.record("giay-khen", 2023, unit=a)
        f.record("giay-khen", 2024, unit=b)
        f.record("giay-khen", 2025, unit=self.school)
        self.merge(a, b, on=D(2024, 6, 1))
        self.merge(b, self.school)
        self.assertEqual(sorted(el.lineage_ids(self.school)), sorted([self.school.pk, a.pk, b.pk]))
        self.assertStatus(el.ELIGIBLE, self.COND, unit=self.school)

    def test_once_in_life_follows_too(self):
        f.record("thu-nghiem", 2019, unit=self.factory)
        self.assertStatus(el.ELIGIBLE, ("once_in_life", {}), unit=self.school)
        self.merge(self.factory, self.school)
        self.assertStatus(el.NOT_ELIGIBLE, ("once_in_life", {}), unit=self.school)

    def test_initiatives_follow_too(self):
        f.initiative(year=YEAR, level=P, unit=self.factory)
        cond = ("initiative", {"max_level": int(P)})
        self.assertStatus(el.NOT_YET, cond, unit=self.school)
        self.merge(self.factory, self.school)
        self.assertStatus(el.ELIGIBLE, cond, unit=self.school)

    def test_persons_records_are_not_a_collectives(self):
        for y in (2023, 2024):
            f.record("giay-khen", y, member=self.duc, recipient_kind=RecipientKind.MEMBER)
        f.record("giay-khen", 2025, unit=self.school)
        self.merge(self.factory, self.school)
        self.assertStatus(el.NOT_ELIGIBLE, self.COND, unit=self.school)


class DefaultCatalogueTests(ConditionCase):
    """The shipped awards, judged for a whole page at once, agree with one-by-one checks."""

    def test_check_many_agrees_with_check_in_few_queries(self):
        for y in (2023, 2024, 2025):
            f.record("cstd-co-so", y, member=self.ha)
        f.record("lao-dong-tien-tien", YEAR, member=self.ha)
        f.initiative(year=2024, level=P, member=self.ha, value=100_000_000)
        f.service(self.ha, D(2008, 1, 1), None, kind="part_time")
        awards = list(Award.objects.prefetch_related("conditions", "quotas__of_award").order_by("position"))
        with self.assertNumQueries(4):  # names, records, initiatives, periods: nothing per award
            board = el.check_many(awards=awards, year=YEAR, member=self.ha)
        self.assertEqual(len(board), len(awards))
        for award, verdict in board:
            single = el.check(award=award, year=YEAR, member=self.ha)
            self.assertEqual(verdict.status, single.status, award.code)
            self.assertEqual([r.reason for r in verdict.results], [r.reason for r in single.results])
            listed = (
                el.eligible_members(award=award, unit=self.root, year=YEAR).filter(pk=self.ha.pk).exists()
            )
            self.assertEqual(listed, verdict.eligible, award.code)
        statuses = {a.code: v.status for a, v in board}
        self.assertEqual(statuses["cstd-cap-tinh"], el.ELIGIBLE)
        self.assertEqual(statuses["ky-niem-chuong"], el.ELIGIBLE)  # woman, 18 y part-time -> 27
        self.assertEqual(statuses["cstd-toan-quoc"], el.NOT_ELIGIBLE)

    def test_collective_defaults_agree(self):
        from reports.models import ScoreSheet
        from reports.tests.factories_scoring import make_cluster, make_table

        table = make_table(unit=self.dongha, clusters=[make_cluster(unit=self.dongha, members=[self.school])])
        ScoreSheet.objects.create(
            table=table,
            unit=self.school,
            year=YEAR,
            total=Decimal("92"),
            rank=1,
            status=ScoreSheet.Status.FROZEN,
        )
        awards = Award.objects.prefetch_related("conditions", "quotas__of_award")
        for unit in (self.school, self.factory, self.dongha):
            for award, verdict in el.check_many(awards=awards, year=YEAR, unit=unit):
                listed = el.eligible_units(award=award, unit=self.root, year=YEAR).filter(pk=unit.pk).exists()
                self.assertEqual(listed, verdict.eligible, (award.code, unit.code))
        verdicts = dict(
            (a.code, v.status) for a, v in el.check_many(awards=awards, year=YEAR, unit=self.school)
        )
        self.assertEqual(verdicts["cdcs-vung-manh-xuat-sac"], el.ELIGIBLE)
        self.assertEqual(verdicts["co-thi-dua-ldld-tinh"], el.ELIGIBLE)
