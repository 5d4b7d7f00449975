"""Input parsing for member pages: create/edit, move, status. Saving is done by org.services.members."""

from __future__ import annotations

import datetime
import re

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from lib.forms import UnitChoiceField
from lib.text import clean, digits
from org.models import Member, MemberStatus, Sex, Unit
from org.validators import cccd_error, cccd_taken_message

DATE_WIDGET_ATTRS = {"placeholder": "dd/mm/yyyy", "inputmode": "numeric", "autocomplete": "off"}
_PHONE_CHARS = re.compile(r"^[\d\s+().-]*$")


def date_field(label: str, *, required: bool = False) -> forms.DateField:
    """A date typed as dd/mm/yyyy (DATE_INPUT_FORMATS also take dd-mm-yyyy and yyyy-mm-dd)."""
    return forms.DateField(
        label=label,
        required=required,
        widget=forms.DateInput(format="%d/%m/%Y", attrs=DATE_WIDGET_ATTRS),
    )


def _style(form: forms.Form) -> None:
    """Bootstrap classes, large enough to tap on a phone, and test ids on every input."""
    for name, field in form.fields.items():
        widget = field.widget
        if isinstance(widget, forms.RadioSelect):
            continue
        css = (
            "form-select form-select-lg"
            if isinstance(widget, forms.Select)
            else "form-control form-control-lg"
        )
        widget.attrs.setdefault("class", css)
        widget.attrs.setdefault("data-testid", f"field-{name}")


class MemberForm(forms.Form):
    """A member's own fields; `unit` only when creating."""

    unit = forms.ModelChoiceField(queryset=Unit.objects.none(), label=_("Unit"))
    full_name = forms.CharField(label=_("Full name"), max_length=150)
    date_of_birth = date_field(_("Date of birth"))
    sex = forms.ChoiceField(label=_("Sex"), choices=Sex.choices, widget=forms.RadioSelect)
    cccd = forms.CharField(
        label=_("Citizen ID (CCCD)"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )
    phone = forms.CharField(
        label=_("Phone"), max_length=20, required=False, widget=forms.TextInput(attrs={"inputmode": "tel"})
    )
    position = forms.CharField(label=_("Position"), max_length=150, required=False)
    ethnicity = forms.CharField(label=_("Ethnicity"), max_length=50, required=False)
    joined_on = date_field(_("Joined the union on"))
    card_number = forms.CharField(label=_("Member card number"), max_length=30, required=False)

    def __init__(self, *args, units: QuerySet[Unit] | None = None, member: Member | None = None, **kwargs):
        self.member = member
        super().__init__(*args, **kwargs)
        if units is None:
            del self.fields["unit"]
        else:
            self.fields["unit"] = UnitChoiceField(units, label=_("Unit"))
        _style(self)

    def clean_full_name(self) -> str:
        name = clean(self.cleaned_data["full_name"])
        if not name:
            raise forms.ValidationError(_("Enter the member's full name."))
        return name

    def clean_cccd(self) -> str:
        raw = self.cleaned_data["cccd"]
        if not raw.strip():
            return ""
        if not re.fullmatch(r"[\d\s.]+", raw):
            raise forms.ValidationError(_("A CCCD has exactly 12 digits."))
        value = digits(raw)
        error = cccd_error(value)
        if error:
            raise forms.ValidationError(error)
        clash = Member.objects.filter(cccd=value)
        if self.member is not None:
            clash = clash.exclude(pk=self.member.pk)
        if clash.exists():
            raise forms.ValidationError(cccd_taken_message())
        return value

    def clean_phone(self) -> str:
        raw = self.cleaned_data["phone"].strip()
        if not raw:
            return ""
        number = digits(raw)
        if not _PHONE_CHARS.match(raw) or not 9 <= len(number) <= 12:
            raise forms.ValidationError(_("Enter a phone number of 9 to 12 digits."))
        if raw.startswith("+84"):
            number = "0" + number[2:]
        return number

    def clean_date_of_birth(self) -> datetime.date | None:
        value = self.cleaned_data["date_of_birth"]
        if value and not datetime.date(1900, 1, 1) <= value <= datetime.date.today():
            raise forms.ValidationError(_("Enter a date of birth between 1900 and today."))
        return value

    def clean_joined_on(self) -> datetime.date | None:
        value = self.cleaned_data["joined_on"]
        if value and value > datetime.date.today():
            raise forms.ValidationError(_("The joining date cannot be in the future."))
        return value

    def clean(self) -> dict:
        data = super().clean()
        born, joined = data.get("date_of_birth"), data.get("joined_on")
        if born and joined and joined < born:
            self.add_error("joined_on", _("The joining date is before the date of birth."))
        return data

    def member_data(self) -> dict:
        """The cleaned fields the member services take (everything but `unit`)."""
        return {k: v for k, v in self.cleaned_data.items() if k != "unit"}

    @staticmethod
    def initial_for(member: Member) -> dict:
        return {
            "full_name": member.full_name,
            "date_of_birth": member.date_of_birth,
            "sex": member.sex,
            "cccd": member.cccd or "",
            "phone": member.phone,
            "position": member.position,
            "ethnicity": member.ethnicity,
            "joined_on": member.joined_on,
            "card_number": member.card_number,
        }


class MemberMoveForm(forms.Form):
    to_unit = forms.ModelChoiceField(queryset=Unit.objects.none(), label=_("Move to unit"))
    moved_on = date_field(_("Moved on"), required=True)
    reason = forms.CharField(label=_("Reason"), max_length=255, required=False)

    def __init__(self, *args, member: Member, units: QuerySet[Unit], **kwargs):
        self.member = member
        super().__init__(*args, **kwargs)
        self.fields["to_unit"] = UnitChoiceField(units.exclude(pk=member.unit_id), label=_("Move to unit"))
        _style(self)

    def clean_moved_on(self) -> datetime.date:
        value = self.cleaned_data["moved_on"]
        if value > datetime.date.today():
            raise forms.ValidationError(_("The date cannot be in the future."))
        return value


class MemberStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=MemberStatus.choices, widget=forms.RadioSelect)
    on = date_field(_("Date"), required=True)

    def __init__(self, *args, member: Member, **kwargs):
        self.member = member
        super().__init__(*args, **kwargs)
        _style(self)

    def clean_status(self) -> str:
        value = self.cleaned_data["status"]
        if value == self.member.status:
            raise forms.ValidationError(_("The member already has this status."))
        return value

    def clean_on(self) -> datetime.date:
        value = self.cleaned_data["on"]
        if value > datetime.date.today():
            raise forms.ValidationError(_("The date cannot be in the future."))
        return value
