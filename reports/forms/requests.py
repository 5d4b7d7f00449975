"""Input of the request pages."""

from django import forms
from django.utils.translation import gettext_lazy as _

from org.models import UnitLevel


class RequestCreateForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("Requested by"), queryset=None)
    version = forms.ModelChoiceField(label=_("Form"), queryset=None)
    title = forms.CharField(label=_("Title"), max_length=255)
    period = forms.CharField(label=_("Period"), max_length=120, required=False)
    unit_level = forms.TypedChoiceField(
        label=_("Units of level"),
        choices=[("", _("— the units listed below —")), *UnitLevel.choices[1:]],
        coerce=int,
        empty_value=None,
        required=False,
    )
    unit_codes = forms.CharField(
        label=_("Or these units (codes, one a line)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )
    due_on = forms.DateField(label=_("Due date"), input_formats=["%d/%m/%Y", "%Y-%m-%d"])
    remind_days_before = forms.IntegerField(
        label=_("Remind days before"), min_value=0, max_value=60, initial=3
    )

    def __init__(self, *args, units, versions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        self.fields["version"].queryset = versions
        self.fields["version"].label_from_instance = lambda v: f"{v.form.name} (v{v.number})"

    def clean(self):
        data = super().clean()
        codes = [c.strip() for c in (data.get("unit_codes") or "").splitlines() if c.strip()]
        data["codes"] = codes
        if data.get("unit_level") is None and not codes:
            raise forms.ValidationError(_("Choose a level of units or list their codes."))
        return data
