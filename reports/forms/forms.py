"""Input of the report form pages: create a form, and the formsets of a draft version."""

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from campaigns.models import Movement, PlanMovement
from reports.models import Indicator


class FormCreateForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("Kept by"), queryset=None)
    code = forms.SlugField(label=_("Code"), max_length=40)
    name = forms.CharField(label=_("Name"), max_length=255)
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100, required=False)
    description = forms.CharField(
        label=_("Description"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units


class SectionForm(forms.Form):
    title = forms.CharField(label=_("Section title"), max_length=255)


class IndicatorForm(forms.Form):
    section = forms.IntegerField(label=_("Section no."), min_value=1, required=False)
    code = forms.SlugField(label=_("Code"), max_length=60)
    label = forms.CharField(label=_("Label"), max_length=500)
    kind = forms.ChoiceField(label=_("Type"), choices=Indicator.Kind.choices)
    unit_of_measure = forms.CharField(label=_("Unit of measure"), max_length=40, required=False)
    rollup = forms.ChoiceField(label=_("Roll-up"), choices=Indicator.Rollup.choices)
    required = forms.BooleanField(label=_("Required"), required=False)
    min_value = forms.DecimalField(label=_("Minimum"), max_digits=20, decimal_places=2, required=False)
    max_value = forms.DecimalField(label=_("Maximum"), max_digits=20, decimal_places=2, required=False)
    at_most_members = forms.BooleanField(label=_("≤ members"), required=False)
    formula = forms.CharField(label=_("Formula"), max_length=500, required=False)
    content_number = forms.CharField(
        label=_("Plan content item"), max_length=20, required=False, help_text=_("e.g. 2.1")
    )
    movement = forms.ModelChoiceField(label=_("Movement"), queryset=Movement.objects.none(), required=False)

    def __init__(self, *args, movements=None, **kwargs):
        super().__init__(*args, **kwargs)
        if movements is not None:
            self.fields["movement"].queryset = movements

    def clean_content_number(self) -> str:
        return self.cleaned_data["content_number"].strip().rstrip(".")


class RuleForm(forms.Form):
    expression = forms.CharField(label=_("Rule"), max_length=500)
    message = forms.CharField(label=_("Message when it fails"), max_length=500)


SectionFormSet = forms.formset_factory(SectionForm, extra=1, can_delete=True)
IndicatorFormSet = forms.formset_factory(IndicatorForm, extra=1, can_delete=True)
RuleFormSet = forms.formset_factory(RuleForm, extra=1, can_delete=True)


def kept(formset) -> list[dict]:
    """Rows of a valid formset that were filled in and not removed."""
    return [
        {k: v for k, v in f.cleaned_data.items() if k != "DELETE"}
        for f in formset.forms
        if f.cleaned_data and not f.cleaned_data.get("DELETE")
    ]


def plan_movements(plan_id: int | None) -> QuerySet[Movement]:
    """The movements an indicator may report on: those of the form's plan (none without a plan)."""
    if plan_id is None:
        return Movement.objects.none()
    return Movement.objects.filter(pk__in=PlanMovement.objects.filter(plan_id=plan_id).values("movement_id"))


def formsets_for(*, data=None, initial=None, plan_id: int | None = None) -> dict:
    initial = initial or ([], [], [])
    return {
        "sections": SectionFormSet(data, prefix="sections", initial=None if data else initial[0]),
        "indicators": IndicatorFormSet(
            data,
            prefix="indicators",
            initial=None if data else initial[1],
            form_kwargs={"movements": plan_movements(plan_id)},
        ),
        "rules": RuleFormSet(data, prefix="rules", initial=None if data else initial[2]),
    }
