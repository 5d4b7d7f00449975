"""Background tasks of reports (django-tasks): reminders before and after a deadline."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.mail import send_mass_mail
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from accounts.scoping import role_holders
from reports.models import Report, ReportRequest, RequestRecipient

DONE = (Report.Status.SUBMITTED, Report.Status.ACCEPTED)
MAX_WINDOW = 60  # days; remind_days_before is a small number


def reminder_recipients(*, today: datetime.date):
    """Recipients of open requests due within their reminder window (or overdue) that have no
    submitted report and were not reminded today."""
    requests = [
        r
        for r in ReportRequest.objects.filter(
            closed_at__isnull=True, due_on__lte=today + datetime.timedelta(days=MAX_WINDOW)
        )
        if (r.due_on - today).days <= r.remind_days_before
    ]
    done = Report.objects.filter(
        request_id=OuterRef("request_id"), unit_id=OuterRef("unit_id"), status__in=DONE
    )
    start_of_day = timezone.make_aware(datetime.datetime.combine(today, datetime.time.min))
    return (
        RequestRecipient.objects.filter(request__in=requests)
        .exclude(Exists(done))
        .exclude(reminded_at__gte=start_of_day)
        .select_related("request", "unit")
    )


@task()
def send_report_reminders() -> int:
    """E-mail the officers of every unit that still owes a report; returns e-mails sent."""
    today = timezone.localdate()
    rows = list(reminder_recipients(today=today))
    if not rows:
        return 0
    emails: dict[int, set[str]] = {}
    for role in (
        role_holders(unit_ids={r.unit_id for r in rows}, write=True)
        .exclude(user__email="")
        .values("unit_id", "user__email")
    ):
        emails.setdefault(role["unit_id"], set()).add(role["user__email"])
    messages = []
    for row in rows:
        to = sorted(emails.get(row.unit_id, ()))
        if not to:
            continue
        req = row.request
        if req.due_on < today:
            subject = _("Overdue report: %(title)s") % {"title": req.title}
        else:
            subject = _("Report due on %(date)s: %(title)s") % {
                "date": f"{req.due_on:%d/%m/%Y}",
                "title": req.title,
            }
        body = _('%(unit)s has not yet submitted the report "%(title)s", due on %(date)s.') % {
            "unit": row.unit.name,
            "title": req.title,
            "date": f"{req.due_on:%d/%m/%Y}",
        }
        messages.append((subject, body, settings.DEFAULT_FROM_EMAIL, to))
    sent = send_mass_mail(messages, fail_silently=False) if messages else 0
    now = timezone.now()
    ids = [r.pk for r in rows]
    for i in range(0, len(ids), 5000):
        RequestRecipient.objects.filter(pk__in=ids[i : i + 5000]).update(reminded_at=now)
    return sent
