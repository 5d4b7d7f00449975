"""The pledge import page and its blank template. Their URLs stay in the campaigns namespace
(config/urls.py adds them), but the code lives here so that campaigns never imports imports."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import get_language
from django.views.decorators.http import require_GET, require_http_methods

from accounts.scoping import get_for_user
from campaigns.forms.registrations import PledgeImportForm
from campaigns.models import Registration
from imports import pledges
from imports.models import UploadJob
from imports.upload_jobs import failed_job, upload_job_create
from lib.downloads import xlsx_attachment


def _registration(request: HttpRequest, pk: int, *, write: bool = False) -> Registration:
    return get_for_user(
        Registration.objects.select_related("plan", "plan__unit", "unit"), request.user, pk=pk, write=write
    )


@login_required
@require_http_methods(["GET", "POST"])
def pledge_import_view(request: HttpRequest, pk: int) -> HttpResponse:
    """The file is checked and stored here; the worker reads it (upload job page), and a file
    with errors comes back here with them listed."""
    registration = _registration(request, pk, write=True)
    result = job = None
    if request.method == "POST":
        form = PledgeImportForm(request.POST, request.FILES)
        if form.is_valid():
            job = upload_job_create(
                kind=UploadJob.Kind.PLEDGES,
                unit=registration.unit,
                created_by=request.user,
                upload=form.cleaned_data["file"],
                params={"registration": registration.pk},
                back=reverse("campaigns:pledge-import", args=[pk]),
                language=get_language() or "",
            )
            return redirect("imports:upload-job", pk=job.pk)
    else:
        form = PledgeImportForm()
        job = failed_job(request, kind=UploadJob.Kind.PLEDGES, match={"registration": registration.pk})
        if job is not None:
            result = pledges.result_of_job(job)
    return render(
        request,
        "campaigns/pledge_import.html",
        {"registration": registration, "form": form, "result": result, "upload_job": job},
    )


@login_required
@require_GET
def pledge_template(request: HttpRequest) -> HttpResponse:
    return xlsx_attachment(pledges.template_xlsx(), "mau-dang-ky-danh-hieu.xlsx")


# Joined to the campaigns URLs under their namespace by config/urls.py.
campaign_urlpatterns = [
    path("registrations/pledge-template.xlsx", pledge_template, name="pledge-template"),
    path("registrations/<int:pk>/members/import/", pledge_import_view, name="pledge-import"),
]
