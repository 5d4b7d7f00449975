import datetime
from decimal import Decimal

from django.utils import timezone

from lib.testing import BaseTestCase
from org.models import Unit
from reports.models import ScoreSheet, ScoringTable
from reports.services import scoring as services
from reports.tests.factories_scoring import YEAR, ScoringTestCase, make_grassroots, make_table

C1 = {"pilot_models": 1}  # c1 = 10
C3 = {"initiatives": 5}  # c3 = 10


class ClusterRankingTests(ScoringTestCase, BaseTestCase):
    def set_tie_break(self, rule: str) -> None:
        ScoringTable.objects.filter(pk=self.table.pk).update(tie_break=rule)
        self.table.refresh_from_db()

    def ranks(self) -> dict[str, tuple[Decimal, int]]:
        return {
            s.unit.code: (total, rank)
            for s, total, rank in services.cluster_ranking(cluster=self.cluster, year=YEAR)
        }

    def test_known_inputs_give_known_scores_and_competition_ranks(self):
        extra = [
            make_grassroots(parent=self.dongha, code=f"QT.DH.00{i}", name=f"Công đoàn {i}") for i in (3, 4)
        ]
        for u in extra:
            self.cluster.memberships.create(unit=u)
        self.sheet_for(
            self.school, values={**C1, "registered": 45, "members_total": 50}, manual=42
        )  # 10+18+42
        self.sheet_for(self.factory, values=C1, manual=50)  # 60
        self.sheet_for(extra[0], values=C1, manual=50)  # 60, same breakdown as the factory
        self.sheet_for(extra[1], values={}, manual=40)  # 40
        self.assertEqual(
            self.ranks(),
            {
                "QT.DH.001": (Decimal("70.00"), 1),
                "QT.DH.002": (Decimal("60.00"), 2),
                "QT.DH.003": (Decimal("60.00"), 2),
                "QT.DH.004": (Decimal("40.00"), 4),
            },
        )

    def test_first_criterion_breaks_a_tie_by_the_criteria_in_order(self):
        self.sheet_for(self.school, values=C1, manual=50)
        self.sheet_for(self.factory, values=C3, manual=50)
        self.assertEqual(
            self.ranks(), {"QT.DH.001": (Decimal("60.00"), 1), "QT.DH.002": (Decimal("60.00"), 2)}
        )

    def test_more_members_breaks_a_tie_by_member_count(self):
        self.set_tie_break(ScoringTable.TieBreak.MORE_MEMBERS)
        Unit.objects.filter(pk=self.school.pk).update(member_count=5)
        self.sheet_for(self.school, values=C3, manual=50)
        self.sheet_for(self.factory, values=C1, manual=50)
        self.assertEqual(
            self.ranks(), {"QT.DH.001": (Decimal("60.00"), 1), "QT.DH.002": (Decimal("60.00"), 2)}
        )

    def test_units_still_equal_after_the_rule_share_the_rank(self):
        self.set_tie_break(ScoringTable.TieBreak.MORE_MEMBERS)
        Unit.objects.filter(pk__in=[self.school.pk, self.factory.pk]).update(member_count=3)
        self.sheet_for(self.school, values=C3, manual=50)
        self.sheet_for(self.factory, values=C1, manual=50)
        self.assertEqual(
            self.ranks(), {"QT.DH.001": (Decimal("60.00"), 1), "QT.DH.002": (Decimal("60.00"), 1)}
        )

    def test_earlier_submission_breaks_a_tie(self):
        self.set_tie_break(ScoringTable.TieBreak.EARLIER_SUBMISSION)
        school = self.sheet_for(self.school, values=C3, manual=50)
        factory = self.sheet_for(self.factory, values=C1, manual=50)
        now = timezone.now()
        ScoreSheet.objects.filter(pk=school.pk).update(submitted_at=now - datetime.timedelta(days=2))
        ScoreSheet.objects.filter(pk=factory.pk).update(submitted_at=now - datetime.timedelta(days=1))
        self.assertEqual(
            self.ranks(), {"QT.DH.001": (Decimal("60.00"), 1), "QT.DH.002": (Decimal("60.00"), 2)}
        )

    def test_drafts_are_not_ranked(self):
        self.sheet_for(self.school, values=C1, manual=50)
        self.sheet_for(self.factory, values=C1, manual=55, submit=False)
        self.assertEqual(list(self.ranks()), ["QT.DH.001"])

    def test_it_uses_a_fixed_number_of_queries(self):
        self.sheet_for(self.school, values=C1, manual=50)
        self.sheet_for(self.factory, values=C1, manual=55)
        with self.assertNumQueries(4):  # table in force, criteria, sheets, their scores
            rows = services.cluster_ranking(cluster=self.cluster, year=YEAR)
            [s.unit.name for s, _t, _r in rows]

    def test_table_for_picks_the_version_in_force(self):
        later = make_table(
            unit=self.dongha, clusters=[self.cluster], effective_from=datetime.date(YEAR + 1, 1, 1)
        )
        draft = make_table(
            unit=self.dongha,
            clusters=[self.cluster],
            effective_from=datetime.date(YEAR, 6, 1),
            published=False,
        )
        self.assertEqual(services.table_for(cluster=self.cluster, on=datetime.date(YEAR, 12, 31)), self.table)
        self.assertEqual(services.table_for(cluster=self.cluster, on=datetime.date(YEAR + 1, 3, 1)), later)
        self.assertNotEqual(services.table_for(cluster=self.cluster, on=datetime.date(YEAR, 7, 1)), draft)
        self.assertIsNone(services.table_for(cluster=self.cluster, on=datetime.date(YEAR - 1, 12, 31)))


class GradeTests(BaseTestCase):
    def test_grades_follow_the_thresholds(self):
        top = Decimal("100")
        grade = [services.grade_for(total=Decimal(t), max_total=top) for t in ("92", "70", "50", "49.99")]
        self.assertEqual(grade, [str(g) for _t, g in services.GRADES] + [str(services.GRADE_BELOW)])
