"""Editing the catalogue: awards, conditions, quotas. Every change is validated, audited and makes
a new version; nominations already made keep their rules and verdicts."""

from __future__ import annotations

from auditlog.models import LogEntry
from django.core.exceptions import ValidationError

from accounts.models import Role
from awards.models import Award, AwardCondition, AwardQuota
from awards.selectors import eligibility as el
from awards.services import catalogue as services
from awards.tests import factories as f
from lib.audit import audit_for_object
from lib.testing import BaseTestCase, make_user
from org.models import UnitLevel

G, U, P = int(UnitLevel.GRASSROOTS), int(UnitLevel.UPPER), int(UnitLevel.PROVINCE)
FIELDS = {
    "name": "Giấy khen thi đua chuyên đề",
    "kind": Award.Kind.FORM,
    "period": Award.Period.THEME,
    "recipient_kinds": ["member", "collective"],
    "proposer_levels": [G],
    "decider_level": U,
    "pass_percent": 50,
    "regulation": "Quy chế khen thưởng của LĐLĐ Đông Hà",
}


class AwardServiceTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.dana = make_user("dana", cls.dongha, Role.Kind.ADMIN, full_name="Dana")

    def test_a_federation_creates_its_own_award(self):
        award = services.award_create(unit=self.dongha, created_by=self.dana, **FIELDS)
        self.assertEqual(award.unit, self.dongha)
        self.assertEqual(award.code, "giay-khen-thi-dua-chuyen-de-qt-dh")
        self.assertEqual(award.name_folded, "giay khen thi dua chuyen de")
        self.assertEqual(award.version, 1)
        entry = audit_for_object(award).get()
        self.assertEqual(entry.actor, self.dana)
        self.assertEqual(entry.action, LogEntry.Action.CREATE)

    def test_codes_are_unique(self):
        services.award_create(unit=None, created_by=None, code="bk-rieng", **FIELDS)
        with self.assertRaises(ValidationError) as ctx:
            services.award_create(unit=None, created_by=None, code="bk-rieng", **FIELDS)
        self.assertIn("code", ctx.exception.message_dict)
        second = services.award_create(unit=None, created_by=None, **FIELDS)
        third = services.award_create(unit=None, created_by=None, **FIELDS)
        self.assertNotEqual(second.code, third.code)

    def test_bad_fields_are_all_reported(self):
        bad = {
            **FIELDS,
            "name": "  ",
            "recipient_kinds": [],
            "proposer_levels": ["x"],
            "decider_level": None,
            "pass_percent": "abc",
        }
        with self.assertRaises(ValidationError) as ctx:
            services.award_create(unit=None, created_by=None, **bad)
        self.assertEqual(
            set(ctx.exception.message_dict),
            {"name", "recipient_kinds", "proposer_levels", "decided_outside", "pass_percent"},
        )

    def test_the_deciding_level_is_the_proposers_or_above(self):
        with self.assertRaises(ValidationError) as ctx:
            services.award_create(
                unit=None, created_by=None, **{**FIELDS, "proposer_levels": [U], "decider_level": G}
            )
        self.assertIn("decider_level", ctx.exception.message_dict)

    def test_a_federations_award_is_decided_at_its_level_or_below(self):
        with self.assertRaises(ValidationError) as ctx:
            services.award_create(unit=self.dongha, created_by=None, **{**FIELDS, "decider_level": P})
        self.assertIn("decider_level", ctx.exception.message_dict)

    def test_update_bumps_the_version_and_is_audited(self):
        award = f.award("bang-khen-ldld-tinh")
        services.award_update(award=award, updated_by=self.dana, pass_percent=60, secret_ballot=True)
        award.refresh_from_db()
        self.assertEqual((award.version, award.pass_percent, award.secret_ballot), (2, 60, True))
        entry = audit_for_object(award).first()
        self.assertEqual(entry.actor, self.dana)
        self.assertIn("pass_percent", entry.changes_dict)
        services.award_update(award=award, updated_by=self.dana, pass_percent=60)  # nothing changed
        award.refresh_from_db()
        self.assertEqual(award.version, 2)

    def test_deactivate_and_offer_again(self):
        award = f.award("giay-khen")
        services.award_set_active(award=award, active=False, changed_by=self.dana)
        award.refresh_from_db()
        self.assertEqual((award.is_active, award.version), (False, 2))
        services.award_set_active(award=award, active=True, changed_by=self.dana)
        award.refresh_from_db()
        self.assertEqual((award.is_active, award.version), (True, 3))

    def test_an_unused_award_can_be_deleted_with_its_rules(self):
        award = services.award_create(unit=self.dongha, created_by=None, **FIELDS)
        services.condition_add(award=award, added_by=None, kind="manual", params={})
        services.quota_add(award=award, added_by=None, scope="issuer_year", limit=5)
        services.award_delete(award=award, deleted_by=self.dana)
        self.assertFalse(Award.objects.filter(pk=award.pk).exists())
        self.assertFalse(AwardCondition.objects.filter(award_id=award.pk).exists())

    def test_an_award_with_records_or_references_is_only_deactivated(self):
        used = f.award("giay-khen")
        f.record("giay-khen", 2024, member=self.ha)
        referred = f.award("cstd-co-so")  # cstd-cap-tinh's condition names it
        for award in (used, referred):
            with self.assertRaises(ValidationError):
                services.award_delete(award=award, deleted_by=self.dana)
            self.assertTrue(Award.objects.filter(pk=award.pk).exists())


