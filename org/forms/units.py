"""Input parsing for unit pages: create, edit and the restructuring acts."""

import re

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from org.models import Member, Sector, Unit, UnitKind, UnitStatus

DATE_FORMATS = ["%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d"]
MAX_SPLIT_MEMBERS = 500


class DMYDateField(forms.DateField):
    """A date typed as dd/mm/yyyy, whatever the active language."""

    def __init__(self, **kwargs):
        kwargs.setdefault("input_formats", DATE_FORMATS)
        kwargs.setdefault(
            "widget",
            forms.DateInput(
                format="%d/%m/%Y",
                attrs={"placeholder": "dd/mm/yyyy", "inputmode": "numeric", "autocomplete": "off"},
            ),
        )
        super().__init__(**kwargs)


class UnitCodeField(forms.CharField):
    """A unit typed by its code, looked up among `queryset` (the units the user may change)."""

    def __init__(self, *, queryset: QuerySet[Unit] | None = None, **kwargs):
        self.queryset = queryset if queryset is not None else Unit.objects.none()
        kwargs.setdefault("max_length", 40)
        kwargs.setdefault("widget", forms.TextInput(attrs={"list": "unit-codes", "autocomplete": "off"}))
        super().__init__(**kwargs)

    def clean(self, value):
        code = super().clean(value).strip()
        if not code:
            return None
        unit = self.queryset.filter(code__iexact=code).first()
        if unit is None:
            raise forms.ValidationError(
                _("No active unit that you may change has the code %(code)s."), params={"code": code}
            )
        return unit


def _active_writable(queryset: QuerySet[Unit]) -> QuerySet[Unit]:
    return queryset.filter(status=UnitStatus.ACTIVE)


class RestructureForm(forms.Form):
    effective_on = DMYDateField(label=_("Effective date"))
    decision_number = forms.CharField(label=_("Decision number"), max_length=80)
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, writable: QuerySet[Unit], unit: Unit, **kwargs):
        self.writable = _active_writable(writable)
        self.unit = unit
        super().__init__(*args, **kwargs)


