"""The page an officer waits on while the worker reads an uploaded file, and running again an
import whose worker died (roster imports and the other uploads alike)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from accounts.scoping import get_for_user
from imports import jobs
from imports.models import ImportJob, UploadJob
from imports.upload_jobs import destination


def _job(request: HttpRequest, pk: int) -> UploadJob:
    job = get_for_user(UploadJob.objects.select_related("unit"), request.user, pk=pk, write=True)
    jobs.fail_if_stale(job)
    return job


@require_GET
@login_required
def upload_job_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Waiting for the worker; once it is done, on to the result (or back to the upload page)."""
    job = _job(request, pk)
    if job.is_done:
        if notice := job.result.get("notice"):
            messages.success(request, notice)
        if warning := job.result.get("warning"):
            messages.warning(request, warning)
        return redirect(destination(job))
    return render(request, "imports/upload_job.html", {"job": job})


@require_GET
@login_required
def upload_job_progress(request: HttpRequest, pk: int) -> HttpResponse:
    """The status (polled by htmx); once the job is done, htmx is sent on to its page."""
    job = _job(request, pk)
    if job.is_done:
        response = HttpResponse()
        response["HX-Redirect"] = reverse("imports:upload-job", args=[job.pk])
        return response
    return render(request, "imports/_upload_job_status.html", {"job": job})


@require_POST
@login_required
def upload_job_rerun(request: HttpRequest, pk: int) -> HttpResponse:
    job = _job(request, pk)
    return _rerun(request, job, reverse("imports:upload-job", args=[job.pk]))


@require_POST
@login_required
def job_rerun(request: HttpRequest, pk: int) -> HttpResponse:
    """Run a roster import again after its worker died."""
    job = get_for_user(ImportJob.objects.select_related("unit"), request.user, pk=pk, write=True)
    jobs.fail_if_stale(job)
    return _rerun(request, job, reverse("imports:job-detail", args=[job.pk]))


def _rerun(request: HttpRequest, job, next_url: str) -> HttpResponse:
    try:
        jobs.job_rerun(job=job, by=request.user)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    return redirect(next_url)
