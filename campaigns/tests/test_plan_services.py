import datetime

from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError

from accounts.models import Role
from campaigns.models import Duty, Phase, Plan, PlanDelivery, Target
from campaigns.services import plans as services
from campaigns.tests.factories_plans import (
    ThreeDistrictsTestCase,
    duties_2021,
    make_plan,
    phases_2021,
    plan_data,
)
from lib.testing import BaseTestCase, EnglishMixin, make_user
from org.models import UnitKind, UnitStatus
from org.services.units import unit_create


class PlanServiceTests(EnglishMixin, BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.paula = make_user("paula", cls.quangtri, Role.Kind.OFFICER, full_name="Paula")
        cls.movement = services.movement_create(unit=cls.quangtri, name="Lao động giỏi", created_by=cls.paula)

    def _draft(self) -> Plan:
        return services.plan_create(unit=self.quangtri, year=2021, title="Kế hoạch", created_by=self.paula)

    def _update(self, plan: Plan, **overrides):
        args = {
            "plan": plan,
            "revision": plan.revision,
            "updated_by": self.paula,
            "data": plan_data(),
            "phases": phases_2021(),
            "duties": duties_2021(self.movement),
            "movements": [self.movement],
        }
        args.update(overrides)
        return services.plan_update(**args)

    def test_it_creates_edits_and_issues_a_plan(self):
        plan = self._draft()
        self._update(plan)
        plan.refresh_from_db()
        self.assertEqual(plan.revision, 2)
        self.assertEqual(plan.number, "15/KH-LĐLĐ")
        self.assertEqual([p.name for p in plan.phases.all()], ["Đợt 1", "Đợt 2"])
        self.assertEqual(plan.duties.count(), 2)
        self.assertEqual(list(plan.targets.values_list("count", flat=True)), [1, 1])
        self.assertEqual(list(plan.movements.all()), [self.movement])
        self.assertEqual(services.plan_validate(plan), [])
        services.plan_issue(plan=plan, issued_by=self.paula, deliver_below=False)
        plan.refresh_from_db()
        self.assertEqual(plan.status, Plan.Status.ISSUED)
        self.assertIsNotNone(plan.issued_at)
        self.assertEqual(plan.issued_by, self.paula)

    def _assert_refused(self, message_part: str, **overrides):
        plan = self._draft()
        with self.assertRaises(ValidationError) as ctx:
            self._update(plan, **overrides)
        self.assertTrue(any(message_part in m for m in ctx.exception.messages), ctx.exception.messages)
        plan.refresh_from_db()
        self.assertEqual(plan.revision, 1)
        self.assertEqual(plan.number, "")
        self.assertFalse(Phase.objects.filter(plan=plan).exists())
        self.assertFalse(Duty.objects.filter(plan=plan).exists())

    def test_it_refuses_overlapping_phases(self):
        phases = phases_2021()
        phases[1]["start"] = datetime.date(2021, 6, 1)
        self._assert_refused("overlap", phases=phases)

    def test_it_refuses_a_phase_outside_the_year(self):
        phases = phases_2021()
        phases[1]["end"] = datetime.date(2022, 1, 31)
        self._assert_refused("outside the plan's year", phases=phases)

    def test_it_refuses_a_phase_ending_before_it_starts(self):
        phases = phases_2021()[:1]
        phases[0]["start"], phases[0]["end"] = phases[0]["end"], phases[0]["start"]
        self._assert_refused("starts after it ends", phases=phases)

    def test_it_refuses_a_target_without_a_number(self):
        duties = duties_2021()
        duties[1]["targets"][0]["count"] = None
        self._assert_refused("needs a number", duties=duties)

    def test_it_refuses_to_issue_without_a_signer_and_saves_nothing(self):
        plan = self._draft()
        self._update(plan, data=plan_data(signer_name="", number=""))
        with self.assertRaises(ValidationError) as ctx:
            services.plan_issue(plan=plan, issued_by=self.paula, deliver_below=False)
        text = " ".join(ctx.exception.messages)
        self.assertIn("signer is missing", text)
        self.assertIn("number and symbol", text)
        plan.refresh_from_db()
        self.assertEqual(plan.status, Plan.Status.DRAFT)
        self.assertIsNone(plan.issued_at)
        self.assertFalse(PlanDelivery.objects.filter(plan=plan).exists())

    def test_the_second_of_two_saves_from_one_revision_is_refused(self):
        plan = self._draft()
        first = Plan.objects.get(pk=plan.pk)
        second = Plan.objects.get(pk=plan.pk)
        self._update(first, data=plan_data(theme="Theme one"))
        with self.assertRaises(ValidationError) as ctx:
            self._update(second, revision=1, data=plan_data(theme="Theme two"))
        self.assertIn("changed by someone else", ctx.exception.messages[0])
        plan.refresh_from_db()
        self.assertEqual(plan.theme, "Theme one")
        self.assertEqual(plan.revision, 2)

    def test_the_conditional_update_refuses_a_stale_save_even_with_a_fresh_object(self):
        plan = self._draft()
        Plan.objects.filter(pk=plan.pk).update(revision=5)  # another officer saved in between
        with self.assertRaises(ValidationError):
            self._update(plan, revision=1)
        plan.refresh_from_db()
        self.assertEqual(plan.revision, 5)

    def test_an_issued_plan_cannot_be_updated(self):
        plan = make_plan(unit=self.quangtri, by=self.paula, issue=True)
        with self.assertRaises(ValidationError):
            self._update(plan)

    def test_amending_makes_version_two_and_issuing_it_supersedes_version_one(self):
        v1 = make_plan(unit=self.quangtri, by=self.paula, issue=True, movements=[self.movement])
        v2 = services.plan_amend(plan=v1, created_by=self.paula)
        self.assertEqual((v2.version, v2.status, v2.supersedes), (2, Plan.Status.DRAFT, v1))
        self.assertEqual(v2.phases.count(), 2)
        self.assertEqual(v2.targets.count(), 2)
        self.assertEqual(list(v2.movements.all()), [self.movement])
        self.assertEqual(v2.number, v1.number)
        v1.refresh_from_db()
        self.assertEqual(v1.status, Plan.Status.ISSUED)
        services.plan_issue(plan=v2, issued_by=self.paula, deliver_below=False)
        v1.refresh_from_db()
        self.assertEqual(v1.status, Plan.Status.SUPERSEDED)

    def test_closing_an_issued_plan(self):
        plan = make_plan(unit=self.quangtri, by=self.paula, issue=True)
        services.plan_close(plan=plan, closed_by=self.paula)
        plan.refresh_from_db()
        self.assertEqual(plan.status, Plan.Status.CLOSED)
        with self.assertRaises(ValidationError):
            services.plan_close(plan=plan, closed_by=self.paula)

    def test_deriving_prefills_a_child_plan(self):
        parent = make_plan(unit=self.quangtri, by=self.paula, issue=True, movements=[self.movement])
        child = services.plan_derive(parent_plan=parent, unit=self.dongha, created_by=self.alice)
        self.assertEqual(child.status, Plan.Status.DRAFT)
        self.assertEqual(child.parent_plan, parent)
        self.assertEqual((child.theme, child.year, child.contents), (parent.theme, 2021, parent.contents))
        self.assertEqual(child.number, "")
        self.assertEqual(list(child.movements.all()), [self.movement])
        self.assertEqual([p.name for p in child.phases.all()], ["Đợt 1", "Đợt 2"])
        # The province's own duty is left out; the upper-level/grassroots one is kept with its targets.
        self.assertEqual([d.level for d in child.duties.all()], [Duty.Level.UPPER_AND_GRASSROOTS])
        self.assertEqual(child.targets.count(), 2)
        self.assertIn(self.quangtri.name, child.recipients[0])

    def test_a_grassroots_plan_keeps_only_grassroots_targets(self):
        parent = make_plan(unit=self.quangtri, by=self.paula, issue=True)
        child = services.plan_derive(parent_plan=parent, unit=self.school, created_by=self.alice)
        self.assertEqual(list(child.targets.values_list("kind", flat=True)), [Target.Kind.REGISTRATION])

    def test_deriving_needs_an_issued_plan_above_the_unit(self):
        draft = make_plan(unit=self.quangtri, by=self.paula)
        with self.assertRaises(ValidationError):
            services.plan_derive(parent_plan=draft, unit=self.dongha, created_by=self.alice)
        issued = make_plan(unit=self.quangtri, by=self.paula, issue=True)
        with self.assertRaises(ValidationError):
            services.plan_derive(parent_plan=issued, unit=self.port, created_by=self.charlie)

    def test_issuing_is_audited_with_its_actor(self):
        plan = make_plan(unit=self.quangtri, by=self.paula, issue=True)
        entries = LogEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(Plan), object_pk=str(plan.pk)
        )
        issue = [
            e for e in entries if e.action == LogEntry.Action.UPDATE and "status" in (e.changes_dict or {})
        ]
        self.assertEqual(len(issue), 1)
        self.assertEqual(issue[0].actor, self.paula)
        self.assertEqual(issue[0].changes_dict["status"][1], Plan.Status.ISSUED)


