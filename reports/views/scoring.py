"""Scoring pages: tables and criteria, a unit's sheet (self-assessment and review), cluster ranking,
publishing (freezing) it with the decision, the frozen table as .xlsx and the decision file."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.scoping import can_write, scoped, scoped_with_above, writable_role_units
from campaigns.models import Cluster
from lib.errors import flash_form_errors, service_call
from org import tree
from org.models import Unit, UnitKind
from reports.forms.scoring import (
    CriterionFormSet,
    NewVersionForm,
    RankingPublishForm,
    ScoreChangeForm,
    TableForm,
    criterion_initial,
    published_versions,
    self_assessment_entries,
)
from reports.models import FormVersion, RankingPublication, ScoreSheet, ScoringTable
from reports.selectors import scoring as selectors
from reports.services import scoring as services

PER_PAGE = 50


def _table(request: HttpRequest, pk: int) -> ScoringTable:
    return get_object_or_404(selectors.tables_for_user(user=request.user), pk=pk)


def _writable_table(request: HttpRequest, pk: int) -> ScoringTable:
    table = _table(request, pk)
    if not can_write(user=request.user, unit=table.unit):
        raise PermissionDenied
    return table


def _cluster(request: HttpRequest, pk: int) -> Cluster:
    return get_object_or_404(selectors.clusters_for_user(user=request.user), pk=pk)


def _year(request: HttpRequest) -> int:
    try:
        return int(request.GET.get("year") or request.POST.get("year") or timezone.localdate().year)
    except ValueError:
        raise Http404


def _keeper_units(user):
    """Units a user may keep a scoring table for: the federations they write for (not grassroots)."""
    return writable_role_units(user=user).exclude(kind=UnitKind.GRASSROOTS).order_by(tree.tree_order())


def _table_form(request: HttpRequest, *, data=None, initial=None, unit=None) -> TableForm:
    units = _keeper_units(request.user) if unit is None else Unit.objects.filter(pk=unit.pk)
    clusters = scoped(Cluster.objects.filter(is_active=True), user=request.user, write=True).order_by("name")
    versions = published_versions(
        scoped_with_above(
            FormVersion.objects.all(),
            user=request.user,
            published=Q(status=FormVersion.Status.PUBLISHED),
            unit_field="form__unit",
        )
    )
    return TableForm(data, initial=initial, units=units, clusters=clusters, form_versions=versions)


def _table_fields(data: dict) -> dict:
    """The table's own fields as the create and update services take them."""
    return {key: data[key] for key in ("name", "effective_from", "clusters", "form_version", "tie_break")}


@login_required
@require_GET
def scoring_list(request: HttpRequest) -> HttpResponse:
    tables = selectors.tables_for_user(user=request.user).prefetch_related("clusters")[: PER_PAGE * 4]
    return render(
        request,
        "reports/scoring_list.html",
        {"tables": tables, "can_create": _keeper_units(request.user).exists()},
    )


