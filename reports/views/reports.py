"""Report pages: my due reports, fill and submit, detail with versions and diff, review, evidence."""

from __future__ import annotations

from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts.scoping import can_write, get_for_user
from lib.errors import service_call
from lib.templatetags.vn import num
from org.models import Unit
from reports.forms.reports import EvidenceForm, ReviewForm
from reports.models import Evidence, Indicator, Report, RequestRecipient
from reports.selectors import requests as request_selectors
from reports.selectors.forms import version_full
from reports.services import reports as services


def fmt_value(kind: str, number: Decimal | None, text: str = "") -> str:
    """A stored value as shown on a page: 1.500.000 đ, 12,5 %, Có / Không, text."""
    if kind in (Indicator.Kind.TEXT, Indicator.Kind.FILE):
        return text
    if number is None:
        return ""
    if kind == Indicator.Kind.BOOLEAN:
        return _("Yes") if number else _("No")
    if number == number.to_integral_value():
        shown = num(number)
    else:
        whole, _sep, frac = f"{number.quantize(Decimal('0.01')):f}".partition(".")
        shown = f"{num(whole)},{frac.rstrip('0')}"
    if kind == Indicator.Kind.MONEY:
        return f"{shown} đ"
    if kind == Indicator.Kind.PERCENT:
        return f"{shown} %"
    return shown


