from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ImportsConfig(AppConfig):
    name = "imports"
    verbose_name = _("Imports")

    def ready(self) -> None:
        from django_tasks.signals import task_started

        from imports import audit  # noqa: F401  (registers models with auditlog)
        from imports.jobs import on_task_started

        # A worker starting a task first fails the jobs a dead worker left "running".
        task_started.connect(on_task_started, dispatch_uid="imports.fail_stale_jobs")
