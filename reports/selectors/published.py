"""What other apps may read of reports: published (frozen) scores and accepted reports.

awards builds eligibility and the achievement report's first draft on these; it reads them
here rather than from reports.models, so reports can change its tables behind one face."""

from __future__ import annotations

from django.db.models import OuterRef, QuerySet, Subquery, Sum

from org.models import Unit
from reports.models import Criterion, Report, ReportValue, ScoreSheet


def table_top() -> QuerySet:
    """The sum of the criteria maxima of the sheet's table (the grading guide's 100 %)."""
    return (
        Criterion.objects.filter(table=OuterRef("table"))
        .values("table")
        .annotate(t=Sum("max_points"))
        .values("t")
    )


def published_sheets(*, with_top: bool = False) -> QuerySet[ScoreSheet]:
    """Frozen score sheets; `with_top` annotates `top`, their table's maximum (see table_top)."""
    sheets = ScoreSheet.objects.filter(status=ScoreSheet.Status.FROZEN)
    return sheets.annotate(top=Subquery(table_top())) if with_top else sheets


def latest_accepted_report(*, unit: Unit) -> Report | None:
    """The unit's accepted report with the latest due date, with its request."""
    return (
        Report.objects.filter(unit=unit, status=Report.Status.ACCEPTED, current_version__isnull=False)
        .select_related("request")
        .order_by("-request__due_on", "-id")
        .first()
    )


def report_values(*, report: Report) -> QuerySet[ReportValue]:
    """The figures of a report's current version, in the form's order, with their indicators."""
    return (
        ReportValue.objects.filter(version_id=report.current_version_id)
        .select_related("indicator")
        .order_by("indicator__position", "indicator_id")
    )
