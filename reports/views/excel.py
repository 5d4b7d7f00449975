"""Download a report form as .xlsx to fill offline, and upload it back."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from accounts.scoping import get_for_user
from lib.downloads import content_disposition
from org.models import Unit
from reports.models import Report, ReportRequest
from reports.xlsx import MAX_UPLOAD_BYTES, XLSX_TYPE, form_xlsx, report_upload_xlsx

REQUEST_RELATED = ("version__form", "unit")


class UploadForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("Filled-in form (.xlsx)"))
    submit = forms.BooleanField(
        required=False, label=gettext_lazy("Submit the report to the upper level after saving")
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                _("The file is larger than %(mb)s MB.") % {"mb": MAX_UPLOAD_BYTES // (1024 * 1024)}
            )
        return upload


def _target(
    request: HttpRequest, *, pk: int | None, request_pk: int | None, unit_pk: int | None, write: bool
) -> tuple[ReportRequest, Unit, Report | None]:
    """(report request, unit, report or None) from a report id or a request id and a unit id."""
    if pk is not None:
        related = [f"request__{r}" for r in REQUEST_RELATED] + ["unit"]
        report = get_for_user(Report.objects.select_related(*related), request.user, pk=pk, write=write)
        return report.request, report.unit, report
    unit = get_for_user(Unit, request.user, pk=unit_pk, write=write)
    # Only a request actually sent to that unit; the unit being in scope makes it visible.
    report_request = get_object_or_404(
        ReportRequest.objects.select_related(*REQUEST_RELATED), pk=request_pk, recipient_rows__unit=unit
    )
    return report_request, unit, Report.objects.filter(request=report_request, unit=unit).first()


@require_GET
@login_required
def report_xlsx(
    request: HttpRequest, pk: int | None = None, request_pk: int | None = None, unit_pk: int | None = None
) -> HttpResponse:
    report_request, unit, report = _target(
        request, pk=pk, request_pk=request_pk, unit_pk=unit_pk, write=False
    )
    data = form_xlsx(request=report_request, unit=unit, report=report)
    response = HttpResponse(data, content_type=XLSX_TYPE)
    name = f"Báo cáo {report_request.version.form.code} {unit.code} yc{report_request.pk}.xlsx"
    response["Content-Disposition"] = content_disposition(name)
    return response


@require_http_methods(["GET", "POST"])
@login_required
def report_xlsx_upload(
    request: HttpRequest, pk: int | None = None, request_pk: int | None = None, unit_pk: int | None = None
) -> HttpResponse:
    report_request, unit, report = _target(request, pk=pk, request_pk=request_pk, unit_pk=unit_pk, write=True)
    form = UploadForm(request.POST or None, request.FILES or None)
    errors = []
    if request.method == "POST" and form.is_valid():
        upload = report_upload_xlsx(
            request=report_request,
            unit=unit,
            data=form.cleaned_data["file"].read(),
            by=request.user,
            submit=form.cleaned_data["submit"],
        )
        if upload.ok:
            report = upload.version.report
            messages.success(request, _("The figures from the file have been saved."))
            try:
                return redirect(reverse("reports:report-detail", kwargs={"pk": report.pk}))
            except NoReverseMatch:
                return redirect("reports:report-xlsx-upload", pk=report.pk)
        errors = upload.errors
    if pk is not None:
        download = reverse("reports:report-xlsx", kwargs={"pk": pk})
    else:
        download = reverse("reports:report-xlsx", kwargs={"request_pk": request_pk, "unit_pk": unit_pk})
    return render(
        request,
        "reports/excel_upload.html",
        {
            "report_request": report_request,
            "unit": unit,
            "report": report,
            "form": form,
            "errors": errors,
            "download_url": download,
        },
        status=400 if request.method == "POST" and (errors or form.errors) else 200,
    )