class PlanRecipientTests(ThreeDistrictsTestCase):
    """Issuing to some of Quảng Trị's three direct units."""

    def _delivered(self, plan: Plan) -> set[int]:
        return set(PlanDelivery.objects.filter(plan=plan).values_list("unit", flat=True))

    def test_issuing_to_two_of_three_children_delivers_to_exactly_those_two(self):
        plan = make_plan(unit=self.quangtri, by=self.paula)
        services.plan_issue(plan=plan, issued_by=self.paula, recipient_units=[self.dongha, self.camlo])
        plan.refresh_from_db()
        self.assertEqual(plan.status, Plan.Status.ISSUED)
        self.assertEqual(self._delivered(plan), {self.dongha.pk, self.camlo.pk})

    def test_issuing_below_two_of_three_children_reaches_only_their_subtrees(self):
        plan = make_plan(unit=self.quangtri, by=self.paula)
        dissolved = unit_create(
            parent=self.camlo, code="QT.CL.002", name="CĐ giải thể", kind=UnitKind.GRASSROOTS
        )
        dissolved.status = UnitStatus.DISSOLVED
        dissolved.save(update_fields=["status"])
        services.plan_issue(
            plan=plan, issued_by=self.paula, deliver_below=True, recipient_units=[self.dongha, self.camlo]
        )
        self.assertEqual(
            self._delivered(plan),
            {self.dongha.pk, self.school.pk, self.factory.pk, self.camlo.pk, self.camlo_school.pk},
        )

    def test_without_a_choice_every_direct_child_still_gets_the_plan(self):
        plan = make_plan(unit=self.quangtri, by=self.paula)
        services.plan_issue(plan=plan, issued_by=self.paula)
        self.assertEqual(self._delivered(plan), {self.dongha.pk, self.camlo.pk, self.giolinh.pk})

    def test_a_unit_below_a_child_may_be_chosen(self):
        plan = make_plan(unit=self.quangtri, by=self.paula)
        services.plan_issue(
            plan=plan, issued_by=self.paula, recipient_units=[self.camlo, self.giolinh_school]
        )
        self.assertEqual(self._delivered(plan), {self.camlo.pk, self.giolinh_school.pk})

    def _assert_refused(self, units, message_part: str) -> None:
        plan = make_plan(unit=self.quangtri, by=self.paula)
        with self.assertRaises(ValidationError) as ctx:
            services.plan_issue(plan=plan, issued_by=self.paula, deliver_below=True, recipient_units=units)
        self.assertTrue(any(message_part in m for m in ctx.exception.messages), ctx.exception.messages)
        plan.refresh_from_db()
        self.assertEqual((plan.status, plan.issued_at, plan.issued_by), (Plan.Status.DRAFT, None, None))
        self.assertFalse(PlanDelivery.objects.filter(plan=plan).exists())

    def test_a_unit_outside_the_issuers_subtree_is_refused_and_nothing_changes(self):
        self._assert_refused([self.dongha, self.port], "not active units below the issuing unit")

    def test_the_issuer_itself_and_units_above_it_are_refused(self):
        self._assert_refused([self.quangtri], "not active units below the issuing unit")
        self._assert_refused([self.dongha, self.root], "not active units below the issuing unit")

    def test_a_dissolved_unit_is_refused(self):
        self.giolinh.status = UnitStatus.DISSOLVED
        self.giolinh.save(update_fields=["status"])
        self._assert_refused([self.giolinh], "not active units below the issuing unit")

    def test_an_empty_choice_is_refused(self):
        self._assert_refused([], "Choose at least one unit")
