"""Uploads parsed in the background: the web request checks the file (lib.uploads) and stores it
with an UploadJob; the worker reads it in the sandbox (lib.sandbox) and applies it through the
app's own service: a plan, member pledges, an old award register, a filled report form. The
officer waits on the job's page, then lands where the upload used to take them: the result page
on success, the upload page with the errors by row or cell otherwise."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from accounts.scoping import can_write, get_for_user
from imports.models import UploadJob
from lib.sandbox import SandboxError
from lib.text import clean
from lib.uploads import UploadRefused

if TYPE_CHECKING:
    from accounts.models import User
    from org.models import Unit

# What reads and applies each kind of upload: a function of the job returning an Outcome.
HANDLERS = {
    UploadJob.Kind.PLAN: "imports.plans.services.plan_upload_run",
    UploadJob.Kind.PLEDGES: "imports.pledges.pledge_upload_run",
    UploadJob.Kind.REGISTER: "awards.services.register_import.register_upload_run",
    UploadJob.Kind.REPORT: "reports.xlsx.report_upload_run",
}


@dataclass
class Outcome:
    ok: bool
    next_url: str = ""  # where the officer goes on success
    message: str = ""  # on success, told to the officer on arrival; else why the file failed
    errors: list[dict] = field(default_factory=list)  # by row or cell, as the upload page lists them
    result: dict = field(default_factory=dict)  # counts and ids, kept on the job


def upload_job_create(
    *,
    kind: str,
    unit: Unit,
    created_by: User,
    upload=None,
    text: str | None = None,
    params: dict | None = None,
    back: str = "",
    language: str = "",
) -> UploadJob:
    """Store a checked upload (or pasted text) and queue its job. `back` is the upload page."""
    from imports.tasks import run_upload_job

    if not can_write(user=created_by, unit=unit):
        raise PermissionDenied
    job = UploadJob(kind=kind, unit=unit, created_by=created_by, language=language)
    job.params = {**(params or {}), "back": back}
    if upload is not None:
        job.original_filename = clean(upload.name)[:255]
        job.file.save(upload.name, upload, save=False)
    else:
        job.params["paste"] = True
        job.file.save("paste.txt", ContentFile((text or "").encode("utf-8")), save=False)
    job.save()
    run_upload_job.enqueue(job.pk)
    return job


def upload_job_run(*, job: UploadJob) -> UploadJob:
    """Run a queued job in the worker and record its outcome."""
    job.status = UploadJob.Status.RUNNING
    job.started_at = timezone.now()
    job.save(update_fields=["status", "started_at"])
    fields = ["status", "message", "errors", "result", "finished_at"]
    try:
        outcome = import_string(HANDLERS[job.kind])(job)
    except (UploadRefused, SandboxError) as exc:
        outcome = Outcome(ok=False, message=str(exc))
    except PermissionDenied:
        outcome = Outcome(ok=False, message=_("You may no longer change %(unit)s.") % {"unit": job.unit.name})
    except Exception:
        job.status, job.message = UploadJob.Status.FAILED, _("The import stopped on an unexpected error.")
        job.finished_at = timezone.now()
        job.save(update_fields=fields)
        raise
    job.status = UploadJob.Status.SUCCEEDED if outcome.ok else UploadJob.Status.FAILED
    job.message = "" if outcome.ok else (outcome.message or "")
    job.errors = outcome.errors
    job.result = {**outcome.result, "next": outcome.next_url, "notice": outcome.message if outcome.ok else ""}
    job.finished_at = timezone.now()
    job.save(update_fields=fields)
    return job


def destination(job: UploadJob) -> str:
    """Where a finished job leads: its result on success, back to the upload page otherwise."""
    if job.status == UploadJob.Status.SUCCEEDED and job.result.get("next"):
        return job.result["next"]
    back = job.params.get("back") or reverse("home")
    return f"{back}{'&' if '?' in back else '?'}job={job.pk}"


def failed_job(request: HttpRequest, *, kind: str, match: dict | None = None) -> UploadJob | None:
    """The failed job named by `?job=` on an upload page, when it is this page's (its kind, and
    the params in `match`) and the user may change its unit; None otherwise."""
    pk = request.GET.get("job", "")
    if not pk.isdigit():
        return None
    job = get_for_user(UploadJob.objects.select_related("unit"), request.user, pk=int(pk), write=True)
    if job.kind != kind or job.status != UploadJob.Status.FAILED:
        return None
    if any(job.params.get(key) != value for key, value in (match or {}).items()):
        return None
    return job
