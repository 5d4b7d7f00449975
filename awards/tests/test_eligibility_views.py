"""Eligibility pages: a person's and a collective's verdicts, the evidence they read, and "who is
eligible" with its Excel export; all scoped, and listing in a fixed number of queries."""

from __future__ import annotations

import datetime
import io
from unittest import mock

import openpyxl
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import Role
from awards.models import Award, Initiative, ServicePeriod
from awards.services import catalogue as catalogue_services
from awards.tests import factories as f
from lib.testing import BaseTestCase, EnglishMixin, make_user
from org.models import Sex, UnitLevel
from org.services.members import member_create

D = datetime.date
YEAR = 2025


def eligible_for_province_title(member) -> None:
    for y in (2023, 2024, 2025):
        f.record("cstd-co-so", y, member=member)
    f.initiative(year=2024, level=UnitLevel.PROVINCE, member=member)


def own_award(unit, name: str, *, decider_level: int) -> Award:
    """A federation's own certificate of merit for members: it must show only inside that
    federation's subtree, which is what these tests check."""
    return catalogue_services.award_create(
        unit=unit,
        created_by=None,
        name=name,
        kind=Award.Kind.FORM,
        recipient_kinds=["member"],
        proposer_levels=[3],
        decider_level=decider_level,
    )


class MemberPageTests(EnglishMixin, BaseTestCase):
    def url(self, member=None, **query):
        return reverse("awards:member-eligibility", args=[(member or self.ha).pk]) + (
            "?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else ""
        )

    def test_it_shows_each_award_with_the_reasons(self):
        eligible_for_province_title(self.ha)
        f.record("cstd-co-so", 2019, member=self.ha, decision_number="19/QĐ-CT")
        self.login(self.alice)
        response = self.client.get(self.url(year=YEAR))
        self.assertContains(response, 'data-testid="verdict-cstd-cap-tinh" data-status="eligible"')
        self.assertContains(response, "Chiến sĩ thi đua cơ sở in 2023, 2024, 2025.")
        self.assertContains(response, 'data-testid="verdict-cstd-toan-quoc" data-status="not_eligible"')
        self.assertContains(response, "19/QĐ-CT")  # her register lines
        self.assertContains(response, "Sáng kiến cải tiến máy may")  # her initiative
        self.assertNotContains(response, 'data-testid="verdict-cdcs-vung-manh"')  # not given to persons
        self.assertContains(response, 'data-testid="initiative-create"')

    def test_the_year_changes_the_verdict(self):
        eligible_for_province_title(self.ha)
        self.login(self.alice)
        response = self.client.get(self.url(year=2024))  # 2022 is missing from the three years
        self.assertContains(response, 'data-testid="verdict-cstd-cap-tinh" data-status="not_eligible"')
        self.assertContains(response, "needed 3 years in a row in 2022–2024; held in: 2023, 2024.")
        self.assertEqual(self.client.get(self.url(year="abc")).status_code, 200)

    def test_a_federations_own_award_shows_only_in_its_subtree(self):
        own = own_award(self.quangbinh, "Giấy khen Quảng Bình", decider_level=1)
        self.login(self.alice)
        self.assertNotContains(self.client.get(self.url()), own.name)
        self.login(self.charlie)
        self.assertContains(self.client.get(self.url(self.lan)), own.name)

    def test_charlie_gets_404_and_bob_reads_without_edit_links(self):
        self.login(self.charlie)
        self.assertEqual(self.client.get(self.url()).status_code, 404)
        self.login(self.bob)
        response = self.client.get(self.url())
        self.assertEqual(response.status_code, 200)
        self.assertNotContains(response, 'data-testid="initiative-create"')
        self.assertNotContains(response, 'data-testid="service-create"')

    def test_the_query_count_does_not_grow_with_the_register(self):
        self.login(self.alice)
        self.client.get(self.url())
        with CaptureQueriesContext(connection) as ctx:
            self.client.get(self.url())
        eligible_for_province_title(self.ha)
        f.service(self.ha, D(2001, 1, 1), D(2010, 12, 31))
        f.service(self.ha, D(2011, 1, 1), None, kind="part_time")
        f.initiative(year=2020, member=self.ha)
        with self.assertNumQueries(len(ctx.captured_queries)):
            self.client.get(self.url())


class UnitPageTests(EnglishMixin, BaseTestCase):
    def test_it_shows_collective_awards_and_records(self):
        f.record("giay-khen", 2024, unit=self.school, decision_number="24/QĐ-LĐLĐ")
        self.login(self.alice)
        response = self.client.get(reverse("awards:unit-eligibility", args=[self.school.pk]))
        self.assertContains(response, 'data-testid="verdict-cdcs-vung-manh" data-status="not_yet"')
        self.assertContains(response, "No published score for")
        self.assertContains(response, "24/QĐ-LĐLĐ")
        self.assertNotContains(response, 'data-testid="verdict-cstd-cap-tinh"')

    def test_charlie_gets_404(self):
        self.login(self.charlie)
        for unit in (self.school, self.dongha):
            self.assertEqual(
                self.client.get(reverse("awards:unit-eligibility", args=[unit.pk])).status_code, 404
            )


