import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext

from org.models import Unit
from org.selectors.history import tree_as_of
from org.services.units import unit_create
from org.tests.test_restructure_fixtures import RestructureTestCase


class TreeAsOfTests(RestructureTestCase):
    def test_it_returns_the_current_tree_in_order_with_depths(self):
        rows = [(u.code, d) for u, d in tree_as_of(root=self.quangtri, on=datetime.date(2024, 1, 1))]
        self.assertEqual(
            rows,
            [("QT", 0), ("QT.DH", 1), ("QT.DH.001", 2), ("QT.DH.002", 2), ("QT.VL", 1), ("QT.VL.001", 2)],
        )

    def test_units_not_yet_established_are_left_out(self):
        unit_create(
            parent=self.dongha,
            code="QT.DH.003",
            name="Công đoàn mới",
            kind="grassroots",
            established_on=datetime.date(2024, 5, 1),
        )
        codes = [u.code for u, _d in tree_as_of(root=self.dongha, on=datetime.date(2024, 4, 30))]
        self.assertNotIn("QT.DH.003", codes)
        codes = [u.code for u, _d in tree_as_of(root=self.dongha, on=datetime.date(2024, 5, 1))]
        self.assertIn("QT.DH.003", codes)

    def test_a_root_not_alive_that_day_gives_an_empty_tree(self):
        self.assertEqual(tree_as_of(root=self.quangtri, on=datetime.date(2019, 12, 31)), [])

    def test_max_depth_limits_the_levels(self):
        rows = tree_as_of(root=self.root, on=datetime.date(2024, 1, 1), max_depth=1)
        self.assertEqual({d for _u, d in rows}, {0, 1})

    def test_it_takes_one_query_per_level(self):
        with CaptureQueriesContext(connection) as ctx:
            tree_as_of(root=Unit.objects.get(pk=self.root.pk), on=datetime.date(2024, 1, 1))
        self.assertLessEqual(len(ctx.captured_queries), 5)  # 4 levels + the empty fifth
