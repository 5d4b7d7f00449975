from django.urls import reverse

from org.models import Member, MemberMove, Unit, UnitEvent, UnitStatus
from org.tests.test_restructure_fixtures import MERGER, RestructureTestCase


class UnitCreateEditViewTests(RestructureTestCase):
    def test_alice_adds_a_grassroots_union(self):
        self.login(self.alice)
        url = reverse("org:unit-create", args=[self.dongha.pk])
        self.assertEqual(self.client.get(url).status_code, 200)
        r = self.client.post(
            url,
            {
                "code": "QT.DH.003",
                "name": "Công đoàn Trường Tiểu học Hàm Nghi",
                "kind": "grassroots",
                "sector": "public_service",
                "established_on": "15/08/2024",
                "decision_number": "33/QĐ",
            },
        )
        unit = Unit.objects.get(code="QT.DH.003")
        self.assertRedirects(r, reverse("org:unit-detail", args=[unit.pk]))
        self.assertEqual(self.parent_of(unit).pk, self.dongha.pk)
        self.assertEqual(str(unit.established_on), "2024-08-15")
        self.assertEqual(UnitEvent.objects.get(targets=unit).created_by, self.alice)

    def test_it_rejects_a_duplicate_code(self):
        self.login(self.alice)
        r = self.client.post(
            reverse("org:unit-create", args=[self.dongha.pk]),
            {"code": "QT.DH.001", "name": "X", "kind": "grassroots"},
        )
        self.assertEqual(r.status_code, 200)
        self.assertTrue(r.context["form"].errors["code"])

    def test_alice_edits_names_and_address(self):
        self.login(self.alice)
        r = self.client.post(
            reverse("org:unit-edit", args=[self.school.pk]),
            {
                "name": "Công đoàn Trường THPT Lê Lợi Đông Hà",
                "short_name": "CĐ THPT Lê Lợi",
                "sector": "public_service",
                "address": "Đông Hà",
            },
        )
        self.assertRedirects(r, reverse("org:unit-detail", args=[self.school.pk]))
        school = self.fresh(self.school)
        self.assertEqual(
            (school.name_folded, school.short_name, school.code),
            ("cong doan truong thpt le loi dong ha", "CĐ THPT Lê Lợi", "QT.DH.001"),
        )


