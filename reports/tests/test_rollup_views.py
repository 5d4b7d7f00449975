from django.urls import reverse

from lib.testing import EnglishMixin
from reports.models import Report
from reports.services.reports import report_get_or_create, report_save
from reports.tests.factories_rollup import make_request
from reports.tests.test_rollup_selectors import SCHOOL, RollupFixture


class RollupPageTests(EnglishMixin, RollupFixture):
    def test_it_shows_the_figures_counts_missing_and_children(self):
        self.login(self.alice)
        r = self.client.get(reverse("reports:rollup", args=[self.req.pk]), {"unit": self.dongha.pk})
        self.assertEqual(r.status_code, 200)
        self.assertContains(r, 'data-testid="rollup-figures"')
        self.assertContains(r, 'data-testid="count-submitted">2<')
        self.assertContains(r, "3.000.000")  # 1 000 000 + 2 000 000 đồng
        self.assertContains(r, "completion-data")

    def test_it_lists_missing_units(self):
        self.login(self.charlie)
        r = self.client.get(reverse("reports:rollup", args=[self.req.pk]), {"unit": self.quangbinh.pk})
        self.assertEqual(r.status_code, 200)
        self.assertContains(r, self.port.name)
        self.assertContains(r, 'data-testid="count-missing">1<')

    def test_charlie_gets_404_on_quang_tri(self):
        self.login(self.charlie)
        r = self.client.get(reverse("reports:rollup", args=[self.req.pk]), {"unit": self.quangtri.pk})
        self.assertEqual(r.status_code, 404)

    def test_charlie_gets_404_on_a_request_of_quang_tri(self):
        down = make_request(version=self.version, unit=self.quangtri, recipients=[self.school], title="Down")
        self.login(self.charlie)
        self.assertEqual(self.client.get(reverse("reports:rollup", args=[down.pk])).status_code, 404)

    def test_the_trend_page_shows_each_request(self):
        self.login(self.alice)
        url = reverse("reports:indicator-trend", args=[self.version.form_id, "initiatives"])
        r = self.client.get(url, {"unit": self.dongha.pk})
        self.assertEqual(r.status_code, 200)
        self.assertContains(r, "National 2026")
        self.assertContains(r, "trend-data")

    def test_charlie_gets_404_on_the_trend_of_dong_ha(self):
        self.login(self.charlie)
        url = reverse("reports:indicator-trend", args=[self.version.form_id, "initiatives"])
        self.assertEqual(self.client.get(url, {"unit": self.dongha.pk}).status_code, 404)


class RollupPrefillPageTests(EnglishMixin, RollupFixture):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.up = make_request(
            version=cls.version, unit=cls.quangtri, recipients=[cls.dongha], title="To province"
        )
        cls.down = make_request(version=cls.version, unit=cls.dongha, recipients=[cls.school], title="Down")
        report_save(
            report=report_get_or_create(request=cls.down, unit=cls.school),
            raw=SCHOOL,
            by=cls.alice,
            submit=True,
        )

    def test_it_prefills_and_shows_the_diff(self):
        self.login(self.alice)
        r = self.client.post(reverse("reports:rollup-prefill", args=[self.up.pk]), {"down": self.down.pk})
        self.assertEqual(r.status_code, 302)
        report = Report.objects.get(request=self.up, unit=self.dongha)
        self.assertEqual(report.current_version.source, "rollup")
        page = self.client.get(reverse("reports:rollup", args=[self.down.pk]))
        self.assertContains(page, 'data-testid="rollup-diff"')
        self.assertContains(page, 'data-testid="rollup-prefill"')

    def test_the_fill_page_shows_the_rolled_up_figure_and_flags_a_change(self):
        self.login(self.alice)
        self.client.post(reverse("reports:rollup-prefill", args=[self.up.pk]), {"down": self.down.pk})
        report = Report.objects.get(request=self.up, unit=self.dongha)
        code = next(iter(SCHOOL))
        page = self.client.get(reverse("reports:report-fill", kwargs={"report_pk": report.pk}))
        self.assertContains(page, f'data-testid="rolled-{code}"')
        self.assertNotContains(page, "text-warning-emphasis")
        changed = dict(SCHOOL) | {code: str(int(SCHOOL[code]) + 7)}
        report_save(report=report, raw=changed, by=self.alice)
        page = self.client.get(reverse("reports:report-fill", kwargs={"report_pk": report.pk}))
        self.assertContains(page, "text-warning-emphasis")

    def test_a_viewer_may_not_prefill(self):
        self.login(self.bob)
        r = self.client.post(reverse("reports:rollup-prefill", args=[self.up.pk]), {"down": self.down.pk})
        self.assertEqual(r.status_code, 403)

    def test_charlie_gets_404_on_prefill(self):
        self.login(self.charlie)
        r = self.client.post(reverse("reports:rollup-prefill", args=[self.up.pk]), {"down": self.down.pk})
        self.assertEqual(r.status_code, 404)


class CompletionChartTests(EnglishMixin, RollupFixture):
    def test_the_chart_data_counts_each_child(self):
        import json
        import re

        self.login(self.alice)
        r = self.client.get(reverse("reports:rollup", args=[self.req.pk]), {"unit": self.dongha.pk})
        raw = re.search(
            r'<script id="completion-data" type="application/json">(.*?)</script>', r.content.decode()
        )
        data = json.loads(raw.group(1))
        self.assertEqual(data["labels"], [self.school.name, self.factory.name])
        self.assertEqual(data["submitted"], [1, 1])
        self.assertEqual(data["missing"], [0, 0])
