"""What every background import job (ImportJob, UploadJob) shares: a heartbeat while a worker
runs it, failing a job whose worker died, and running a failed job again.

The heartbeat is the modification time of a file beside the upload, touched by a thread of the
worker every few seconds. A file, not the job row: a roster import holds one long transaction,
and a row written inside it would be invisible to the pages (and, on SQLite, could not be
written from beside it). When the worker is killed the thread dies with it, the file ages, and
the job is marked failed when its page is viewed or when a worker starts a task.
"""

from __future__ import annotations

import contextlib
import datetime
import threading
from collections.abc import Iterator
from pathlib import Path

from auditlog.context import auditlog_value, set_actor
from auditlog.models import LogEntry
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Model
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.scoping import can_write
from imports.models import ImportJob, UploadJob
from org.services.units import acting_as

HEARTBEAT_SECONDS = 5.0
Job = ImportJob | UploadJob


def heartbeat_path(job: Job) -> Path:
    return Path(job.file.path + ".alive")


@contextlib.contextmanager
def heartbeat(job: Job, *, interval: float = HEARTBEAT_SECONDS) -> Iterator[None]:
    """Keep the job's heartbeat fresh while the block runs (in this process, from a thread)."""
    path = heartbeat_path(job)
    path.touch()
    stop = threading.Event()

    def beat() -> None:
        while not stop.wait(interval):
            with contextlib.suppress(OSError):
                path.touch()

    thread = threading.Thread(target=beat, name=f"heartbeat-{job.pk}", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join()
        path.unlink(missing_ok=True)


def last_sign_of_life(job: Job) -> datetime.datetime | None:
    """When the worker running `job` last showed it was alive (None: it never started)."""
    try:
        beat = datetime.datetime.fromtimestamp(heartbeat_path(job).stat().st_mtime, tz=datetime.UTC)
    except (OSError, ValueError):
        return job.started_at
    return max(beat, job.started_at) if job.started_at else beat


def is_stale(job: Job) -> bool:
    if job.status != job.Status.RUNNING:
        return False
    alive = last_sign_of_life(job)
    if alive is None:
        return False
    return (timezone.now() - alive).total_seconds() > settings.IMPORT_JOB_STALE_SECONDS


def _stale_message() -> str:
    return _(
        "The import stopped: the background worker running it ended before it finished (it was "
        "restarted or ran out of resources). Nothing was saved. Run it again."
    )


def fail_if_stale(job: Job) -> bool:
    """Mark a running job whose worker died as failed (once, even if two pages look at once)."""
    if not is_stale(job):
        return False
    now = timezone.now()
    message = _stale_message()
    with transaction.atomic():
        done = (
            type(job)
            .objects.filter(pk=job.pk, status=job.Status.RUNNING)
            .update(status=job.Status.FAILED, message=message, finished_at=now)
        )
        if done:
            _audit(job, None, {"status": [job.Status.RUNNING, job.Status.FAILED], "message": ["", message]})
    if done:
        job.status, job.message, job.finished_at = job.Status.FAILED, message, now
    return bool(done)


def fail_stale_jobs() -> int:
    """Fail every running job whose worker died; called when a worker starts a task."""
    failed = 0
    for model in (ImportJob, UploadJob):
        for job in model.objects.filter(status=model.Status.RUNNING).only(
            "pk", "status", "file", "started_at"
        ):
            failed += fail_if_stale(job)
    return failed


def on_task_started(**kwargs) -> None:
    """django-tasks `task_started`: a worker starting work first fails jobs left by a dead one."""
    fail_stale_jobs()


# Fields a run fills in, and their values before it.
_RESET = {
    ImportJob: {
        "message": "",
        "progress_rows": 0,
        "total_rows": None,
        "rows": 0,
        "added": 0,
        "updated": 0,
        "unchanged": 0,
        "error_count": 0,
        "errors": [],
        "ignored_columns": [],
        "started_at": None,
        "finished_at": None,
    },
    UploadJob: {"message": "", "errors": [], "result": {}, "started_at": None, "finished_at": None},
}


def job_rerun(*, job: Job, by) -> Job:
    """Queue a failed job again with the same file; only someone who may change its unit may."""
    if not can_write(user=by, unit=job.unit):
        raise PermissionDenied
    with transaction.atomic():
        locked = type(job).objects.select_for_update().get(pk=job.pk)
        if not locked.can_rerun:
            raise ValidationError(_("Only an import that stopped before reading its file can be run again."))
        old = locked.message
        for name, value in _RESET[type(job)].items():
            setattr(locked, name, value.copy() if isinstance(value, (list, dict)) else value)
        locked.status = locked.Status.QUEUED
        locked.save(update_fields=["status", *_RESET[type(job)]])
        _audit(locked, by, {"status": [job.Status.FAILED, job.Status.QUEUED], "message": [old, ""]})
    _enqueue(locked)
    locked.refresh_from_db()
    return locked


def _enqueue(job: Job) -> None:
    from imports.tasks import run_import_job, run_upload_job

    (run_import_job if isinstance(job, ImportJob) else run_upload_job).enqueue(job.pk)


def _audit(job: Model, actor, changes: dict) -> None:
    """An entry by `actor`, or by no one (the system) even inside someone's request."""
    if actor is not None:
        with acting_as(actor):
            LogEntry.objects.log_create(job, action=LogEntry.Action.UPDATE, changes=changes, force_log=True)
        return
    prior = auditlog_value.get(None)
    try:
        with set_actor(None):
            LogEntry.objects.log_create(job, action=LogEntry.Action.UPDATE, changes=changes, force_log=True)
    finally:
        if prior is not None:
            auditlog_value.set(prior)
