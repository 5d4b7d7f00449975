"""The award endpoints: the catalogue, who is eligible, a decision (read-only: no method edits
it), the register; the shared cast (nominations: test_awards_nominations.py). Scoping: charlie
(another province) gets 404 or an empty list for anything of Alice's."""

import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import Role
from api.tests.base import ApiTestCase
from awards.models import (
    Award,
    AwardQuota,
    AwardRecord,
    Decision,
    DecisionLine,
    RecipientKind,
)
from awards.tests import factories as f
from lib.testing import EnglishMixin, make_user
from lib.text import fold
from org.models import Sex, UnitLevel
from org.services.members import member_create

AWARDS = reverse("api-award-list")
NOMINATIONS = reverse("api-nomination-list")
REGISTER = reverse("api-register-list")


def award_url(award) -> str:
    return reverse("api-award-detail", args=[award.pk])


def eligible_url(award) -> str:
    return reverse("api-award-eligible", args=[award.pk])


def nomination_url(nomination) -> str:
    return reverse("api-nomination-detail", args=[nomination.pk])


def decision_url(decision) -> str:
    return reverse("api-decision-detail", args=[decision.pk])


def own_award(unit, code: str, name: str) -> Award:
    return Award.objects.create(
        unit=unit,
        code=code,
        name=name,
        name_folded=fold(name),
        kind=Award.Kind.FORM,
        recipient_kinds=["member", "collective"],
        proposer_levels=[int(UnitLevel.GRASSROOTS)],
        decider_level=int(UnitLevel.UPPER),
    )


