from django.urls import reverse

from accounts.models import Role
from campaigns.models import Plan, PlanDelivery
from campaigns.services import plans as services
from campaigns.tests.factories_plans import ThreeDistrictsTestCase, make_plan
from lib.testing import BaseTestCase, EnglishMixin, make_user
from org.models import UnitKind, UnitStatus
from org.services.units import unit_create


def edit_post(plan: Plan, movement=None, **overrides) -> dict:
    data = {
        "revision": plan.revision,
        "year": "2021",
        "number": "15/KH-LĐLĐ",
        "place": "Quảng Trị",
        "issued_on": "01/03/2021",
        "title": "Thi đua năm 2021",
        "purposes": "Động viên đoàn viên\nPhát huy sáng tạo",
        "theme": "Đoàn kết, sáng tạo",
        "contents": "2.1. Phong trào Lao động giỏi\n2.2. Phong trào Xanh - Sạch - Đẹp",
        "new_movements": "Giỏi việc nước, đảm việc nhà",
        "recipients": "- Như trên;\n- Lưu: VT.",
        "signer_authority": "TM. BAN THƯỜNG VỤ",
        "signer_title": "PHÓ CHỦ TỊCH",
        "signer_name": "Lê Văn Hùng",
        "phases-TOTAL_FORMS": "2",
        "phases-INITIAL_FORMS": "0",
        "phases-0-name": "Đợt 1",
        "phases-0-start": "01/01/2021",
        "phases-0-end": "30/06/2021",
        "phases-1-name": "Đợt 2",
        "phases-1-start": "01/07/2021",
        "phases-1-end": "31/12/2021",
        "duties-TOTAL_FORMS": "2",
        "duties-INITIAL_FORMS": "0",
        "duties-0-level": "upper_grassroots",
        "duties-0-level_label": "CĐ cấp trên cơ sở và CĐCS",
        "duties-0-items": "Tổ chức phát động\nXây dựng mô hình điểm",
        "duties-1-level": "issuer",
        "duties-1-items": "",
        "targets-TOTAL_FORMS": "2",
        "targets-INITIAL_FORMS": "0",
        "targets-0-duty": "1",
        "targets-0-text": "ít nhất 01 mô hình điểm",
        "targets-0-count": "1",
        "targets-0-kind": "pilot_model",
        "targets-0-unit_level": "2",
        "targets-1-duty": "1",
        "targets-1-kind": "other",
        "targets-1-unit_level": "2",
    }
    if movement is not None:
        data["movements"] = [str(movement.pk)]
    data.update(overrides)
    return data