class ConditionServiceTests(BaseTestCase):
    def test_add_edit_remove_bump_the_version(self):
        award = f.award("bang-khen-tld")
        c = services.condition_add(
            award=award,
            added_by=None,
            kind="initiative",
            params={"max_level": P, "window": "2", "min_value": "", "min_value_by_level": {"1": 150_000_000}},
            text="  Có sáng kiến   cấp tỉnh ",
            regulation="QĐ 999",
        )
        self.assertEqual(c.params, {"max_level": P, "window": 2, "min_value_by_level": {"1": 150_000_000}})
        self.assertEqual(c.text, "Có sáng kiến cấp tỉnh")
        self.assertEqual(c.position, 1)
        award.refresh_from_db()
        self.assertEqual(award.version, 2)
        services.condition_update(condition=c, updated_by=None, kind="once_in_life", params={"junk": 1})
        c.refresh_from_db()
        self.assertEqual((c.kind, c.params), ("once_in_life", {}))
        services.condition_remove(condition=c, removed_by=None)
        award.refresh_from_db()
        self.assertEqual(award.version, 4)

    def test_each_kind_is_validated(self):
        cases = [
            ("prior_award", {"award": "khong-co", "count": 1}, "award"),
            ("prior_award", {"award": "cstd-co-so", "count": 3, "window": 2}, "window"),
            ("prior_award", {"award": "cstd-co-so", "count": 0}, "count"),
            ("award_this_year", {}, "award"),
            ("initiative", {"window": 1}, "max_level"),
            ("initiative", {"max_level": 9}, "max_level"),
            ("initiative", {"max_level": 1, "min_value_by_level": {"7": 5}}, "min_value_by_level"),
            ("service_years", {"years": ""}, "years"),
            ("service_years", {"years": 15, "years_female": 20}, "years_female"),
            ("service_years", {"years": 20, "weights": {"part_time": 0}}, "weights"),
            ("service_years", {"years": 20, "weights": {"astronaut": 2}}, "weights"),
            ("score", {}, "min_total"),
            ("score", {"min_share": "1.5"}, "min_share"),
            ("score", {"max_rank": 0}, "max_rank"),
            ("nonsense", {}, "kind"),
        ]
        for kind, params, key in cases:
            with self.subTest(kind=kind, params=params):
                with self.assertRaises(ValidationError) as ctx:
                    services.clean_params(kind, params)
                self.assertIn(key, ctx.exception.message_dict)

    def test_parameters_are_stored_as_the_engine_reads_them(self):
        self.assertEqual(
            services.clean_params(
                "service_years",
                {"years": "20.0", "years_female": "15", "weights": {"part_time": "1.50", "full_time": 1}},
            ),
            {"years": 20, "years_female": 15, "weights": {"part_time": 1.5}},
        )
        self.assertEqual(
            services.clean_params("score", {"min_share": "0.700", "min_total": "70.0", "max_rank": "3"}),
            {"min_total": "70", "min_share": "0.7", "max_rank": 3, "offset": 0},
        )
        self.assertEqual(
            services.clean_params("prior_award", {"award": "cstd-co-so", "count": 3, "consecutive": "on"}),
            {"award": "cstd-co-so", "count": 3, "consecutive": True, "offset": 1},
        )


