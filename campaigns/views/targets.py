"""Live targets: the plan dashboard, target drill-down, pilot models (with photos), contest
entries, and the .xlsx exports of target progress and registrations."""

from __future__ import annotations

from pathlib import Path

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts.scoping import can_write, get_for_user, writable_units
from campaigns import exports
from campaigns.forms.targets import (
    ContestEntryForm,
    PilotModelForm,
    PilotPhotoForm,
    PilotStatusForm,
    plan_movements,
)
from campaigns.models import PilotModel, PilotModelPhoto, Plan
from campaigns.selectors import targets as selectors
from campaigns.services import pilot_models as services
from lib.errors import service_call
from org import tree
from org.models import Unit, UnitStatus

CONTENT_TYPES = {
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".png": "image/png",
    ".webp": "image/webp",
    ".gif": "image/gif",
}


def _plan_and_unit(request: HttpRequest, pk: int) -> tuple[Plan, Unit]:
    plan = selectors.plan_for_user(user=request.user, pk=pk)
    unit = selectors.plan_view_unit(user=request.user, plan=plan, unit_id=request.GET.get("unit", "").strip())
    return plan, unit


def _record_units(request: HttpRequest, plan: Plan) -> QuerySet[Unit]:
    """Active units under the plan that the user may record pilot models / entries for."""
    return (
        writable_units(user=request.user)
        .filter(tree.subtree_q(plan.unit), status=UnitStatus.ACTIVE)
        .order_by(tree.tree_order())
    )


@login_required
def dashboard(request: HttpRequest, pk: int) -> HttpResponse:
    plan, unit = _plan_and_unit(request, pk)
    progress = selectors.plan_target_progress(plan=plan, unit=unit, with_children=True)
    measured = [p for p in progress if p.computed]
    chosen = next((p for p in measured if str(p.target.pk) == request.GET.get("target")), None)
    chosen = chosen or (measured[0] if measured else None)
    chart = None
    if chosen is not None:
        chart = {
            "labels": [c.unit.short_name or c.unit.name for c in chosen.per_child],
            "applicable": [c.applicable for c in chosen.per_child],
            "met": [c.met for c in chosen.per_child],
            "label_applicable": _("Applicable units"),
            "label_met": _("Units meeting the target"),
        }
    children = progress[0].per_child if progress else []
    rows = [
        {"unit": child.unit, "cells": [p.per_child[i] if p.computed else None for p in progress]}
        for i, child in enumerate(children)
    ]
    return render(
        request,
        "campaigns/dashboard.html",
        {
            "plan": plan,
            "unit": unit,
            "ancestors": [] if unit.pk == plan.unit_id else _ancestors_under(plan, unit),
            "timeline": selectors.phase_timeline(plan=plan, today=timezone.localdate()),
            "progress": progress,
            "chosen": chosen,
            "chart": chart,
            "rows": rows,
            "registrations": selectors.registration_summary(plan=plan, unit=unit),
            "counts": selectors.plan_counts(plan=plan, unit=unit),
        },
    )


def _ancestors_under(plan: Plan, unit: Unit) -> list[Unit]:
    """The units between the plan's issuer (included) and `unit` (excluded), for breadcrumbs."""
    return list(tree.ancestors_below(unit, plan.unit))


@login_required
def target_detail(request: HttpRequest, pk: int) -> HttpResponse:
    target = selectors.target_for_user(user=request.user, pk=pk)
    plan = target.plan
    unit = selectors.plan_view_unit(user=request.user, plan=plan, unit_id=request.GET.get("unit", "").strip())
    progress = selectors.target_progress(target=target, unit=unit)
    progress.per_child = selectors.target_progress_by_child(target=target, unit=unit)
    return render(
        request,
        "campaigns/target_detail.html",
        {"plan": plan, "target": target, "unit": unit, "progress": progress},
    )


