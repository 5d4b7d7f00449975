"""Forms of the register: the search filters (also used by the statistics and the export) and
the upload of an old register."""

from __future__ import annotations

from django import forms
from django.core.validators import MaxValueValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.scoping import visible_units, writable_units
from awards.models import AwardRecord
from awards.selectors.register import COLLECTIVE, NO_LEVEL, PERSON, RegisterFilters, visible_awards
from lib.forms import UnitChoiceField
from lib.tabular import EXTENSIONS, clean_list_upload
from org.models import Sector, Sex, UnitLevel

FIRST_YEAR = 1945


class RegisterFilterForm(forms.Form):
    """Filters of a register search. Values that do not parse are dropped (the page shows the
    field's error); a unit outside the user's subtree makes the view answer 404."""

    q = forms.CharField(label=_("Name"), max_length=100, required=False)
    award = forms.ModelChoiceField(
        queryset=None, label=_("Award"), required=False, empty_label=_("Any award")
    )
    year_from = forms.IntegerField(label=_("From year"), required=False, min_value=FIRST_YEAR)
    year_to = forms.IntegerField(label=_("To year"), required=False, min_value=FIRST_YEAR)
    kind = forms.ChoiceField(
        label=_("Recipient"),
        required=False,
        choices=[("", _("Persons and collectives")), (PERSON, _("Persons")), (COLLECTIVE, _("Collectives"))],
    )
    level = forms.ChoiceField(label=_("Issuing level"), required=False)
    sector = forms.ChoiceField(
        label=_("Sector"), required=False, choices=[("", _("Any sector")), *Sector.choices]
    )
    sex = forms.ChoiceField(label=_("Sex"), required=False, choices=[("", _("Any sex")), *Sex.choices])
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("Any status")), *AwardRecord.Status.choices]
    )

    def __init__(self, *args, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["award"].queryset = visible_awards(user=user)
        self.fields["level"].choices = [
            ("", _("Any level")),
            *[(str(value), label) for value, label in UnitLevel.choices],
            (NO_LEVEL, _("Outside the union or not recorded")),
        ]
        self.fields["unit"] = UnitChoiceField(
            visible_units(user=user),
            label=_("Unit (and the units below it)"),
            required=False,
            by_code=True,
            empty_label=_("All my units"),
            invalid_message=_("Choose a unit you may see."),
        )
        last = timezone.localdate().year
        for name in ("year_from", "year_to"):
            self.fields[name].validators.append(MaxValueValidator(last))
            self.fields[name].widget.attrs.update({"min": FIRST_YEAR, "max": last})
        _style(self)

    def filters(self) -> RegisterFilters:
        """The valid filters (the form must have been validated)."""
        data = {name: value for name, value in self.cleaned_data.items() if value not in (None, "")}
        data["q"] = (data.get("q") or "").strip()
        return RegisterFilters(**data)

    @property
    def unit_refused(self) -> bool:
        return self.is_bound and "unit" in self.errors


def _style(form: forms.Form) -> None:
    """Bootstrap classes on every widget (the templates render fields one by one)."""
    for field in form.fields.values():
        widget = field.widget
        css = "form-select" if isinstance(widget, forms.Select) else "form-control"
        widget.attrs.setdefault("class", css)


class RegisterImportForm(forms.Form):
    """An old register file and the unit it belongs to (a unit the officer may change)."""

    file = forms.FileField(
        label=_("Register file"),
        help_text=_("Excel (.xlsx, .xls), OpenDocument (.ods) or CSV (.csv)."),
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(EXTENSIONS)}),
    )

    def __init__(self, *args, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"] = UnitChoiceField(
            writable_units(user=user),
            label=_("Register of unit"),
            help_text=_("Units named in the “Đơn vị” column must lie within this unit."),
        )
        self.order_fields(["unit", "file"])
        _style(self)

    def clean_file(self):
        return clean_list_upload(self.cleaned_data["file"])
