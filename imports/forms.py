"""Upload form of a roster import; upload and draft forms of a plan import."""

import datetime
from pathlib import PurePath

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.scoping import can_write, default_unit, writable_units
from campaigns.forms.plans import PlanForm, contents_text, lines_of
from imports.plans.extract import EXTENSIONS as PLAN_EXTENSIONS
from imports.plans.extract import MAX_TEXT_CHARS, PlanFileError, check_size
from lib import uploads
from lib.forms import UnitChoiceField
from lib.tabular import EXTENSIONS, clean_list_upload
from org import tree
from org.models import Unit

# The unit picker lists at most this many units; deeper units are chosen by code.
UNIT_CHOICES_LIMIT = 300


class ImportForm(forms.Form):
    unit = forms.CharField(
        label=_("Import into unit (code)"),
        max_length=40,
        help_text=_("Members go into this unit, or into the unit named in the “Mã đơn vị” column below it."),
    )
    file = forms.FileField(
        label=_("Roster file"),
        help_text=_("Excel (.xlsx, .xls), OpenDocument (.ods) or CSV (.csv)."),
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(EXTENSIONS)}),
    )

    def __init__(self, *args, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.units = writable_units(user=user)
        self.fields["unit"].widget.attrs.update({"list": "unit-choices", "autocomplete": "off"})

    def unit_choices(self):
        return self.units.order_by("depth", tree.tree_order()).only("code", "name")[:UNIT_CHOICES_LIMIT]

    def clean_unit(self) -> Unit:
        code = self.cleaned_data["unit"].strip()
        # "QT.DH - LĐLĐ thành phố Đông Hà" (picked from the list) or just "QT.DH".
        code = code.split(" - ", 1)[0].strip()
        unit = self.units.filter(code=code).first()
        if unit is None:
            raise forms.ValidationError(_("Choose a unit you may change."))
        return unit

    def clean_file(self):
        return clean_list_upload(self.cleaned_data["file"])


# -- plan import --------------------------------------------------------------------------------


class PlanUploadForm(forms.Form):
    """A plan file or its pasted text, and the unit whose draft it becomes."""

    file = forms.FileField(
        label=_("Plan file"),
        required=False,
        help_text=_("Word (.docx), PDF with text (.pdf) or text (.txt), up to 50 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(PLAN_EXTENSIONS)}),
    )
    text = forms.CharField(
        label=_("…or paste the plan's text"),
        required=False,
        max_length=MAX_TEXT_CHARS,
        widget=forms.Textarea(attrs={"rows": 8}),
    )

    def __init__(self, *args, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        units = writable_units(user=user)
        self.fields["unit"] = UnitChoiceField(units, label=_("Unit whose plan it is"), by_code=True)
        self.order_fields(["unit", "file", "text"])
        if "unit" not in self.initial:
            unit = default_unit(user=user)
            if unit is not None and can_write(user=user, unit=unit):
                self.initial["unit"] = unit

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if not upload:
            return None
        # The size is known from the upload's headers; the file is not read before this check.
        try:
            check_size(upload.size)
        except PlanFileError as e:
            raise forms.ValidationError(str(e))
        suffix = PurePath(upload.name).suffix.lower()
        if suffix not in PLAN_EXTENSIONS:
            raise forms.ValidationError(_("Use a Word (.docx), PDF (.pdf) or text (.txt) file."))
        uploads.check_upload(upload, kind="plan")
        return upload

    def clean(self):
        cleaned = super().clean()
        has_file = bool(cleaned.get("file"))
        has_text = bool((cleaned.get("text") or "").strip())
        if not self.errors.get("file") and not self.errors.get("text"):
            if has_file and has_text:
                raise forms.ValidationError(_("Upload a file or paste the text, not both."))
            if not has_file and not has_text:
                raise forms.ValidationError(_("Choose the plan's file or paste its text."))
        return cleaned


class PlanDraftForm(PlanForm):
    """The plan form of the campaigns pages, without its revision (the draft does not exist yet)
    and with the movements found in the text that the catalogue lacks."""

    add_movements = forms.MultipleChoiceField(
        label=_("Add these movements to the catalogue"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, movements, new_names: list[str], **kwargs) -> None:
        super().__init__(*args, movements=movements, **kwargs)
        del self.fields["revision"]
        self.fields["add_movements"].choices = [(n, n) for n in new_names]
        self.fields["new_movements"].label = _("Other new movements (one per line)")

    def new_movement_names(self) -> list[str]:
        names = list(self.cleaned_data.get("add_movements") or [])
        return names + lines_of(self.cleaned_data.get("new_movements") or "")

    @staticmethod
    def initial_from(fields: dict, movements: list) -> dict:
        return {
            **{k: v for k, v in fields.items() if k not in ("purposes", "contents", "recipients")},
            "purposes": "\n".join(fields["purposes"]),
            "contents": contents_text(fields["contents"]),
            "recipients": "\n".join(fields["recipients"]),
            "movements": [m.pk for m in movements],
        }


def draft_post_data(*, initial: dict, formsets: dict, add_movements: list[str]) -> dict:
    """The POST data a browser would send for an untouched draft page (for the command line)."""
    data: dict = {}
    for key, value in initial.items():
        if key == "movements":
            data[key] = [str(v) for v in value]
        elif isinstance(value, datetime.date):
            data[key] = value.strftime("%d/%m/%Y")
        elif value is not None:
            data[key] = str(value)
    data["add_movements"] = list(add_movements)
    for prefix, rows in formsets.items():
        data[f"{prefix}-TOTAL_FORMS"] = str(len(rows))
        data[f"{prefix}-INITIAL_FORMS"] = "0"
        for i, row in enumerate(rows):
            for key, value in row.items():
                if isinstance(value, datetime.date):
                    value = value.strftime("%d/%m/%Y")
                elif isinstance(value, list):
                    value = "\n".join(value)
                data[f"{prefix}-{i}-{key}"] = "" if value is None else str(value)
    return data