def _xlsx_download(content, stem: str, plan: Plan, unit: Unit) -> FileResponse:
    """An .xlsx attachment named after the plan, the unit and today, so saved copies sort."""
    return FileResponse(
        content,
        as_attachment=True,
        filename=f"{stem}-{plan.pk}-{unit.code}-{timezone.localdate():%Y%m%d}.xlsx",
        content_type=exports.XLSX_TYPE,
    )


@login_required
def target_export(request: HttpRequest, pk: int) -> HttpResponse:
    plan, unit = _plan_and_unit(request, pk)
    return _xlsx_download(exports.target_progress_xlsx(plan=plan, unit=unit), "tien-do-chi-tieu", plan, unit)


@login_required
def registration_export(request: HttpRequest, pk: int) -> HttpResponse:
    plan, unit = _plan_and_unit(request, pk)
    return _xlsx_download(exports.registration_list_xlsx(plan=plan, unit=unit), "dang-ky-thi-dua", plan, unit)


# --- pilot models -------------------------------------------------------------------------------


@login_required
def pilot_list(request: HttpRequest, pk: int) -> HttpResponse:
    plan = selectors.plan_for_user(user=request.user, pk=pk)
    unit_id = request.GET.get("unit", "").strip()
    unit = selectors.plan_view_unit(user=request.user, plan=plan, unit_id=unit_id) if unit_id else None
    movement = request.GET.get("movement", "")
    status = request.GET.get("status", "")
    pilots = selectors.pilot_model_list(
        user=request.user, plan=plan, unit=unit, movement_id=movement, status=status
    )
    return render(
        request,
        "campaigns/pilot_list.html",
        {
            "plan": plan,
            "unit": unit,
            "pilots": pilots[:200],
            "movements": plan_movements(plan),
            "statuses": PilotModel.Status.choices,
            "movement": movement,
            "status": status,
            "can_create": plan.status == Plan.Status.ISSUED and _record_units(request, plan).exists(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def pilot_create(request: HttpRequest, pk: int) -> HttpResponse:
    plan = selectors.plan_for_user(user=request.user, pk=pk)
    units = _record_units(request, plan)
    if not units.exists():
        raise PermissionDenied
    form = PilotModelForm(request.POST or None, plan=plan, units=units)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        recorded = _("Pilot model recorded.")
        with service_call(request, form=form, by_field=False, success=recorded) as outcome:
            pilot = services.pilot_model_create(
                plan=plan,
                unit=data["unit"],
                status=data["status"],
                created_by=request.user,
                **_pilot_fields(data),
            )
        if outcome.ok:
            return redirect("campaigns:pilot-detail", pk=pilot.pk)
    return render(request, "campaigns/pilot_form.html", {"plan": plan, "form": form, "pilot": None})


def _pilot_fields(data: dict) -> dict:
    """The fields a pilot model's creator may later edit, as both services take them."""
    return {key: data[key] for key in ("name", "movement", "description", "started_on")}


def _pilot(request: HttpRequest, pk: int, *, write: bool = False) -> PilotModel:
    return get_for_user(
        PilotModel.objects.select_related("plan", "plan__unit", "unit", "movement"),
        request.user,
        pk=pk,
        write=write,
    )


@login_required
def pilot_detail(request: HttpRequest, pk: int) -> HttpResponse:
    pilot = _pilot(request, pk)
    return render(
        request,
        "campaigns/pilot_detail.html",
        {
            "pilot": pilot,
            "plan": pilot.plan,
            "photos": list(pilot.photos.order_by("uploaded_at", "id")),
            "can_write": can_write(user=request.user, unit=pilot.unit),
            "status_form": PilotStatusForm(initial={"status": pilot.status}),
            "photo_form": PilotPhotoForm(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def pilot_edit(request: HttpRequest, pk: int) -> HttpResponse:
    pilot = _pilot(request, pk, write=True)
    initial = {
        "name": pilot.name,
        "movement": pilot.movement_id,
        "description": pilot.description,
        "started_on": pilot.started_on,
    }
    form = PilotModelForm(
        request.POST or None, initial=initial, plan=pilot.plan, units=Unit.objects.none(), edit=True
    )
    if request.method == "POST" and form.is_valid():
        with service_call(request, form=form, by_field=False, success=_("Pilot model saved.")) as outcome:
            services.pilot_model_update(
                pilot=pilot, updated_by=request.user, **_pilot_fields(form.cleaned_data)
            )
        if outcome.ok:
            return redirect("campaigns:pilot-detail", pk=pilot.pk)
    return render(request, "campaigns/pilot_form.html", {"plan": pilot.plan, "form": form, "pilot": pilot})


@require_POST
@login_required
def pilot_status(request: HttpRequest, pk: int) -> HttpResponse:
    pilot = _pilot(request, pk, write=True)
    form = PilotStatusForm(request.POST)
    if form.is_valid():
        services.pilot_model_set_status(
            pilot=pilot, status=form.cleaned_data["status"], changed_by=request.user
        )
        messages.success(request, _("Status changed."))
    else:
        messages.error(request, _("Choose a valid status."))
    return redirect("campaigns:pilot-detail", pk=pilot.pk)


@require_POST
@login_required
def pilot_photo_add(request: HttpRequest, pk: int) -> HttpResponse:
    pilot = _pilot(request, pk, write=True)
    form = PilotPhotoForm(request.POST, request.FILES)
    if form.is_valid():
        with service_call(request, success=_("Photo added.")):
            services.pilot_photo_add(
                pilot=pilot,
                upload=form.cleaned_data["image"],
                caption=form.cleaned_data["caption"],
                added_by=request.user,
            )
    else:
        messages.error(request, _("Choose a photo to upload."))
    return redirect("campaigns:pilot-detail", pk=pilot.pk)


@login_required
def pilot_photo(request: HttpRequest, pk: int) -> HttpResponse:
    """A pilot model's photo, served only to users who may read the pilot model."""
    photo = get_for_user(
        PilotModelPhoto.objects.select_related("pilot_model__unit"),
        request.user,
        pk=pk,
        unit_field="pilot_model__unit",
    )
    ext = Path(photo.image.name).suffix.lower()
    response = FileResponse(
        photo.image.open("rb"), content_type=CONTENT_TYPES.get(ext, "application/octet-stream")
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, max-age=3600"
    return response


# --- contest entries ----------------------------------------------------------------------------


@login_required
def contest_list(request: HttpRequest, pk: int) -> HttpResponse:
    plan = selectors.plan_for_user(user=request.user, pk=pk)
    unit_id = request.GET.get("unit", "").strip()
    unit = selectors.plan_view_unit(user=request.user, plan=plan, unit_id=unit_id) if unit_id else None
    entries = selectors.contest_entry_list(user=request.user, plan=plan, unit=unit)
    return render(
        request,
        "campaigns/contest_list.html",
        {
            "plan": plan,
            "unit": unit,
            "entries": entries[:200],
            "can_create": plan.status == Plan.Status.ISSUED and _record_units(request, plan).exists(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def contest_create(request: HttpRequest, pk: int) -> HttpResponse:
    plan = selectors.plan_for_user(user=request.user, pk=pk)
    units = _record_units(request, plan)
    if not units.exists():
        raise PermissionDenied
    form = ContestEntryForm(request.POST or None, units=units)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        recorded = _("Contest entry recorded.")
        with service_call(request, form=form, by_field=False, success=recorded) as outcome:
            services.contest_entry_create(
                plan=plan,
                unit=data["unit"],
                title=data["title"],
                authors=data["authors"],
                submitted_on=data["submitted_on"],
                created_by=request.user,
            )
        if outcome.ok:
            return redirect("campaigns:contest-list", pk=plan.pk)
    return render(request, "campaigns/contest_form.html", {"plan": plan, "form": form})
