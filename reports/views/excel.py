"""Download a report form as .xlsx to fill offline, and upload it back."""

from __future__ import annotations

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from accounts.scoping import get_for_user
from imports.models import UploadJob
from imports.upload_jobs import failed_job, upload_job_create
from lib.downloads import content_disposition
from org.models import Unit
from reports.models import Report, ReportRequest
from reports.xlsx import MAX_UPLOAD_BYTES, XLSX_TYPE, check_upload, errors_of_job, form_xlsx

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
        check_upload(upload)
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
    errors, job = [], None
    if request.method == "POST" and form.is_valid():
        # Checked here, read and saved by the worker; the officer waits on the job's page.
        job = upload_job_create(
            kind=UploadJob.Kind.REPORT,
            unit=unit,
            created_by=request.user,
            upload=form.cleaned_data["file"],
            params={"request": report_request.pk, "unit": unit.pk, "submit": form.cleaned_data["submit"]},
            back=request.path,
            language=get_language() or "",
        )
        return redirect("imports:upload-job", pk=job.pk)
    if request.method == "GET":
        job = failed_job(
            request, kind=UploadJob.Kind.REPORT, match={"request": report_request.pk, "unit": unit.pk}
        )
        if job is not None:
            errors = errors_of_job(job)
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
            "upload_job": job,
            "download_url": download,
        },
        # A refused file: on the form, or back from the worker with its errors.
        status=400 if form.errors or job is not None else 200,
    )
