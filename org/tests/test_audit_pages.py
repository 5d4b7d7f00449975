from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from lib.testing import BaseTestCase
from org.models import Sex


class MemberAuditTests(BaseTestCase):
    def edit(self) -> None:
        self.client.post(
            reverse("org:member-edit", args=[self.ha.pk]),
            {
                "full_name": "Nguyễn Thị Thu Hà",
                "date_of_birth": "01/05/1980",
                "sex": Sex.FEMALE,
                "cccd": "045190000001",
                "position": "Hiệu trưởng",
            },
        )

    def test_it_shows_old_and_new_values_with_the_actor(self):
        self.login(self.alice)
        self.edit()
        r = self.client.get(reverse("org:member-audit", args=[self.ha.pk]))
        self.assertEqual(r.status_code, 200)
        entries = list(r.context["entries"])
        latest = entries[0]
        self.assertEqual(latest.actor, self.alice)
        self.assertIn(("position", "", "Hiệu trưởng"), latest.rows)
        self.assertContains(r, "<code>position</code>: ∅ → Hiệu trưởng", html=False)
        self.assertContains(r, "Alice")

    def test_a_viewer_can_read_it(self):
        self.login(self.bob)
        r = self.client.get(reverse("org:member-audit", args=[self.ha.pk]))
        self.assertEqual(r.status_code, 200)

    def test_it_returns_404_outside_scope(self):
        self.login(self.charlie)
        r = self.client.get(reverse("org:member-audit", args=[self.ha.pk]))
        self.assertEqual(r.status_code, 404)


class UnitAuditTests(BaseTestCase):
    def test_it_shows_changes_in_the_subtree(self):
        self.login(self.alice)
        self.client.post(
            reverse("org:member-edit", args=[self.duc.pk]),
            {"full_name": "Trần Văn Đức", "sex": Sex.MALE, "cccd": "045090000002", "phone": "0912345678"},
        )
        r = self.client.get(reverse("org:unit-audit", args=[self.dongha.pk]))
        self.assertEqual(r.status_code, 200)
        rows = [(e.object_repr, row) for e in r.context["entries"] for row in e.rows]
        self.assertIn(("Trần Văn Đức", ("phone", "", "0912345678")), rows)
        reprs = {e.object_repr for e in r.context["entries"]}
        self.assertIn("Nguyễn Thị Thu Hà", reprs)  # created in the school, below Đông Hà
        self.assertNotIn("Lê Thị Lan", reprs)  # Quảng Bình

    def test_a_lower_unit_does_not_show_its_siblings(self):
        self.login(self.alice)
        r = self.client.get(reverse("org:unit-audit", args=[self.school.pk]))
        reprs = {e.object_repr for e in r.context["entries"]}
        self.assertIn("Nguyễn Thị Thu Hà", reprs)
        self.assertNotIn("Trần Văn Đức", reprs)

    def test_its_query_count_does_not_grow_with_entries(self):
        self.login(self.alice)
        url = reverse("org:unit-audit", args=[self.dongha.pk])
        self.client.get(url)
        with CaptureQueriesContext(connection) as ctx:
            self.client.get(url)
        few = len(ctx.captured_queries)
        for i in range(10):
            self.client.post(
                reverse("org:member-edit", args=[self.duc.pk]),
                {"full_name": "Trần Văn Đức", "sex": Sex.MALE, "position": f"Tổ trưởng {i}"},
            )
        with self.assertNumQueries(few):
            r = self.client.get(url)
        self.assertGreaterEqual(len(r.context["entries"]), 12)

    def test_it_returns_404_outside_scope(self):
        self.login(self.charlie)
        for unit in (self.dongha, self.school):
            r = self.client.get(reverse("org:unit-audit", args=[unit.pk]))
            self.assertEqual(r.status_code, 404)
