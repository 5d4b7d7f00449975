"""Reads of report requests: lists, who has reported what (aggregated in SQL), my due reports."""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied
from django.db.models import Count, F, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404
from django.utils import timezone

from accounts.scoping import can_write, role_units, scoped, scoped_with_above, visible_units
from org import tree
from reports.models import Report, ReportRequest, RequestRecipient

# Status of a recipient at a glance; "not_started" = no report yet, "late" = overdue and not submitted.
NOT_STARTED = "not_started"
LATE = "late"
STATUSES = [NOT_STARTED, *Report.Status.values, LATE]
OPEN = (NOT_STARTED, Report.Status.DRAFT, Report.Status.RETURNED)


def visible_requests(*, user) -> QuerySet[ReportRequest]:
    """THE rule for requests whose roll-up a user may see (pages and API): the requests of
    their subtrees, and those sent from the units above them."""
    return scoped_with_above(
        ReportRequest.objects.select_related("version__form", "unit"), user=user, published=Q()
    )


def request_list(*, user) -> QuerySet[ReportRequest]:
    """Requests sent by the user's units, and those addressed to the units they see."""
    addressed = RequestRecipient.objects.filter(unit__in=visible_units(user=user)).values("request_id")
    own = scoped(ReportRequest.objects.all(), user=user)
    return (
        ReportRequest.objects.filter(Q(pk__in=own.values("pk")) | Q(pk__in=addressed))
        .select_related("unit", "version__form")
        .annotate(n_recipients=Count("recipient_rows", distinct=True))
        .order_by("-due_on", "-id")
    )


def request_get(*, user, pk: int, write: bool = False) -> ReportRequest:
    req = get_object_or_404(
        ReportRequest.objects.filter(pk__in=request_list(user=user).values("pk")).select_related(
            "unit", "version__form"
        ),
        pk=pk,
    )
    if write and not can_write(user=user, unit=req.unit):
        raise PermissionDenied
    return req


def _report_field(name: str) -> Subquery:
    """One field of the recipient's report (None while it has none): the report of the same
    request and unit, read per row in the query."""
    return Subquery(
        Report.objects.filter(request_id=OuterRef("request_id"), unit_id=OuterRef("unit_id")).values(name)[:1]
    )


def _report_status() -> Coalesce:
    """The recipient's status at a glance: its report's, or "not_started" before it has one."""
    return Coalesce(_report_field("status"), Value(NOT_STARTED))


def recipient_rows(*, request: ReportRequest, user, status: str = "") -> QuerySet[RequestRecipient]:
    """The request's recipients the user may see, each with `report_status` and `report_id`."""
    rows = (
        scoped(RequestRecipient.objects.filter(request=request), user=user)
        .select_related("unit")
        .annotate(
            report_status=_report_status(),
            report_id=_report_field("pk"),
        )
        .order_by(tree.tree_order("unit"))
    )
    late = request.due_on < timezone.localdate()
    if status == LATE:
        return rows.filter(report_status__in=OPEN) if late else rows.none()
    if status in STATUSES:
        return rows.filter(report_status=status)
    return rows


def status_counts(*, request: ReportRequest, user) -> dict[str, int]:
    """{status: number of recipients} in one aggregate query, plus "late" and "total"."""
    rows = (
        scoped(RequestRecipient.objects.filter(request=request), user=user)
        .annotate(st=_report_status())
        .values("st")
        .annotate(n=Count("id"))
        .order_by()
    )
    counts = {s: 0 for s in STATUSES}
    for row in rows:
        counts[row["st"]] = row["n"]
    counts["total"] = sum(counts[s] for s in Report.Status.values) + counts[NOT_STARTED]
    if request.due_on < timezone.localdate():
        counts[LATE] = sum(counts[s] for s in OPEN)
    return counts


def my_reports(*, user, today: datetime.date | None = None) -> QuerySet[RequestRecipient]:
    """Requests addressed to the units the user holds a role at that still wait for them
    (not started, draft or returned), soonest deadline first, with `days_left`."""
    today = today or timezone.localdate()
    own_units = role_units(user=user)
    rows = (
        RequestRecipient.objects.filter(unit_id__in=own_units, request__closed_at__isnull=True)
        .select_related("unit", "request__unit", "request__version__form")
        .annotate(
            report_status=_report_status(),
            report_id=_report_field("pk"),
            remind_days=F("request__remind_days_before"),
        )
        .filter(report_status__in=OPEN)
        .order_by("request__due_on", "request_id")
    )
    return rows


def deadline_badge(*, due_on: datetime.date, remind_days: int, today: datetime.date | None = None) -> str:
    """ "late", "soon" (within the reminder window) or ""."""
    today = today or timezone.localdate()
    if due_on < today:
        return LATE
    if (due_on - today).days <= remind_days:
        return "soon"
    return ""
