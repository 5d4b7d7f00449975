"""The evidence services: initiatives of a person or a collective, periods of union service."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError

from awards.models import Initiative, ServicePeriod
from awards.selectors import eligibility as el
from awards.services import evidence as services
from lib.audit import audit_for_object
from lib.testing import BaseTestCase
from org.models import UnitLevel

D = datetime.date
IDEA = {
    "title": "Cải tiến dây chuyền may",
    "year": 2024,
    "scope_level": UnitLevel.PROVINCE,
    "value": 90_000_000,
}


class InitiativeServiceTests(BaseTestCase):
    def test_a_persons_initiative_is_filed_under_their_unit(self):
        i = services.initiative_create(
            member=self.duc, created_by=self.alice, **IDEA, recognised_by="  LĐLĐ  tỉnh "
        )
        self.assertEqual(
            (i.member, i.unit, i.recognised_by, i.created_by),
            (self.duc, self.factory, "LĐLĐ tỉnh", self.alice),
        )
        self.assertEqual(audit_for_object(i).get().actor, self.alice)

    def test_a_collectives_initiative(self):
        i = services.initiative_create(unit=self.school, created_by=self.alice, **IDEA)
        self.assertIsNone(i.member)
        self.assertEqual(i.unit, self.school)

    def test_it_belongs_to_exactly_one(self):
        with self.assertRaises(ValidationError):
            services.initiative_create(created_by=None, **IDEA)
        with self.assertRaises(ValidationError):
            services.initiative_create(member=self.ha, unit=self.school, created_by=None, **IDEA)

    def test_bad_fields(self):
        with self.assertRaises(ValidationError) as ctx:
            services.initiative_create(
                member=self.ha, created_by=None, title=" ", year=1800, scope_level=9, value=-1
            )
        self.assertEqual(set(ctx.exception.message_dict), {"title", "year", "scope_level", "value"})

    def test_update_and_delete(self):
        i = services.initiative_create(member=self.ha, created_by=None, **IDEA)
        services.initiative_update(initiative=i, updated_by=self.alice, title="Tên mới", value=None)
        i.refresh_from_db()
        self.assertEqual((i.title, i.value, i.year), ("Tên mới", None, 2024))
        services.initiative_delete(initiative=i, deleted_by=self.alice)
        self.assertFalse(Initiative.objects.filter(pk=i.pk).exists())


class ServicePeriodServiceTests(BaseTestCase):
    def test_create_counts_in_the_engine(self):
        p = services.service_period_create(
            member=self.duc,
            created_by=self.alice,
            kind="non_state",
            start=D(2015, 1, 1),
            end=None,
            position="Chủ tịch",
        )
        self.assertEqual((p.start_month, p.end_month), (2015 * 12, None))
        self.assertEqual(el.service_months(member=self.duc, year=2024, weights={"non_state": 2}), 240)
        self.assertEqual(audit_for_object(p).get().actor, self.alice)

    def test_it_cannot_end_before_it_starts(self):
        with self.assertRaises(ValidationError) as ctx:
            services.service_period_create(
                member=self.duc, created_by=None, kind="full_time", start=D(2020, 1, 1), end=D(2019, 1, 1)
            )
        self.assertIn("end", ctx.exception.message_dict)

    def test_periods_of_one_person_do_not_overlap(self):
        services.service_period_create(
            member=self.duc, created_by=None, kind="full_time", start=D(2010, 1, 1), end=D(2015, 12, 31)
        )
        ongoing = services.service_period_create(
            member=self.duc, created_by=None, kind="part_time", start=D(2018, 1, 1)
        )
        for start, end in (
            (D(2015, 6, 1), D(2016, 12, 31)),
            (D(2009, 1, 1), None),
            (D(2020, 1, 1), D(2020, 2, 1)),
        ):
            with self.subTest(start=start, end=end), self.assertRaises(ValidationError):
                services.service_period_create(
                    member=self.duc, created_by=None, kind="other", start=start, end=end
                )
        services.service_period_create(
            member=self.duc, created_by=None, kind="other", start=D(2016, 1, 1), end=D(2017, 12, 31)
        )
        services.service_period_create(
            member=self.ha, created_by=None, kind="other", start=D(2012, 1, 1)
        )  # another person
        services.service_period_update(
            period=ongoing, updated_by=None, end=D(2024, 12, 31)
        )  # itself is no overlap
        ongoing.refresh_from_db()
        self.assertEqual(ongoing.end_month, 2024 * 12 + 11)

    def test_delete(self):
        p = services.service_period_create(
            member=self.duc, created_by=None, kind="other", start=D(2012, 1, 1)
        )
        services.service_period_delete(period=p, deleted_by=self.alice)
        self.assertFalse(ServicePeriod.objects.filter(pk=p.pk).exists())
