"""Background tasks of the import app (django-tasks; the worker is `manage.py db_worker`)."""

from django.utils import translation
from django_tasks import task

from imports import jobs
from imports.members import job_run
from imports.models import ImportJob, UploadJob


@task()
def run_import_job(job_id: int) -> str:
    """Run one queued roster import, in the language of the person who uploaded it."""
    job = ImportJob.objects.select_related("unit", "created_by").get(pk=job_id)
    if job.status != ImportJob.Status.QUEUED:
        return job.status  # already picked up: a task is never run twice on one file
    with translation.override(job.language or None), jobs.heartbeat(job):
        job = job_run(job=job)
    return job.status


@task()
def run_upload_job(job_id: int) -> str:
    """Read and apply one uploaded file (plan, pledges, register, report form)."""
    from imports.upload_jobs import upload_job_run

    job = UploadJob.objects.select_related("unit", "created_by").get(pk=job_id)
    if job.status != UploadJob.Status.QUEUED:
        return job.status
    with translation.override(job.language or None), jobs.heartbeat(job):
        job = upload_job_run(job=job)
    return job.status
