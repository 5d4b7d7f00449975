"""A published ranking's sheets are frozen with their scores: no score is added to or moved into
a frozen sheet, while publishing itself (which freezes even the sheets never submitted) still
works. Loading fixtures, raw SQL and the triggers: lib/tests/test_immutability.py."""

from decimal import Decimal

from lib.frozen import ImmutableError
from lib.testing import BaseTestCase, EnglishMixin
from reports.models import Criterion, Score, ScoreSheet
from reports.services import scoring as services
from reports.tests.factories_scoring import YEAR, ScoringTestCase, make_grassroots


class FrozenSheetTests(EnglishMixin, ScoringTestCase, BaseTestCase):
    def publish(self) -> None:
        services.ranking_publish(
            table=self.table, cluster=self.cluster, year=YEAR, decision_number="12/QĐ-LĐLĐ", by=self.alice
        )

    def test_publishing_freezes_the_sheets_never_submitted_too(self):
        self.sheet_for(self.school, manual=50)
        draft = self.sheet_for(self.factory, submit=False)
        self.publish()
        draft.refresh_from_db()
        self.assertEqual((draft.status, draft.rank), (ScoreSheet.Status.FROZEN, None))
        self.assertIsNotNone(draft.frozen_at)

    def test_no_score_is_added_to_a_frozen_sheet(self):
        sheet = self.sheet_for(self.school, manual=50)
        self.publish()
        extra = Criterion.objects.create(table=self.table, code="c9", label="Thêm", max_points=5, position=9)
        with self.assertRaisesMessage(ImmutableError, "frozen"):
            Score.objects.create(sheet=sheet, criterion=extra, points=Decimal("5"))
        self.assertFalse(Score.objects.filter(criterion=extra).exists())

    def test_no_score_is_moved_into_a_frozen_sheet(self):
        frozen = self.sheet_for(self.school, manual=50)
        self.publish()
        other = make_grassroots(parent=self.dongha, code="QT.DH.009", name="Công đoàn Trường Mới")
        open_sheet = ScoreSheet.objects.create(table=self.table, unit=other, year=YEAR)
        score = Score.objects.create(sheet=open_sheet, criterion=self.table.criteria.get(code="c4"))
        score.sheet = frozen
        with self.assertRaises(ImmutableError):
            score.save()
        self.assertEqual(Score.objects.get(pk=score.pk).sheet, open_sheet)
