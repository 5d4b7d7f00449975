"""Upload form of a roster import."""

from pathlib import PurePath

from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from accounts.scoping import writable_units
from imports.readers import EXTENSIONS
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
        return self.units.order_by("depth", "path").only("code", "name")[:UNIT_CHOICES_LIMIT]

    def clean_unit(self) -> Unit:
        code = self.cleaned_data["unit"].strip()
        # "QT.DH - LĐLĐ thành phố Đông Hà" (picked from the list) or just "QT.DH".
        code = code.split(" - ", 1)[0].strip()
        unit = self.units.filter(code=code).first()
        if unit is None:
            raise forms.ValidationError(_("Choose a unit you may change."))
        return unit

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if PurePath(upload.name).suffix.lower() not in EXTENSIONS:
            raise forms.ValidationError(_("Use an .xlsx, .xls, .ods or .csv file."))
        limit = settings.IMPORT_MAX_UPLOAD_BYTES
        if upload.size > limit:
            raise forms.ValidationError(
                _("The file is larger than %(size)s.") % {"size": filesizeformat(limit)}
            )
        if upload.size == 0:
            raise forms.ValidationError(_("The file is empty."))
        return upload
