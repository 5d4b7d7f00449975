"""Background tasks of the import app (django-tasks; the worker is `manage.py db_worker`)."""

from django.utils import translation
from django_tasks import task

from imports.models import ImportJob
from imports.services import job_run


@task()
def run_import_job(job_id: int) -> str:
    """Run one queued roster import, in the language of the person who uploaded it."""
    job = ImportJob.objects.select_related("unit", "created_by").get(pk=job_id)
    if job.status != ImportJob.Status.QUEUED:
        return job.status  # already picked up: a task is never run twice on one file
    with translation.override(job.language or None):
        job = job_run(job=job)
    return job.status