class EvidencePageTests(EnglishMixin, BaseTestCase):
    IDEA = {"title": "Máy cắt vải tự động", "year": "2024", "scope_level": "1", "value": "120000000"}

    def test_an_officer_adds_edits_and_removes_a_members_initiative(self):
        self.login(self.alice)
        response = self.client.post(reverse("awards:member-initiative-create", args=[self.ha.pk]), self.IDEA)
        self.assertRedirects(response, reverse("awards:member-eligibility", args=[self.ha.pk]))
        initiative = Initiative.objects.get(member=self.ha)
        self.assertEqual(
            (initiative.unit, initiative.value, initiative.created_by), (self.school, 120_000_000, self.alice)
        )
        edit = reverse("awards:initiative-edit", args=[initiative.pk])
        self.assertContains(self.client.get(edit), "Máy cắt vải tự động")
        self.client.post(edit, {**self.IDEA, "year": "2023"})
        initiative.refresh_from_db()
        self.assertEqual(initiative.year, 2023)
        self.client.post(reverse("awards:initiative-delete", args=[initiative.pk]))
        self.assertFalse(Initiative.objects.filter(pk=initiative.pk).exists())

    def test_a_collectives_initiative(self):
        self.login(self.alice)
        response = self.client.post(
            reverse("awards:unit-initiative-create", args=[self.school.pk]), self.IDEA
        )
        self.assertRedirects(response, reverse("awards:unit-eligibility", args=[self.school.pk]))
        self.assertTrue(Initiative.objects.filter(unit=self.school, member__isnull=True).exists())

    def test_service_periods(self):
        self.login(self.alice)
        url = reverse("awards:service-create", args=[self.duc.pk])
        response = self.client.post(
            url, {"kind": "part_time", "start": "01/01/2010", "end": "", "position": "Phó chủ tịch"}
        )
        self.assertRedirects(response, reverse("awards:member-eligibility", args=[self.duc.pk]))
        period = ServicePeriod.objects.get(member=self.duc)
        self.assertIsNone(period.end)
        response = self.client.post(url, {"kind": "full_time", "start": "01/01/2015", "end": "31/12/2016"})
        self.assertContains(response, "overlaps")
        edit = reverse("awards:service-edit", args=[period.pk])
        self.client.post(edit, {"kind": "part_time", "start": "01/01/2010", "end": "31/12/2020"})
        period.refresh_from_db()
        self.assertEqual(period.end, D(2020, 12, 31))
        page = self.client.get(reverse("awards:member-eligibility", args=[self.duc.pk]))
        self.assertContains(page, "31/12/2020")
        self.client.post(reverse("awards:service-delete", args=[period.pk]))
        self.assertFalse(ServicePeriod.objects.filter(pk=period.pk).exists())

    def test_bob_the_viewer_cannot_change_evidence(self):
        initiative = f.initiative(year=2024, member=self.ha)
        period = f.service(self.ha, D(2010, 1, 1))
        self.login(self.bob)
        for url in (
            reverse("awards:member-initiative-create", args=[self.ha.pk]),
            reverse("awards:unit-initiative-create", args=[self.school.pk]),
            reverse("awards:initiative-edit", args=[initiative.pk]),
            reverse("awards:service-create", args=[self.ha.pk]),
            reverse("awards:service-edit", args=[period.pk]),
        ):
            with self.subTest(url=url):
                self.assertEqual(self.client.get(url).status_code, 403)
                self.assertEqual(self.client.post(url, self.IDEA).status_code, 403)
        for url in (
            reverse("awards:initiative-delete", args=[initiative.pk]),
            reverse("awards:service-delete", args=[period.pk]),
        ):
            self.assertEqual(self.client.post(url).status_code, 403)
        self.assertEqual(Initiative.objects.count(), 1)
        self.assertEqual(ServicePeriod.objects.count(), 1)

    def test_charlie_gets_404_on_alices_evidence(self):
        initiative = f.initiative(year=2024, member=self.ha)
        period = f.service(self.ha, D(2010, 1, 1))
        self.login(self.charlie)
        for url in (
            reverse("awards:member-initiative-create", args=[self.ha.pk]),
            reverse("awards:unit-initiative-create", args=[self.school.pk]),
            reverse("awards:initiative-edit", args=[initiative.pk]),
            reverse("awards:initiative-delete", args=[initiative.pk]),
            reverse("awards:service-create", args=[self.ha.pk]),
            reverse("awards:service-edit", args=[period.pk]),
            reverse("awards:service-delete", args=[period.pk]),
        ):
            with self.subTest(url=url):
                self.assertEqual(self.client.post(url, self.IDEA).status_code, 404)
        self.assertEqual(Initiative.objects.count(), 1)