class QuotaServiceTests(BaseTestCase):
    def test_add_edit_remove(self):
        award = f.award("cdcs-vung-manh-xuat-sac")
        q = services.quota_add(award=award, added_by=None, scope="issuer_year", limit=10, regulation="QĐ 999")
        self.assertEqual((q.limit, q.percent, q.of_award), (10, None, None))
        services.quota_update(
            quota=q, updated_by=None, scope="share", percent="15", of_award=f.award("cdcs-vung-manh"), limit=3
        )
        q.refresh_from_db()
        self.assertEqual(
            (q.scope, q.limit, str(q.percent), q.of_award.code), ("share", None, "15.00", "cdcs-vung-manh")
        )
        services.quota_remove(quota=q, removed_by=None)
        award.refresh_from_db()
        self.assertEqual(award.version, 4)
        self.assertFalse(AwardQuota.objects.filter(pk=q.pk).exists())

    def test_a_share_needs_a_percent_and_a_cap_a_number(self):
        award = f.award("giay-khen")
        with self.assertRaises(ValidationError) as ctx:
            services.quota_add(award=award, added_by=None, scope="share")
        self.assertIn("percent", ctx.exception.message_dict)
        with self.assertRaises(ValidationError) as ctx:
            services.quota_add(award=award, added_by=None, scope="province_theme", limit=0)
        self.assertIn("limit", ctx.exception.message_dict)
        with self.assertRaises(ValidationError) as ctx:
            services.quota_add(award=award, added_by=None, scope="issuer_year", limit="many")
        self.assertIn("limit", ctx.exception.message_dict)


class EditsNeverRewriteNominationsTests(BaseTestCase):
    def test_an_edit_leaves_an_existing_nominations_rules_and_verdict_unchanged(self):
        award = f.award("cstd-cap-tinh")
        for y in (2023, 2024, 2025):
            f.record("cstd-co-so", y, member=self.ha)
        f.initiative(year=2025, level=UnitLevel.PROVINCE, member=self.ha)
        nomination = f.make_nomination(
            f.make_round(self.quangtri, 2025), "cstd-cap-tinh", self.school, members=[self.ha]
        )
        nominee = nomination.nominees.get()
        before = el.check(award=award, year=2025, member=self.ha, rules=nomination.rules)
        nominee.eligibility = [r.as_dict() for r in before.results]
        nominee.eligible = before.eligible
        nominee.save(update_fields=["eligibility", "eligible"])
        rules_before = dict(nomination.rules)
        self.assertEqual(before.status, el.ELIGIBLE)

        # The regulation changes: five years in a row, a national initiative, a stricter council.
        prior = award.conditions.get(kind="prior_award")
        services.condition_update(
            condition=prior,
            updated_by=None,
            kind="prior_award",
            params={**prior.params, "count": 5},
            text=prior.text,
            regulation=prior.regulation,
        )
        services.condition_add(
            award=award, added_by=None, kind="initiative", params={"max_level": 0, "window": 1}
        )
        services.quota_add(award=award, added_by=None, scope="issuer_year", limit=1)
        services.award_update(award=award, updated_by=None, pass_percent=90)

        award.refresh_from_db()
        nomination.refresh_from_db()
        nominee.refresh_from_db()
        self.assertEqual(award.version, 5)
        self.assertEqual(nomination.rules, rules_before)
        self.assertEqual(nomination.award_version, 1)
        self.assertEqual(nomination.rules["pass_percent"], "80.00")
        self.assertTrue(nominee.eligible)
        self.assertEqual(nominee.eligibility, [r.as_dict() for r in before.results])
        again = el.check(award=award, year=2025, member=self.ha, rules=nomination.rules)
        self.assertEqual(again.status, el.ELIGIBLE)
        self.assertEqual(el.check(award=award, year=2025, member=self.ha).status, el.NOT_ELIGIBLE)
        self.assertEqual(el.rules_of(award)["version"], 5)
