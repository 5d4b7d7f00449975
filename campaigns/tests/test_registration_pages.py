from auditlog.models import LogEntry
from django.urls import reverse

from campaigns.models import MemberPledge, Pledge, Registration
from campaigns.services.registrations import registration_start
from campaigns.tests.factories_registrations import PlanTestCase
from lib.audit import audit_for_object
from lib.testing import EnglishMixin


class RegistrationStartTests(PlanTestCase):
    def test_it_starts_one_registration_per_plan_and_unit(self):
        self.login(self.alice)
        url = reverse("campaigns:registration-start", args=[self.plan.pk])
        r1 = self.client.post(url, {"unit": self.school.pk})
        r2 = self.client.post(url, {"unit": self.school.pk})
        reg = Registration.objects.get(plan=self.plan, unit=self.school)
        self.assertRedirects(r1, reverse("campaigns:registration-edit", args=[reg.pk]))
        self.assertRedirects(r2, reverse("campaigns:registration-edit", args=[reg.pk]))
        self.assertEqual(Registration.objects.count(), 1)
        self.assertEqual(reg.created_by, self.alice)

    def test_the_start_page_lists_writable_units(self):
        self.login(self.alice)
        r = self.client.get(reverse("campaigns:registration-start", args=[self.plan.pk]))
        self.assertContains(r, self.school.name)
        self.assertNotContains(r, self.port.name)

    def test_a_draft_plan_cannot_be_registered_for(self):
        self.login(self.alice)
        r = self.client.post(
            reverse("campaigns:registration-start", args=[self.draft_plan.pk]), {"unit": self.school.pk}
        )
        self.assertEqual(r.status_code, 404)  # Alice's units are below the issuer: drafts are invisible
        self.assertFalse(Registration.objects.exists())

    def test_charlie_cannot_register_for_alices_units(self):
        self.login(self.charlie)
        r = self.client.post(
            reverse("campaigns:registration-start", args=[self.plan.pk]), {"unit": self.school.pk}
        )
        self.assertEqual(r.status_code, 404)
        self.assertFalse(Registration.objects.exists())

    def test_bob_cannot_register(self):
        self.login(self.bob)
        r = self.client.post(
            reverse("campaigns:registration-start", args=[self.plan.pk]), {"unit": self.school.pk}
        )
        self.assertEqual(r.status_code, 403)
        self.assertFalse(Registration.objects.exists())


