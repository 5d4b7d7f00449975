import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from org.models import UnitKind
from org.services.units import unit_create
from org.tests.test_restructure_fixtures import BEFORE, MERGER, RestructureTestCase


class UnitTreeTests(RestructureTestCase):
    def test_it_redirects_to_the_users_top_unit(self):
        self.login(self.alice)
        r = self.client.get(reverse("org:unit-tree"))
        self.assertRedirects(r, reverse("org:unit-detail", args=[self.dongha.pk]))

    def test_it_requires_login(self):
        r = self.client.get(reverse("org:unit-detail", args=[self.dongha.pk]))
        self.assertEqual(r.status_code, 302)


class UnitDetailTests(RestructureTestCase):
    def test_it_shows_the_unit_with_rolled_up_counts_and_children(self):
        self.login(self.alice)
        r = self.client.get(reverse("org:unit-detail", args=[self.dongha.pk]))
        self.assertContains(r, "LĐLĐ thành phố Đông Hà")
        self.assertEqual(r.context["rollup"], {"members": 2, "female": 1, "units": 2})
        self.assertEqual([c.code for c in r.context["children"]], ["QT.DH.001", "QT.DH.002"])
        self.assertEqual(r.context["children"][0].rollup["members"], 1)
        self.assertContains(r, 'data-testid="unit-merge-link"')

    def test_each_child_has_its_whole_subtree_rolled_up(self):
        self.login(self.dana)
        r = self.client.get(reverse("org:unit-detail", args=[self.quangtri.pk]))
        rollups = {c.code: c.rollup for c in r.context["children"]}
        self.assertEqual(rollups["QT.DH"], {"members": 2, "female": 1, "units": 2})
        self.assertEqual(rollups["QT.VL"], {"members": 2, "female": 1, "units": 1})

    def test_breadcrumbs_show_only_visible_ancestors(self):
        self.login(self.alice)
        r = self.client.get(reverse("org:unit-detail", args=[self.school.pk]))
        self.assertEqual([u.pk for u in r.context["breadcrumbs"]], [self.dongha.pk])
        self.login(self.dana)
        r = self.client.get(reverse("org:unit-detail", args=[self.school.pk]))
        self.assertEqual(
            [u.pk for u in r.context["breadcrumbs"]], [self.root.pk, self.quangtri.pk, self.dongha.pk]
        )

    def test_viewers_see_no_write_actions(self):
        self.login(self.bob)
        r = self.client.get(reverse("org:unit-detail", args=[self.dongha.pk]))
        self.assertEqual(r.status_code, 200)
        self.assertNotContains(r, 'data-testid="unit-merge-link"')

    def test_merged_units_are_hidden_unless_asked_and_link_to_their_successor(self):
        self.merge_factory_into_school()
        self.login(self.alice)
        r = self.client.get(reverse("org:unit-detail", args=[self.school.pk]))
        self.assertEqual(r.context["children"], [])
        self.assertEqual([p.pk for p in r.context["predecessors"]], [self.factory.pk])
        r = self.client.get(reverse("org:unit-detail", args=[self.school.pk]) + "?inactive=1")
        self.assertEqual([c.pk for c in r.context["children"]], [self.factory.pk])
        r = self.client.get(reverse("org:unit-detail", args=[self.factory.pk]))
        self.assertContains(r, 'data-testid="unit-successor"')
        self.assertContains(r, "Công đoàn Trường THPT Lê Lợi")

    def test_its_query_count_does_not_grow_with_the_number_of_children(self):
        self.login(self.alice)
        url = reverse("org:unit-detail", args=[self.dongha.pk])
        with CaptureQueriesContext(connection) as ctx:
            self.client.get(url)
        for i in range(6):
            unit_create(
                parent=self.dongha,
                code=f"QT.DH.1{i:02}",
                name=f"Công đoàn {i}",
                kind=UnitKind.GRASSROOTS,
                established_on=datetime.date(2020, 1, 1),
            )
        with self.assertNumQueries(len(ctx.captured_queries)):
            r = self.client.get(url)
        self.assertEqual(len(r.context["children"]), 8)

    def test_htmx_expands_a_childs_children(self):
        self.login(self.dana)
        r = self.client.get(reverse("org:unit-children", args=[self.quangtri.pk]) + "?level=2")
        self.assertContains(r, 'data-code="QT.DH"')
        self.assertContains(r, 'data-code="QT.VL"')


