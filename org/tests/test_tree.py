"""org/tree.py on the small test tree: TLD > QT > QT.DH > {QT.DH.001, QT.DH.002}; TLD > QB > ..."""

from django.db import connection

from lib.testing import BaseTestCase
from org import tree
from org.models import Member, Unit


def codes(queryset) -> list[str]:
    return [u.code for u in queryset]


class TreeTests(BaseTestCase):
    def test_subtree_holds_the_unit_and_everything_below_it(self):
        self.assertEqual(
            sorted(codes(tree.subtree(self.quangtri))), ["QT", "QT.DH", "QT.DH.001", "QT.DH.002"]
        )

    def test_a_strict_subtree_leaves_the_top_out(self):
        self.assertEqual(sorted(codes(tree.subtree(self.dongha, strict=True))), ["QT.DH.001", "QT.DH.002"])

    def test_levels_limit_how_deep_the_subtree_goes(self):
        units = Unit.objects.filter(tree.subtree_q(self.root, strict=True, levels=1))
        self.assertEqual(sorted(codes(units)), ["QB", "QT"])

    def test_subtree_q_follows_a_relation(self):
        members = Member.objects.filter(tree.subtree_q(self.quangtri, field="unit"))
        self.assertEqual({m.pk for m in members}, {self.ha.pk, self.duc.pk})

    def test_subtrees_q_of_nothing_matches_nothing(self):
        self.assertFalse(Unit.objects.filter(tree.subtrees_q([])).exists())
        both = Unit.objects.filter(tree.subtrees_q([self.dongha, self.donghoi]))
        self.assertEqual(sorted(codes(both)), ["QB.DHO", "QB.DHO.001", "QT.DH", "QT.DH.001", "QT.DH.002"])

    def test_children_are_one_level_below_in_tree_order(self):
        self.assertEqual(codes(tree.children(self.root)), ["QT", "QB"])
        self.assertEqual(codes(tree.children(self.school)), [])

    def test_ancestors_run_from_the_root_down(self):
        self.assertEqual(codes(tree.ancestors(self.school)), ["TLD", "QT", "QT.DH"])
        self.assertEqual(
            codes(tree.ancestors(self.school, include_self=True)), ["TLD", "QT", "QT.DH", "QT.DH.001"]
        )
        self.assertEqual(codes(tree.ancestors(self.root)), [])

    def test_ancestors_below_stop_at_the_top_given(self):
        self.assertEqual(codes(tree.ancestors_below(self.school, self.quangtri)), ["QT", "QT.DH"])

    def test_parent(self):
        self.assertEqual(tree.parent(self.school), self.dongha)
        self.assertIsNone(tree.parent(self.root))
        self.assertEqual(tree.parent_path(self.school), tree.key(self.dongha))

    def test_is_descendant(self):
        self.assertTrue(tree.is_descendant(self.school, self.quangtri))
        self.assertTrue(tree.is_descendant(self.school, self.school))
        self.assertFalse(tree.is_descendant(self.school, self.school, strict=True))
        self.assertFalse(tree.is_descendant(self.port, self.quangtri))
        self.assertFalse(tree.is_descendant("", self.root))

    def test_outermost_drops_units_inside_others(self):
        found = tree.outermost([self.school, self.quangtri, self.port])
        self.assertEqual(found, sorted([tree.key(self.quangtri), tree.key(self.port)]))

    def test_nearest_and_chain_read_a_map_of_units(self):
        by_key = tree.ancestors_of_many([self.school, self.port])
        self.assertEqual(codes(tree.chain(self.school, by_key)), ["TLD", "QT", "QT.DH", "QT.DH.001"])
        self.assertEqual(tree.nearest(self.school, {tree.key(self.quangtri): "qt"}), "qt")
        self.assertIsNone(tree.nearest(self.port, {tree.key(self.quangtri): "qt"}))

    def test_ancestor_key_groups_rows_by_their_ancestor(self):
        rows = (
            Unit.objects.filter(tree.subtree_q(self.root, strict=True))
            .annotate(k=tree.ancestor_key_expr(2))
            .values_list("code", "k")
        )
        by_code = dict(rows)
        self.assertEqual(by_code["QT.DH.001"], tree.key(self.quangtri))
        self.assertEqual(by_code["QB.DHO"], tree.ancestor_key(self.port, 2))
        self.assertEqual(codes(Unit.objects.filter(tree.keys_q([by_code["QT.DH"]], depth=2))), ["QT"])

    def test_parent_pk_expr(self):
        parents = dict(Unit.objects.annotate(p=tree.parent_pk_expr()).values_list("code", "p"))
        self.assertEqual(parents["QT.DH.001"], self.dongha.pk)
        self.assertIsNone(parents["TLD"])

    def test_the_sql_fragments_select_the_same_subtree(self):
        where, params = tree.subtree_sql("u", self.quangtri, strict=True)
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT u.code FROM org_unit u WHERE {where} ORDER BY u.code", params)
            self.assertEqual([r[0] for r in cursor.fetchall()], ["QT.DH", "QT.DH.001", "QT.DH.002"])
            below = tree.subtree_join_sql("s", "u")
            cursor.execute(
                f"SELECT count(*) FROM org_unit u JOIN org_unit s ON {below} WHERE u.code = %s", ["QT.DH"]
            )
            self.assertEqual(cursor.fetchone()[0], 3)
            cursor.execute(
                f"SELECT {tree.ancestor_key_sql('u', 2)} FROM org_unit u WHERE u.code = %s", ["QB.DHO.001"]
            )
            self.assertEqual(cursor.fetchone()[0], tree.key(self.quangbinh))

    def test_top_and_level(self):
        self.assertEqual(sorted(codes(Unit.objects.filter(tree.top_q(2)))), ["QB", "QT", "TLD"])
        self.assertEqual(sorted(codes(Unit.objects.filter(tree.level_q(3)))), ["QB.DHO", "QT.DH"])
