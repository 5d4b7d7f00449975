import datetime

from django.urls import reverse

from accounts.models import Role
from campaigns.models import PlanDelivery, Reminder
from campaigns.services import plans as services
from campaigns.tasks import plan_distribute
from campaigns.tests.factories_plans import make_plan
from lib.testing import BaseTestCase, make_user
from org.models import UnitKind, UnitStatus
from org.services.units import unit_create


class DistributionTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.paula = make_user("paula", cls.quangtri, Role.Kind.OFFICER, full_name="Paula")
        cls.gina = make_user("gina", cls.school, Role.Kind.OFFICER, full_name="Gina")

    def test_issuing_delivers_to_the_direct_children(self):
        plan = make_plan(unit=self.quangtri, by=self.paula, issue=True)
        self.assertEqual(
            list(PlanDelivery.objects.filter(plan=plan).values_list("unit", flat=True)), [self.dongha.pk]
        )

    def test_issuing_below_delivers_to_every_active_unit_of_the_subtree(self):
        closed = unit_create(
            parent=self.dongha, code="QT.DH.003", name="CĐ giải thể", kind=UnitKind.GRASSROOTS
        )
        closed.status = UnitStatus.DISSOLVED
        closed.save(update_fields=["status"])
        plan = make_plan(unit=self.quangtri, by=self.paula, issue=True, deliver_below=True)
        units = set(PlanDelivery.objects.filter(plan=plan).values_list("unit", flat=True))
        self.assertEqual(units, {self.dongha.pk, self.school.pk, self.factory.pk})

    def test_distribution_takes_the_same_number_of_queries_whatever_the_size(self):
        plan = make_plan(unit=self.quangtri, by=self.paula)
        with self.assertNumQueries(3):
            self.assertEqual(plan_distribute.call(plan.pk, True), 3)
        for i in range(40):
            unit_create(parent=self.dongha, code=f"QT.DH.X{i}", name=f"CĐ {i}", kind=UnitKind.GRASSROOTS)
        with self.assertNumQueries(3):
            self.assertEqual(plan_distribute.call(plan.pk, True), 43)
        self.assertEqual(PlanDelivery.objects.filter(plan=plan).count(), 43)  # running twice is harmless

    def test_opening_the_plan_marks_it_opened_for_the_users_unit_and_the_sender_sees_it(self):
        plan = make_plan(unit=self.quangtri, by=self.paula, issue=True, deliver_below=True)
        self.login(self.gina)
        inbox = self.client.get(reverse("campaigns:inbox"))
        self.assertEqual([d.unit for d in inbox.context["page"]], [self.school])
        self.assertContains(inbox, plan.title)
        self.client.get(reverse("campaigns:plan-detail", args=[plan.pk]))
        delivery = PlanDelivery.objects.get(plan=plan, unit=self.school)
        self.assertIsNotNone(delivery.opened_at)
        self.assertEqual(delivery.opened_by, self.gina)
        self.assertIsNone(PlanDelivery.objects.get(plan=plan, unit=self.factory).opened_at)
        self.login(self.paula)
        page = self.client.get(reverse("campaigns:plan-detail", args=[plan.pk]))
        self.assertEqual(page.context["delivery"], {"total": 3, "opened": 1})
        self.assertEqual(
            [
                d.unit
                for d in self.client.get(
                    reverse("campaigns:plan-detail", args=[plan.pk]), {"opened": "yes"}
                ).context["deliveries"]
            ],
            [self.school],
        )

    def test_the_inbox_lists_only_the_users_own_units(self):
        plan = make_plan(unit=self.quangtri, by=self.paula, issue=True, deliver_below=True)
        Reminder.objects.create(plan=plan, unit=self.dongha, subject="Nhắc đăng ký")
        Reminder.objects.create(plan=plan, unit=self.school, subject="Nhắc CĐCS")
        self.login(self.alice)
        inbox = self.client.get(reverse("campaigns:inbox"))
        self.assertEqual([d.unit for d in inbox.context["page"]], [self.dongha])
        self.assertEqual([r.subject for r in inbox.context["reminders"]], ["Nhắc đăng ký"])
        self.login(self.charlie)
        self.assertEqual(len(self.client.get(reverse("campaigns:inbox")).context["page"]), 0)

    def test_the_inbox_query_count_does_not_grow_with_deliveries(self):
        for i in range(2):
            make_plan(
                unit=self.quangtri,
                by=self.paula,
                issue=True,
                deliver_below=True,
                issued_on=datetime.date(2021, 3, i + 1),
            )
        self.login(self.gina)
        with self.assertNumQueries(5):
            self.client.get(reverse("campaigns:inbox"))
        make_plan(unit=self.quangtri, by=self.paula, issue=True, deliver_below=True)
        with self.assertNumQueries(5):
            self.client.get(reverse("campaigns:inbox"))

    def test_distributing_to_chosen_units_takes_the_same_number_of_queries_whatever_the_size(self):
        plan = make_plan(unit=self.quangtri, by=self.paula)
        camlo = unit_create(
            parent=self.quangtri, code="QT.CL", name="LĐLĐ huyện Cam Lộ", kind=UnitKind.DISTRICT
        )
        unit_create(parent=camlo, code="QT.CL.001", name="CĐ Cam Lộ", kind=UnitKind.GRASSROOTS)
        with self.assertNumQueries(4):  # the plan, the chosen units' paths, the ids, one INSERT
            self.assertEqual(plan_distribute.call(plan.pk, True, [self.dongha.pk]), 3)
        for i in range(40):
            unit_create(parent=self.dongha, code=f"QT.DH.X{i}", name=f"CĐ {i}", kind=UnitKind.GRASSROOTS)
        with self.assertNumQueries(4):
            self.assertEqual(plan_distribute.call(plan.pk, True, [self.dongha.pk, self.school.pk]), 43)
        units = set(PlanDelivery.objects.filter(plan=plan).values_list("unit", flat=True))
        self.assertEqual(len(units), 43)  # running twice is harmless; Cam Lộ was not chosen
        self.assertNotIn(camlo.pk, units)

    def test_distribution_ignores_chosen_units_outside_the_issuers_subtree(self):
        plan = make_plan(unit=self.quangtri, by=self.paula)
        self.assertEqual(
            plan_distribute.call(plan.pk, True, [self.school.pk, self.port.pk, self.quangtri.pk]), 1
        )
        self.assertEqual(plan_distribute.call(plan.pk, False, [self.port.pk]), 0)
        self.assertEqual(
            list(PlanDelivery.objects.filter(plan=plan).values_list("unit", flat=True)), [self.school.pk]
        )

    def test_a_unit_chosen_as_recipient_finds_the_plan_in_its_inbox(self):
        plan = make_plan(unit=self.dongha, by=self.alice)
        services.plan_issue(plan=plan, issued_by=self.alice, recipient_units=[self.school])
        self.login(self.gina)
        self.assertEqual(
            [d.plan for d in self.client.get(reverse("campaigns:inbox")).context["page"]], [plan]
        )
        self.assertFalse(PlanDelivery.objects.filter(plan=plan, unit=self.factory).exists())