class PlanViewTests(EnglishMixin, BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.paula = make_user("paula", cls.quangtri, Role.Kind.OFFICER, full_name="Paula")
        cls.gina = make_user("gina", cls.school, Role.Kind.OFFICER, full_name="Gina")
        cls.movement = services.movement_create(unit=cls.root, name="Lao động giỏi", created_by=None)

    def test_an_officer_creates_edits_and_issues_a_plan_in_the_browser(self):
        self.login(self.paula)
        response = self.client.post(
            reverse("campaigns:plan-create"),
            {"unit": self.quangtri.pk, "year": "2021", "title": "Thi đua 2021"},
        )
        plan = Plan.objects.get()
        self.assertRedirects(response, reverse("campaigns:plan-edit", args=[plan.pk]))
        self.assertEqual(self.client.get(reverse("campaigns:plan-edit", args=[plan.pk])).status_code, 200)
        response = self.client.post(
            reverse("campaigns:plan-edit", args=[plan.pk]), edit_post(plan, self.movement)
        )
        self.assertRedirects(response, reverse("campaigns:plan-detail", args=[plan.pk]))
        plan.refresh_from_db()
        self.assertEqual(plan.contents[1], {"number": "2.2", "text": "Phong trào Xanh - Sạch - Đẹp"})
        self.assertEqual(plan.purposes, ["Động viên đoàn viên", "Phát huy sáng tạo"])
        self.assertEqual(
            sorted(plan.movements.values_list("name", flat=True)),
            ["Giỏi việc nước, đảm việc nhà", "Lao động giỏi"],
        )
        self.assertEqual(plan.phases.count(), 2)
        self.assertEqual(plan.duties.count(), 1)  # the blank duty row is skipped
        self.assertEqual(plan.targets.get().duty, plan.duties.get())
        page = self.client.get(reverse("campaigns:plan-detail", args=[plan.pk]))
        self.assertContains(page, f'name="units" value="{self.dongha.pk}"')
        response = self.client.post(
            reverse("campaigns:plan-issue", args=[plan.pk]), {"units": [self.dongha.pk]}
        )
        self.assertRedirects(response, reverse("campaigns:plan-detail", args=[plan.pk]))
        plan.refresh_from_db()
        self.assertEqual(plan.status, Plan.Status.ISSUED)
        self.assertEqual(set(PlanDelivery.objects.values_list("unit", flat=True)), {self.dongha.pk})
        page = self.client.get(reverse("campaigns:plan-detail", args=[plan.pk]))
        self.assertContains(page, "Đoàn kết, sáng tạo")
        self.assertContains(page, "ít nhất 01 mô hình điểm")
        self.assertContains(page, "01/07/2021")
        self.assertContains(page, 'data-testid="plan-delivery"')

    def test_a_target_without_a_number_shows_the_error_and_saves_nothing(self):
        plan = services.plan_create(unit=self.quangtri, year=2021, title="Thi đua", created_by=self.paula)
        self.login(self.paula)
        response = self.client.post(
            reverse("campaigns:plan-edit", args=[plan.pk]), edit_post(plan, **{"targets-0-count": ""})
        )
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "needs a number")
        plan.refresh_from_db()
        self.assertEqual((plan.revision, plan.number, plan.phases.count()), (1, "", 0))

    def test_overlapping_phases_show_the_error_and_save_nothing(self):
        plan = services.plan_create(unit=self.quangtri, year=2021, title="Thi đua", created_by=self.paula)
        self.login(self.paula)
        response = self.client.post(
            reverse("campaigns:plan-edit", args=[plan.pk]),
            edit_post(plan, **{"phases-1-start": "15/06/2021"}),
        )
        self.assertContains(response, "overlap")
        plan.refresh_from_db()
        self.assertEqual(plan.revision, 1)

    def test_a_stale_form_is_refused_with_a_message(self):
        plan = services.plan_create(unit=self.quangtri, year=2021, title="Thi đua", created_by=self.paula)
        self.login(self.paula)
        self.client.post(reverse("campaigns:plan-edit", args=[plan.pk]), edit_post(plan, theme="Một"))
        response = self.client.post(
            reverse("campaigns:plan-edit", args=[plan.pk]), edit_post(plan, theme="Hai")
        )
        self.assertContains(response, "changed by someone else")
        plan.refresh_from_db()
        self.assertEqual(plan.theme, "Một")

    def test_issuing_a_plan_with_errors_shows_them_and_keeps_the_draft(self):
        plan = services.plan_create(unit=self.quangtri, year=2021, title="Thi đua", created_by=self.paula)
        self.login(self.paula)
        response = self.client.post(reverse("campaigns:plan-issue", args=[plan.pk]), follow=True)
        self.assertContains(response, "signer is missing")
        plan.refresh_from_db()
        self.assertEqual(plan.status, Plan.Status.DRAFT)

    def test_an_issued_plan_cannot_be_edited(self):
        plan = make_plan(unit=self.quangtri, by=self.paula, issue=True)
        self.login(self.paula)
        response = self.client.get(reverse("campaigns:plan-edit", args=[plan.pk]))
        self.assertRedirects(response, reverse("campaigns:plan-detail", args=[plan.pk]))
        response = self.client.post(
            reverse("campaigns:plan-edit", args=[plan.pk]), edit_post(plan, theme="X")
        )
        plan.refresh_from_db()
        self.assertNotEqual(plan.theme, "X")

    def test_amend_and_close_from_the_page(self):
        plan = make_plan(unit=self.quangtri, by=self.paula, issue=True)
        self.login(self.paula)
        response = self.client.post(reverse("campaigns:plan-amend", args=[plan.pk]))
        v2 = Plan.objects.get(supersedes=plan)
        self.assertRedirects(response, reverse("campaigns:plan-edit", args=[v2.pk]))
        self.client.post(reverse("campaigns:plan-close", args=[plan.pk]))
        plan.refresh_from_db()
        self.assertEqual(plan.status, Plan.Status.CLOSED)

    def test_charlie_gets_404_on_a_draft_and_an_issued_plan_of_quang_tri(self):
        draft = make_plan(unit=self.quangtri, by=self.paula)
        issued = make_plan(unit=self.quangtri, by=self.paula, issue=True)
        self.login(self.charlie)
        for plan in (draft, issued):
            for name in ("plan-detail", "plan-edit", "plan-compare", "launch-create"):
                self.assertEqual(
                    self.client.get(reverse(f"campaigns:{name}", args=[plan.pk])).status_code, 404
                )
            for name in ("plan-issue", "plan-amend", "plan-close", "plan-derive"):
                self.assertEqual(
                    self.client.post(reverse(f"campaigns:{name}", args=[plan.pk])).status_code, 404
                )
        self.assertNotContains(self.client.get(reverse("campaigns:plan-list")), "15/KH-LĐLĐ")

    def test_a_grassroots_officer_sees_the_provinces_issued_plan_but_not_its_draft(self):
        draft = make_plan(unit=self.quangtri, by=self.paula, title="Bản nháp")
        issued = make_plan(unit=self.quangtri, by=self.paula, issue=True)
        self.login(self.gina)
        self.assertEqual(self.client.get(reverse("campaigns:plan-detail", args=[issued.pk])).status_code, 200)
        self.assertEqual(self.client.get(reverse("campaigns:plan-detail", args=[draft.pk])).status_code, 404)
        listing = self.client.get(reverse("campaigns:plan-list"))
        self.assertEqual([p.pk for p in listing.context["page"]], [issued.pk])

    def test_bob_the_viewer_may_not_write(self):
        plan = make_plan(unit=self.dongha, by=self.alice)
        self.login(self.bob)
        self.assertEqual(self.client.get(reverse("campaigns:plan-detail", args=[plan.pk])).status_code, 200)
        self.assertEqual(self.client.get(reverse("campaigns:plan-edit", args=[plan.pk])).status_code, 403)
        self.assertEqual(self.client.post(reverse("campaigns:plan-issue", args=[plan.pk])).status_code, 403)
        self.assertEqual(self.client.get(reverse("campaigns:plan-create")).status_code, 403)
        plan.refresh_from_db()
        self.assertEqual(plan.status, Plan.Status.DRAFT)

    def test_deriving_from_the_page_opens_the_childs_draft_and_the_parent_sees_it(self):
        parent = make_plan(unit=self.quangtri, by=self.paula, issue=True)
        self.login(self.alice)
        response = self.client.post(
            reverse("campaigns:plan-derive", args=[parent.pk]), {"unit": self.dongha.pk}
        )
        child = Plan.objects.get(parent_plan=parent)
        self.assertRedirects(response, reverse("campaigns:plan-edit", args=[child.pk]))
        self.assertEqual(child.unit, self.dongha)
        compare = self.client.get(reverse("campaigns:plan-compare", args=[child.pk]))
        self.assertContains(compare, "Đợt 2")
        self.assertEqual(len(compare.context["sections"]), 9)
        self.login(self.paula)
        page = self.client.get(reverse("campaigns:plan-detail", args=[parent.pk]))
        self.assertEqual(page.context["cascade"]["children"], 1)
        self.assertEqual(page.context["cascade"]["issued"], 0)
        self.assertEqual(list(page.context["cascade"]["derived"]), [child])

    def test_the_list_filters_and_keeps_a_bounded_number_of_queries(self):
        for i in range(3):
            make_plan(unit=self.quangtri, by=self.paula, issue=i % 2 == 0, title=f"Kế hoạch {i}")
        self.login(self.paula)
        url = reverse("campaigns:plan-list")
        response = self.client.get(url, {"status": "issued", "year": "2021"})
        self.assertEqual(len(response.context["page"].object_list), 2)
        response = self.client.get(url, {"q": "hoạch 1"})
        self.assertEqual([p.title for p in response.context["page"]], ["Kế hoạch 1"])
        with self.assertNumQueries(7):
            self.client.get(url)
        for i in range(5):
            make_plan(unit=self.quangtri, by=self.paula, title=f"Thêm {i}")
        with self.assertNumQueries(7):
            self.client.get(url)

    def test_every_page_renders_for_its_officer(self):
        parent = make_plan(unit=self.quangtri, by=self.paula, issue=True, movements=[self.movement])
        draft = make_plan(unit=self.quangtri, by=self.paula, signer_name="")
        child = services.plan_derive(parent_plan=parent, unit=self.dongha, created_by=self.alice)
        self.login(self.paula)
        pages = [
            reverse("campaigns:plan-list"),
            reverse("campaigns:plan-create"),
            reverse("campaigns:plan-detail", args=[parent.pk]),
            reverse("campaigns:plan-detail", args=[draft.pk]),
            reverse("campaigns:plan-edit", args=[draft.pk]),
            reverse("campaigns:plan-compare", args=[child.pk]),
            reverse("campaigns:launch-create", args=[parent.pk]),
            reverse("campaigns:movement-list"),
            reverse("campaigns:movement-create"),
            reverse("campaigns:inbox"),
        ]
        for url in pages:
            with self.subTest(url=url):
                self.assertEqual(self.client.get(url).status_code, 200)
        edit = self.client.get(reverse("campaigns:plan-edit", args=[draft.pk]))
        self.assertEqual(edit.context["targets"].initial[0]["count"], 1)
        self.assertContains(edit, 'name="revision" value="2"')
        detail = self.client.get(reverse("campaigns:plan-detail", args=[draft.pk]))
        self.assertContains(detail, "signer is missing")


