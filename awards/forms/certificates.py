"""Forms of the certificate pages: a decision's batch, a blank layout, the public code lookup."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from accounts.scoping import writable_units
from awards.models import BlankLayout, CertificateBatch
from awards.services import certificates as cs
from awards.services.certificate_batches import clean_blank_fields
from org import tree

# The unit picker lists at most this many units; deeper units are typed by code.
UNIT_CHOICES_LIMIT = 300

FIELD_LABELS = {
    "name": _("Recipient's name"),
    "position_unit": _("Position and unit"),
    "achievement": _("Achievement"),
    "place_date": _("Place and date"),
    "decision_number": _("Decision number"),
    "signer_name": _("Signer's name"),
    "qr": _("QR code and short code"),
}
ALIGN_CHOICES = [("left", _("Left")), ("center", _("Centre")), ("right", _("Right"))]
LAYOUT_VALUES = ("name", "page_width_mm", "page_height_mm", "offset_x_mm", "offset_y_mm", "fields")


class BatchForm(forms.Form):
    format = forms.ChoiceField(
        label=_("File"), choices=CertificateBatch.Format.choices, initial=CertificateBatch.Format.MERGED
    )
    layout = forms.ChoiceField(
        label=_("Print"), choices=CertificateBatch.Layout.choices, initial=CertificateBatch.Layout.FULL
    )
    blank = forms.ModelChoiceField(
        label=_("Blank layout"), queryset=BlankLayout.objects.none(), required=False
    )

    def __init__(self, *args, layouts, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["blank"].queryset = layouts

    def clean(self):
        data = super().clean()
        if data.get("layout") == CertificateBatch.Layout.BLANK and not data.get("blank"):
            self.add_error("blank", _("Choose the blank layout to print on."))
        return data


def _mm(label, **extra) -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        max_digits=6,
        decimal_places=1,
        min_value=Decimal(-1000),
        max_value=Decimal(1000),
        **extra,
    )


class BlankLayoutForm(forms.Form):
    """A layout's page, offsets and, per field, whether it prints and where (mm from the
    top-left corner; y is the baseline of the text)."""

    unit = forms.CharField(label=_("Unit (code)"), max_length=40)
    name = forms.CharField(label=_("Name"), max_length=120)
    page_width_mm = _mm(_("Page width (mm)"), initial=Decimal("297"))
    page_height_mm = _mm(_("Page height (mm)"), initial=Decimal("210"))
    offset_x_mm = _mm(_("Shift right (mm)"), initial=Decimal("0"))
    offset_y_mm = _mm(_("Shift down (mm)"), initial=Decimal("0"))

    def __init__(self, *args, user, layout: BlankLayout | None = None, **kwargs) -> None:
        self.layout = layout
        spec = cs.blank_fields(layout) if layout else cs.BLANK_DEFAULTS
        if layout is not None:
            kwargs.setdefault(
                "initial",
                {
                    "name": layout.name,
                    "page_width_mm": layout.page_width_mm,
                    "page_height_mm": layout.page_height_mm,
                    "offset_x_mm": layout.offset_x_mm,
                    "offset_y_mm": layout.offset_y_mm,
                },
            )
        super().__init__(*args, **kwargs)
        self.units = writable_units(user=user)
        if layout is not None:
            del self.fields["unit"]  # a layout stays with its unit
        else:
            self.fields["unit"].widget.attrs.update({"list": "unit-choices", "autocomplete": "off"})
        for key in cs.BLANK_FIELDS:
            s = spec[key]
            self.fields[f"{key}_show"] = forms.BooleanField(
                label=_("Print"), required=False, initial=s["show"]
            )
            self.fields[f"{key}_x"] = _mm("x", initial=s["x"])
            self.fields[f"{key}_y"] = _mm("y", initial=s["y"])
            self.fields[f"{key}_size"] = forms.DecimalField(
                label=_("Size"), max_digits=4, decimal_places=1, min_value=4, max_value=72, initial=s["size"]
            )
            self.fields[f"{key}_align"] = forms.ChoiceField(
                label=_("Alignment"), choices=ALIGN_CHOICES, initial=s["align"]
            )
            self.fields[f"{key}_width"] = _mm(_("Width"), initial=s["width"], required=False)

    def unit_choices(self):
        return self.units.order_by("depth", tree.tree_order()).only("code", "name")[:UNIT_CHOICES_LIMIT]

    def page_fields(self):
        return [self[name] for name in ("page_width_mm", "page_height_mm", "offset_x_mm", "offset_y_mm")]

    def field_rows(self) -> list[dict]:
        """One row per printed field, for the positions table."""
        return [
            {
                "key": key,
                "label": FIELD_LABELS[key],
                "show": self[f"{key}_show"],
                "numbers": [self[f"{key}_{part}"] for part in ("x", "y", "size")],
                "align": self[f"{key}_align"],
                "width": self[f"{key}_width"],
            }
            for key in cs.BLANK_FIELDS
        ]

    def clean_unit(self):
        code = self.cleaned_data["unit"].strip().split(" - ", 1)[0].strip()
        unit = self.units.filter(code=code).first()
        if unit is None:
            raise ValidationError(_("Choose a unit you may change."))
        return unit

    def clean(self):
        data = super().clean()
        fields = {}
        for key in cs.BLANK_FIELDS:
            parts = {p: data.get(f"{key}_{p}") for p in ("show", "x", "y", "size", "align", "width")}
            if any(parts[p] is None for p in ("x", "y", "size")):
                continue  # the field's own error is shown
            fields[key] = {**parts, "width": parts["width"] or 0}
        if len(fields) == len(cs.BLANK_FIELDS):
            try:
                data["fields"] = clean_blank_fields(fields)
            except ValidationError as exc:
                raise ValidationError(exc.messages) from exc
        for key in ("page_width_mm", "page_height_mm"):
            if data.get(key) is not None and data[key] <= 0:
                self.add_error(key, _("The page must be larger than zero."))
        return data

    def layout_values(self) -> dict:
        """The cleaned values the layout services take (the unit is passed on its own)."""
        return {key: self.cleaned_data[key] for key in LAYOUT_VALUES}


class VerifyForm(forms.Form):
    code = forms.CharField(
        label=_("Verification code"),
        max_length=40,
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}
        ),
    )

    def clean_code(self) -> str:
        code = cs.normalise_code(self.cleaned_data["code"])
        if not code:
            raise ValidationError(_("Type the code printed under the QR code."))
        return code
