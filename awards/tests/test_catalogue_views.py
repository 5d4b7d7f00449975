"""Catalogue pages: who sees which awards, who may edit them, and the edits through the browser's
forms (conditions by kind, with plain fields)."""

from __future__ import annotations

from unittest import mock

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import Role
from awards.models import Award, AwardCondition, AwardQuota
from awards.services import catalogue as services
from awards.tests import factories as f
from lib.testing import BaseTestCase, EnglishMixin, make_user
from org.models import UnitLevel

OWN = {
    "name": "Giấy khen riêng của Đông Hà",
    "kind": Award.Kind.FORM,
    "recipient_kinds": ["member"],
    "proposer_levels": [3],
    "decider_level": 2,
}


class CatalogueViewCase(EnglishMixin, BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.dana = make_user("dana", cls.dongha, Role.Kind.ADMIN, full_name="Dana")  # administers Đông Hà
        cls.root_admin = make_user("rita", cls.root, Role.Kind.ADMIN, full_name="Rita")
        cls.own = services.award_create(unit=cls.dongha, created_by=None, **OWN)
        cls.own_condition = services.condition_add(award=cls.own, added_by=None, kind="manual", params={})
        cls.own_quota = services.quota_add(award=cls.own, added_by=None, scope="issuer_year", limit=5)
        cls.national = f.award("cstd-cap-tinh")


class AwardListTests(CatalogueViewCase):
    url = reverse("awards:award-list")

    def test_alice_sees_the_national_catalogue_and_her_federations_award(self):
        self.login(self.alice)
        response = self.client.get(self.url)
        self.assertContains(response, "Chiến sĩ thi đua cấp tỉnh, ngành")
        self.assertContains(response, OWN["name"])
        self.assertNotContains(response, 'data-testid="award-create"')

    def test_charlie_does_not_see_another_provinces_award(self):
        self.login(self.charlie)
        response = self.client.get(self.url, {"q": "dong ha"})
        self.assertNotContains(response, OWN["name"])
        self.assertContains(self.client.get(self.url), "Giấy khen")

    def test_a_unit_below_sees_the_award_of_the_unit_above(self):
        sam = make_user("sam", self.school, Role.Kind.OFFICER)
        self.login(sam)
        self.assertContains(self.client.get(self.url), OWN["name"])

    def test_search_without_accents_and_inactive_ones_on_request(self):
        services.award_set_active(award=f.award("giay-khen"), active=False, changed_by=None)
        self.login(self.alice)
        response = self.client.get(self.url, {"q": "chien si"})
        self.assertContains(response, "Chiến sĩ thi đua toàn quốc")
        self.assertNotContains(response, "Bằng khen")
        self.assertEqual(response.content.decode().count('data-testid="award-row"'), 3)
        self.assertNotContains(self.client.get(self.url, {"q": "giay khen"}), "Inactive")
        self.assertContains(self.client.get(self.url, {"q": "giay khen", "all": "1"}), "Inactive")

    def test_the_query_count_does_not_grow_with_awards(self):
        self.login(self.alice)
        self.client.get(self.url)
        with CaptureQueriesContext(connection) as ctx:
            self.client.get(self.url)
        for i in range(5):
            services.award_create(unit=self.dongha, created_by=None, **{**OWN, "name": f"Giấy khen {i}"})
        with self.assertNumQueries(len(ctx.captured_queries)):
            self.client.get(self.url)


class AwardDetailTests(CatalogueViewCase):
    def test_it_states_the_rules_in_plain_words(self):
        self.login(self.alice)
        response = self.client.get(reverse("awards:award-detail", args=[self.national.pk]))
        self.assertContains(
            response, "“Chiến sĩ thi đua cơ sở” in each of the 3 years ending with the year considered."
        )
        self.assertContains(response, "or wider, recognised within the last 3 year(s).")
        self.assertContains(response, "At least 80% of the council")
        self.assertContains(response, "secret ballot")
        self.assertContains(response, "Luật Thi đua, khen thưởng 2022")
        self.assertNotContains(response, 'data-testid="award-edit-link"')
        quota = self.client.get(reverse("awards:award-detail", args=[f.award("bang-khen-chuyen-de-tld").pk]))
        self.assertContains(quota, "At most 4: per province per theme per year.")

    def test_charlie_gets_404_on_another_provinces_award(self):
        self.login(self.charlie)
        for name, pk in [
            ("awards:award-detail", self.own.pk),
            ("awards:award-edit", self.own.pk),
            ("awards:condition-create", self.own.pk),
            ("awards:condition-edit", self.own_condition.pk),
            ("awards:quota-edit", self.own_quota.pk),
        ]:
            with self.subTest(name=name):
                self.assertEqual(self.client.get(reverse(name, args=[pk])).status_code, 404)
        for name, pk in [
            ("awards:award-active", self.own.pk),
            ("awards:award-delete", self.own.pk),
            ("awards:condition-delete", self.own_condition.pk),
            ("awards:quota-delete", self.own_quota.pk),
        ]:
            with self.subTest(name=name):
                self.assertEqual(self.client.post(reverse(name, args=[pk])).status_code, 404)
        self.assertTrue(Award.objects.filter(pk=self.own.pk, is_active=True).exists())


class AwardEditPermissionTests(CatalogueViewCase):
    def test_viewers_and_officers_cannot_edit(self):
        for user in (self.bob, self.alice):
            self.login(user)
            for pk in (self.own.pk, self.national.pk):
                with self.subTest(user=user.username, pk=pk):
                    self.assertEqual(
                        self.client.get(reverse("awards:award-edit", args=[pk])).status_code, 403
                    )
                    self.assertEqual(
                        self.client.post(reverse("awards:award-active", args=[pk])).status_code, 403
                    )
            self.assertEqual(self.client.get(reverse("awards:award-create")).status_code, 403)
            self.assertEqual(
                self.client.post(
                    reverse("awards:condition-delete", args=[self.own_condition.pk])
                ).status_code,
                403,
            )
        self.assertTrue(AwardCondition.objects.filter(pk=self.own_condition.pk).exists())

    def test_a_federation_administrator_edits_its_own_not_the_national_ones(self):
        self.login(self.dana)
        self.assertEqual(self.client.get(reverse("awards:award-edit", args=[self.own.pk])).status_code, 200)
        self.assertEqual(
            self.client.get(reverse("awards:award-edit", args=[self.national.pk])).status_code, 403
        )
        detail = self.client.get(reverse("awards:award-detail", args=[self.own.pk]))
        self.assertContains(detail, 'data-testid="award-edit-link"')

    def test_the_root_administrator_edits_the_national_catalogue(self):
        self.login(self.root_admin)
        self.assertEqual(
            self.client.get(reverse("awards:award-edit", args=[self.national.pk])).status_code, 200
        )


class AwardFormTests(CatalogueViewCase):
    def post_award(self, url, **extra):
        data = {
            "name": "Bằng khen phong trào Xanh",
            "kind": "form",
            "period": "theme",
            "recipient_kinds": ["member", "collective"],
            "proposer_levels": ["3"],
            "decider_level": "2",
            "pass_percent": "50",
            "pass_strictly_more": "on",
            "public_notice_days": "0",
            "certificate": "giay_khen",
            "position": "5",
            **extra,
        }
        return self.client.post(url, data)

    def test_a_federation_administrator_creates_an_award_for_its_unit(self):
        self.login(self.dana)
        response = self.post_award(reverse("awards:award-create"), unit=str(self.dongha.pk))
        award = Award.objects.get(name="Bằng khen phong trào Xanh")
        self.assertRedirects(response, reverse("awards:award-detail", args=[award.pk]))
        self.assertEqual(
            (award.unit, award.recipient_kinds, award.proposer_levels),
            (self.dongha, ["member", "collective"], [3]),
        )

    def test_only_the_root_may_add_to_the_national_catalogue(self):
        self.login(self.dana)
        response = self.post_award(reverse("awards:award-create"), unit="")
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "error-unit")
        self.login(self.root_admin)
        response = self.post_award(reverse("awards:award-create"), unit="", code="bk-xanh")
        self.assertEqual(response.status_code, 302)
        self.assertIsNone(Award.objects.get(code="bk-xanh").unit)

    def test_a_federation_cannot_keep_an_award_for_a_unit_it_does_not_administer(self):
        self.login(self.dana)
        response = self.post_award(reverse("awards:award-create"), unit=str(self.quangbinh.pk))
        self.assertEqual(response.status_code, 200)
        self.assertFalse(Award.objects.filter(name="Bằng khen phong trào Xanh").exists())

    def test_editing_shows_service_errors_and_bumps_the_version(self):
        self.login(self.dana)
        url = reverse("awards:award-edit", args=[self.own.pk])
        response = self.post_award(url, proposer_levels=["2"], decider_level="3")
        self.assertContains(response, "error-decider_level")
        response = self.post_award(url, name="Giấy khen Đông Hà (sửa)")
        self.assertRedirects(response, reverse("awards:award-detail", args=[self.own.pk]))
        self.own.refresh_from_db()
        self.assertEqual(
            (self.own.name, self.own.version, self.own.code),
            ("Giấy khen Đông Hà (sửa)", 4, "giay-khen-rieng-cua-dong-ha-qt-dh"),
        )

    def test_deactivate_and_delete(self):
        self.login(self.dana)
        self.client.post(reverse("awards:award-active", args=[self.own.pk]), {"active": "0"})
        self.own.refresh_from_db()
        self.assertFalse(self.own.is_active)
        response = self.client.post(reverse("awards:award-delete", args=[self.own.pk]))
        self.assertRedirects(response, reverse("awards:award-list"))
        self.assertFalse(Award.objects.filter(pk=self.own.pk).exists())

    def test_an_award_in_use_is_not_deleted(self):
        f.record(self.own.code, 2024, member=self.ha)
        self.login(self.dana)
        detail = self.client.get(reverse("awards:award-detail", args=[self.own.pk]))
        self.assertNotContains(detail, 'data-testid="award-delete"')
        response = self.client.post(reverse("awards:award-delete", args=[self.own.pk]), follow=True)
        self.assertContains(response, "deactivate it instead")
        self.assertTrue(Award.objects.filter(pk=self.own.pk).exists())


