from django.urls import reverse

from api.tests.base import ApiTestCase
from lib.testing import make_unit
from org.models import Sex, UnitKind
from org.services.members import member_create

LIST = reverse("api-unit-list")


def detail(unit) -> str:
    return reverse("api-unit-detail", args=[unit.pk])


class UnitListTests(ApiTestCase):
    def test_it_lists_the_callers_units_in_tree_order(self):
        self.auth(self.alice)
        data = self.get_json(LIST)
        self.assertEqual(data["count"], 3)
        self.assertEqual([u["code"] for u in data["results"]], ["QT.DH", "QT.DH.001", "QT.DH.002"])

    def test_it_returns_every_documented_field(self):
        self.auth(self.alice)
        row = self.get_json(LIST, {"q": "QT.DH.001"})["results"][0]
        self.assertEqual(
            row,
            {
                "id": self.school.pk,
                "code": "QT.DH.001",
                "name": "Công đoàn Trường THPT Lê Lợi",
                "short_name": "",
                "kind": "grassroots",
                "level": 3,
                "sector": "public_service",
                "address": "",
                "status": "active",
                "established_on": "2020-01-01",
                "ended_on": None,
                "parent": self.dongha.pk,
                "depth": self.school.depth,
            },
        )

    def test_the_root_has_no_parent(self):
        self.auth(self.make_superuser())
        rows = {u["code"]: u for u in self.get_json(LIST)["results"]}
        self.assertIsNone(rows["TLD"]["parent"])
        self.assertEqual(rows["QB"]["parent"], self.root.pk)

    def test_charlies_list_never_contains_alices_units(self):
        self.auth(self.charlie)
        codes = {u["code"] for u in self.get_json(LIST)["results"]}
        self.assertEqual(codes, {"QB", "QB.DHO", "QB.DHO.001"})
        self.assertEqual(self.get_json(LIST, {"q": "dong ha"})["count"], 0)

    def test_it_filters_direct_children_of_a_parent(self):
        self.auth(self.charlie)
        data = self.get_json(LIST, {"parent": self.quangbinh.pk})
        self.assertEqual([u["code"] for u in data["results"]], ["QB.DHO"])

    def test_a_parent_outside_scope_answers_404(self):
        self.auth(self.charlie)
        for parent in (self.dongha.pk, self.root.pk, 999999, "abc"):
            self.get_json(LIST, {"parent": parent}, status=404)

    def test_it_searches_names_without_accents(self):
        self.auth(self.alice)
        for q in ("cong ty may", "CÔNG TY MAY ĐÔNG HÀ", "may dong ha", "qt.dh.002"):
            codes = [u["code"] for u in self.get_json(LIST, {"q": q})["results"]]
            self.assertEqual(codes, ["QT.DH.002"], q)

    def test_it_runs_the_same_queries_for_3_and_30_units(self):
        self.auth(self.charlie)
        self.get_json(LIST)
        with self.assertNumQueries(4):  # token, roles, count, page
            self.assertEqual(self.get_json(LIST)["count"], 3)
        for i in range(27):
            make_unit(self.donghoi, f"QB.DHO.{i + 100}", f"Công đoàn Trường số {i}", UnitKind.GRASSROOTS)
        with self.assertNumQueries(4):
            data = self.get_json(LIST)
        self.assertEqual(len(data["results"]), 30)
        self.assertTrue(all(u["parent"] is not None for u in data["results"]))

    def make_superuser(self):
        from accounts.models import User

        return User.objects.create_superuser(username="root", password="x", email="")


class UnitDetailTests(ApiTestCase):
    def test_it_returns_the_unit_with_rolled_up_counts(self):
        member_create(unit=self.factory, full_name="Phạm Thị Hoa", sex=Sex.FEMALE, cccd="045190000009")
        self.auth(self.alice)
        data = self.get_json(detail(self.dongha))
        self.assertEqual(data["code"], "QT.DH")
        self.assertEqual(data["parent"], self.quangtri.pk)
        self.assertEqual(
            (data["members"], data["female_members"], data["units"], data["children_count"]), (3, 2, 2, 2)
        )

    def test_a_leaf_has_no_children(self):
        self.auth(self.alice)
        data = self.get_json(detail(self.school))
        self.assertEqual((data["members"], data["units"], data["children_count"]), (1, 0, 0))

    def test_charlie_gets_404_on_alices_units(self):
        self.auth(self.charlie)
        for unit in (self.dongha, self.school, self.quangtri, self.root):
            self.get_json(detail(unit), status=404)

    def test_a_missing_unit_answers_404(self):
        self.auth(self.alice)
        self.get_json(reverse("api-unit-detail", args=[999999]), status=404)

    def test_a_viewer_reads_their_units(self):
        self.auth(self.bob)
        self.assertEqual(self.get_json(detail(self.factory))["code"], "QT.DH.002")