class PlanIssueRecipientViewTests(ThreeDistrictsTestCase):
    """Quảng Trị's officer chooses among its three direct units (and a dissolved one)."""

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.dissolved = unit_create(
            parent=cls.quangtri, code="QT.XX", name="LĐLĐ đã giải thể", kind=UnitKind.DISTRICT
        )
        cls.dissolved.status = UnitStatus.DISSOLVED
        cls.dissolved.save(update_fields=["status"])

    def setUp(self) -> None:
        super().setUp()
        self.plan = make_plan(unit=self.quangtri, by=self.paula)
        self.login(self.paula)

    def _issue(self, data: dict):
        return self.client.post(reverse("campaigns:plan-issue", args=[self.plan.pk]), data, follow=True)

    def _delivered(self) -> set[int]:
        return set(PlanDelivery.objects.filter(plan=self.plan).values_list("unit", flat=True))

    def test_the_issue_card_lists_the_active_direct_units_all_ticked(self):
        page = self.client.get(reverse("campaigns:plan-detail", args=[self.plan.pk]))
        form = page.context["issue_form"]
        self.assertEqual(list(form.fields["units"].queryset), [self.dongha, self.camlo, self.giolinh])
        for unit in (self.dongha, self.camlo, self.giolinh):
            self.assertContains(page, f'name="units" value="{unit.pk}" class="form-check-input"', html=False)
        self.assertContains(page, " checked>", count=3)  # every unit ticked, "below" left unticked
        self.assertNotContains(page, self.dissolved.name)
        self.assertNotContains(page, self.camlo_school.name)

    def test_issuing_to_two_of_three_units_from_the_page(self):
        response = self._issue({"units": [self.dongha.pk, self.giolinh.pk]})
        self.assertContains(response, "Plan issued")
        self.plan.refresh_from_db()
        self.assertEqual(self.plan.status, Plan.Status.ISSUED)
        self.assertEqual(self._delivered(), {self.dongha.pk, self.giolinh.pk})

    def test_issuing_to_two_units_and_below_from_the_page(self):
        self._issue({"units": [self.dongha.pk, self.camlo.pk], "deliver_below": "on"})
        self.assertEqual(
            self._delivered(),
            {self.dongha.pk, self.school.pk, self.factory.pk, self.camlo.pk, self.camlo_school.pk},
        )

    def test_a_unit_that_is_not_a_direct_unit_of_the_issuer_is_refused(self):
        for unit in (self.port, self.camlo_school, self.dissolved, self.quangtri):
            with self.subTest(unit=unit.name):
                response = self._issue({"units": [self.dongha.pk, unit.pk]})
                self.assertContains(response, "Select a valid choice")
                self.plan.refresh_from_db()
                self.assertEqual(self.plan.status, Plan.Status.DRAFT)
                self.assertEqual(self._delivered(), set())

    def test_issuing_with_no_unit_ticked_is_refused(self):
        response = self._issue({"deliver_below": "on"})
        self.assertContains(response, "Choose at least one unit")
        self.plan.refresh_from_db()
        self.assertEqual(self.plan.status, Plan.Status.DRAFT)
        self.assertEqual(self._delivered(), set())

    def test_a_unit_without_units_below_issues_without_a_choice(self):
        gina = make_user("gina", self.school, Role.Kind.OFFICER, full_name="Gina")
        plan = make_plan(unit=self.school, by=gina)
        self.login(gina)
        page = self.client.get(reverse("campaigns:plan-detail", args=[plan.pk]))
        self.assertNotContains(page, 'data-testid="plan-issue-units"')
        self.client.post(reverse("campaigns:plan-issue", args=[plan.pk]))
        plan.refresh_from_db()
        self.assertEqual(plan.status, Plan.Status.ISSUED)

    def test_charlie_gets_404_when_issuing_with_a_choice(self):
        self.login(self.charlie)
        response = self.client.post(
            reverse("campaigns:plan-issue", args=[self.plan.pk]), {"units": [self.dongha.pk]}
        )
        self.assertEqual(response.status_code, 404)
        self.plan.refresh_from_db()
        self.assertEqual(self.plan.status, Plan.Status.DRAFT)