class EligibleListTests(EnglishMixin, BaseTestCase):
    url = reverse("awards:eligible-list")
    export = reverse("awards:eligible-export")

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.award = f.award("cstd-cap-tinh")
        cls.quinn = make_user("quinn", cls.quangtri, Role.Kind.OFFICER, full_name="Quinn")
        eligible_for_province_title(cls.ha)

    def query(self, unit=None, award=None, **extra):
        return {"award": (award or self.award).pk, "unit": (unit or self.dongha).pk, "year": YEAR, **extra}

    def test_the_form_alone(self):
        self.login(self.alice)
        response = self.client.get(self.url)
        self.assertContains(response, 'data-testid="eligible-form"')
        self.assertNotContains(response, 'data-testid="eligible-table"')

    def test_it_lists_the_eligible_with_a_count(self):
        self.login(self.alice)
        response = self.client.get(self.url, self.query())
        self.assertContains(response, "1 eligible for “Chiến sĩ thi đua cấp tỉnh, ngành” in 2025")
        self.assertContains(response, self.ha.full_name)
        self.assertNotContains(response, self.duc.full_name)
        self.assertContains(response, reverse("awards:member-eligibility", args=[self.ha.pk]) + "?year=2025")

    def test_collectives_of_an_award_for_units(self):
        f.record("giay-khen", 2024, unit=self.school)
        self.login(self.alice)
        response = self.client.get(self.url, self.query(award=f.award("giay-khen"), who="units"))
        self.assertContains(response, 'data-testid="eligible-unit"')
        self.assertContains(response, self.school.name)
        self.assertContains(response, self.dongha.name)  # giấy khen has no condition but "manual"

    def test_out_of_scope_units_and_awards_are_404(self):
        own = own_award(self.dongha, "Giấy khen Đông Hà", decider_level=2)
        self.login(self.charlie)
        for params in (
            self.query(unit=self.dongha),
            self.query(unit=self.quangbinh, award=own),
            {**self.query(unit=self.quangbinh), "unit": self.school.code},
            self.query(unit=self.root),
        ):
            with self.subTest(params=params):
                self.assertEqual(self.client.get(self.url, params).status_code, 404)
                self.assertEqual(self.client.get(self.export, params).status_code, 404)
        self.login(self.alice)
        self.assertEqual(
            self.client.get(self.url, self.query(unit=self.quangtri)).status_code, 404
        )  # above her

    def test_a_federations_award_lists_only_its_subtree(self):
        own = own_award(self.dongha, "Giấy khen Đông Hà", decider_level=2)
        member_create(unit=self.quangtri, full_name="Võ Văn Tỉnh", sex=Sex.MALE, cccd="045090000011")
        self.login(self.quinn)
        response = self.client.get(self.url, self.query(unit=self.quangtri, award=own))
        self.assertContains(response, "2 eligible")
        self.assertNotContains(response, "Võ Văn Tỉnh")
        self.assertContains(response, "only its units are listed")

    def test_the_query_count_does_not_grow_with_the_list(self):
        self.login(self.alice)
        self.client.get(self.url, self.query())
        with CaptureQueriesContext(connection) as ctx:
            self.client.get(self.url, self.query())
        for i in range(6):
            m = member_create(
                unit=self.factory, full_name=f"Người thứ {i}", sex=Sex.MALE, cccd=f"04509000010{i}"
            )
            eligible_for_province_title(m)
        with self.assertNumQueries(len(ctx.captured_queries)):
            response = self.client.get(self.url, self.query())
        self.assertContains(response, "7 eligible")

    def test_pages_and_the_export_holds_the_whole_list(self):
        for i in range(4):
            m = member_create(
                unit=self.factory, full_name=f"Người thứ {i}", sex=Sex.FEMALE, cccd=f"04519000010{i}"
            )
            eligible_for_province_title(m)
        self.login(self.bob)  # a viewer may read and export
        with mock.patch("awards.views.eligibility.PER_PAGE", 2):
            response = self.client.get(self.url, self.query())
            self.assertEqual(response.content.decode().count('data-testid="eligible-row"'), 2)
            self.assertContains(response, "1 / 3")
            second = self.client.get(self.url, self.query(page=3))
            self.assertEqual(second.content.decode().count('data-testid="eligible-row"'), 1)
            response = self.client.get(self.export, self.query())
        self.assertEqual(response.status_code, 200)
        self.assertIn("du-dieu-kien-cstd-cap-tinh-QT.DH-2025.xlsx", response["Content-Disposition"])
        book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
        rows = list(book.active.iter_rows(values_only=True))
        self.assertEqual(rows[2][:3], ("STT", "Họ và tên", "Giới tính"))
        people = rows[3:]
        self.assertEqual(len(people), 5)
        self.assertEqual({r[1] for r in people}, {self.ha.full_name} | {f"Người thứ {i}" for i in range(4)})
        self.assertEqual(people[0][2], "Nữ")

    def test_an_invalid_export_goes_back_to_the_form(self):
        self.login(self.alice)
        response = self.client.get(self.export, {"award": self.award.pk, "year": "x", "unit": self.dongha.pk})
        self.assertEqual(response.status_code, 302)
        self.assertTrue(response["Location"].startswith(self.url))