@login_required
@require_http_methods(["GET", "POST"])
def scoring_create(request: HttpRequest) -> HttpResponse:
    if not _keeper_units(request.user).exists():
        raise PermissionDenied
    form = _table_form(request, data=request.POST or None, initial={"effective_from": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        if not can_write(user=request.user, unit=d["unit"]):
            raise PermissionDenied
        with service_call(request, success=_("Scoring table created. Now add its criteria.")) as outcome:
            table = services.scoring_table_create(unit=d["unit"], **_table_fields(d), by=request.user)
        if outcome.ok:
            return redirect("reports:scoring-edit", pk=table.pk)
    return render(request, "reports/scoring_create.html", {"form": form})


@login_required
@require_GET
def scoring_detail(request: HttpRequest, pk: int) -> HttpResponse:
    table = _table(request, pk)
    year = _year(request)
    return render(
        request,
        "reports/scoring_detail.html",
        {
            "table": table,
            "criteria": list(table.criteria.all()),
            "clusters": list(table.clusters.all()),
            "max_total": selectors.max_total(table),
            "can_manage": can_write(user=request.user, unit=table.unit),
            "my_units": selectors.self_assess_units(user=request.user, table=table)
            if table.is_published
            else [],
            "sheets": selectors.sheets_for_user(user=request.user)
            .filter(table=table)
            .order_by("-year", tree.tree_order("unit"))[:PER_PAGE],
            "year": year,
            "versions": ScoringTable.objects.filter(unit=table.unit, name=table.name).order_by("-version"),
            "new_version_form": NewVersionForm(initial={"effective_from": timezone.localdate()}),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def scoring_edit(request: HttpRequest, pk: int) -> HttpResponse:
    table = _writable_table(request, pk)
    if table.is_published:
        messages.error(request, _("A published scoring table cannot change; make a new version."))
        return redirect("reports:scoring-detail", pk=table.pk)
    initial = {
        "unit": table.unit_id,
        "name": table.name,
        "effective_from": table.effective_from,
        "clusters": [c.pk for c in table.clusters.all()],
        "form_version": table.form_version_id,
        "tie_break": table.tie_break,
    }
    data = request.POST if request.method == "POST" else None
    form = _table_form(request, data=data, initial=initial, unit=table.unit)
    formset = CriterionFormSet(data, initial=[criterion_initial(c) for c in table.criteria.all()], prefix="c")
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        fields = _table_fields(form.cleaned_data)
        with service_call(request, success=_("Scoring table saved.")) as outcome:
            services.scoring_table_update(table=table, **fields, criteria=formset.rows(), by=request.user)
        if outcome.ok:
            return redirect("reports:scoring-detail", pk=table.pk)
    return render(request, "reports/scoring_edit.html", {"table": table, "form": form, "formset": formset})


@login_required
@require_POST
def scoring_publish(request: HttpRequest, pk: int) -> HttpResponse:
    table = _writable_table(request, pk)
    with service_call(request, success=_("Scoring table published; it can no longer change.")):
        services.scoring_table_publish(table=table, by=request.user)
    return redirect("reports:scoring-detail", pk=table.pk)


@login_required
@require_POST
def scoring_new_version(request: HttpRequest, pk: int) -> HttpResponse:
    table = _writable_table(request, pk)
    form = NewVersionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Enter the date the new version takes effect."))
        return redirect("reports:scoring-detail", pk=table.pk)
    with service_call(request, success=_("New version created as a draft.")) as outcome:
        copy = services.scoring_table_new_version(
            table=table, effective_from=form.cleaned_data["effective_from"], by=request.user
        )
    if outcome.ok:
        return redirect("reports:scoring-edit", pk=copy.pk)
    return redirect("reports:scoring-detail", pk=table.pk)


@login_required
@require_POST
def score_sheet(request: HttpRequest, pk: int, year: int) -> HttpResponse:
    """Open (create if needed) a unit's sheet for the year under a table."""
    table = _table(request, pk)
    try:
        unit_id = int(request.POST.get("unit") or 0)
    except ValueError:
        raise Http404 from None
    unit = get_object_or_404(scoped(Unit.objects.all(), user=request.user, unit_field=""), pk=unit_id)
    if not can_write(user=request.user, unit=unit):
        raise PermissionDenied
    with service_call(request) as outcome:
        sheet = services.sheet_get_or_create(table=table, unit=unit, year=year)
    if outcome.ok:
        return redirect("reports:score-sheet-detail", pk=sheet.pk)
    return redirect("reports:scoring-detail", pk=table.pk)


def _sheet(request: HttpRequest, pk: int) -> ScoreSheet:
    return get_object_or_404(selectors.sheets_for_user(user=request.user), pk=pk)


@login_required
@require_GET
def score_sheet_detail(request: HttpRequest, pk: int) -> HttpResponse:
    sheet = _sheet(request, pk)
    scores = selectors.sheet_scores(sheet=sheet)
    reviewer = services.reviewing_unit(user=request.user, unit=sheet.unit)
    return render(
        request,
        "reports/score_sheet_detail.html",
        {
            "sheet": sheet,
            "scores": scores,
            "max_total": selectors.max_total(sheet.table),
            "can_self_assess": sheet.status == ScoreSheet.Status.DRAFT
            and can_write(user=request.user, unit=sheet.unit),
            "reviewer": reviewer
            if sheet.status in (ScoreSheet.Status.SUBMITTED, ScoreSheet.Status.REVIEWED)
            else None,
            "change_form": ScoreChangeForm(),
        },
    )


@login_required
@require_POST
def score_self_assess(request: HttpRequest, pk: int) -> HttpResponse:
    sheet = _sheet(request, pk)
    if not can_write(user=request.user, unit=sheet.unit):
        raise PermissionDenied
    scores = selectors.sheet_scores(sheet=sheet)
    entries, errors = self_assessment_entries(request.POST, scores)
    if errors:
        for message in errors:
            messages.error(request, message)
        return redirect("reports:score-sheet-detail", pk=sheet.pk)
    submit = request.POST.get("submit")
    done = _("Self-assessment submitted.") if submit else _("Self-assessment saved.")
    with service_call(request, success=done):
        services.sheet_self_assess(sheet=sheet, entries=entries, by=request.user)
        if submit:
            services.sheet_submit(sheet=sheet, by=request.user)
    return redirect("reports:score-sheet-detail", pk=sheet.pk)


@login_required
@require_POST
def score_change(request: HttpRequest, pk: int) -> HttpResponse:
    score = get_object_or_404(selectors.scores_for_user(user=request.user), pk=pk)
    reviewer = services.reviewing_unit(user=request.user, unit=score.sheet.unit)
    if reviewer is None:
        raise PermissionDenied
    form = ScoreChangeForm(request.POST)
    if form.is_valid():
        with service_call(request, success=_("Score changed; the reason is recorded.")):
            services.score_change(
                score=score,
                new_points=form.cleaned_data["points"],
                reason=form.cleaned_data["reason"],
                by=request.user,
                by_unit=reviewer,
            )
    else:
        flash_form_errors(request, form)
    return redirect("reports:score-sheet-detail", pk=score.sheet_id)


def _ranking_table(request: HttpRequest, cluster: Cluster, year: int) -> ScoringTable | None:
    if request.GET.get("table"):
        return get_object_or_404(
            selectors.tables_for_user(user=request.user).filter(clusters=cluster), pk=request.GET["table"]
        )
    return services.table_for(cluster=cluster, on=datetime.date(year, 12, 31))


@login_required
@require_GET
def ranking(request: HttpRequest, pk: int) -> HttpResponse:
    cluster = _cluster(request, pk)
    year = _year(request)
    table = _ranking_table(request, cluster, year)
    publication = services.ranking_published(table=table, cluster=cluster, year=year) if table else None
    # A published ranking shows what it printed that day; one still being scored, today's sheets.
    printed = selectors.printed_ranking(publication=publication) if publication else None
    if printed:
        criteria, rows = printed.criteria, printed.rows
    else:
        criteria, rows = (
            selectors.ranking_rows(cluster=cluster, year=year, table=table) if table else ([], [])
        )
    years = sorted({*selectors.ranking_years(cluster=cluster), year}, reverse=True)
    return render(
        request,
        "reports/ranking_detail.html",
        {
            "cluster": cluster,
            "year": year,
            "years": years,
            "table": table,
            "criteria": criteria,
            "rows": rows,
            "publication": publication,
            "printed": printed,
            "can_publish": table is not None
            and publication is None
            and can_write(user=request.user, unit=cluster.unit),
            "publish_form": RankingPublishForm(),
            "chart": {
                "labels": [r.unit_name for r in rows],
                "totals": [float(r.total) for r in rows],
                "label": _("Total points"),
            },
        },
    )


@login_required
@require_POST
def ranking_publish(request: HttpRequest, pk: int) -> HttpResponse:
    cluster = _cluster(request, pk)
    if not can_write(user=request.user, unit=cluster.unit):
        raise PermissionDenied
    year = _year(request)
    table = get_object_or_404(
        selectors.tables_for_user(user=request.user).filter(clusters=cluster),
        pk=request.POST.get("table") or 0,
    )
    form = RankingPublishForm(request.POST, request.FILES)
    if form.is_valid():
        with service_call(request, success=_("Ranking published; the scores are frozen.")):
            services.ranking_publish(
                table=table,
                cluster=cluster,
                year=year,
                decision_number=form.cleaned_data["decision_number"],
                decision_file=form.cleaned_data["decision_file"],
                by=request.user,
            )
    else:
        flash_form_errors(request, form)
    return redirect(f"{reverse('reports:ranking', args=[cluster.pk])}?year={year}&table={table.pk}")


def _publication(request: HttpRequest, cluster: Cluster, year: int) -> RankingPublication:
    publications = RankingPublication.objects.filter(cluster=cluster, year=year).select_related("table")
    if request.GET.get("table"):
        publications = publications.filter(table_id=request.GET["table"])
    publication = publications.order_by("-published_at").first()
    if publication is None:
        raise Http404
    return publication


@login_required
@require_GET
def ranking_export(request: HttpRequest, pk: int) -> HttpResponse:
    """The frozen (published) ranking as .xlsx."""
    cluster = _cluster(request, pk)
    year = _year(request)
    publication = _publication(request, cluster, year)
    body, stored = services.ranking_file_get(publication=publication)  # byte for byte as published
    response = HttpResponse(
        body, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Repr-Digest"] = services.repr_digest(stored)
    response["Content-Disposition"] = f'attachment; filename="xep-hang-cum-{cluster.pk}-{year}.xlsx"'
    return response


@login_required
@require_GET
def ranking_decision(request: HttpRequest, pk: int) -> FileResponse:
    """The decision file, only through this scoped view (MEDIA is never served)."""
    clusters = selectors.clusters_for_user(user=request.user).values("pk")
    publication = get_object_or_404(RankingPublication.objects.filter(cluster__in=clusters), pk=pk)
    if not publication.decision_file:
        raise Http404
    try:
        handle = publication.decision_file.open("rb")
    except OSError:
        raise Http404
    name = publication.decision_file.name.rsplit("/", 1)[-1]
    return FileResponse(handle, as_attachment=True, filename=name)
