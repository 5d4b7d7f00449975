"""The register survives restructuring: a collective's lines follow its successor unit under the
name it had then, and a person's lines follow the person across moves."""

import datetime

from django.urls import reverse

from awards.models import RecipientKind
from awards.selectors.register import RegisterFilters, register_search, unit_lineage, unit_register
from awards.tests import factories as f
from lib.testing import BaseTestCase, EnglishMixin, make_unit
from org.models import UnitKind, UnitStatus
from org.services.members import member_move
from org.services.restructure import units_merge

MERGER = datetime.date(2025, 7, 1)
SCHOOL_NAME = "Công đoàn Trường THPT Lê Lợi"
FACTORY_NAME = "Công đoàn Công ty May Đông Hà"
NEW_NAME = "Công đoàn Liên cơ sở Đông Hà"


class MergerTests(EnglishMixin, BaseTestCase):
    """Two grassroots unions of Đông Hà merge into a new one."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.school_line = f.record(
            "cdcs-vung-manh", 2022, unit=cls.school, recipient_kind=RecipientKind.GRASSROOTS
        )
        cls.factory_line = f.record(
            "cdcs-vung-manh-xuat-sac", 2024, unit=cls.factory, recipient_kind=RecipientKind.GRASSROOTS
        )
        cls.ha_line = f.record("lao-dong-tien-tien", 2023, member=cls.ha)
        cls.port_line = f.record("giay-khen", 2023, unit=cls.port)

    def merge(self):
        return units_merge(
            sources=[self.school, self.factory],
            new_unit={"code": "QT.DH.009", "name": NEW_NAME, "kind": UnitKind.GRASSROOTS},
            effective_on=MERGER,
            decision_number="15/QĐ-LĐLĐ",
            acted_by=self.alice,
        )

    def test_the_old_units_collective_awards_are_found_under_the_successor(self):
        survivor = self.merge()
        self.school.refresh_from_db()
        self.assertEqual((self.school.status, self.school.successor_id), (UnitStatus.MERGED, survivor.pk))
        lineage = unit_lineage(unit=survivor)
        self.assertEqual({u.pk for u in lineage}, {survivor.pk, self.school.pk, self.factory.pk})
        lines = list(unit_register(user=self.alice, unit=survivor, kind="collective"))
        self.assertEqual({r.pk for r in lines}, {self.school_line.pk, self.factory_line.pk})
        # ... under the names they had then, not the survivor's
        self.assertEqual({r.unit_name for r in lines}, {SCHOOL_NAME, FACTORY_NAME})
        self.assertEqual({r.name for r in lines}, {SCHOOL_NAME, FACTORY_NAME})
        everyone = unit_register(user=self.alice, unit=survivor)
        self.assertIn(self.ha_line, everyone)

    def test_the_successors_page_lists_them_with_their_old_names(self):
        survivor = self.merge()
        self.login(self.bob)
        response = self.client.get(reverse("awards:register-unit", args=[survivor.pk]))
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, 'data-testid="register-predecessors"')
        self.assertContains(response, "merged on 01/07/2025")
        rows = {r.pk for r in response.context["page"]}
        self.assertEqual(rows, {self.school_line.pk, self.factory_line.pk, self.ha_line.pk})
        self.assertContains(response, SCHOOL_NAME)
        self.assertContains(response, FACTORY_NAME)

    def test_a_search_limited_to_the_successor_finds_the_old_units_lines(self):
        survivor = self.merge()
        found = set(register_search(user=self.alice, filters=RegisterFilters(unit=survivor)))
        self.assertEqual(found, {self.school_line, self.factory_line, self.ha_line})
        found = set(register_search(user=self.alice, filters=RegisterFilters(unit=survivor, q="may dong ha")))
        self.assertEqual(found, {self.factory_line})

    def test_a_chain_of_mergers_leads_to_the_last_successor(self):
        first = self.merge()
        self.dongha.refresh_from_db()
        sibling = make_unit(self.dongha, "QT.DH.010", "Công đoàn Bến xe Đông Hà", UnitKind.GRASSROOTS)
        sibling_line = f.record("cdcs-vung-manh", 2021, unit=sibling, recipient_kind=RecipientKind.GRASSROOTS)
        final = units_merge(
            sources=[first, sibling],
            new_unit={"code": "QT.DH.011", "name": "Công đoàn Khu vực Đông Hà", "kind": UnitKind.GRASSROOTS},
            effective_on=datetime.date(2025, 9, 1),
            decision_number="20/QĐ-LĐLĐ",
        )
        lineage = {u.pk for u in unit_lineage(unit=final)}
        self.assertEqual(lineage, {final.pk, first.pk, sibling.pk, self.school.pk, self.factory.pk})
        lines = set(unit_register(user=self.alice, unit=final, kind="collective"))
        self.assertEqual(lines, {self.school_line, self.factory_line, sibling_line})

    def test_charlie_cannot_open_the_successors_register(self):
        survivor = self.merge()
        self.login(self.charlie)
        self.assertEqual(
            self.client.get(reverse("awards:register-unit", args=[survivor.pk])).status_code, 404
        )
        self.assertEqual(
            self.client.get(reverse("awards:register-unit", args=[self.school.pk])).status_code, 404
        )


class MemberMoveTests(EnglishMixin, BaseTestCase):
    """Hà moves from the school (Quảng Trị) to the port (Quảng Bình): her lines follow her."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.cstd = f.record("cstd-co-so", 2021, member=cls.ha)
        cls.ldtt = f.record("lao-dong-tien-tien", 2022, member=cls.ha)
        member_move(member=cls.ha, to_unit=cls.port, moved_on=datetime.date(2024, 1, 1), moved_by=cls.alice)
        cls.ha.refresh_from_db()
        cls.port_line = f.record("giay-khen", 2024, member=cls.ha)  # given at her new unit

    def test_the_lines_keep_the_person_and_the_unit_then(self):
        self.assertEqual(list(self.ha.award_records.order_by("year")), [self.cstd, self.ldtt, self.port_line])
        self.cstd.refresh_from_db()
        self.assertEqual(
            (self.cstd.unit_id, self.cstd.unit_name), (self.school.pk, "Công đoàn Trường THPT Lê Lợi")
        )

    def test_her_new_unit_sees_all_her_lines_on_her_page(self):
        self.login(self.charlie)
        response = self.client.get(reverse("awards:register-person", args=[self.ha.pk]))
        self.assertEqual(response.status_code, 200)
        self.assertTrue(response.context["member_visible"])
        self.assertEqual(
            {r.pk for r in response.context["records"]}, {self.cstd.pk, self.ldtt.pk, self.port_line.pk}
        )
        self.assertContains(response, "Công đoàn Trường THPT Lê Lợi")  # the unit then

    def test_her_old_unit_sees_only_the_lines_given_there(self):
        self.login(self.alice)
        response = self.client.get(reverse("awards:register-person", args=[self.ha.pk]))
        self.assertEqual(response.status_code, 200)
        self.assertFalse(response.context["member_visible"])
        self.assertEqual({r.pk for r in response.context["records"]}, {self.cstd.pk, self.ldtt.pk})
        self.assertNotContains(response, "Công đoàn Cảng Nhật Lệ")

    def test_a_line_opens_for_the_person_s_new_unit(self):
        self.login(self.charlie)
        self.assertEqual(
            self.client.get(reverse("awards:register-record", args=[self.cstd.pk])).status_code, 200
        )
        self.login(self.alice)
        self.assertEqual(
            self.client.get(reverse("awards:register-record", args=[self.cstd.pk])).status_code, 200
        )
        self.assertEqual(
            self.client.get(reverse("awards:register-record", args=[self.port_line.pk])).status_code, 404
        )

    def test_someone_who_sees_neither_the_person_nor_a_line_gets_404(self):
        self.login(self.alice)
        url = reverse("awards:register-person", args=[self.lan.pk])
        self.assertEqual(self.client.get(url).status_code, 404)
        self.assertEqual(self.client.get(reverse("awards:register-person", args=[99999])).status_code, 404)
