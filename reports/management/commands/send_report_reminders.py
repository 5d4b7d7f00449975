"""`manage.py send_report_reminders [--now]`: queue (or run) the report reminder task, for cron."""

from django.core.management.base import BaseCommand

from reports.tasks import send_report_reminders


class Command(BaseCommand):
    help = "Queue the e-mail reminders for reports due soon or overdue (--now runs them here)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--now", action="store_true", help="Run in this process instead of queueing.")

    def handle(self, *args, now: bool = False, **options) -> None:
        if now:
            sent = send_report_reminders.call()
            self.stdout.write(f"{sent} reminder e-mails sent.")
        else:
            result = send_report_reminders.enqueue()
            self.stdout.write(f"Reminders queued ({result.id}).")
