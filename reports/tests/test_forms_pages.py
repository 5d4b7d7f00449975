from django.core.exceptions import ValidationError
from django.urls import reverse

from lib.testing import BaseTestCase, EnglishMixin
from reports.defaults import load_default_forms
from reports.models import FormVersion, Indicator, ReportForm
from reports.services.forms import form_new_version, form_version_save
from reports.services.reports import report_get_or_create, report_save, report_values
from reports.services.values import validate_values
from reports.tests.factories_core import GOOD, make_request, make_version


def formset_post(prefix: str, rows: list[dict]) -> dict:
    data = {f"{prefix}-TOTAL_FORMS": str(len(rows)), f"{prefix}-INITIAL_FORMS": "0"}
    for i, row in enumerate(rows):
        for k, v in row.items():
            data[f"{prefix}-{i}-{k}"] = v
    return data


class FormPagesTests(EnglishMixin, BaseTestCase):
    def test_an_officer_creates_edits_and_publishes_a_form(self):
        self.login(self.alice)
        r = self.client.post(
            reverse("reports:form-create"), {"unit": self.dongha.pk, "code": "sk1", "name": "SK"}
        )
        form = ReportForm.objects.get(code="sk1")
        version = form.versions.get()
        self.assertRedirects(r, reverse("reports:form-edit", args=[version.pk]))
        data = {
            **formset_post("sections", [{"title": "Chung"}]),
            **formset_post(
                "indicators",
                [
                    {"section": "1", "code": "a", "label": "A", "kind": "integer", "rollup": "sum"},
                    {"section": "1", "code": "b", "label": "B", "kind": "money", "rollup": "sum"},
                    {
                        "section": "1",
                        "code": "c",
                        "label": "C",
                        "kind": "money",
                        "rollup": "none",
                        "formula": "b / a",
                    },
                ],
            ),
            **formset_post("rules", [{"expression": "a >= 0", "message": "neg"}]),
        }
        r = self.client.post(reverse("reports:form-edit", args=[version.pk]), data)
        self.assertEqual(r.status_code, 302)
        self.assertEqual(list(version.indicators.values_list("code", flat=True)), ["a", "b", "c"])
        self.assertEqual(version.sections.get().indicators.count(), 3)
        self.client.post(reverse("reports:form-publish", args=[version.pk]))
        version.refresh_from_db()
        self.assertEqual(version.status, FormVersion.Status.PUBLISHED)
        r = self.client.get(reverse("reports:form-detail", args=[form.pk]))
        self.assertContains(r, 'data-testid="indicator-c"')

    def test_unknown_formula_names_and_duplicate_codes_are_refused(self):
        version = make_version(unit=self.dongha, by=self.alice, publish=False)
        self.login(self.alice)
        data = {
            **formset_post("sections", [{"title": "Chung"}]),
            **formset_post(
                "indicators",
                [
                    {"code": "a", "label": "A", "kind": "integer", "rollup": "sum"},
                    {"code": "a", "label": "A2", "kind": "integer", "rollup": "sum"},
                    {"code": "c", "label": "C", "kind": "integer", "rollup": "sum", "formula": "a + zz"},
                ],
            ),
            **formset_post("rules", []),
        }
        r = self.client.post(reverse("reports:form-edit", args=[version.pk]), data)
        self.assertEqual(r.status_code, 200)
        self.assertContains(r, "The code a is used twice.")
        self.assertContains(r, "unknown code zz")
        self.assertEqual(version.indicators.count(), 7)  # unchanged

    def test_a_published_version_is_frozen(self):
        version = make_version(unit=self.dongha, by=self.alice)
        with self.assertRaises(ValidationError):
            form_version_save(version=version, sections=[], indicators=[], rules=[], by=self.alice)
        self.login(self.alice)
        r = self.client.post(reverse("reports:form-edit", args=[version.pk]), formset_post("sections", []))
        self.assertRedirects(r, reverse("reports:form-detail", args=[version.form_id]))
        self.assertEqual(version.indicators.count(), 7)

    def test_a_new_version_leaves_old_submissions_on_their_own_version(self):
        v1 = make_version(unit=self.dongha, by=self.alice)
        req = make_request(version=v1, unit=self.dongha, by=self.alice)
        report = report_get_or_create(request=req, unit=self.school)
        report_save(report=report, raw=GOOD, by=self.alice, submit=True)
        self.login(self.alice)
        r = self.client.post(reverse("reports:form-new-version", args=[v1.pk]))
        v2 = FormVersion.objects.get(form=v1.form, number=2)
        self.assertRedirects(r, reverse("reports:form-edit", args=[v2.pk]))
        self.assertEqual(v2.indicators.count(), 7)
        self.assertEqual(v2.rules.count(), 1)
        Indicator.objects.filter(version=v2, code="helped").update(label="Changed label")
        ids_v1 = set(v1.indicators.values_list("pk", flat=True))
        self.assertTrue(set(report.current_version.values.values_list("indicator_id", flat=True)) <= ids_v1)
        self.assertEqual(report_values(report)["helped"], 4)
        self.assertEqual(v1.indicators.get(code="helped").label, "Helped members")
        self.assertEqual(form_new_version(version=v1, by=self.alice), v2)  # one draft at a time

    def test_charlie_gets_404_and_bob_403(self):
        version = make_version(unit=self.dongha, by=self.alice, publish=False)
        self.login(self.charlie)
        for name, arg in [("form-detail", version.form_id), ("form-edit", version.pk)]:
            self.assertEqual(self.client.get(reverse(f"reports:{name}", args=[arg])).status_code, 404)
        self.assertEqual(
            self.client.post(reverse("reports:form-publish", args=[version.pk])).status_code, 404
        )
        self.assertNotContains(self.client.get(reverse("reports:form-list")), "Form F1")
        self.login(self.bob)
        self.assertEqual(
            self.client.get(reverse("reports:form-detail", args=[version.form_id])).status_code, 200
        )
        self.assertEqual(self.client.get(reverse("reports:form-edit", args=[version.pk])).status_code, 403)
        self.assertEqual(
            self.client.post(reverse("reports:form-publish", args=[version.pk])).status_code, 403
        )
        self.assertEqual(self.client.get(reverse("reports:form-create")).status_code, 403)

    def test_units_below_see_published_forms_but_not_drafts(self):
        from accounts.models import Role
        from lib.testing import make_user

        grassroots = make_user("gr", self.school, Role.Kind.OFFICER)
        published = make_version(unit=self.dongha, by=self.alice, code="P")
        draft = make_version(unit=self.dongha, by=self.alice, code="D", publish=False)
        self.login(grassroots)
        self.assertEqual(
            self.client.get(reverse("reports:form-detail", args=[published.form_id])).status_code, 200
        )
        self.assertEqual(
            self.client.get(reverse("reports:form-detail", args=[draft.form_id])).status_code, 404
        )


