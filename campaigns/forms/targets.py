"""Input forms for pilot models, their photos and contest entries (parsing only)."""

from __future__ import annotations

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from campaigns.models import Movement, PilotModel, Plan
from lib.forms import UnitChoiceField
from org import tree
from org.models import Unit

DATE_WIDGET = forms.DateInput(format="%d/%m/%Y", attrs={"placeholder": "dd/mm/yyyy", "inputmode": "numeric"})


def plan_movements(plan: Plan) -> QuerySet[Movement]:
    """The plan's movements, else the active movements kept by the issuing unit or above it."""
    chosen = Movement.objects.filter(plans=plan)
    if chosen.exists():
        return chosen
    return Movement.objects.filter(
        tree.ancestors_q(plan.unit, field="unit", include_self=True), is_active=True
    )


class BootstrapMixin:
    """Bootstrap classes on every widget, large enough to tap on a phone."""

    def style(self) -> None:
        for f in self.fields.values():
            widget = f.widget
            if isinstance(widget, forms.Select):
                widget.attrs.setdefault("class", "form-select form-select-lg")
            else:
                widget.attrs.setdefault("class", "form-control form-control-lg")


class _PlanRecordForm(BootstrapMixin, forms.Form):
    def __init__(self, *args, units: QuerySet[Unit], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"] = UnitChoiceField(units, label=_("Unit"))
        self.order_fields(["unit"])
        first_two = list(units[:2])
        if len(first_two) == 1:
            self.fields["unit"].initial = first_two[0].pk
        self.style()


class PilotModelForm(_PlanRecordForm):
    name = forms.CharField(label=_("Name"), max_length=255)
    movement = forms.ModelChoiceField(label=_("Movement"), queryset=Movement.objects.none(), required=False)
    description = forms.CharField(
        label=_("Description"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    status = forms.ChoiceField(
        label=_("Status"), choices=PilotModel.Status.choices, initial=PilotModel.Status.PLANNED
    )
    started_on = forms.DateField(label=_("Started on"), widget=DATE_WIDGET, required=False)

    def __init__(self, *args, plan: Plan, units: QuerySet[Unit], edit: bool = False, **kwargs):
        super().__init__(*args, units=units, **kwargs)
        self.fields["movement"].queryset = plan_movements(plan)
        if edit:  # the unit and status are not changed from the edit page
            del self.fields["unit"]
            del self.fields["status"]
        self.style()


class PilotStatusForm(BootstrapMixin, forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=PilotModel.Status.choices)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.style()


class PilotPhotoForm(BootstrapMixin, forms.Form):
    image = forms.FileField(
        label=_("Photo"),
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp,image/gif"}),
    )
    caption = forms.CharField(label=_("Caption"), max_length=255, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.style()


class ContestEntryForm(_PlanRecordForm):
    title = forms.CharField(label=_("Title"), max_length=500)
    authors = forms.CharField(label=_("Authors"), max_length=500, required=False)
    submitted_on = forms.DateField(label=_("Submitted on"), widget=DATE_WIDGET, required=False)
