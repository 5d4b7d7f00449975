import json

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from campaigns.tests.factories_targets import TargetTestCase
from lib.testing import make_unit
from org.models import UnitKind


class DashboardTests(TargetTestCase):
    def url(self, **query):
        url = reverse("campaigns:dashboard", args=[self.plan.pk])
        return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")

    def test_it_shows_the_province_figures_with_chart_data(self):
        self.login(self.dana)
        r = self.client.get(self.url())
        self.assertEqual(r.status_code, 200)
        self.assertEqual(r.context["unit"], self.quangtri)
        by_target = {p.target.pk: (p.met, p.applicable, p.computed) for p in r.context["progress"]}
        self.assertEqual(by_target[self.pilot_target.pk], (2, 3, True))
        self.assertEqual(by_target[self.reg_target.pk], (1, 3, True))
        self.assertFalse(by_target[self.other_target.pk][2])
        self.assertContains(r, 'id="chart-data"')
        self.assertContains(r, "chart.umd.min.js")
        html = r.content.decode()
        start = html.index(">", html.index('id="chart-data"')) + 1
        data = json.loads(html[start : html.index("</script>", start)])
        self.assertEqual(data["met"], [1, 1, 0])
        self.assertEqual(data["applicable"], [1, 1, 1])
        self.assertEqual(len(r.context["rows"]), 3)
        self.assertEqual(r.context["registrations"]["registered"], 1)
        self.assertEqual(r.context["registrations"]["applicable"], 3)
        self.assertEqual(r.context["counts"], {"pilot_models": 3, "contest_entries": 3})
        self.assertEqual(len(r.context["timeline"]["bars"]), 2)

    def test_the_chart_follows_the_chosen_target(self):
        self.login(self.dana)
        r = self.client.get(self.url(target=self.reg_target.pk))
        self.assertEqual(r.context["chart"]["met"], [1, 0, 0])
        self.assertEqual(r.context["chart"]["applicable"], [2, 1, 0])

    def test_it_defaults_to_the_users_own_unit_under_the_plan(self):
        self.login(self.alice)
        r = self.client.get(self.url())
        self.assertEqual(r.status_code, 200)
        self.assertEqual(r.context["unit"], self.dongha)
        by_target = {p.target.pk: (p.met, p.applicable) for p in r.context["progress"]}
        self.assertEqual(by_target[self.reg_target.pk], (1, 2))

    def test_it_returns_404_for_a_unit_outside_the_users_scope(self):
        self.login(self.alice)
        self.assertEqual(self.client.get(self.url(unit=self.camlo.pk)).status_code, 404)

    def test_it_returns_404_outside_scope(self):
        self.login(self.charlie)
        self.assertEqual(self.client.get(self.url()).status_code, 404)

    def test_a_draft_plan_is_hidden_from_units_below(self):
        self.plan.status = self.plan.Status.DRAFT
        self.plan.save(update_fields=["status"])
        self.login(self.alice)
        self.assertEqual(self.client.get(self.url()).status_code, 404)
        self.login(self.dana)
        self.assertEqual(self.client.get(self.url()).status_code, 200)

    def test_the_query_count_does_not_grow_with_children(self):
        self.login(self.dana)
        self.client.get(self.url())  # warm caches (content types, session)
        with self.assertNumQueries(self._count()):
            self.client.get(self.url())
        for i in range(3):
            make_unit(self.quangtri, f"QT.X{i}", f"Huyện {i}", UnitKind.DISTRICT)
        with self.assertNumQueries(self._count()):
            self.client.get(self.url())

    def _count(self):
        if not hasattr(self, "_n"):
            with CaptureQueriesContext(connection) as ctx:
                self.client.get(self.url())
            self._n = len(ctx.captured_queries)
        return self._n


class TargetDetailTests(TargetTestCase):
    def test_it_shows_the_per_child_table(self):
        self.login(self.dana)
        r = self.client.get(reverse("campaigns:target-detail", args=[self.pilot_target.pk]))
        self.assertEqual(r.status_code, 200)
        self.assertEqual(
            [(c.unit.code, c.met) for c in r.context["progress"].per_child],
            [("QT.DH", 1), ("QT.CL", 1), ("QT.VL", 0)],
        )
        self.assertContains(r, 'data-testid="target-child-row"', count=3)

    def test_it_returns_404_outside_scope(self):
        self.login(self.charlie)
        r = self.client.get(reverse("campaigns:target-detail", args=[self.pilot_target.pk]))
        self.assertEqual(r.status_code, 404)