class DefaultFormsTests(BaseTestCase):
    def test_the_default_forms_validate_a_plausible_report(self):
        versions = load_default_forms(unit=self.quangtri, by=self.alice)
        self.assertEqual(len(versions), 2)
        v = versions[0]
        self.assertEqual(v.status, FormVersion.Status.PUBLISHED)
        codes = set(v.indicators.values_list("code", flat=True))
        self.assertTrue({"pilot_models", "initiative_value", "helped_members", "support_amount"} <= codes)
        raw = {"helped_members": "4", "helped_women": "5", "support_amount": "2.000.000", "review_held": "co"}
        checked = validate_values(version=v, raw=raw, members=100)
        self.assertEqual(
            [e.expression if hasattr(e, "expression") else e.value for e in checked.errors],
            ["helped_women <= helped_members"],
        )
        raw["helped_women"] = "3"
        checked = validate_values(version=v, raw=raw, members=100)
        self.assertTrue(checked.ok, checked.errors)
        self.assertEqual(checked.values["support_per_person"], 500000)
        self.assertEqual(load_default_forms(unit=self.quangtri, by=self.alice)[0], v)  # idempotent


class IndicatorLinksTests(EnglishMixin, BaseTestCase):
    """An indicator names the plan content item and movement it reports on."""

    def setUp(self):
        super().setUp()
        from campaigns.models import Movement
        from lib.text import fold
        from reports.services.forms import form_create
        from reports.tests.factories_excel import make_plan

        self.plan = make_plan(self.dongha)
        self.movement = self.plan.plan_movements.get().movement
        self.other = Movement.objects.create(unit=self.dongha, name="Khác", name_folded=fold("Khác"))
        form = form_create(unit=self.dongha, code="sk1", name="SK", by=self.alice, plan=self.plan)
        self.version = form.versions.get()
        self.login(self.alice)

    def post(self, **link) -> object:
        row = {"code": "a", "label": "A", "kind": "integer", "rollup": "sum", **link}
        data = {
            **formset_post("sections", []),
            **formset_post("indicators", [row]),
            **formset_post("rules", []),
        }
        return self.client.post(reverse("reports:form-edit", args=[self.version.pk]), data)

    def test_editing_a_draft_sets_the_content_item_and_the_movement(self):
        page = self.client.get(reverse("reports:form-edit", args=[self.version.pk]))
        self.assertContains(
            page, f'<option value="{self.movement.pk}">{self.movement.name}</option>', html=True
        )
        self.assertNotContains(page, f'value="{self.other.pk}"')
        r = self.post(content_number=" 2.1. ", movement=str(self.movement.pk))
        self.assertEqual(r.status_code, 302)
        ind = self.version.indicators.get()
        self.assertEqual((ind.content_number, ind.movement), ("2.1", self.movement))
        page = self.client.get(reverse("reports:form-edit", args=[self.version.pk]))
        self.assertContains(page, 'value="2.1"')
        self.assertContains(
            page, f'<option value="{self.movement.pk}" selected>{self.movement.name}</option>', html=True
        )

    def test_a_movement_outside_the_plan_is_refused(self):
        r = self.post(movement=str(self.other.pk))
        self.assertEqual(r.status_code, 200)
        self.assertFalse(self.version.indicators.exists())

    def test_a_new_version_keeps_the_links(self):
        from reports.services.forms import form_publish

        self.post(content_number="2.2", movement=str(self.movement.pk))
        form_publish(version=self.version, by=self.alice)
        v2 = form_new_version(version=self.version, by=self.alice)
        ind = v2.indicators.get()
        self.assertNotEqual(ind.pk, self.version.indicators.get().pk)
        self.assertEqual((ind.content_number, ind.movement_id), ("2.2", self.movement.pk))