def _input_value(kind: str, value) -> str:
    """A current value as the text of its input."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "co" if value else "khong"
    if isinstance(value, Decimal):
        value = value.normalize() if value != value.to_integral_value() else value.to_integral_value()
        return f"{value:f}".replace(".", ",")
    return str(value)


@login_required
def report_list(request: HttpRequest) -> HttpResponse:
    rows = list(request_selectors.my_reports(user=request.user)[:200])
    for row in rows:
        row.badge = request_selectors.deadline_badge(due_on=row.request.due_on, remind_days=row.remind_days)
    return render(request, "reports/report_list.html", {"rows": rows})


def _fields(version, values: dict, errors: dict) -> list[tuple]:
    """[(section, [(indicator, input text, [errors])])] for the fill page."""
    return [
        (
            section,
            [(ind, _input_value(ind.kind, values.get(ind.code)), errors.get(ind.code, [])) for ind in inds],
        )
        for section, inds in version_full(version)
    ]


@login_required
@require_http_methods(["GET", "POST"])
def report_fill(
    request: HttpRequest, pk: int | None = None, unit_pk: int | None = None, report_pk: int | None = None
) -> HttpResponse:
    if report_pk is not None:
        report = get_for_user(
            Report.objects.select_related("request__version", "unit"), request.user, write=True, pk=report_pk
        )
        req, unit = report.request, report.unit
    else:
        unit = get_for_user(Unit, request.user, write=True, pk=unit_pk)
        recipient = get_object_or_404(
            RequestRecipient.objects.select_related("request__version"), request_id=pk, unit=unit
        )
        req = recipient.request
        report = Report.objects.filter(request=req, unit=unit).first()
        if report is not None and request.method == "GET":
            return redirect("reports:report-fill", report_pk=report.pk)
    if report is not None and report.status not in services.EDITABLE:
        messages.info(request, _("This report has been submitted; it can no longer be changed."))
        return redirect("reports:report-detail", pk=report.pk)
    version = req.version
    values: dict = services.report_values(report) if report else {}
    errors: dict[str, list[str]] = {}
    top_errors: list[str] = []
    revision = report.revision if report else 1
    if request.method == "POST":
        raw = {
            ind.code: request.POST.get(f"f-{ind.code}", "")
            for ind in version.indicators.all()
            if not ind.formula
        }
        submit = "submit" in request.POST
        try:
            sent_revision = int(request.POST.get("revision", ""))
        except ValueError:
            sent_revision = -1
        try:
            saved = services.report_fill(
                request=req, unit=unit, raw=raw, by=request.user, revision=sent_revision, submit=submit
            )
        except services.ReportInvalid as e:
            for err in e.checked.errors:
                if err.code:
                    errors.setdefault(err.code, []).append(err.message)
                else:
                    top_errors.append(err.message)
            values = raw
        except ValidationError as e:
            top_errors += e.messages
            values = raw
        else:
            if submit:
                messages.success(request, _("The report was submitted."))
                return redirect("reports:report-detail", pk=saved.report_id)
            messages.success(request, _("The draft was saved."))
            return redirect("reports:report-fill", report_pk=saved.report_id)
    return render(
        request,
        "reports/report_fill.html",
        {
            "req": req,
            "unit": unit,
            "report": report,
            "revision": revision,
            "sections": _fields(version, values, errors),
            "top_errors": top_errors,
            "error_count": sum(len(v) for v in errors.values()) + len(top_errors),
            "evidence_form": EvidenceForm(),
            "rolled": _rolled_below(report),
        },
    )


def _rolled_below(report: Report | None) -> dict:
    """For a federation's own report: {code: (reported, rolled up from below)}, from the latest
    request of the same form that the unit sent down; empty when it sent none."""
    if report is None:
        return {}
    from reports.models import ReportRequest
    from reports.selectors.rollup import rollup_diff

    down = (
        ReportRequest.objects.filter(unit=report.unit, version__form_id=report.request.version.form_id)
        .exclude(pk=report.request_id)
        .order_by("-due_on", "-pk")
        .first()
    )
    return rollup_diff(report=report, down_request=down) if down else {}


def _report(request: HttpRequest, pk: int) -> Report:
    return get_for_user(
        Report.objects.select_related("request__version__form", "request__unit", "unit", "current_version"),
        request.user,
        pk=pk,
    )


def _diff(report: Report, versions: list, a: str | None, b: str | None) -> dict | None:
    """Changed figures between two versions (by number; default: the last two)."""
    by_number = {str(v.number): v for v in versions}
    new = by_number.get(b or "") or (versions[0] if versions else None)
    old = by_number.get(a or "") or next((v for v in versions if new and v.number < new.number), None)
    if not new or not old or old.pk == new.pk:
        return None
    old_vals, new_vals = services.version_values(old.pk), services.version_values(new.pk)
    rows = []
    for ind in report.request.version.indicators.all():
        o, n = old_vals.get(ind.pk), new_vals.get(ind.pk)
        ov = fmt_value(ind.kind, o.number, o.text) if o else ""
        nv = fmt_value(ind.kind, n.number, n.text) if n else ""
        if ov != nv:
            rows.append((ind, ov, nv))
    return {"old": old, "new": new, "rows": rows}


@login_required
def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    report = _report(request, pk)
    version = report.request.version
    current = services.version_values(report.current_version_id) if report.current_version_id else {}
    sections = [
        (
            section,
            [
                (
                    ind,
                    fmt_value(ind.kind, current[ind.pk].number, current[ind.pk].text)
                    if ind.pk in current
                    else "",
                )
                for ind in inds
            ],
        )
        for section, inds in version_full(version)
    ]
    versions = list(report.versions.select_related("created_by"))
    return render(
        request,
        "reports/report_detail.html",
        {
            "report": report,
            "sections": sections,
            "versions": versions,
            "actions": report.actions.select_related("by", "version"),
            "evidence": report.evidence.all(),
            "diff": _diff(report, versions, request.GET.get("a"), request.GET.get("b")),
            "can_review": report.status == Report.Status.SUBMITTED
            and can_write(user=request.user, unit=report.request.unit),
            "can_edit": report.status in services.EDITABLE and can_write(user=request.user, unit=report.unit),
            "review_form": ReviewForm(),
            "evidence_form": EvidenceForm(),
        },
    )


@login_required
@require_POST
def report_review(request: HttpRequest, pk: int) -> HttpResponse:
    report = _report(request, pk)
    if not can_write(user=request.user, unit=report.request.unit):
        raise PermissionDenied
    form = ReviewForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose accept or return."))
        return redirect("reports:report-detail", pk=pk)
    with service_call(request) as outcome:
        services.report_review(
            report=report,
            accept=form.cleaned_data["decision"] == "accept",
            comment=form.cleaned_data["comment"],
            by=request.user,
        )
    if outcome.ok:
        messages.success(
            request,
            _("The report was accepted.")
            if report.status == Report.Status.ACCEPTED
            else _("The report was returned."),
        )
    return redirect("reports:report-detail", pk=pk)


@login_required
@require_POST
def evidence_add(request: HttpRequest, pk: int) -> HttpResponse:
    report = get_for_user(Report, request.user, write=True, pk=pk)
    form = EvidenceForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Choose a file."))
    else:
        with service_call(request, success=_("The file was attached.")):
            services.evidence_add(report=report, upload=form.cleaned_data["file"], by=request.user)
    return redirect("reports:report-detail", pk=pk)


@login_required
def evidence_file(request: HttpRequest, pk: int) -> FileResponse:
    evidence = get_for_user(
        Evidence.objects.select_related("report"), request.user, unit_field="report__unit", pk=pk
    )
    return FileResponse(evidence.file.open("rb"), as_attachment=False, filename=evidence.original_name)