class UnitRestructureViewTests(RestructureTestCase):
    def test_dana_merges_quang_binh_into_quang_tri(self):
        self.login(self.dana)
        url = reverse("org:unit-merge", args=[self.quangbinh.pk])
        self.assertContains(self.client.get(url), 'data-testid="unit-merge-form"')
        r = self.client.post(
            url,
            {
                "others": "QT",
                "into": "QT",
                "effective_on": "01/07/2025",
                "decision_number": "1680/QĐ-TLĐ",
                "note": "Nghị quyết 202/2025/QH15",
            },
        )
        self.assertRedirects(r, reverse("org:unit-detail", args=[self.quangtri.pk]))
        self.assertEqual(self.fresh(self.quangbinh).status, UnitStatus.MERGED)
        self.assertEqual(self.parent_of(self.donghoi).pk, self.quangtri.pk)
        r = self.client.get(reverse("org:unit-detail", args=[self.quangtri.pk]))
        self.assertEqual(r.context["rollup"]["members"], 9)

    def test_the_merge_form_asks_for_a_new_unit_when_none_remains(self):
        self.login(self.alice)
        r = self.client.post(
            reverse("org:unit-merge", args=[self.school.pk]),
            {"others": "QT.DH.002", "effective_on": "01/07/2025", "decision_number": "1"},
        )
        self.assertTrue(r.context["form"].errors["new_code"])
        r = self.client.post(
            reverse("org:unit-merge", args=[self.school.pk]),
            {
                "others": "QT.DH.002",
                "effective_on": "01/07/2025",
                "decision_number": "1",
                "new_code": "QT.DH.010",
                "new_name": "Công đoàn Liên trường",
                "new_kind": "grassroots",
            },
        )
        new = Unit.objects.get(code="QT.DH.010")
        self.assertRedirects(r, reverse("org:unit-detail", args=[new.pk]))
        self.assertEqual(Member.objects.filter(unit=new).count(), 2)

    def test_alice_moves_a_union_between_her_units(self):
        self.login(self.alice)
        r = self.client.post(
            reverse("org:unit-move", args=[self.factory.pk]),
            {"new_parent": "qt.dh.001", "effective_on": "01/07/2025", "decision_number": "2"},
        )
        self.assertRedirects(r, reverse("org:unit-detail", args=[self.factory.pk]))
        self.assertEqual(self.parent_of(self.factory).pk, self.school.pk)

    def test_a_move_under_its_own_descendant_is_shown_as_an_error(self):
        self.login(self.dana)
        r = self.client.post(
            reverse("org:unit-move", args=[self.dongha.pk]),
            {"new_parent": "QT.DH.001", "effective_on": "01/07/2025", "decision_number": "2"},
        )
        self.assertEqual(r.status_code, 200)
        self.assertContains(r, 'data-testid="form-errors"')
        self.assertEqual(self.parent_of(self.dongha).pk, self.quangtri.pk)

    def test_dana_winds_down_a_district(self):
        self.login(self.dana)
        url = reverse("org:unit-dissolve", args=[self.dongha.pk])
        r = self.client.post(url, {"effective_on": "01/07/2025", "decision_number": "3"})
        self.assertContains(r, "vẫn còn đơn vị trực thuộc đang hoạt động")
        r = self.client.post(url, {"children_to": "QT", "effective_on": "01/07/2025", "decision_number": "3"})
        self.assertRedirects(r, reverse("org:unit-detail", args=[self.dongha.pk]))
        self.assertEqual(self.fresh(self.dongha).status, UnitStatus.DISSOLVED)
        self.assertEqual(self.parent_of(self.school).pk, self.quangtri.pk)

    def test_alice_splits_a_union(self):
        self.login(self.alice)
        url = reverse("org:unit-split", args=[self.factory.pk])
        r = self.client.get(url)
        self.assertContains(r, f'name="member_{self.duc.pk}"')
        r = self.client.post(
            url + "?parts=2",
            {
                "part1_code": "QT.DH.002A",
                "part1_name": "Công đoàn Xưởng 1",
                "part1_kind": "grassroots",
                "part2_code": "QT.DH.002B",
                "part2_name": "Công đoàn Xưởng 2",
                "part2_kind": "grassroots",
                f"member_{self.duc.pk}": "2",
                "effective_on": "01/07/2025",
                "decision_number": "4",
            },
        )
        first = Unit.objects.get(code="QT.DH.002A")
        self.assertRedirects(r, reverse("org:unit-detail", args=[first.pk]))
        self.duc.refresh_from_db()
        self.assertEqual(self.duc.unit.code, "QT.DH.002B")
        self.assertEqual(self.fresh(self.factory).status, UnitStatus.SPLIT)
        self.assertEqual(MemberMove.objects.get(member=self.duc).moved_on, MERGER)

    def test_alice_cannot_split_her_own_district_into_units_beside_it(self):
        self.login(self.alice)
        r = self.client.post(
            reverse("org:unit-split", args=[self.dongha.pk]) + "?parts=2",
            {
                "part1_code": "QT.DH1",
                "part1_name": "A",
                "part1_kind": "district",
                "part2_code": "QT.DH2",
                "part2_name": "B",
                "part2_kind": "district",
                "effective_on": "01/07/2025",
                "decision_number": "4",
            },
        )
        self.assertContains(r, 'data-testid="form-errors"')
        self.assertEqual(self.fresh(self.dongha).status, UnitStatus.ACTIVE)
        self.assertFalse(Unit.objects.filter(code="QT.DH1").exists())

    def test_alice_cannot_merge_her_district_into_a_new_unit_beside_it(self):
        self.login(self.alice)
        # Alice may write only Đông Hà's subtree, so a new unit would land under Quảng Trị.
        r = self.client.post(
            reverse("org:unit-merge", args=[self.school.pk]),
            {
                "others": "QT.DH.002",
                "new_code": "X",
                "new_name": "X",
                "new_kind": "grassroots",
                "effective_on": "01/07/2025",
                "decision_number": "1",
            },
        )
        self.assertEqual(r.status_code, 302)  # parent is Đông Hà, which she may change
        r = self.client.post(
            reverse("org:unit-merge", args=[self.dongha.pk]),
            {
                "others": "QT.DH.001",
                "new_code": "Y",
                "new_name": "Y",
                "new_kind": "district",
                "effective_on": "01/07/2025",
                "decision_number": "1",
            },
        )
        self.assertEqual(r.status_code, 200)
        self.assertFalse(Unit.objects.filter(code="Y").exists())