class UnitMoveForm(RestructureForm):
    new_parent = UnitCodeField(label=_("Code of the new parent unit"))
    field_order = ["new_parent", "effective_on", "decision_number", "note"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["new_parent"].queryset = self.writable


class UnitDissolveForm(RestructureForm):
    children_to = UnitCodeField(label=_("Units below move to (code)"), required=False)
    members_to = UnitCodeField(label=_("Members move to (code)"), required=False)
    members_leave = forms.BooleanField(
        label=_("No unit takes the members: record that they left the union"), required=False
    )
    field_order = ["children_to", "members_to", "members_leave", "effective_on", "decision_number", "note"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["children_to"].queryset = self.writable
        self.fields["members_to"].queryset = self.writable

    def clean(self):
        data = super().clean()
        if data.get("members_to") and data.get("members_leave"):
            raise forms.ValidationError(
                _("Choose a unit for the members or record that they left, not both.")
            )
        return data


class UnitMergeForm(RestructureForm):
    others = forms.CharField(
        label=_("Codes of the units merged with this one"),
        help_text=_("Separate several codes with commas or spaces."),
        widget=forms.TextInput(attrs={"list": "unit-codes", "autocomplete": "off"}),
    )
    into = forms.CharField(
        label=_("Code of the unit that remains"),
        required=False,
        help_text=_("Leave empty to create a new unit from the fields below."),
        widget=forms.TextInput(attrs={"list": "unit-codes", "autocomplete": "off"}),
    )
    new_code = forms.CharField(label=_("New unit: code"), max_length=40, required=False)
    new_name = forms.CharField(label=_("New unit: full name"), max_length=255, required=False)
    new_short_name = forms.CharField(label=_("New unit: short name"), max_length=120, required=False)
    new_kind = forms.ChoiceField(
        label=_("New unit: kind"), choices=[("", "---------"), *UnitKind.choices], required=False
    )
    field_order = [
        "others",
        "into",
        "new_code",
        "new_name",
        "new_short_name",
        "new_kind",
        "effective_on",
        "decision_number",
        "note",
    ]

    def clean_others(self) -> list[Unit]:
        codes = [c for c in re.split(r"[\s,;]+", self.cleaned_data["others"]) if c]
        units, missing = [], []
        for code in dict.fromkeys(codes):
            unit = self.writable.filter(code__iexact=code).first()
            if unit is None:
                missing.append(code)
            elif unit.pk != self.unit.pk:
                units.append(unit)
        if missing:
            raise forms.ValidationError(
                _("No active unit that you may change has the code %(codes)s."),
                params={"codes": ", ".join(missing)},
            )
        if not units:
            raise forms.ValidationError(_("Name at least one other unit."))
        return units

    def clean(self):
        data = super().clean()
        others = data.get("others") or []
        into_code = (data.get("into") or "").strip()
        data["into_unit"] = None
        data["new_unit"] = None
        if into_code:
            candidates = [self.unit, *others]
            match = [u for u in candidates if u.code.lower() == into_code.lower()]
            if not match:
                self.add_error("into", _("The unit that remains must be one of the merged units."))
            else:
                data["into_unit"] = match[0]
        else:
            for key in ("new_code", "new_name", "new_kind"):
                if not data.get(key):
                    self.add_error(key, _("Required when no existing unit remains."))
            if data.get("new_code") and Unit.objects.filter(code__iexact=data["new_code"].strip()).exists():
                self.add_error("new_code", _("A unit with this code already exists."))
            data["new_unit"] = {
                "code": data.get("new_code", ""),
                "name": data.get("new_name", ""),
                "short_name": data.get("new_short_name", ""),
                "kind": data.get("new_kind", ""),
                "sector": self.unit.sector,
            }
        return data


class UnitSplitForm(RestructureForm):
    """Parts are numbered 1..n; each unit below and each member picks the part it goes to."""

    def __init__(self, *args, parts: int = 2, children: list[Unit], members: list[Member], **kwargs):
        super().__init__(*args, **kwargs)
        self.part_count = parts
        self.children = children
        self.members = members[:MAX_SPLIT_MEMBERS]
        self.members_truncated = len(members) > MAX_SPLIT_MEMBERS
        choices = [(str(i), _("New unit %(n)s") % {"n": i}) for i in range(1, parts + 1)]
        for i in range(1, parts + 1):
            self.fields[f"part{i}_code"] = forms.CharField(label=_("Code"), max_length=40)
            self.fields[f"part{i}_name"] = forms.CharField(label=_("Full name"), max_length=255)
            self.fields[f"part{i}_short_name"] = forms.CharField(
                label=_("Short name"), max_length=120, required=False
            )
            self.fields[f"part{i}_kind"] = forms.ChoiceField(
                label=_("Kind"), choices=UnitKind.choices, initial=self.unit.kind
            )
        for child in self.children:
            self.fields[f"child_{child.pk}"] = forms.ChoiceField(
                label=child.name, choices=choices, initial="1", required=False
            )
        for member in self.members:
            self.fields[f"member_{member.pk}"] = forms.ChoiceField(
                label=member.full_name, choices=choices, initial="1", required=False
            )

    def part_fields(self) -> list[list]:
        return [
            [self[f"part{i}_{k}"] for k in ("code", "name", "short_name", "kind")]
            for i in range(1, self.part_count + 1)
        ]

    def act_fields(self) -> list:
        return [self[name] for name in ("effective_on", "decision_number", "note")]

    def child_fields(self) -> list:
        return [self[f"child_{c.pk}"] for c in self.children]

    def member_fields(self) -> list:
        return [self[f"member_{m.pk}"] for m in self.members]

    def clean(self):
        data = super().clean()
        codes = [(data.get(f"part{i}_code") or "").strip().lower() for i in range(1, self.part_count + 1)]
        for i, code in enumerate(codes, start=1):
            if not code:
                continue
            if codes.count(code) > 1 or Unit.objects.filter(code__iexact=code).exists():
                self.add_error(f"part{i}_code", _("A unit with this code already exists."))
        return data

    def parts(self) -> list[dict]:
        data = self.cleaned_data
        parts = []
        for i in range(1, self.part_count + 1):
            parts.append(
                {
                    "code": data[f"part{i}_code"],
                    "name": data[f"part{i}_name"],
                    "short_name": data.get(f"part{i}_short_name", ""),
                    "kind": data[f"part{i}_kind"],
                    "sector": self.unit.sector,
                    "address": self.unit.address,
                    "children": [c for c in self.children if data.get(f"child_{c.pk}") == str(i)],
                    "members": [m for m in self.members if data.get(f"member_{m.pk}") == str(i)],
                }
            )
        return parts


class UnitCreateForm(forms.Form):
    code = forms.CharField(label=_("Code"), max_length=40)
    name = forms.CharField(label=_("Full name"), max_length=255)
    short_name = forms.CharField(label=_("Short name"), max_length=120, required=False)
    kind = forms.ChoiceField(label=_("Kind"), choices=UnitKind.choices)
    sector = forms.ChoiceField(
        label=_("Sector"), choices=[("", "---------"), *Sector.choices], required=False
    )
    address = forms.CharField(label=_("Address"), max_length=255, required=False)
    established_on = DMYDateField(label=_("Established on"), required=False)
    decision_number = forms.CharField(label=_("Decision number"), max_length=80, required=False)

    def clean_code(self) -> str:
        code = self.cleaned_data["code"].strip()
        if Unit.objects.filter(code__iexact=code).exists():
            raise forms.ValidationError(_("A unit with this code already exists."))
        return code


class UnitEditForm(forms.Form):
    name = forms.CharField(label=_("Full name"), max_length=255)
    short_name = forms.CharField(label=_("Short name"), max_length=120, required=False)
    sector = forms.ChoiceField(
        label=_("Sector"), choices=[("", "---------"), *Sector.choices], required=False
    )
    address = forms.CharField(label=_("Address"), max_length=255, required=False)


class AsOfForm(forms.Form):
    on = DMYDateField(label=_("Date"), required=False)
