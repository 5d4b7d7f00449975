"""Input parsing for the eligibility pages: the year looked at, "who is eligible" (award, unit,
year) and the evidence conditions read (initiatives, periods of union service)."""

from __future__ import annotations

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from awards.forms.catalogue import LEVELS, style
from awards.models import Award, ServicePeriod
from lib.forms import UnitChoiceField
from org.forms.members import date_field
from org.models import Unit

FIRST_YEAR, LAST_YEAR = 1950, 2100


def year_field(**kwargs) -> forms.IntegerField:
    return forms.IntegerField(label=_("Year"), min_value=FIRST_YEAR, max_value=LAST_YEAR, **kwargs)


def year_from(value: str | None) -> int:
    """The year asked for in a query string, else the current one."""
    this_year = timezone.localdate().year
    try:
        year = int(value or this_year)
    except ValueError:
        return this_year
    return year if FIRST_YEAR <= year <= LAST_YEAR else this_year


class EligibleListForm(forms.Form):
    """Who is eligible: an award of the user's catalogue, a unit of their subtree, a year."""

    award = forms.ModelChoiceField(queryset=Award.objects.none(), label=_("Award"))
    year = year_field()

    def __init__(self, *args, awards: QuerySet[Award], units: QuerySet[Unit], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["award"].queryset = awards.order_by("position", "name")
        self.fields["unit"] = UnitChoiceField(
            units, label=_("Unit (with its units below)"), invalid_message=_("Choose a unit you may see.")
        )
        self.order_fields(["award", "unit", "year"])
        style(self)


class InitiativeForm(forms.Form):
    title = forms.CharField(label=_("Initiative title"), max_length=500)
    year = year_field()
    scope_level = forms.TypedChoiceField(label=_("Effect at level"), choices=LEVELS, coerce=int)
    recognised_by = forms.CharField(label=_("Recognised by"), max_length=255, required=False)
    decision_number = forms.CharField(label=_("Recognition decision"), max_length=80, required=False)
    value = forms.IntegerField(
        label=_("Proven yearly value (đồng)"),
        min_value=0,
        required=False,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style(self)


class ServicePeriodForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of work"), choices=ServicePeriod.Kind.choices)
    start = date_field(_("From"), required=True)
    end = date_field(_("To"))
    position = forms.CharField(label=_("Position held"), max_length=255, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["end"].help_text = _("Empty: still serving.")
        style(self)