class DefaultFormLinksTests(BaseTestCase):
    def test_the_default_forms_link_figures_to_the_plan_items_and_movement(self):
        from campaigns.models import Movement, PlanMovement
        from lib.text import fold
        from reports.defaults import GOOD_WORKER
        from reports.tests.factories_excel import make_plan

        plan = make_plan(self.quangtri)
        plan.contents = [{"number": n, "text": n} for n in ("2.1", "2.2", "2.5")]
        plan.save(update_fields=["contents"])
        good = Movement.objects.create(unit=self.quangtri, name=GOOD_WORKER, name_folded=fold(GOOD_WORKER))
        PlanMovement.objects.create(plan=plan, movement=good, position=2)
        v = load_default_forms(unit=self.quangtri, by=self.alice, plan=plan)[0]
        links = {i.code: (i.content_number, i.movement_id) for i in v.indicators.all()}
        self.assertEqual(links["initiative_value"], ("2.1", None))
        self.assertEqual(links["pilot_models"], ("2.2", good.pk))
        self.assertEqual(links["support_amount"], ("2.5", None))
        self.assertEqual(links["assessment"], ("", None))

    def test_without_a_plan_the_default_forms_have_no_links(self):
        v = load_default_forms(unit=self.quangtri, by=self.alice)[0]
        self.assertFalse(v.indicators.exclude(content_number="").exists())
        self.assertFalse(v.indicators.filter(movement__isnull=False).exists())
