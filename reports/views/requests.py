"""Report request pages: list, create, detail (who has reported what, at a glance)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts.scoping import can_write, writable_units
from lib.errors import service_call
from org.models import Unit, UnitKind
from reports.forms.requests import RequestCreateForm
from reports.models import Report
from reports.selectors import forms as form_selectors
from reports.selectors import requests as selectors
from reports.services import requests as services


@login_required
def request_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.request_list(user=request.user), 30).get_page(request.GET.get("page"))
    return render(
        request,
        "reports/request_list.html",
        {"page": page, "can_create": writable_units(user=request.user).exists()},
    )


@login_required
@require_http_methods(["GET", "POST"])
def request_create(request: HttpRequest) -> HttpResponse:
    units = writable_units(user=request.user).exclude(kind__in=[UnitKind.GRASSROOTS, UnitKind.GROUP])
    if not units.exists():
        raise PermissionDenied
    versions = form_selectors.published_versions(user=request.user)
    initial = {"unit": units.order_by("depth").first(), "unit_level": 3, "remind_days_before": 3}
    if request.GET.get("version"):
        initial["version"] = versions.filter(pk=request.GET["version"]).first()
    form = RequestCreateForm(
        request.POST or None, units=units.order_by("depth", "name"), versions=versions, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        unit_ids = None
        if data["codes"]:
            unit_ids = list(Unit.objects.filter(code__in=data["codes"]).values_list("pk", flat=True))
            if len(unit_ids) != len(set(data["codes"])):
                form.add_error("unit_codes", _("Some of these codes are not units."))
        if not form.errors:
            with service_call(request, form=form) as outcome:
                req = services.request_create(
                    version=data["version"],
                    unit=data["unit"],
                    title=data["title"],
                    period=data["period"],
                    due_on=data["due_on"],
                    remind_days_before=data["remind_days_before"],
                    unit_level=None if unit_ids else data["unit_level"],
                    unit_ids=unit_ids,
                    by=request.user,
                )
            if outcome.ok:
                messages.success(
                    request, _("The request was sent to %(n)s units.") % {"n": req.recipient_rows.count()}
                )
                return redirect("reports:request-detail", pk=req.pk)
    return render(request, "reports/request_create.html", {"form": form})


@login_required
def request_detail(request: HttpRequest, pk: int) -> HttpResponse:
    req = selectors.request_get(user=request.user, pk=pk)
    status = request.GET.get("status", "")
    status = status if status in selectors.STATUSES else ""
    rows = selectors.recipient_rows(request=req, user=request.user, status=status)
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "reports/request_detail.html",
        {
            "req": req,
            "page": page,
            "status": status,
            "counts": selectors.status_counts(request=req, user=request.user),
            "statuses": [(s, _status_label(s)) for s in selectors.STATUSES],
            "can_write": can_write(user=request.user, unit=req.unit),
        },
    )


def _status_label(status: str) -> str:
    if status == selectors.NOT_STARTED:
        return _("Not started")
    if status == selectors.LATE:
        return _("Late")
    return str(Report.Status(status).label)
