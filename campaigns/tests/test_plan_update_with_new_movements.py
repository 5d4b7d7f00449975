from django.core.exceptions import ValidationError

from accounts.models import Role
from campaigns.models import Movement, Plan
from campaigns.services import plans as services
from campaigns.tests.factories_plans import duties_2021, phases_2021, plan_data
from lib.testing import BaseTestCase, EnglishMixin, make_user


class PlanUpdateWithNewMovementsTests(EnglishMixin, BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.paula = make_user("paula", cls.quangtri, Role.Kind.OFFICER, full_name="Paula")

    def _save(self, plan: Plan, *, revision: int, names: list[str]) -> Plan:
        return services.plan_update_with_new_movements(
            plan=plan,
            revision=revision,
            updated_by=self.paula,
            data=plan_data(),
            phases=phases_2021(),
            duties=duties_2021(),
            movements=[],
            new_movement_names=names,
        )

    def test_it_adds_the_new_movements_and_links_them(self):
        plan = services.plan_create(unit=self.quangtri, year=2021, title="Kế hoạch", created_by=self.paula)
        self._save(plan, revision=plan.revision, names=["Xanh Sạch Đẹp"])
        movement = Movement.objects.get(unit=self.quangtri, name="Xanh Sạch Đẹp")
        self.assertEqual(list(plan.movements.all()), [movement])

    def test_a_refused_save_keeps_no_new_movement(self):
        plan = services.plan_create(unit=self.quangtri, year=2021, title="Kế hoạch", created_by=self.paula)
        with self.assertRaises(ValidationError):
            self._save(plan, revision=plan.revision + 5, names=["Xanh Sạch Đẹp"])
        self.assertFalse(Movement.objects.filter(name="Xanh Sạch Đẹp").exists())
