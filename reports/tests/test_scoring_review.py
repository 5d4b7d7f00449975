from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError

from lib.testing import BaseTestCase, EnglishMixin
from reports.models import RankingPublication, ScoreChange, ScoreSheet
from reports.services import scoring as services
from reports.tests.factories_scoring import YEAR, ScoringTestCase, make_cluster, make_table


class SelfAssessmentTests(EnglishMixin, ScoringTestCase, BaseTestCase):
    def test_a_unit_scoring_zero_on_every_criterion_can_submit(self):
        sheet = self.sheet_for(self.school, values={}, manual=0)
        self.assertEqual(sheet.status, ScoreSheet.Status.SUBMITTED)
        self.assertEqual(sheet.total, Decimal("0"))
        self.assertEqual(
            services.cluster_ranking(cluster=self.cluster, year=YEAR)[0][1:], (Decimal("0.00"), 1)
        )

    def test_it_refuses_to_submit_without_points_for_a_manual_criterion(self):
        sheet = self.sheet_for(self.school, submit=False)
        with self.assertRaisesMessage(ValidationError, "Enter your points (0 if none) for: Tiêu chí c4"):
            services.sheet_submit(sheet=sheet, by=self.sam)
        sheet.refresh_from_db()
        self.assertEqual(sheet.status, ScoreSheet.Status.DRAFT)

    def test_it_refuses_points_above_the_maximum(self):
        sheet = self.sheet_for(self.school, submit=False)
        c4 = self.table.criteria.get(code="c4")
        with self.assertRaisesMessage(ValidationError, "between 0 and 60"):
            services.sheet_self_assess(sheet=sheet, entries={c4.pk: (Decimal("61"), "")}, by=self.sam)
        self.assertIsNone(sheet.scores.get(criterion=c4).self_points)

    def test_submitted_self_assessment_cannot_be_rewritten_by_the_unit(self):
        sheet = self.sheet_for(self.school, manual=30)
        c4 = self.table.criteria.get(code="c4")
        with self.assertRaises(ValidationError):
            services.sheet_self_assess(sheet=sheet, entries={c4.pk: (Decimal("60"), "")}, by=self.sam)


class ScoreChangeTests(EnglishMixin, ScoringTestCase, BaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.sheet = self.sheet_for(self.school, values={"pilot_models": 1}, manual=60)
        self.c4 = self.sheet.scores.get(criterion__code="c4")

    def test_a_change_needs_a_written_reason(self):
        for reason in ("", "   "):
            with self.assertRaisesMessage(ValidationError, "Write the reason"):
                services.score_change(score=self.c4, new_points=Decimal("40"), reason=reason, by=self.alice)
        self.assertFalse(ScoreChange.objects.exists())
        self.c4.refresh_from_db()
        self.assertEqual(self.c4.points, Decimal("60"))

    def test_a_reviewing_level_changes_a_score_and_old_to_new_is_recorded(self):
        change = services.score_change(
            score=self.c4, new_points=Decimal("40"), reason="Thiếu minh chứng", by=self.alice
        )
        self.assertEqual(
            (change.old_points, change.new_points, change.by_unit, change.by),
            (Decimal("60"), Decimal("40"), self.dongha, self.alice),
        )
        self.sheet.refresh_from_db()
        self.assertEqual((self.sheet.total, self.sheet.status), (Decimal("50"), ScoreSheet.Status.REVIEWED))
        self.c4.refresh_from_db()
        self.assertEqual((self.c4.self_points, self.c4.points), (Decimal("60"), Decimal("40")))

    def test_a_units_own_officer_cannot_review_its_sheet(self):
        with self.assertRaises(PermissionDenied):
            services.score_change(score=self.c4, new_points=Decimal("60"), reason="tự chấm lại", by=self.sam)
        self.assertIsNone(services.reviewing_unit(user=self.sam, unit=self.school))

    def test_the_district_is_not_a_reviewing_level_for_its_own_sheet(self):
        cluster = make_cluster(unit=self.quangtri, members=[self.dongha], name="Cụm huyện")
        table = make_table(unit=self.quangtri, clusters=[cluster])
        sheet = services.sheet_get_or_create(table=table, unit=self.dongha, year=YEAR)
        c4 = sheet.scores.get(criterion__code="c4")
        services.sheet_self_assess(sheet=sheet, entries={c4.criterion_id: (Decimal("50"), "")}, by=self.alice)
        services.sheet_submit(sheet=sheet, by=self.alice)
        with self.assertRaises(PermissionDenied):
            services.score_change(score=c4, new_points=Decimal("60"), reason="nâng điểm", by=self.alice)
        change = services.score_change(
            score=c4, new_points=Decimal("45"), reason="Thiếu minh chứng", by=self.quinn
        )
        self.assertEqual(change.by_unit, self.quangtri)

    def test_points_above_the_maximum_are_refused(self):
        with self.assertRaises(ValidationError):
            services.score_change(score=self.c4, new_points=Decimal("61"), reason="x", by=self.alice)


class RankingPublishTests(EnglishMixin, ScoringTestCase, BaseTestCase):
    def test_publishing_freezes_the_sheets_and_refuses_later_changes(self):
        school = self.sheet_for(self.school, values={"pilot_models": 1}, manual=50)
        self.sheet_for(self.factory, values={}, manual=55)
        pub = services.ranking_publish(
            table=self.table, cluster=self.cluster, year=YEAR, decision_number="12/QĐ-LĐLĐ", by=self.alice
        )
        self.assertEqual(RankingPublication.objects.get(), pub)
        ranks = dict(ScoreSheet.objects.values_list("unit__code", "rank"))
        self.assertEqual(ranks, {"QT.DH.001": 1, "QT.DH.002": 2})
        self.assertEqual(set(ScoreSheet.objects.values_list("status", flat=True)), {ScoreSheet.Status.FROZEN})
        self.assertTrue(all(ScoreSheet.objects.values_list("frozen_at", flat=True)))
        c4 = school.scores.get(criterion__code="c4")
        with self.assertRaisesMessage(ValidationError, "frozen"):
            services.score_change(score=c4, new_points=Decimal("10"), reason="sau công bố", by=self.alice)
        c4.refresh_from_db()
        self.assertEqual(c4.points, Decimal("50"))
        with self.assertRaises(ValidationError):
            services.ranking_publish(
                table=self.table, cluster=self.cluster, year=YEAR, decision_number="13/QĐ", by=self.alice
            )

    def test_it_needs_a_decision_number(self):
        self.sheet_for(self.school, manual=50)
        with self.assertRaises(ValidationError):
            services.ranking_publish(
                table=self.table, cluster=self.cluster, year=YEAR, decision_number=" ", by=None
            )
        self.assertFalse(RankingPublication.objects.exists())
