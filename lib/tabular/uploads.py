"""The check a list upload (roster, award register) passes in its form: a list file's extension,
the size limit, not empty, then the upload gate (lib.uploads) on its content."""

from __future__ import annotations

from pathlib import PurePath

from django import forms
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from lib import uploads
from lib.tabular.readers import EXTENSIONS


def clean_list_upload(upload: UploadedFile) -> UploadedFile:
    """The upload, or forms.ValidationError saying why it cannot be imported."""
    if PurePath(upload.name).suffix.lower() not in EXTENSIONS:
        raise forms.ValidationError(_("Use an .xlsx, .xls, .ods or .csv file."))
    limit = settings.IMPORT_MAX_UPLOAD_BYTES
    if upload.size > limit:
        raise forms.ValidationError(_("The file is larger than %(size)s.") % {"size": filesizeformat(limit)})
    if upload.size == 0:
        raise forms.ValidationError(_("The file is empty."))
    uploads.check_upload(upload, kind="sheet")
    return upload
