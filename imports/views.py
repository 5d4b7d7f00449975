"""Roster import pages: upload, job list, job progress and outcome, downloads."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.views.decorators.http import require_GET

from accounts.scoping import can_write, get_for_user, scoped
from imports import files, members
from imports.forms import ImportForm
from imports.jobs import fail_if_stale
from imports.models import ImportJob
from lib.downloads import xlsx_attachment

# The page shows this many errors; the downloads hold all of them.
ERRORS_SHOWN = 500


@login_required
def job_create(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        form = ImportForm(request.POST, request.FILES, user=request.user)
        if form.is_valid():
            job = members.job_create(
                unit=form.cleaned_data["unit"],
                created_by=request.user,
                upload=form.cleaned_data["file"],
                language=get_language() or "",
            )
            return redirect("imports:job-detail", pk=job.pk)
    else:
        initial = {}
        if unit_id := request.GET.get("unit"):
            unit = ImportForm(user=request.user).units.filter(pk=unit_id if unit_id.isdigit() else 0).first()
            if unit is not None:
                initial["unit"] = unit.code
        form = ImportForm(user=request.user, initial=initial)
    return render(request, "imports/job_create.html", {"form": form})


@login_required
def job_list(request: HttpRequest) -> HttpResponse:
    jobs = scoped(ImportJob.objects.select_related("unit", "created_by"), user=request.user)
    page = Paginator(jobs.defer("errors"), 30).get_page(request.GET.get("page"))
    for job in page:
        fail_if_stale(job)  # a job whose worker died shows as failed, not running forever
    return render(request, "imports/job_list.html", {"page": page})


def _context(job: ImportJob, user) -> dict:
    fail_if_stale(job)  # its worker died: say so, and offer to run it again
    done, total = members.job_progress(job=job)
    percent = min(100, round(100 * done / total)) if total else (100 if job.is_done else 0)
    return {
        "job": job,
        "done": done,
        "total": total,
        "percent": percent,
        "errors": job.errors[:ERRORS_SHOWN],
        "errors_hidden": max(0, job.error_count - min(len(job.errors), ERRORS_SHOWN)),
        "can_rerun": job.can_rerun and can_write(user=user, unit=job.unit),
    }


@login_required
def job_detail(request: HttpRequest, pk: int) -> HttpResponse:
    job = get_for_user(ImportJob.objects.select_related("unit", "created_by"), request.user, pk=pk)
    return render(request, "imports/job_detail.html", _context(job, request.user))


@require_GET
@login_required
def job_progress(request: HttpRequest, pk: int) -> HttpResponse:
    """The progress bar (polled by htmx every second), or the outcome once the job is done."""
    job = get_for_user(ImportJob.objects.select_related("unit"), request.user, pk=pk)
    return render(request, "imports/_job_status.html", _context(job, request.user))


@require_GET
@login_required
def job_errors(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    job = get_for_user(ImportJob, request.user, pk=pk)
    stem = f"loi-nhap-{job.pk}"
    if fmt == "xlsx":
        content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        body = files.errors_xlsx(job.errors)
    elif fmt == "csv":
        content_type, body = "text/csv; charset=utf-8", files.errors_csv(job.errors)
    else:
        raise Http404
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{stem}.{fmt}"'
    return response


@require_GET
@login_required
def job_file(request: HttpRequest, pk: int) -> FileResponse:
    """The uploaded file itself, only through this scoped view (MEDIA is never served)."""
    job = get_for_user(ImportJob, request.user, pk=pk)
    try:
        handle = job.file.open("rb")
    except OSError:
        raise Http404
    return FileResponse(handle, as_attachment=True, filename=job.original_filename)


@require_GET
@login_required
def template_download(request: HttpRequest) -> HttpResponse:
    return xlsx_attachment(files.template_xlsx(), "mau-danh-sach-doan-vien.xlsx")
