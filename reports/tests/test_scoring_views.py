import datetime
import io
import shutil
import tempfile
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse
from openpyxl import load_workbook

from lib.testing import BaseTestCase, EnglishMixin
from reports.models import Criterion, RankingPublication, ScoreChange, ScoreSheet, ScoringTable
from reports.services import scoring as services
from reports.tests.factories_scoring import YEAR, ScoringTestCase

MEDIA = tempfile.mkdtemp()


@override_settings(MEDIA_ROOT=MEDIA)
class ScoringViewTests(EnglishMixin, ScoringTestCase, BaseTestCase):
    @classmethod
    def tearDownClass(cls) -> None:
        super().tearDownClass()
        shutil.rmtree(MEDIA, ignore_errors=True)

    def publish(self) -> RankingPublication:
        self.sheet_for(self.school, values={"pilot_models": 1}, manual=50)
        self.sheet_for(self.factory, values={}, manual=55)
        upload = SimpleUploadedFile("qd.pdf", b"%PDF-1.4 test", content_type="application/pdf")
        return services.ranking_publish(
            table=self.table,
            cluster=self.cluster,
            year=YEAR,
            decision_number="12/QĐ-LĐLĐ",
            decision_file=upload,
            by=self.alice,
        )

    def test_a_federation_creates_edits_and_publishes_a_table(self):
        self.login(self.alice)
        header = {
            "unit": self.dongha.pk,
            "name": "Bảng 2025",
            "effective_from": "2025-01-01",
            "clusters": [self.cluster.pk],
            "form_version": self.form_version.pk,
            "tie_break": "more_members",
        }
        r = self.client.post(reverse("reports:scoring-create"), header)
        table = ScoringTable.objects.get(name="Bảng 2025")
        self.assertRedirects(r, reverse("reports:scoring-edit", args=[table.pk]))
        data = {
            **header,  # the edit form repeats the table's own fields
            "c-TOTAL_FORMS": "2",
            "c-INITIAL_FORMS": "0",
            "c-0-code": "mo_hinh",
            "c-0-label": "Có mô hình điểm",
            "c-0-max_points": "10",
            "c-0-method": "threshold",
            "c-0-rule": '{"indicator": "pilot_models", "at_least": 1, "points": 10}',
            "c-1-code": "tu_cham",
            "c-1-label": "Tự chấm",
            "c-1-max_points": "7,5",
            "c-1-method": "manual",
            "c-1-rule": "",
        }
        r = self.client.post(reverse("reports:scoring-edit", args=[table.pk]), data)
        self.assertRedirects(r, reverse("reports:scoring-detail", args=[table.pk]))
        self.assertEqual(
            list(table.criteria.values_list("code", "max_points", "method")),
            [("mo_hinh", Decimal("10"), "threshold"), ("tu_cham", Decimal("7.5"), "manual")],
        )
        self.client.post(reverse("reports:scoring-publish", args=[table.pk]))
        table.refresh_from_db()
        self.assertTrue(table.is_published)
        data["c-0-max_points"] = "99"
        self.client.post(reverse("reports:scoring-edit", args=[table.pk]), data)
        self.assertEqual(table.criteria.get(code="mo_hinh").max_points, Decimal("10"))
        r = self.client.post(
            reverse("reports:scoring-new-version", args=[table.pk]), {"effective_from": "2026-01-01"}
        )
        copy = ScoringTable.objects.get(name="Bảng 2025", version=2)
        self.assertRedirects(r, reverse("reports:scoring-edit", args=[copy.pk]))
        self.assertEqual((copy.is_published, copy.criteria.count()), (False, 2))

    def test_a_rule_naming_an_unknown_indicator_is_refused(self):
        self.login(self.alice)
        table = ScoringTable.objects.create(
            unit=self.dongha,
            name="Nháp",
            effective_from=datetime.date(2025, 1, 1),
            form_version=self.form_version,
        )
        r = self.client.post(
            reverse("reports:scoring-edit", args=[table.pk]),
            {
                "unit": self.dongha.pk,
                "name": "Nháp",
                "effective_from": "2025-01-01",
                "tie_break": "first_criterion",
                "form_version": self.form_version.pk,
                "c-TOTAL_FORMS": "1",
                "c-INITIAL_FORMS": "0",
                "c-0-code": "x",
                "c-0-label": "x",
                "c-0-max_points": "5",
                "c-0-method": "threshold",
                "c-0-rule": '{"indicator": "khong_co", "at_least": 1, "points": 5}',
            },
            follow=True,
        )
        self.assertContains(r, "The form has no indicator")
        self.assertFalse(Criterion.objects.filter(table=table).exists())

    def test_the_unit_self_assesses_and_submits_through_the_pages(self):
        self.login(self.sam)
        r = self.client.post(
            reverse("reports:score-sheet", args=[self.table.pk, YEAR]), {"unit": self.school.pk}
        )
        sheet = ScoreSheet.objects.get(unit=self.school)
        self.assertRedirects(r, reverse("reports:score-sheet-detail", args=[sheet.pk]))
        c4 = self.table.criteria.get(code="c4")
        r = self.client.post(
            reverse("reports:score-self-assess", args=[sheet.pk]),
            {f"points_{c4.pk}": "70", f"evidence_{c4.pk}": "Biên bản"},
            follow=True,
        )
        self.assertContains(r, "between 0 and 60")
        self.client.post(
            reverse("reports:score-self-assess", args=[sheet.pk]),
            {f"points_{c4.pk}": "0", f"evidence_{c4.pk}": "Không có", "submit": "1"},
        )
        sheet.refresh_from_db()
        self.assertEqual((sheet.status, sheet.total), (ScoreSheet.Status.SUBMITTED, Decimal("0")))

    def test_a_reviewer_changes_a_score_with_a_reason_and_the_page_shows_old_to_new(self):
        sheet = self.sheet_for(self.school, manual=50)
        score = sheet.scores.get(criterion__code="c4")
        self.login(self.alice)
        url = reverse("reports:score-change", args=[score.pk])
        r = self.client.post(url, {"points": "40", "reason": ""}, follow=True)
        self.assertContains(r, "Write the reason")
        self.assertFalse(ScoreChange.objects.exists())
        self.client.post(url, {"points": "40", "reason": "Thiếu biên bản"})
        r = self.client.get(reverse("reports:score-sheet-detail", args=[sheet.pk]))
        self.assertContains(r, "50 → <strong>40</strong> — Thiếu biên bản")

    def test_the_ranking_page_shows_ranks_grades_flag_and_chart(self):
        self.sheet_for(
            self.school, values={"pilot_models": 1, "registered": 1, "members_total": 1}, manual=60
        )
        self.sheet_for(self.factory, values={}, manual=35)
        self.login(self.alice)
        r = self.client.get(reverse("reports:ranking", args=[self.cluster.pk]), {"year": YEAR})
        self.assertEqual([row.rank for row in r.context["rows"]], [1, 2])
        self.assertEqual(
            [row.grade for row in r.context["rows"]], ["Strong, excellent", "Tasks not completed"]
        )
        self.assertContains(r, 'data-testid="ranking-flag"', count=1)
        self.assertContains(r, 'id="ranking-data"')
        self.assertContains(r, "chart.umd.min.js")

    def test_publish_through_the_page_then_export_is_readable_with_the_numbers(self):
        self.sheet_for(self.school, values={"pilot_models": 1}, manual=50)
        self.sheet_for(self.factory, values={}, manual=55)
        self.login(self.alice)
        self.client.post(
            reverse("reports:ranking-publish", args=[self.cluster.pk]),
            {"year": YEAR, "table": self.table.pk, "decision_number": "12/QĐ-LĐLĐ"},
        )
        self.assertEqual(RankingPublication.objects.get().decision_number, "12/QĐ-LĐLĐ")
        r = self.client.get(reverse("reports:ranking-export", args=[self.cluster.pk]), {"year": YEAR})
        self.assertEqual(r.status_code, 200)
        ws = load_workbook(io.BytesIO(r.content)).active
        header = [c.value for c in ws[5]]
        self.assertEqual(header[:2], ["Xếp hạng", "Đơn vị"])
        self.assertEqual(header[-3:], ["Tổng điểm", "Xếp loại", "Đề nghị"])
        rows = [[c.value for c in row] for row in ws.iter_rows(min_row=6)]
        self.assertEqual(
            [(r[0], r[1], r[5], r[6]) for r in rows],
            [
                (1, self.school.name, 50, 60),
                (2, self.factory.name, 55, 55),
            ],
        )

    def test_export_before_publishing_is_404(self):
        self.sheet_for(self.school, manual=50)
        self.login(self.alice)
        r = self.client.get(reverse("reports:ranking-export", args=[self.cluster.pk]), {"year": YEAR})
        self.assertEqual(r.status_code, 404)

    def test_the_decision_file_is_served_to_the_cluster_and_not_to_charlie(self):
        pub = self.publish()
        url = reverse("reports:ranking-decision", args=[pub.pk])
        self.login(self.sam)
        r = self.client.get(url)
        self.assertEqual(b"".join(r.streaming_content), b"%PDF-1.4 test")
        self.login(self.charlie)
        self.assertEqual(self.client.get(url).status_code, 404)

    def test_charlie_gets_404_on_everything_of_quang_tri(self):
        sheet = self.sheet_for(self.school, manual=50)
        score = sheet.scores.get(criterion__code="c4")
        self.login(self.charlie)
        gets = [
            reverse("reports:scoring-detail", args=[self.table.pk]),
            reverse("reports:scoring-edit", args=[self.table.pk]),
            reverse("reports:score-sheet-detail", args=[sheet.pk]),
            reverse("reports:ranking", args=[self.cluster.pk]) + f"?year={YEAR}",
            reverse("reports:ranking-export", args=[self.cluster.pk]) + f"?year={YEAR}",
        ]
        for url in gets:
            self.assertEqual(self.client.get(url).status_code, 404, url)
        posts = [
            reverse("reports:scoring-publish", args=[self.table.pk]),
            reverse("reports:scoring-new-version", args=[self.table.pk]),
            reverse("reports:score-sheet", args=[self.table.pk, YEAR]),
            reverse("reports:score-self-assess", args=[sheet.pk]),
            reverse("reports:score-change", args=[score.pk]),
            reverse("reports:ranking-publish", args=[self.cluster.pk]),
        ]
        for url in posts:
            self.assertEqual(self.client.post(url, {"reason": "x", "points": "1"}).status_code, 404, url)
        self.assertNotContains(self.client.get(reverse("reports:scoring-list")), self.table.name)

    def test_bob_the_viewer_gets_403_on_writes(self):
        sheet = self.sheet_for(self.school, manual=50)
        draft = ScoringTable.objects.create(
            unit=self.dongha, name="Nháp", effective_from=datetime.date(2025, 1, 1)
        )
        score = sheet.scores.get(criterion__code="c4")
        self.login(self.bob)
        self.assertEqual(
            self.client.get(reverse("reports:scoring-detail", args=[self.table.pk])).status_code, 200
        )
        self.assertEqual(
            self.client.get(reverse("reports:score-sheet-detail", args=[sheet.pk])).status_code, 200
        )
        self.assertEqual(self.client.get(reverse("reports:scoring-create")).status_code, 403)
        self.assertEqual(self.client.get(reverse("reports:scoring-edit", args=[draft.pk])).status_code, 403)
        posts = [
            (reverse("reports:scoring-publish", args=[draft.pk]), {}),
            (reverse("reports:scoring-new-version", args=[self.table.pk]), {"effective_from": "2026-01-01"}),
            (reverse("reports:score-sheet", args=[self.table.pk, YEAR]), {"unit": self.factory.pk}),
            (reverse("reports:score-self-assess", args=[sheet.pk]), {}),
            (reverse("reports:score-change", args=[score.pk]), {"points": "1", "reason": "x"}),
            (
                reverse("reports:ranking-publish", args=[self.cluster.pk]),
                {"table": self.table.pk, "year": YEAR},
            ),
        ]
        for url, data in posts:
            self.assertEqual(self.client.post(url, data).status_code, 403, url)
        draft.refresh_from_db()
        self.assertFalse(draft.is_published)
        self.assertFalse(ScoreChange.objects.exists())
        self.assertFalse(ScoreSheet.objects.filter(unit=self.factory).exists())

    def test_the_unit_cannot_change_its_own_score_as_a_reviewer(self):
        sheet = self.sheet_for(self.school, manual=50)
        score = sheet.scores.get(criterion__code="c4")
        self.login(self.sam)
        r = self.client.post(
            reverse("reports:score-change", args=[score.pk]), {"points": "60", "reason": "x"}
        )
        self.assertEqual(r.status_code, 403)
        score.refresh_from_db()
        self.assertEqual(score.points, Decimal("50"))

    def test_pages_render(self):
        sheet = self.sheet_for(self.school, manual=50)
        draft = ScoringTable.objects.create(
            unit=self.dongha, name="Nháp", effective_from=datetime.date(2025, 1, 1)
        )
        self.login(self.alice)
        for url in (
            reverse("reports:scoring-list"),
            reverse("reports:scoring-create"),
            reverse("reports:scoring-detail", args=[self.table.pk]),
            reverse("reports:scoring-edit", args=[draft.pk]),
            reverse("reports:score-sheet-detail", args=[sheet.pk]),
            reverse("reports:ranking", args=[self.cluster.pk]) + f"?year={YEAR}",
        ):
            self.assertEqual(self.client.get(url).status_code, 200, url)
