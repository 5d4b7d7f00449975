"""Live roll-up pages: aggregates, completion, who is missing, per child, charts, prefill."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.scoping import can_read, default_unit, get_for_user, scoped_with_above
from lib.db import replica
from lib.errors import service_call
from org.models import Unit
from reports.models import Report, ReportForm, ReportRequest
from reports.selectors.requests import visible_requests
from reports.selectors.rollup import (
    indicator_trend,
    requests_for_unit,
    rollup,
    rollup_diff,
    rollup_not_rolled,
)
from reports.services.rollup import rollup_prefill


def _int(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise Http404 from None


def _unit(request: HttpRequest, default: Unit | None) -> Unit:
    unit_id = request.GET.get("unit") or request.POST.get("unit")
    if unit_id:
        return get_for_user(Unit, request.user, pk=unit_id)
    if default is not None and can_read(user=request.user, unit=default):
        return default
    unit = default_unit(user=request.user)
    if unit is None:
        raise Http404
    return unit


@login_required
@replica()
def rollup_detail(request: HttpRequest, pk: int) -> HttpResponse:
    req = get_object_or_404(visible_requests(user=request.user), pk=pk)
    unit = _unit(request, req.unit)
    result = rollup(request=req, unit=unit, children=True)
    page = Paginator(result.missing_units, 50).get_page(request.GET.get("page"))
    chart = {
        "labels": [c["unit"].name for c in result.children],
        "submitted": [c["submitted"] for c in result.children],
        "accepted": [c["accepted"] for c in result.children],
        "missing": [c["missing"] for c in result.children],
        "names": [_("Submitted"), _("Accepted"), _("Missing")],
    }
    # The unit's own report to a request from above with the same form, for the diff table.
    own = (
        Report.objects.filter(unit=unit, request__version__form_id=req.version.form_id)
        .exclude(request=req)
        .select_related("request")
        .order_by("-request__due_on", "-id")
        .first()
    )
    diff = rollup_diff(report=own, down_request=req) if own is not None and req.unit_id == unit.pk else None
    up_requests = (
        ReportRequest.objects.filter(version__form_id=req.version.form_id, recipient_rows__unit=unit)
        .exclude(pk=req.pk)
        .order_by("-due_on")
        if req.unit_id == unit.pk
        else []
    )
    return render(
        request,
        "reports/rollup_detail.html",
        {
            "req": req,
            "unit": unit,
            "result": result,
            "page": page,
            "listed": rollup_not_rolled(request=req, unit=unit),
            "chart": chart,
            "own": own,
            "diff": diff,
            "up_requests": list(up_requests),
            "labels": {f.indicator.code: f.indicator for f in result.figures},
        },
    )


@login_required
@replica()
def indicator_trend_view(request: HttpRequest, pk: int, code: str) -> HttpResponse:
    form = get_object_or_404(
        scoped_with_above(ReportForm.objects.all(), user=request.user, published=Q()), pk=pk
    )
    unit = _unit(request, None)
    requests = list(requests_for_unit(unit=unit, form_id=form.pk))
    points = indicator_trend(requests=requests, unit=unit, code=code)
    chart = {
        "labels": [p["request"].period or p["request"].title for p in points],
        "values": [float(p["value"]) if p["value"] is not None else None for p in points],
        "label": code,
    }
    return render(
        request,
        "reports/rollup_trend.html",
        {"form": form, "unit": unit, "code": code, "points": points, "chart": chart},
    )


@require_POST
@login_required
def rollup_prefill_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Prefill the viewer unit's report to request `pk` (from above) from the roll-up of `down`."""
    up = get_object_or_404(visible_requests(user=request.user), pk=pk)
    down = get_object_or_404(visible_requests(user=request.user), pk=_int(request.POST.get("down")))
    unit = get_for_user(Unit, request.user, pk=down.unit_id, write=True)
    with service_call(request, success=_("Your report was prefilled from the roll-up as a draft.")):
        rollup_prefill(up_request=up, down_request=down, unit=unit, by=request.user)
    return redirect(reverse("reports:rollup", args=[down.pk]) + f"?unit={unit.pk}")
