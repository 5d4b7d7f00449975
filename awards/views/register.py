"""The register pages (sổ khen thưởng): search and browse, a person's and a unit's register, one
line, the import of old registers, the statistics with charts, and their Excel files."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from accounts.scoping import get_for_user, writable_units
from awards import register_exports
from awards.forms.register import RegisterFilterForm, RegisterImportForm
from awards.selectors import register as selectors
from awards.services.register_import import result_of_job
from imports.models import UploadJob
from imports.upload_jobs import failed_job, upload_job_create
from lib.audit import audit_for_object, change_rows
from lib.db import replica
from lib.downloads import XLSX, content_disposition
from lib.pagination import cheap_page
from lib.text import fold
from org.models import Sector, Unit

PER_PAGE = 50
AUDIT_ROWS = 50
CHART_AWARDS = 15  # the chart of awards shows the most given; the table lists them all


def _filter_form(request: HttpRequest) -> tuple[RegisterFilterForm, selectors.RegisterFilters]:
    """The filters of the query string; a unit outside the user's subtree answers 404."""
    params = request.GET.copy()
    params.pop("page", None)
    params.pop("format", None)
    form = RegisterFilterForm(params or None, user=request.user)
    if not form.is_bound:
        return form, selectors.RegisterFilters()
    form.is_valid()
    if form.unit_refused:
        raise Http404
    return form, form.filters()


def _xlsx(records, stem: str, *, user) -> FileResponse:
    response = FileResponse(register_exports.register_xlsx_file(records, user=user), content_type=XLSX)
    response["Content-Disposition"] = content_disposition(f"{stem}-{timezone.localdate():%Y%m%d}.xlsx")
    return response


def _stem(text: str) -> str:
    return "-".join(fold(text).split()[:8]) or "so-khen-thuong"


@login_required
@require_GET
@replica()
def register(request: HttpRequest) -> HttpResponse:
    """Search and browse every line the user may read."""
    form, filters = _filter_form(request)
    context = {
        "form": form,
        "page": selectors.register_page(user=request.user, filters=filters, page=request.GET.get("page")),
        "can_import": writable_units(user=request.user).exists(),
    }
    if request.headers.get("HX-Request") and not request.headers.get("HX-History-Restore-Request"):
        response = render(request, "awards/register_results.html", context)
    else:
        response = render(request, "awards/register_list.html", context)
    response["Vary"] = "HX-Request"
    return response


@login_required
@require_GET
@replica()
def register_export(request: HttpRequest) -> HttpResponse:
    """The filtered register as .xlsx (every matching line, not only the page shown)."""
    _form, filters = _filter_form(request)
    records = selectors.register_search(user=request.user, filters=filters)
    return _xlsx(
        records, f"so-khen-thuong-{filters.unit.code if filters.unit else 'tat-ca'}", user=request.user
    )


@login_required
@require_GET
def register_person(request: HttpRequest, pk: int) -> HttpResponse:
    """A person's register: every line of the member, whatever unit they were in then."""
    found = selectors.person_register(user=request.user, member_id=pk)
    if found is None:
        raise Http404
    if request.GET.get("format") == "xlsx":
        return _xlsx(found.records, f"khen-thuong-{_stem(found.member.full_name)}", user=request.user)
    return render(
        request,
        "awards/register_person.html",
        {"member": found.member, "member_visible": found.member_visible, "records": list(found.records)},
    )


@login_required
@require_GET
@replica()
def register_unit(request: HttpRequest, pk: int) -> HttpResponse:
    """A unit's register: its lines and those of every unit merged into it, under the names
    they had then; with `below`, also the lines of the units below them."""
    unit = get_for_user(Unit, request.user, pk=pk)
    lineage = selectors.unit_lineage(unit=unit)
    below = request.GET.get("below") == "1"
    kind = request.GET.get("kind", "")
    kind = kind if kind in (selectors.PERSON, selectors.COLLECTIVE) else ""
    records = selectors.unit_register(user=request.user, unit=unit, lineage=lineage, below=below, kind=kind)
    if request.GET.get("format") == "xlsx":
        return _xlsx(records, f"so-khen-thuong-{unit.code}", user=request.user)
    return render(
        request,
        "awards/register_unit.html",
        {
            "unit": unit,
            "predecessors": lineage[1:],
            "below": below,
            "kind": kind,
            "page": cheap_page(records, request.GET.get("page"), PER_PAGE),
        },
    )