class ConditionFormTests(CatalogueViewCase):
    def test_each_kind_is_entered_with_plain_fields(self):
        self.login(self.dana)
        url = reverse("awards:condition-create", args=[self.own.pk])
        page = self.client.get(url)
        self.assertContains(page, 'data-testid="params-service_years"')
        self.assertContains(page, "Chiến sĩ thi đua cơ sở")  # the award picker lists the catalogue
        posts = [
            (
                {
                    "kind": "prior_award",
                    "award": "cstd-co-so",
                    "count": "2",
                    "consecutive": "on",
                    "offset": "1",
                },
                {"award": "cstd-co-so", "count": 2, "consecutive": True, "offset": 1},
            ),
            ({"kind": "award_this_year", "award": "lao-dong-tien-tien"}, {"award": "lao-dong-tien-tien"}),
            (
                {
                    "kind": "initiative",
                    "max_level": "1",
                    "initiative_window": "3",
                    "value_level_1": "150000000",
                },
                {"max_level": 1, "window": 3, "min_value_by_level": {"1": 150000000}},
            ),
            (
                {
                    "kind": "service_years",
                    "years": "20",
                    "years_female": "15",
                    "weight_part_time": "1.5",
                    "weight_full_time": "1",
                },
                {"years": 20, "years_female": 15, "weights": {"part_time": 1.5}},
            ),
            (
                {"kind": "score", "min_share": "70", "max_rank": "", "score_offset": "0"},
                {"min_share": "0.7", "offset": 0},
            ),
            ({"kind": "once_in_life", "count": "9"}, {}),
        ]
        for data, params in posts:
            with self.subTest(kind=data["kind"]):
                response = self.client.post(
                    url, {**data, "text": f"Điều kiện {data['kind']}", "regulation": "QĐ 1"}
                )
                self.assertRedirects(response, reverse("awards:award-detail", args=[self.own.pk]))
                condition = self.own.conditions.get(text=f"Điều kiện {data['kind']}")
                self.assertEqual((condition.kind, condition.params), (data["kind"], params))
        self.own.refresh_from_db()
        self.assertEqual(self.own.version, 3 + len(posts))

    def test_errors_are_shown_on_the_fields(self):
        self.login(self.dana)
        url = reverse("awards:condition-create", args=[self.own.pk])
        response = self.client.post(
            url, {"kind": "prior_award", "award": "cstd-co-so", "count": "3", "window": "2"}
        )
        self.assertContains(response, "error-window")
        response = self.client.post(url, {"kind": "score"})
        self.assertContains(response, "error-min_total")
        response = self.client.post(url, {"kind": "service_years", "years": "20", "weight_other": "50"})
        self.assertContains(response, "error-weight_other")
        self.assertEqual(self.own.conditions.count(), 1)

    def test_editing_fills_in_the_fields_and_saves(self):
        condition = services.condition_add(
            award=self.own,
            added_by=None,
            kind="score",
            params={"min_share": "0.9", "offset": 1},
            text="Xuất sắc",
        )
        self.login(self.dana)
        url = reverse("awards:condition-edit", args=[condition.pk])
        page = self.client.get(url)
        self.assertContains(page, 'value="90"')
        self.assertContains(page, 'name="score_offset" value="1"')
        self.client.post(url, {"kind": "score", "min_total": "80", "score_offset": "0", "text": "Sửa"})
        condition.refresh_from_db()
        self.assertEqual((condition.params, condition.text), ({"min_total": "80", "offset": 0}, "Sửa"))
        self.client.post(reverse("awards:condition-delete", args=[condition.pk]))
        self.assertFalse(AwardCondition.objects.filter(pk=condition.pk).exists())