class AwardsApiTestCase(EnglishMixin, ApiTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.cstd = f.award("cstd-cap-tinh")
        # Hà: CSTĐ cơ sở 2023–2025 and a provincial initiative: eligible for CSTĐ cấp tỉnh 2025.
        for year in (2023, 2024, 2025):
            f.record("cstd-co-so", year, member=cls.ha)
        f.initiative(year=2024, level=UnitLevel.PROVINCE, member=cls.ha)
        # Lan (Quảng Bình) is eligible too, but outside Alice's subtree.
        for year in (2023, 2024, 2025):
            f.record("cstd-co-so", year, member=cls.lan)
        f.initiative(year=2025, level=UnitLevel.PROVINCE, member=cls.lan)
        # Đức: 2024 missing, the streak is broken.
        f.record("cstd-co-so", 2023, member=cls.duc)
        f.record("cstd-co-so", 2025, member=cls.duc)
        cls.round = f.make_round(cls.quangtri, 2025, ("cstd-cap-tinh", "ky-niem-chuong", "giay-khen"))
        cls.qb_round = f.make_round(cls.quangbinh, 2025, ("cstd-cap-tinh",))
        cls.dongha_award = own_award(cls.dongha, "giay-khen-dong-ha", "Giấy khen của LĐLĐ Đông Hà")
        cls.qb_award = own_award(cls.quangbinh, "giay-khen-quang-binh", "Giấy khen của LĐLĐ Quảng Bình")

    def post(self, body: dict):
        return self.client.post(NOMINATIONS, body, content_type="application/json")

    def body(self, **extra) -> dict:
        return {
            "round": self.round.pk,
            "award": self.cstd.pk,
            "unit": self.school.pk,
            "nominees": [{"member": self.ha.pk}],
            "minutes_number": "01/BB-HĐTĐKT",
            **extra,
        }


class CatalogueApiTests(AwardsApiTestCase):
    def test_the_catalogue_has_the_national_awards_and_the_callers_own(self):
        self.auth(self.alice)
        data = self.get_json(AWARDS)
        codes = {a["code"] for a in data["results"]}
        self.assertIn("cstd-cap-tinh", codes)
        self.assertIn("giay-khen-dong-ha", codes)
        self.assertNotIn("giay-khen-quang-binh", codes)
        self.assertEqual(data["count"], Award.objects.filter(unit__isnull=True).count() + 1)
        self.auth(self.charlie)
        codes = {a["code"] for a in self.get_json(AWARDS)["results"]}
        self.assertIn("giay-khen-quang-binh", codes)
        self.assertNotIn("giay-khen-dong-ha", codes)

    def test_an_award_with_its_conditions_and_quotas(self):
        self.auth(self.alice)
        data = self.get_json(award_url(self.cstd))
        for key in (
            "id",
            "code",
            "name",
            "kind",
            "period",
            "recipient_kinds",
            "proposer_levels",
            "decider_level",
            "decided_outside",
            "pass_percent",
            "pass_strictly_more",
            "secret_ballot",
            "public_notice_days",
            "certificate",
            "regulation",
            "version",
            "is_active",
            "conditions",
            "quotas",
        ):
            self.assertIn(key, data)
        self.assertEqual((data["decider_level"], data["pass_percent"], data["secret_ballot"]), (1, 80, True))
        prior = data["conditions"][0]
        self.assertEqual(prior["kind"], "prior_award")
        self.assertEqual(prior["params"]["award"], "cstd-co-so")
        self.assertEqual(set(prior), {"kind", "params", "text", "regulation"})
        xuat_sac = self.get_json(award_url(f.award("cdcs-vung-manh-xuat-sac")))
        self.assertEqual(
            xuat_sac["quotas"],
            [{"scope": "share", "limit": None, "percent": 20.0, "of_award": "cdcs-vung-manh"}],
        )

    def test_another_provinces_own_award_is_404(self):
        self.auth(self.alice)
        self.get_json(award_url(self.qb_award), status=404)
        self.get_json(eligible_url(self.qb_award), status=404)
        self.auth(self.bob)
        self.assertEqual(self.get_json(award_url(self.dongha_award))["code"], "giay-khen-dong-ha")

    def test_the_list_costs_the_same_queries_for_more_awards(self):
        self.auth(self.alice)
        with CaptureQueriesContext(connection) as few:
            self.get_json(AWARDS)
        for i in range(3):
            award = own_award(self.school, f"own-{i}", f"Giấy khen riêng {i}")
            AwardQuota.objects.create(award=award, scope=AwardQuota.Scope.ISSUER_YEAR, limit=5)
        with CaptureQueriesContext(connection) as many:
            self.get_json(AWARDS)
        self.assertEqual(len(many), len(few))
        self.assertLessEqual(len(many), 8)

    def test_anonymous_callers_are_refused(self):
        self.assertIn(self.client.get(AWARDS).status_code, (401, 403))


class EligibleApiTests(AwardsApiTestCase):
    def test_who_is_eligible_in_the_callers_subtree(self):
        self.auth(self.alice)
        data = self.get_json(eligible_url(self.cstd), {"year": 2025})
        self.assertEqual(data["count"], 1)
        self.assertEqual((data["unit"], data["year"], data["recipients"]), (self.dongha.pk, 2025, "persons"))
        row = data["results"][0]
        self.assertEqual(
            (row["id"], row["member"], row["full_name"]), (self.ha.pk, self.ha.pk, self.ha.full_name)
        )
        self.assertEqual(
            row["unit"], {"id": self.school.pk, "code": self.school.code, "name": self.school.name}
        )
        self.assertEqual(self.get_json(eligible_url(self.cstd), {"year": 2024})["count"], 0)
        self.assertEqual(
            self.get_json(eligible_url(self.cstd), {"year": 2025, "unit": self.factory.pk})["results"], []
        )

    def test_a_unit_outside_the_callers_scope_is_404(self):
        self.auth(self.alice)
        for unit in (self.quangtri, self.port, self.root):
            self.get_json(eligible_url(self.cstd), {"unit": unit.pk, "year": 2025}, status=404)
        self.get_json(eligible_url(self.cstd), {"unit": "x"}, status=404)

    def test_charlie_gets_his_province_only(self):
        self.auth(self.charlie)
        data = self.get_json(eligible_url(self.cstd), {"year": 2025})
        self.assertEqual([r["id"] for r in data["results"]], [self.lan.pk])
        self.get_json(eligible_url(self.cstd), {"unit": self.school.pk, "year": 2025}, status=404)

    def test_units_for_awards_given_to_collectives(self):
        self.auth(self.alice)
        data = self.get_json(eligible_url(f.award("giay-khen")), {"recipients": "units", "year": 2025})
        self.assertEqual(
            [r["code"] for r in data["results"]], [self.dongha.code, self.school.code, self.factory.code]
        )
        self.assertEqual(set(data["results"][0]), {"id", "code", "name"})

    def test_a_federations_own_award_reaches_its_subtree_only(self):
        tinh = make_user("tinh", self.quangtri, Role.Kind.OFFICER)
        tinh.roles.create(unit=self.quangbinh, kind=Role.Kind.VIEWER)
        self.auth(tinh)
        data = self.get_json(eligible_url(self.dongha_award), {"year": 2025})
        self.assertEqual({r["id"] for r in data["results"]}, {self.ha.pk, self.duc.pk})
        self.get_json(eligible_url(self.qb_award), {"year": 2025, "unit": self.quangbinh.pk})
        data = self.get_json(eligible_url(self.qb_award), {"year": 2025, "unit": self.quangtri.pk})
        self.assertEqual(data["results"], [])

    def test_bad_parameters_are_400(self):
        self.auth(self.alice)
        self.get_json(eligible_url(self.cstd), {"year": "20x5"}, status=400)
        self.get_json(eligible_url(self.cstd), {"recipients": "cats"}, status=400)

    def test_queries_do_not_grow_with_the_list(self):
        self.auth(self.alice)
        with CaptureQueriesContext(connection) as one:
            self.get_json(eligible_url(self.cstd), {"year": 2025})
        for i in range(3):
            member = member_create(
                unit=self.factory, full_name=f"Người {i}", sex=Sex.MALE, cccd=f"04509000010{i}"
            )
            for year in (2023, 2024, 2025):
                f.record("cstd-co-so", year, member=member)
            f.initiative(year=2025, level=UnitLevel.CONFEDERATION, member=member)
        with CaptureQueriesContext(connection) as four:
            data = self.get_json(eligible_url(self.cstd), {"year": 2025})
        self.assertEqual(data["count"], 4)
        self.assertEqual(len(four), len(one))
        self.assertLessEqual(len(four), 10)


class DecisionApiTests(AwardsApiTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        giay_khen = f.award("giay-khen")
        cls.decision = Decision.objects.create(
            unit=cls.dongha,
            award=giay_khen,
            year=2025,
            title="Về việc tặng Giấy khen",
            number="15/QĐ-LĐLĐ",
            signed_on=datetime.date(2025, 12, 20),
            signer_authority="TM. BAN THƯỜNG VỤ",
            signer_title="CHỦ TỊCH",
            signer_name="Lê Văn Minh",
        )
        cls.line = DecisionLine.objects.create(
            decision=cls.decision,
            recipient_kind=RecipientKind.MEMBER,
            member=cls.ha,
            unit=cls.school,
            name=cls.ha.full_name,
            achievement="Hoàn thành xuất sắc nhiệm vụ năm 2025",
        )
        Decision.objects.filter(pk=cls.decision.pk).update(status=Decision.Status.ISSUED)
        cls.record = f.record(
            "giay-khen",
            2025,
            member=cls.ha,
            decision=cls.decision,
            line=cls.line,
            source=AwardRecord.Source.DECISION,
            decision_number="15/QĐ-LĐLĐ",
        )
        cls.revocation = Decision.objects.create(
            unit=cls.dongha,
            award=giay_khen,
            kind=Decision.Kind.REVOKE,
            amends=cls.decision,
            year=2025,
            title="Về việc thu hồi Giấy khen",
        )
        cls.qb_decision = Decision.objects.create(unit=cls.quangbinh, award=giay_khen, year=2025, title="QB")

    def test_a_decision_with_its_lines_records_and_corrections(self):
        self.auth(self.bob)
        data = self.get_json(decision_url(self.decision))
        self.assertEqual(
            (data["number"], data["signed_on"], data["kind"], data["status"]),
            ("15/QĐ-LĐLĐ", "2025-12-20", "award", "issued"),
        )
        self.assertEqual(data["award"]["code"], "giay-khen")
        self.assertEqual(data["unit"]["id"], self.dongha.pk)
        self.assertEqual(
            data["signer"], {"authority": "TM. BAN THƯỜNG VỤ", "title": "CHỦ TỊCH", "name": "Lê Văn Minh"}
        )
        line = data["lines"][0]
        self.assertEqual(
            (line["name"], line["recipient_kind"], line["unit"]["id"]),
            (self.ha.full_name, "member", self.school.pk),
        )
        self.assertEqual(
            line["record"], {"id": self.record.pk, "verify_code": self.record.verify_code, "status": "valid"}
        )
        self.assertEqual([c["id"] for c in data["corrections"]], [self.revocation.pk])
        self.assertIsNone(data["amends"])
        revocation = self.get_json(decision_url(self.revocation))
        self.assertEqual((revocation["kind"], revocation["amends"]["id"]), ("revoke", self.decision.pk))
        self.assertIsNone(revocation["signed_on"])

    def test_an_issued_decision_cannot_be_changed_through_the_api(self):
        self.auth(self.alice)
        url = decision_url(self.decision)
        body = {"number": "99/QĐ", "title": "Sửa", "lines": []}
        for method in ("put", "patch"):
            r = getattr(self.client, method)(url, body, content_type="application/json")
            self.assertEqual(r.status_code, 405, method)
        self.assertEqual(self.client.delete(url).status_code, 405)
        self.assertEqual(self.client.post(url, body, content_type="application/json").status_code, 405)
        self.decision.refresh_from_db()
        self.assertEqual((self.decision.number, self.decision.status), ("15/QĐ-LĐLĐ", "issued"))
        self.assertEqual(self.decision.lines.count(), 1)

    def test_charlie_cannot_read_alices_decision(self):
        self.auth(self.charlie)
        self.get_json(decision_url(self.decision), status=404)
        self.assertEqual(
            self.client.put(decision_url(self.decision), {}, content_type="application/json").status_code, 405
        )
        self.assertEqual(self.get_json(decision_url(self.qb_decision))["title"], "QB")
        self.auth(self.alice)
        self.get_json(decision_url(self.qb_decision), status=404)


class RegisterApiTests(AwardsApiTestCase):
    def test_the_register_of_the_callers_subtree(self):
        self.auth(self.alice)
        data = self.get_json(REGISTER)
        self.assertEqual(data["count"], 5)  # Hà 3, Đức 2; never Lan
        self.assertEqual({r["member"] for r in data["results"]}, {self.ha.pk, self.duc.pk})
        row = data["results"][0]
        self.assertEqual(row["year"], 2025)
        self.assertEqual(set(row["award"]), {"id", "code", "name"})
        self.assertEqual(len(row["verify_code"]), 10)

    def test_search_without_accents_and_filters(self):
        self.auth(self.alice)
        self.assertEqual(
            {r["name"] for r in self.get_json(REGISTER, {"q": "nguyen thi thu"})["results"]},
            {self.ha.full_name},
        )
        self.assertEqual(self.get_json(REGISTER, {"q": "Trần Đức"})["count"], 2)
        self.assertEqual(self.get_json(REGISTER, {"q": "le thi lan"})["count"], 0)
        self.assertEqual(self.get_json(REGISTER, {"year": 2024})["count"], 1)
        self.assertEqual(self.get_json(REGISTER, {"unit": self.factory.pk})["count"], 2)
        self.assertEqual(
            self.get_json(REGISTER, {"award": f.award("cstd-co-so").pk, "year": 2023})["count"], 2
        )
        self.assertEqual(self.get_json(REGISTER, {"award": f.award("giay-khen").pk})["count"], 0)
        self.get_json(REGISTER, {"year": "abc"}, status=400)

    def test_charlie_sees_his_province_only(self):
        self.auth(self.charlie)
        data = self.get_json(REGISTER, {"q": "nguyen thi thu ha"})
        self.assertEqual(data["count"], 0)
        self.assertEqual({r["member"] for r in self.get_json(REGISTER)["results"]}, {self.lan.pk})
        self.get_json(REGISTER, {"unit": self.school.pk}, status=404)
        self.get_json(REGISTER, {"award": self.dongha_award.pk}, status=404)

    def test_queries_do_not_grow_with_the_page(self):
        self.auth(self.alice)
        with CaptureQueriesContext(connection) as five:
            self.get_json(REGISTER)
        for year in range(2010, 2020):
            f.record("lao-dong-tien-tien", year, member=self.duc)
        with CaptureQueriesContext(connection) as fifteen:
            self.assertEqual(self.get_json(REGISTER)["count"], 15)
        self.assertEqual(len(fifteen), len(five))