@login_required
@require_GET
def register_record(request: HttpRequest, pk: int) -> HttpResponse:
    """One line of the register, with the decisions that corrected it and its history."""
    record = selectors.record_for_user(user=request.user, pk=pk)
    if record is None:
        raise Http404
    entries = list(audit_for_object(record)[:AUDIT_ROWS])
    return render(
        request,
        "awards/register_record.html",
        {
            "record": record,
            "corrections": record.corrected_by_lines.select_related("decision").order_by("id"),
            "sector": dict(Sector.choices).get(record.sector, record.sector),
            "entries": [(entry, change_rows(entry)) for entry in entries],
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def register_import(request: HttpRequest) -> HttpResponse:
    """Import an old register into a unit the officer may change: all rows or none. The file is
    checked and stored here; the worker reads it (upload job page), errors come back here."""
    if not writable_units(user=request.user).exists():
        raise PermissionDenied
    result = job = None
    if request.method == "POST":
        form = RegisterImportForm(request.POST, request.FILES, user=request.user)
        if form.is_valid():
            unit = get_for_user(Unit, request.user, pk=form.cleaned_data["unit"].pk, write=True)
            job = upload_job_create(
                kind=UploadJob.Kind.REGISTER,
                unit=unit,
                created_by=request.user,
                upload=form.cleaned_data["file"],
                back=reverse("awards:register-import"),
                language=get_language() or "",
            )
            return redirect("imports:upload-job", pk=job.pk)
    else:
        job = failed_job(request, kind=UploadJob.Kind.REGISTER)
        form = RegisterImportForm(user=request.user, initial={"unit": job.unit} if job else None)
        if job is not None:
            result = result_of_job(job)
    return render(request, "awards/register_import.html", {"form": form, "result": result, "upload_job": job})


@login_required
@require_GET
def register_template(request: HttpRequest) -> HttpResponse:
    """The import template, with the catalogue the user's units may use."""
    content = register_exports.template_xlsx(selectors.visible_awards(user=request.user))
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = content_disposition("mau-so-khen-thuong.xlsx")
    return response


def _charts(stats: dict) -> dict:
    awards = stats["award"][:CHART_AWARDS]
    return {
        "names": [_("Persons"), _("Collectives")],
        "year": {
            "labels": [row.label for row in stats["year"]],
            "persons": [row.persons for row in stats["year"]],
            "collectives": [row.collectives for row in stats["year"]],
        },
        "award": {"labels": [row.label for row in awards], "values": [row.total for row in awards]},
        **{
            key: {"labels": [row.label for row in stats[key]], "values": [row.total for row in stats[key]]}
            for key in ("level", "sector", "sex")
        },
    }


@login_required
@require_GET
def register_stats(request: HttpRequest) -> HttpResponse:
    """Counts of valid awards by year, award, issuing level, sector and sex, with charts."""
    form, filters = _filter_form(request)
    stats = selectors.register_stats(user=request.user, filters=filters)
    tables = [
        ("year", _("By year"), _("Year"), stats["year"]),
        ("award", _("By award"), _("Award"), stats["award"]),
        ("level", _("By issuing level"), _("Issuing level"), stats["level"]),
        ("sector", _("By sector"), _("Sector"), stats["sector"]),
        ("sex", _("By sex (persons)"), _("Sex"), stats["sex"]),
    ]
    return render(
        request,
        "awards/register_stats.html",
        {
            "form": form,
            "tables": [
                (key, title, header, rows, selectors.stats_totals(rows))
                for key, title, header, rows in tables
            ],
            "charts": _charts(stats),
            "empty": not stats["year"],
            "can_import": writable_units(user=request.user).exists(),
        },
    )


@login_required
@require_GET
def register_stats_export(request: HttpRequest) -> HttpResponse:
    """The statistics tables as .xlsx."""
    _form, filters = _filter_form(request)
    stats = selectors.register_stats(user=request.user, filters=filters)
    scope = filters.unit.name if filters.unit else "Tất cả đơn vị được xem"
    years = ""
    if filters.year_from or filters.year_to:
        years = f", năm {filters.year_from or '…'}–{filters.year_to or '…'}"
    title = f"Thống kê khen thưởng: {scope}{years}"
    response = HttpResponse(register_exports.stats_xlsx(stats, title=title), content_type=XLSX)
    name = f"thong-ke-khen-thuong-{filters.unit.code if filters.unit else 'tat-ca'}-{timezone.localdate():%Y%m%d}.xlsx"
    response["Content-Disposition"] = content_disposition(name)
    return response
