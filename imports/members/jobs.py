"""Roster imports run as jobs: the upload stored, the import queued, its progress and outcome
recorded on the ImportJob."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from imports.members.importer import import_members_file
from imports.models import ImportJob
from lib.tabular import ImportFileError

if TYPE_CHECKING:
    from accounts.models import User
    from org.models import Unit


def job_create(*, unit: Unit, created_by: User, upload: UploadedFile, language: str = "") -> ImportJob:
    """Store an uploaded roster and queue its import."""
    from imports.tasks import run_import_job

    job = ImportJob(unit=unit, created_by=created_by, original_filename=upload.name[:255], language=language)
    job.file.save(upload.name, upload, save=False)
    with transaction.atomic():  # the job row and its queued task, or neither
        job.save()
        run_import_job.enqueue(job.pk)
    return job


def progress_path(job: ImportJob) -> Path:
    """Where a running job reports its progress. A file, not the job row: the import holds
    one long transaction, which other connections could neither see into nor (on SQLite)
    write beside."""
    return Path(job.file.path + ".progress")


def job_progress(*, job: ImportJob) -> tuple[int, int | None]:
    """(rows done, total rows or None) of a job, live while it runs."""
    if job.status == ImportJob.Status.RUNNING:
        try:
            done, _sep, total = progress_path(job).read_text().partition("/")
            return int(done), int(total) if total else None
        except (OSError, ValueError):
            pass
    return job.progress_rows, job.total_rows


def job_run(*, job: ImportJob) -> ImportJob:
    """Run a queued import job and record its outcome on the job."""
    job.status = ImportJob.Status.RUNNING
    job.started_at = timezone.now()
    job.save(update_fields=["status", "started_at"])
    sidecar = progress_path(job)

    def on_progress(done: int, total: int | None) -> None:
        tmp = sidecar.with_suffix(".tmp")
        tmp.write_text(f"{done}/{total if total is not None else ''}")
        tmp.replace(sidecar)
        job.progress_rows, job.total_rows = done, total

    fields = ["status", "finished_at", "progress_rows", "total_rows"]
    try:
        result = import_members_file(
            path=Path(job.file.path),
            unit=job.unit,
            imported_by=job.created_by,
            filename=job.original_filename,
            on_progress=on_progress,
            job=job,
        )
    except ImportFileError as exc:
        job.status, job.message = ImportJob.Status.FAILED, str(exc)
        fields.append("message")
    except Exception:
        job.status, job.message = ImportJob.Status.FAILED, _("The import stopped on an unexpected error.")
        job.finished_at = timezone.now()
        job.save(update_fields=[*fields, "message"])
        raise
    else:
        job.status = ImportJob.Status.SUCCEEDED if result.ok else ImportJob.Status.FAILED
        job.rows, job.added, job.updated, job.unchanged = (
            result.rows,
            result.added,
            result.updated,
            result.unchanged,
        )
        job.error_count = result.error_count
        job.errors = [e.__dict__ for e in result.errors]
        job.ignored_columns = result.ignored_columns
        job.member_ids = result.member_ids
        if result.ok:
            job.progress_rows = job.total_rows = result.rows
        fields += [
            "rows",
            "added",
            "updated",
            "unchanged",
            "error_count",
            "errors",
            "ignored_columns",
            "member_ids",
        ]
    finally:
        sidecar.unlink(missing_ok=True)
    job.finished_at = timezone.now()
    job.save(update_fields=fields)
    return job
