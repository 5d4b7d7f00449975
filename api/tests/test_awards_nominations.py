"""POST and GET /api/nominations/: a draft list with its nominees in one call through the
nominations services; every refusal 400 with its reasons and nothing saved; scoping."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from api.tests.test_awards_api import NOMINATIONS, AwardsApiTestCase, nomination_url
from awards.models import AwardQuota, Nomination, Nominee
from awards.tests import factories as f


class NominationReadTests(AwardsApiTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.nomination = f.make_nomination(cls.round, "cstd-cap-tinh", cls.school, members=[cls.ha])
        cls.qb_nomination = f.make_nomination(cls.qb_round, "cstd-cap-tinh", cls.port, members=[cls.lan])

    def test_alice_sees_her_subtrees_nominations(self):
        self.auth(self.alice)
        data = self.get_json(NOMINATIONS)
        self.assertEqual([n["id"] for n in data["results"]], [self.nomination.pk])
        row = data["results"][0]
        self.assertEqual(
            (row["award_code"], row["status"], row["unit"]["id"]), ("cstd-cap-tinh", "draft", self.school.pk)
        )
        self.assertEqual([n["member"] for n in row["nominees"]], [self.ha.pk])
        detail = self.get_json(nomination_url(self.nomination))
        self.assertEqual(detail["steps"], [])
        self.assertEqual(detail["nominees"][0]["name"], self.ha.full_name)

    def test_filters(self):
        self.auth(self.alice)
        self.assertEqual(self.get_json(NOMINATIONS, {"status": "submitted"})["count"], 0)
        self.assertEqual(self.get_json(NOMINATIONS, {"status": "draft"})["count"], 1)
        self.assertEqual(self.get_json(NOMINATIONS, {"round": self.qb_round.pk})["count"], 0)
        self.assertEqual(self.get_json(NOMINATIONS, {"award": self.cstd.pk})["count"], 1)
        self.get_json(NOMINATIONS, {"status": "nonsense"}, status=400)

    def test_a_nomination_sitting_at_the_callers_unit_is_visible(self):
        self.qb_nomination.at_unit = self.dongha  # as if it had been sent there
        self.qb_nomination.save(update_fields=["at_unit"])
        self.auth(self.alice)
        self.assertEqual(self.get_json(nomination_url(self.qb_nomination))["id"], self.qb_nomination.pk)

    def test_charlie_gets_nothing_of_alices(self):
        self.auth(self.charlie)
        self.assertEqual([n["id"] for n in self.get_json(NOMINATIONS)["results"]], [self.qb_nomination.pk])
        self.get_json(nomination_url(self.nomination), status=404)

    def test_queries_do_not_grow_with_the_list(self):
        self.auth(self.alice)
        with CaptureQueriesContext(connection) as one:
            self.get_json(NOMINATIONS)
        for _ in range(3):
            f.make_nomination(self.round, "giay-khen", self.school, members=[self.ha], units=[self.school])
        with CaptureQueriesContext(connection) as four:
            self.assertEqual(self.get_json(NOMINATIONS)["count"], 4)
        self.assertEqual(len(four), len(one))


class NominationCreateTests(AwardsApiTestCase):
    def assertNothingSaved(self) -> None:
        self.assertEqual(Nomination.objects.count(), 0)
        self.assertEqual(Nominee.objects.count(), 0)

    def test_alice_creates_and_submits_a_list(self):
        self.auth(self.alice)
        r = self.post(self.body(submit=True, letter_number="12/TTr-CĐ", note="Đề nghị năm 2025"))
        self.assertEqual(r.status_code, 201, r.content)
        data = r.json()
        self.assertEqual(data["status"], "submitted")
        self.assertEqual(data["at_unit"]["id"], self.dongha.pk)
        self.assertEqual(data["letter_number"], "12/TTr-CĐ")
        self.assertEqual([s["action"] for s in data["steps"]], ["submit"])
        nominee = data["nominees"][0]
        self.assertTrue(nominee["eligible"])
        self.assertEqual([c["kind"] for c in nominee["eligibility"]], ["prior_award", "initiative"])
        nomination = Nomination.objects.get()
        self.assertEqual((nomination.created_by, nomination.rules["award"]), (self.alice, "cstd-cap-tinh"))
        self.assertEqual(self.get_json(nomination_url(nomination))["id"], nomination.pk)

    def test_a_draft_keeps_an_ineligible_nominee_flagged(self):
        self.auth(self.alice)
        body = self.body(
            unit=self.dongha.pk, nominees=[{"member": self.duc.pk, "achievement": "Tổ trưởng giỏi"}]
        )
        r = self.post(body)
        self.assertEqual(r.status_code, 201, r.content)
        nominee = r.json()["nominees"][0]
        self.assertEqual((r.json()["status"], nominee["eligible"]), ("draft", False))
        self.assertEqual(nominee["achievement"]["summary"], "Tổ trưởng giỏi")
        self.assertIn("titles", nominee["achievement"])  # prefilled from the register

    def test_an_ineligible_nominee_needs_a_ground_to_be_submitted(self):
        self.auth(self.alice)
        r = self.post(self.body(unit=self.dongha.pk, nominees=[{"member": self.duc.pk}], submit=True))
        self.assertEqual(r.status_code, 400, r.content)
        self.assertIn(self.duc.full_name, r.json()["detail"])
        self.assertEqual(r.json()["errors"][0]["field"], "submit")
        self.assertNothingSaved()
        ground = "Có thành tích đột xuất trong phòng chống bão lũ"
        r = self.post(
            self.body(
                unit=self.dongha.pk,
                nominees=[{"member": self.duc.pk, "override_ground": ground}],
                submit=True,
            )
        )
        self.assertEqual(r.status_code, 201, r.content)
        self.assertEqual(r.json()["nominees"][0]["override_ground"], ground)

    def test_a_nominee_outside_the_proposing_unit_is_refused(self):
        self.auth(self.alice)
        r = self.post(self.body(nominees=[{"member": self.ha.pk}, {"member": self.duc.pk}]))
        self.assertEqual(r.status_code, 400, r.content)
        self.assertEqual([e["field"] for e in r.json()["errors"]], ["nominees[1]"])
        self.assertIn("outside", r.json()["detail"])
        self.assertNothingSaved()

    def test_once_in_a_life_already_held_is_refused(self):
        f.record("ky-niem-chuong", 2020, member=self.ha)
        self.auth(self.alice)
        r = self.post(self.body(award=f.award("ky-niem-chuong").pk))
        self.assertEqual(r.status_code, 400, r.content)
        self.assertIn("once in a life", r.json()["detail"])
        self.assertNothingSaved()

    def test_over_quota_is_refused_at_submission(self):
        giay_khen = f.award("giay-khen")
        AwardQuota.objects.create(award=giay_khen, scope=AwardQuota.Scope.ISSUER_YEAR, limit=1)
        self.auth(self.alice)
        nominees = [{"member": self.ha.pk}, {"member": self.duc.pk}]
        r = self.post(self.body(award=giay_khen.pk, unit=self.dongha.pk, nominees=nominees, submit=True))
        self.assertEqual(r.status_code, 400, r.content)
        self.assertIn("quota", r.json()["detail"])
        self.assertNothingSaved()

    def test_missing_minutes_are_refused_at_submission(self):
        self.auth(self.alice)
        r = self.post(self.body(minutes_number="", submit=True))
        self.assertEqual(r.status_code, 400, r.content)
        self.assertIn("minutes", r.json()["detail"])
        self.assertNothingSaved()

    def test_an_award_not_in_the_round_is_refused(self):
        self.auth(self.alice)
        r = self.post(self.body(award=f.award("bang-khen-ldld-tinh").pk))
        self.assertEqual(r.status_code, 400, r.content)
        self.assertNothingSaved()

    def test_a_malformed_body_lists_every_field(self):
        self.auth(self.alice)
        r = self.post({"unit": self.school.pk, "nominees": [{"member": self.ha.pk, "unit": self.school.pk}]})
        self.assertEqual(r.status_code, 400, r.content)
        fields = {e["field"] for e in r.json()["errors"]}
        self.assertEqual(fields, {"round", "award", "nominees[0]"})
        self.assertNothingSaved()

    def test_a_viewer_cannot_create(self):
        self.auth(self.bob)
        for unit in (self.school, self.dongha):
            self.assertEqual(self.post(self.body(unit=unit.pk)).status_code, 403)
        self.assertNothingSaved()

    def test_charlie_cannot_name_alices_units_or_members(self):
        self.auth(self.charlie)
        for body in (
            self.body(),  # Alice's unit
            self.body(round=self.qb_round.pk, unit=self.port.pk),  # Alice's member on his list
            self.body(round=self.round.pk, unit=self.port.pk, nominees=[{"member": self.lan.pk}]),
            self.body(round=self.qb_round.pk, unit=self.port.pk, award=self.dongha_award.pk, nominees=[]),
            self.body(round=self.qb_round.pk, unit=self.port.pk, nominees=[{"unit": self.school.pk}]),
        ):
            with self.subTest(body=body):
                self.assertEqual(self.post(body).status_code, 404)
        self.assertNothingSaved()

    def test_anonymous_callers_are_refused(self):
        self.assertIn(self.post(self.body()).status_code, (401, 403))
        self.assertNothingSaved()