class UnitSearchTests(RestructureTestCase):
    def test_it_finds_units_without_accents_within_scope(self):
        self.login(self.alice)
        r = self.client.get(reverse("org:unit-search"), {"q": "truong le loi"})
        self.assertEqual([u.code for u in r.context["page"]], ["QT.DH.001"])
        r = self.client.get(reverse("org:unit-search"), {"q": "cong doan"})
        self.assertEqual({u.code for u in r.context["page"]}, {"QT.DH.001", "QT.DH.002"})

    def test_it_finds_by_code(self):
        self.login(self.dana)
        r = self.client.get(reverse("org:unit-search"), {"q": "qb.bt"})
        self.assertEqual([u.code for u in r.context["page"]], ["QB.BT"])

    def test_it_hides_units_outside_scope(self):
        self.login(self.charlie)
        r = self.client.get(reverse("org:unit-search"), {"q": "Le Loi"})
        self.assertEqual(list(r.context["page"]), [])


class UnitAsOfPageTests(RestructureTestCase):
    def test_it_shows_the_old_province_before_the_merger(self):
        self.merge_quangbinh_into_quangtri()
        self.login(self.dana)
        url = reverse("org:unit-as-of", args=[self.root.pk])
        r = self.client.get(url, {"on": BEFORE.strftime("%d/%m/%Y")})
        self.assertContains(r, 'data-code="QB" data-depth="1"')
        self.assertContains(r, 'data-code="QB.DHO.001" data-depth="3"')
        r = self.client.get(url, {"on": MERGER.strftime("%d/%m/%Y")})
        self.assertNotContains(r, 'data-code="QB"')
        self.assertContains(r, 'data-code="QB.DHO" data-depth="2"')

    def test_the_old_province_stays_readable_for_its_officer(self):
        self.merge_quangbinh_into_quangtri()
        self.login(self.charlie)
        r = self.client.get(reverse("org:unit-detail", args=[self.quangbinh.pk]))
        self.assertContains(r, "Liên đoàn Lao động tỉnh Quảng Bình")
        r = self.client.get(reverse("org:unit-as-of", args=[self.quangbinh.pk]), {"on": "30/06/2025"})
        self.assertContains(r, 'data-code="QB.DHO.001" data-depth="2"')
        r = self.client.get(reverse("org:unit-as-of", args=[self.quangbinh.pk]), {"on": "01/07/2025"})
        self.assertContains(r, 'data-testid="as-of-not-alive"')


class UnitHistoryTests(RestructureTestCase):
    def test_it_lists_events_links_and_audit_entries(self):
        self.merge_factory_into_school("12/QĐ-LĐLĐ")
        self.login(self.alice)
        r = self.client.get(reverse("org:unit-history", args=[self.factory.pk]))
        self.assertContains(r, "12/QĐ-LĐLĐ")
        self.assertEqual(len(r.context["events"]), 1)
        self.assertEqual(len(r.context["links"]), 2)
        self.assertTrue(any(("status", "active", "merged") in e.rows for e in r.context["entries"]))
        self.assertContains(r, 'data-testid="audit-table"')
        self.assertContains(r, "Alice")


class UnitAsOfDefaultTests(RestructureTestCase):
    def test_an_ended_unit_opens_on_its_last_day(self):
        self.merge_factory_into_school()
        self.login(self.alice)
        r = self.client.get(reverse("org:unit-as-of", args=[self.factory.pk]))
        self.assertEqual(r.context["on"], BEFORE)
        self.assertContains(r, 'data-code="QT.DH.002" data-depth="0"')