class RegistrationEditSubmitTests(EnglishMixin, PlanTestCase):
    def setUp(self):
        super().setUp()
        self.reg = registration_start(plan=self.plan, unit=self.school, created_by=self.alice)

    def edit_data(self, revision):
        # Lines: movement 1, movement 2, target.
        return {
            "revision": revision,
            "text_0": "100% đoàn viên đăng ký",
            "count_0": "35",
            "text_1": "",
            "text_2": "Xây dựng 01 mô hình",
            "count_2": "1",
            "note": "Ghi chú",
        }

    def test_the_edit_page_is_prefilled_with_one_line_per_movement_and_target(self):
        self.login(self.alice)
        r = self.client.get(reverse("campaigns:registration-edit", args=[self.reg.pk]))
        self.assertContains(r, "Lao động giỏi, Lao động sáng tạo")
        self.assertContains(r, "Giỏi việc nước, đảm việc nhà")
        self.assertContains(r, "ít nhất 01 mô hình điểm")

    def test_it_saves_pledges_and_submits(self):
        self.login(self.alice)
        r = self.client.post(reverse("campaigns:registration-edit", args=[self.reg.pk]), self.edit_data(1))
        self.assertRedirects(r, reverse("campaigns:registration-detail", args=[self.reg.pk]))
        pledges = list(Pledge.objects.filter(registration=self.reg).order_by("position"))
        self.assertEqual(
            [(p.movement_id, p.target_id, p.count) for p in pledges],
            [(self.mv_good.pk, None, 35), (None, self.target.pk, 1)],
        )
        self.reg.refresh_from_db()
        self.assertEqual(self.reg.revision, 2)
        r = self.client.post(reverse("campaigns:registration-submit", args=[self.reg.pk]), {"revision": 2})
        self.reg.refresh_from_db()
        self.assertEqual(self.reg.status, Registration.Status.SUBMITTED)
        self.assertEqual(self.reg.submitted_by, self.alice)
        entry = audit_for_object(self.reg).filter(action=LogEntry.Action.UPDATE).first()
        self.assertIn("status", entry.changes_dict)
        self.assertEqual(entry.actor, self.alice)
        # A submitted registration is locked until reopened.
        r = self.client.get(reverse("campaigns:registration-edit", args=[self.reg.pk]))
        self.assertRedirects(r, reverse("campaigns:registration-detail", args=[self.reg.pk]))
        self.client.post(reverse("campaigns:registration-reopen", args=[self.reg.pk]), {"revision": 3})
        self.reg.refresh_from_db()
        self.assertEqual(self.reg.status, Registration.Status.DRAFT)

    def test_emptying_a_line_removes_its_pledge(self):
        self.login(self.alice)
        self.client.post(reverse("campaigns:registration-edit", args=[self.reg.pk]), self.edit_data(1))
        data = self.edit_data(2) | {"text_2": ""}
        self.client.post(reverse("campaigns:registration-edit", args=[self.reg.pk]), data)
        self.assertEqual(list(Pledge.objects.values_list("movement_id", flat=True)), [self.mv_good.pk])

    def test_a_stale_save_is_refused(self):
        self.login(self.alice)
        self.client.post(reverse("campaigns:registration-edit", args=[self.reg.pk]), self.edit_data(1))
        data = self.edit_data(1) | {"text_0": "Bản cũ"}
        r = self.client.post(reverse("campaigns:registration-edit", args=[self.reg.pk]), data)
        self.assertEqual(r.status_code, 200)
        self.assertContains(r, "Someone else changed this registration")
        self.assertEqual(Pledge.objects.get(movement=self.mv_good).text, "100% đoàn viên đăng ký")

    def test_a_stale_submit_is_refused(self):
        self.login(self.alice)
        self.client.post(reverse("campaigns:registration-edit", args=[self.reg.pk]), self.edit_data(1))
        self.client.post(reverse("campaigns:registration-submit", args=[self.reg.pk]), {"revision": 1})
        self.reg.refresh_from_db()
        self.assertEqual(self.reg.status, Registration.Status.DRAFT)

    def test_charlie_gets_404(self):
        self.login(self.charlie)
        for name in ("registration-detail", "registration-edit", "pledge-add", "pledge-import"):
            self.assertEqual(
                self.client.get(reverse(f"campaigns:{name}", args=[self.reg.pk])).status_code, 404
            )
        r = self.client.post(reverse("campaigns:registration-submit", args=[self.reg.pk]), {"revision": 1})
        self.assertEqual(r.status_code, 404)

    def test_bob_may_read_but_not_write(self):
        self.login(self.bob)
        self.assertEqual(
            self.client.get(reverse("campaigns:registration-detail", args=[self.reg.pk])).status_code, 200
        )
        self.assertEqual(
            self.client.get(reverse("campaigns:registration-edit", args=[self.reg.pk])).status_code, 403
        )
        r = self.client.post(reverse("campaigns:registration-submit", args=[self.reg.pk]), {"revision": 1})
        self.assertEqual(r.status_code, 403)


class MemberPledgeTests(EnglishMixin, PlanTestCase):
    def setUp(self):
        super().setUp()
        self.reg = registration_start(plan=self.plan, unit=self.dongha, created_by=self.alice)
        self.url = reverse("campaigns:pledge-add", args=[self.reg.pk])

    def test_the_search_finds_members_without_accents(self):
        self.login(self.alice)
        r = self.client.get(self.url, {"q": "thu ha"})
        self.assertContains(r, "Nguyễn Thị Thu Hà")
        self.assertNotContains(r, "Trần Văn Đức")

    def test_it_adds_pledges_one_by_one(self):
        self.login(self.alice)
        self.client.post(
            self.url, {"member": self.ha.pk, "title": "Lao động giỏi", "movement": self.mv_good.pk}
        )
        self.client.post(self.url, {"member": self.duc.pk, "title": "Chiến sĩ thi đua cơ sở"})
        r = self.client.post(self.url, {"member": self.ha.pk, "title": "lao dong gioi"})
        self.assertContains(r, "already pledged")
        self.assertEqual(
            sorted(MemberPledge.objects.values_list("member__full_name", "title")),
            [("Nguyễn Thị Thu Hà", "Lao động giỏi"), ("Trần Văn Đức", "Chiến sĩ thi đua cơ sở")],
        )

    def test_a_member_outside_the_unit_cannot_be_added(self):
        self.login(self.alice)
        r = self.client.post(self.url, {"member": self.lan.pk, "title": "Lao động giỏi"})
        self.assertEqual(r.status_code, 404)
        self.assertFalse(MemberPledge.objects.exists())


class RegistrationListTests(PlanTestCase):
    def test_it_lists_registrations_in_scope(self):
        registration_start(plan=self.plan, unit=self.school, created_by=self.alice)
        self.login(self.alice)
        r = self.client.get(reverse("campaigns:registration-list"))
        self.assertContains(r, self.school.name)
        self.login(self.charlie)
        r = self.client.get(reverse("campaigns:registration-list"))
        self.assertNotContains(r, self.school.name)
