"""Plan pages: list, create, detail, edit, issue, amend, close, derive, compare; movements; inbox; launch."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts.scoping import can_write, writable_role_units, writable_units
from campaigns.forms import plans as forms
from campaigns.models import Plan
from campaigns.selectors import plans as selectors
from campaigns.services import plans as services
from lib.errors import flash_form_errors, service_call
from lib.text import digits


def _plan(request: HttpRequest, pk: int, *, write: bool = False) -> Plan:
    # Not get_for_user: that would narrow the plans issued above the user back to their subtree.
    return selectors.plan_get(user=request.user, pk=pk, write=write)


def _author_units(request: HttpRequest):
    """Units the user holds a writing role in: only they author plans and movements (403 if none)."""
    units = writable_role_units(user=request.user)
    if not units.exists():
        raise PermissionDenied
    return units


@login_required
def plan_list(request: HttpRequest) -> HttpResponse:
    year = digits(request.GET.get("year", ""))[:4]
    status = request.GET.get("status", "")
    status = status if status in Plan.Status.values else ""
    q = request.GET.get("q", "").strip()[:100]
    plans = selectors.plan_list(user=request.user, year=int(year) if year else None, status=status, q=q)
    page = Paginator(plans, 30).get_page(request.GET.get("page"))
    return render(
        request,
        "campaigns/plan_list.html",
        {
            "page": page,
            "year": year,
            "status": status,
            "q": q,
            "statuses": Plan.Status.choices,
            "can_create": writable_units(user=request.user).exists(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def plan_create(request: HttpRequest) -> HttpResponse:
    units = _author_units(request)
    form = forms.PlanCreateForm(
        request.POST or None, units=units, initial={"unit": units.first(), "year": timezone.localdate().year}
    )
    if request.method == "POST" and form.is_valid():
        with service_call(request, form=form, success=_("Draft created: fill in the plan.")) as outcome:
            plan = services.plan_create(created_by=request.user, **form.cleaned_data)
        if outcome.ok:
            return redirect("campaigns:plan-edit", pk=plan.pk)
    return render(request, "campaigns/plan_create.html", {"form": form})


def _detail_context(request: HttpRequest, plan: Plan) -> dict:
    context = {
        "plan": plan,
        **selectors.plan_full(plan=plan),
        "can_write": can_write(user=request.user, unit=plan.unit),
        "launches": selectors.launch_list(plan=plan, user=request.user),
        "derive_units": selectors.derive_units(user=request.user, plan=plan)
        if plan.status == Plan.Status.ISSUED
        else [],
    }
    if plan.is_draft:
        context["problems"] = services.plan_validate(plan)
        if context["can_write"]:
            context["issue_form"] = forms.IssueForm(plan=plan)
    if context["can_write"]:
        context["cascade"] = selectors.cascade_status(plan=plan, user=request.user)
        if plan.status != Plan.Status.DRAFT:
            opened = request.GET.get("opened", "")
            context["delivery"] = selectors.delivery_status(plan=plan)
            context["deliveries"] = Paginator(selectors.delivery_list(plan=plan, opened=opened), 50).get_page(
                request.GET.get("dpage")
            )
            context["opened_filter"] = opened
    return context


@login_required
def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _plan(request, pk)
    if plan.status != Plan.Status.DRAFT:
        services.delivery_mark_opened(plan=plan, user=request.user)
    return render(request, "campaigns/plan_detail.html", _detail_context(request, plan))


@login_required
@require_http_methods(["GET", "POST"])
def plan_edit(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _plan(request, pk, write=True)
    if not plan.is_draft:
        messages.error(request, _("An issued plan cannot be edited; amend it instead."))
        return redirect("campaigns:plan-detail", pk=plan.pk)
    movements = selectors.movements_for_unit(unit=plan.unit)
    if request.method == "POST":
        form = forms.PlanForm(request.POST, movements=movements)
        formsets = forms.formsets_for(plan, request.POST, movements=movements)
        if form.is_valid() and all(fs.is_valid() for fs in formsets.values()):
            phases, duties, row_errors = forms.structure_from(formsets)
            with service_call(request, form=form, success=_("Plan saved.")) as outcome:
                if row_errors:
                    raise ValidationError(row_errors)
                services.plan_update_with_new_movements(
                    plan=plan,
                    revision=form.cleaned_data["revision"],
                    updated_by=request.user,
                    data=form.plan_data(),
                    phases=phases,
                    duties=duties,
                    movements=list(form.cleaned_data["movements"]),
                    new_movement_names=forms.lines_of(form.cleaned_data["new_movements"]),
                )
            if outcome.ok:
                return redirect("campaigns:plan-detail", pk=plan.pk)
    else:
        form = forms.PlanForm(initial=forms.PlanForm.initial_for(plan), movements=movements)
        formsets = forms.formsets_for(plan, movements=movements)
    return render(request, "campaigns/plan_edit.html", {"plan": plan, "form": form, **formsets})


@login_required
@require_POST
def plan_issue(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _plan(request, pk, write=True)
    form = forms.IssueForm(request.POST, plan=plan)
    if not form.is_valid():
        flash_form_errors(request, form)
        return redirect("campaigns:plan-detail", pk=plan.pk)
    with service_call(request, success=_("Plan issued and sent to its recipients.")):
        services.plan_issue(
            plan=plan,
            issued_by=request.user,
            deliver_below=form.cleaned_data["deliver_below"],
            recipient_units=form.recipient_units(),
        )
    return redirect("campaigns:plan-detail", pk=plan.pk)


@login_required
@require_POST
def plan_amend(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _plan(request, pk, write=True)
    with service_call(request, success=_("Amendment drafted: edit it, then issue it.")) as outcome:
        new = services.plan_amend(plan=plan, created_by=request.user)
    if outcome.ok:
        return redirect("campaigns:plan-edit", pk=new.pk)
    return redirect("campaigns:plan-detail", pk=plan.pk)


@login_required
@require_POST
def plan_close(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _plan(request, pk, write=True)
    with service_call(request, success=_("Plan closed.")):
        services.plan_close(plan=plan, closed_by=request.user)
    return redirect("campaigns:plan-detail", pk=plan.pk)


@login_required
@require_POST
def plan_derive(request: HttpRequest, pk: int) -> HttpResponse:
    parent = _plan(request, pk)
    units = selectors.derive_units(user=request.user, plan=parent)
    unit = units.filter(pk=digits(request.POST.get("unit", "")) or None).first() or (
        units.first() if not request.POST.get("unit") else None
    )
    if unit is None:
        raise PermissionDenied
    prefilled = _("Your plan was prefilled from the plan above: edit it, then issue it.")
    with service_call(request, success=prefilled) as outcome:
        plan = services.plan_derive(parent_plan=parent, unit=unit, created_by=request.user)
    if outcome.ok:
        return redirect("campaigns:plan-edit", pk=plan.pk)
    return redirect("campaigns:plan-detail", pk=parent.pk)


@login_required
def plan_compare(request: HttpRequest, pk: int) -> HttpResponse:
    child = _plan(request, pk)
    if child.parent_plan_id is None:
        messages.info(request, _("This plan was not built from another plan."))
        return redirect("campaigns:plan-detail", pk=child.pk)
    parent = _plan(request, child.parent_plan_id)
    sections = selectors.plan_compare(child=child, parent=parent)
    return render(
        request, "campaigns/plan_compare.html", {"plan": child, "parent": parent, "sections": sections}
    )


@login_required
def movement_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "campaigns/movement_list.html",
        {
            "movements": selectors.movement_list(user=request.user),
            "can_create": writable_role_units(user=request.user).exists(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def movement_create(request: HttpRequest) -> HttpResponse:
    units = _author_units(request)
    form = forms.MovementForm(request.POST or None, units=units, initial={"unit": units.first()})
    if request.method == "POST" and form.is_valid():
        with service_call(request, form=form, success=_("Movement added to the catalogue.")) as outcome:
            services.movement_create(created_by=request.user, **form.cleaned_data)
        if outcome.ok:
            return redirect("campaigns:movement-list")
    return render(request, "campaigns/movement_create.html", {"form": form})


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    data = selectors.inbox(user=request.user)
    page = Paginator(data["deliveries"], 30).get_page(request.GET.get("page"))
    return render(request, "campaigns/inbox.html", {"page": page, "reminders": data["reminders"][:50]})


@login_required
@require_http_methods(["GET", "POST"])
def launch_create(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _plan(request, pk)
    units = selectors.launch_units(user=request.user, plan=plan)
    if not units:
        raise PermissionDenied
    form = forms.LaunchForm(request.POST or None, units=units, initial={"unit": units[0]})
    if request.method == "POST" and form.is_valid():
        with service_call(request, form=form, success=_("Launch recorded.")) as outcome:
            services.launch_create(plan=plan, created_by=request.user, **form.cleaned_data)
        if outcome.ok:
            return redirect("campaigns:plan-detail", pk=plan.pk)
    return render(request, "campaigns/launch_create.html", {"plan": plan, "form": form})
