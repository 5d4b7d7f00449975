"""Background tasks of awards (django-tasks; the worker is `manage.py db_worker`)."""

from django_tasks import task

from awards.models import CertificateBatch


@task()
def certificate_batch_run(batch_id: int, base_url: str = "") -> str:
    """Make the certificates of one queued batch; `base_url` is the address the QR codes open."""
    from awards.services.certificate_batches import batch_run

    batch = CertificateBatch.objects.select_related("decision__award", "blank").get(pk=batch_id)
    if batch.status != CertificateBatch.Status.QUEUED:
        return batch.status  # already picked up: a batch is never made twice
    return batch_run(batch=batch, base_url=base_url or None).status
