from django.urls import reverse

from accounts.models import Role
from campaigns.models import LaunchEvent
from campaigns.tests.factories_plans import make_plan
from lib.testing import BaseTestCase, make_user


class LaunchCreateTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.paula = make_user("paula", cls.quangtri, Role.Kind.OFFICER, full_name="Paula")
        cls.plan = make_plan(unit=cls.quangtri, by=cls.paula, issue=True)

    def test_a_district_officer_records_its_launch_and_it_shows_on_the_plan(self):
        self.login(self.alice)
        url = reverse("campaigns:launch-create", args=[self.plan.pk])
        response = self.client.post(
            url,
            {
                "unit": self.dongha.pk,
                "held_on": "15/03/2021",
                "place": "Hội trường",
                "participants": "250",
                "description": "Lễ phát động",
            },
        )
        self.assertRedirects(response, reverse("campaigns:plan-detail", args=[self.plan.pk]))
        launch = LaunchEvent.objects.get()
        self.assertEqual(
            (launch.unit, launch.participants, launch.created_by), (self.dongha, 250, self.alice)
        )
        page = self.client.get(reverse("campaigns:plan-detail", args=[self.plan.pk]))
        self.assertContains(page, "15/03/2021")
        self.assertContains(page, "Hội trường")

    def test_a_unit_outside_the_users_roles_is_refused(self):
        self.login(self.alice)
        response = self.client.post(
            reverse("campaigns:launch-create", args=[self.plan.pk]),
            {"unit": self.quangtri.pk, "held_on": "15/03/2021"},
        )
        self.assertEqual(response.status_code, 200)
        self.assertFalse(LaunchEvent.objects.exists())

    def test_a_viewer_and_charlie_are_refused(self):
        self.login(self.bob)
        self.assertEqual(
            self.client.get(reverse("campaigns:launch-create", args=[self.plan.pk])).status_code, 403
        )
        self.login(self.charlie)
        self.assertEqual(
            self.client.get(reverse("campaigns:launch-create", args=[self.plan.pk])).status_code, 404
        )