class QuotaFormTests(CatalogueViewCase):
    def test_add_edit_remove(self):
        self.login(self.dana)
        response = self.client.post(
            reverse("awards:quota-create", args=[self.own.pk]),
            {"scope": "share", "percent": "20", "of_award": "giay-khen", "regulation": "QĐ 1"},
        )
        self.assertRedirects(response, reverse("awards:award-detail", args=[self.own.pk]))
        quota = self.own.quotas.get(scope="share")
        self.assertEqual((str(quota.percent), quota.of_award.code), ("20.00", "giay-khen"))
        response = self.client.post(reverse("awards:quota-edit", args=[quota.pk]), {"scope": "share"})
        self.assertContains(response, "error-percent")
        self.client.post(
            reverse("awards:quota-edit", args=[quota.pk]), {"scope": "province_theme", "limit": "4"}
        )
        quota.refresh_from_db()
        self.assertEqual(
            (quota.scope, quota.limit, quota.percent, quota.of_award), ("province_theme", 4, None, None)
        )
        self.client.post(reverse("awards:quota-delete", args=[quota.pk]))
        self.assertFalse(AwardQuota.objects.filter(pk=quota.pk).exists())


class HomeTests(CatalogueViewCase):
    def test_it_links_every_part_that_exists(self):
        self.login(self.bob)
        response = self.client.get(reverse("awards:home"))
        self.assertContains(response, reverse("awards:award-list"))
        self.assertContains(response, reverse("awards:eligible-list"))
        self.assertEqual(response.status_code, 200)

    def test_a_missing_part_is_left_out(self):
        from awards.views import home

        with mock.patch.object(home, "PARTS", [*home.PARTS, ("awards:no-such-page", "bi-x", "X", "Y")]):
            names = [p["name"] for p in home.available_parts()]
        self.assertIn("awards:award-list", names)
        self.assertNotIn("awards:no-such-page", names)


class LevelsTests(CatalogueViewCase):
    def test_deciding_level_labels(self):
        self.login(self.alice)
        response = self.client.get(reverse("awards:award-detail", args=[f.award("lao-dong-tien-tien").pk]))
        self.assertContains(response, "outside the union")
        response = self.client.get(reverse("awards:award-detail", args=[self.national.pk]))
        self.assertContains(response, str(UnitLevel.PROVINCE.label))
