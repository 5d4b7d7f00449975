from django.core import mail
from django.urls import reverse

from accounts.models import Role
from campaigns.models import MemberPledge, Pledge, Registration, Reminder
from campaigns.services.registrations import registration_start
from campaigns.tests.factories_registrations import PlanTestCase
from lib.testing import make_unit, make_user
from org.models import UnitKind
from org.services.units import unit_create


class StatusTestCase(PlanTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        # Quảng Trị: Đông Hà (school, factory, hospital) and Vĩnh Linh (one grassroots union).
        cls.hospital = make_unit(cls.dongha, "QT.DH.003", "Công đoàn Bệnh viện Đông Hà", UnitKind.GRASSROOTS)
        cls.vinhlinh = make_unit(cls.quangtri, "QT.VL", "LĐLĐ huyện Vĩnh Linh", UnitKind.DISTRICT)
        cls.farm = make_unit(cls.vinhlinh, "QT.VL.001", "Công đoàn Nông trường", UnitKind.GRASSROOTS)
        cls.pat = make_user("pat", cls.quangtri, Role.Kind.OFFICER, full_name="Pat")
        cls.hospital_officer = make_user("hoa", cls.hospital, Role.Kind.OFFICER, email="hoa@example.org")
        cls.farm_officer = make_user("farm", cls.farm, Role.Kind.VIEWER, email="farm@example.org")
        cls.quangtri.refresh_from_db()
        cls.dongha.refresh_from_db()
        school = registration_start(plan=cls.plan, unit=cls.school, created_by=cls.alice)
        Pledge.objects.create(registration=school, movement=cls.mv_good, text="Tham gia")
        Registration.objects.filter(pk=school.pk).update(status=Registration.Status.SUBMITTED)
        MemberPledge.objects.create(registration=school, member=cls.ha, title="Lao động giỏi")
        registration_start(plan=cls.plan, unit=cls.factory, created_by=cls.alice)  # draft
        registration_start(plan=cls.plan, unit=cls.dongha, created_by=cls.alice)  # the district itself

    def url(self, **params):
        base = reverse("campaigns:registration-status", args=[self.plan.pk])
        return base + "?" + "&".join(f"{k}={v}" for k, v in params.items())


class RegistrationStatusTests(StatusTestCase):
    def test_it_counts_the_level_below(self):
        self.login(self.pat)
        r = self.client.get(self.url(unit=self.quangtri.pk))
        self.assertEqual(
            r.context["summary"], {"units": 2, "registered": 1, "submitted": 0, "not_registered": 1}
        )
        rows = {u.pk: u for u in r.context["rows"]}
        self.assertEqual(rows[self.dongha.pk].reg_status, "draft")
        self.assertEqual(rows[self.dongha.pk].subtree, {"registered": 3, "submitted": 1})
        self.assertIsNone(rows[self.vinhlinh.pk].reg_status)
        self.assertEqual(rows[self.vinhlinh.pk].subtree, {"registered": 0, "submitted": 0})

    def test_it_counts_every_grassroots_union(self):
        self.login(self.pat)
        r = self.client.get(self.url(unit=self.quangtri.pk, level="grassroots"))
        self.assertEqual(
            r.context["summary"], {"units": 4, "registered": 2, "submitted": 1, "not_registered": 2}
        )
        rows = {u.pk: u for u in r.context["rows"]}
        self.assertEqual(rows[self.school.pk].member_pledge_count, 1)
        self.assertEqual(rows[self.school.pk].reg_status, "submitted")
        self.assertEqual(rows[self.factory.pk].reg_status, "draft")
        self.assertIsNone(rows[self.farm.pk].reg_status)
        r = self.client.get(self.url(unit=self.quangtri.pk, level="grassroots", state="none"))
        self.assertEqual({u.pk for u in r.context["rows"]}, {self.hospital.pk, self.farm.pk})

    def test_its_queries_do_not_grow_with_the_units(self):
        self.login(self.pat)
        self.client.get(self.url(unit=self.quangtri.pk))  # warm the session and role caches
        # session, user, roles, plan, summary, page count, page rows, subtree counts
        with self.assertNumQueries(9):
            self.client.get(self.url(unit=self.quangtri.pk, level="grassroots"))
        for i in range(4, 9):
            unit_create(parent=self.dongha, code=f"QT.DH.00{i}", name=f"CĐCS {i}", kind=UnitKind.GRASSROOTS)
        with self.assertNumQueries(9):
            r = self.client.get(self.url(unit=self.quangtri.pk, level="grassroots"))
        self.assertEqual(r.context["summary"]["units"], 9)

    def test_charlie_gets_404(self):
        self.login(self.charlie)
        self.assertEqual(self.client.get(self.url(unit=self.quangtri.pk)).status_code, 404)
        self.assertEqual(self.client.get(self.url(unit=self.quangbinh.pk)).status_code, 404)


class ReminderTests(StatusTestCase):
    def remind(self, **data):
        with self.captureOnCommitCallbacks(execute=True):
            return self.client.post(reverse("campaigns:registration-remind", args=[self.plan.pk]), data)

    def test_it_reminds_every_unit_not_registered(self):
        self.login(self.pat)
        r = self.remind(unit=self.quangtri.pk, level="grassroots")
        self.assertEqual(r.status_code, 302)
        self.assertEqual(
            set(Reminder.objects.values_list("unit_id", flat=True)), {self.hospital.pk, self.farm.pk}
        )
        self.assertEqual(sorted(m.to[0] for m in mail.outbox), ["farm@example.org", "hoa@example.org"])
        self.assertIn(self.plan.title, mail.outbox[0].subject)

    def test_it_reminds_one_unit(self):
        self.login(self.pat)
        self.remind(unit=self.quangtri.pk, level="grassroots", target=self.hospital.pk)
        self.assertEqual(list(Reminder.objects.values_list("unit_id", flat=True)), [self.hospital.pk])
        self.assertEqual([m.to for m in mail.outbox], [["hoa@example.org"]])

    def test_a_registered_unit_is_not_reminded(self):
        self.login(self.pat)
        self.remind(unit=self.quangtri.pk, level="grassroots", target=self.school.pk)
        self.assertFalse(Reminder.objects.exists())

    def test_bob_cannot_remind(self):
        self.login(self.bob)
        r = self.remind(unit=self.dongha.pk, level="children")
        self.assertEqual(r.status_code, 403)
        self.assertFalse(Reminder.objects.exists())
        self.assertEqual(mail.outbox, [])
