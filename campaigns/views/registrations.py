"""Registration pages: start, edit the collective pledges, submit or reopen, members' pledges
one by one (from a file: imports/views_pledges.py), and the upper level's view of who has
registered, with reminders."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.scoping import can_write, default_unit, get_for_user, scoped, writable_units
from campaigns.forms.registrations import TITLE_SUGGESTIONS, MemberPledgeForm, PledgesForm
from campaigns.models import MemberPledge, Movement, Plan, Registration
from campaigns.selectors import registrations as selectors
from campaigns.selectors.plans import plan_queryset
from campaigns.services import registrations as services
from lib.audit import audit_for_object
from lib.errors import service_call
from org import tree
from org.models import Member, Unit
from org.selectors.search import member_search

PER_PAGE = 50
SEARCH_LIMIT = 20


def _plan(request: HttpRequest, pk: int) -> Plan:
    return get_object_or_404(plan_queryset(user=request.user), pk=pk)


def _registration(request: HttpRequest, pk: int, *, write: bool = False) -> Registration:
    return get_for_user(
        Registration.objects.select_related("plan", "plan__unit", "unit"), request.user, pk=pk, write=write
    )


@login_required
@require_http_methods(["GET", "POST"])
def registration_start(request: HttpRequest, plan_pk: int) -> HttpResponse:
    plan = _plan(request, plan_pk)
    units = writable_units(user=request.user).filter(tree.subtree_q(plan.unit)).order_by(tree.tree_order())
    if request.method == "POST":
        unit_id = request.POST.get("unit", "")
        unit = get_for_user(Unit, request.user, pk=unit_id if unit_id.isdigit() else 0, write=True)
        with service_call(request) as outcome:
            registration = services.registration_start(plan=plan, unit=unit, created_by=request.user)
        if outcome.ok:
            return redirect("campaigns:registration-edit", pk=registration.pk)
        return redirect("campaigns:registration-start", plan_pk=plan.pk)
    mine = Registration.objects.filter(plan=plan, unit__in=units.values("pk")).select_related("unit")
    return render(
        request,
        "campaigns/registration_start.html",
        {"plan": plan, "units": units[:200], "registrations": mine[:200]},
    )


@login_required
@require_GET
def registration_list(request: HttpRequest) -> HttpResponse:
    regs = selectors.registrations_for_user(user=request.user).order_by("-created_at", "-id")
    page = Paginator(regs, PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "campaigns/registration_list.html", {"page": page})


@login_required
@require_GET
def registration_detail(request: HttpRequest, pk: int) -> HttpResponse:
    registration = _registration(request, pk)
    context = {
        "registration": registration,
        "plan": registration.plan,
        "pledges": registration.pledges.select_related("movement", "target"),
        "member_pledges": selectors.member_pledges(registration=registration)[:500],
        "member_pledge_count": registration.member_pledges.count(),
        "can_edit": can_write(user=request.user, unit=registration.unit),
        "history": audit_for_object(registration)[:50],
    }
    return render(request, "campaigns/registration_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def registration_edit(request: HttpRequest, pk: int) -> HttpResponse:
    registration = _registration(request, pk, write=True)
    if registration.status != Registration.Status.DRAFT:
        messages.warning(request, _("This registration has been submitted. Reopen it before changing it."))
        return redirect("campaigns:registration-detail", pk=pk)
    lines = services.pledge_lines(registration=registration)
    if request.method == "POST":
        form = PledgesForm(request.POST, lines=lines)
        if form.is_valid():
            with service_call(request, form=form, success=_("The pledges were saved.")) as outcome:
                services.registration_save(
                    registration=registration,
                    lines=form.cleaned_lines(),
                    note=form.cleaned_data["note"],
                    revision=form.cleaned_data["revision"],
                    saved_by=request.user,
                )
            if outcome.ok:
                return redirect("campaigns:registration-detail", pk=pk)
    else:
        form = PledgesForm(
            lines=lines, initial={"revision": registration.revision, "note": registration.note}
        )
    return render(request, "campaigns/registration_edit.html", {"registration": registration, "form": form})


def _revision(request: HttpRequest) -> int:
    value = request.POST.get("revision", "")
    return int(value) if value.isdigit() else -1


@login_required
@require_POST
def registration_submit(request: HttpRequest, pk: int) -> HttpResponse:
    registration = _registration(request, pk, write=True)
    with service_call(request, success=_("The registration was submitted.")):
        services.registration_submit(
            registration=registration, submitted_by=request.user, revision=_revision(request)
        )
    return redirect("campaigns:registration-detail", pk=pk)


@login_required
@require_POST
def registration_reopen(request: HttpRequest, pk: int) -> HttpResponse:
    registration = _registration(request, pk, write=True)
    with service_call(request, success=_("The registration was reopened.")):
        services.registration_reopen(
            registration=registration, reopened_by=request.user, revision=_revision(request)
        )
    return redirect("campaigns:registration-detail", pk=pk)


def _plan_movements(registration: Registration):
    return Movement.objects.filter(plans=registration.plan).order_by("name")


@login_required
@require_http_methods(["GET", "POST"])
def pledge_add(request: HttpRequest, pk: int) -> HttpResponse:
    """Add one member's pledge; the member is picked by an accent-insensitive search."""
    registration = _registration(request, pk, write=True)
    members = scoped(
        Member.objects.filter(tree.subtree_q(registration.unit, field="unit")).select_related("unit"),
        user=request.user,
    )
    if request.method == "POST":
        form = MemberPledgeForm(request.POST, movements=_plan_movements(registration))
        if form.is_valid():
            member = get_object_or_404(members, pk=form.cleaned_data["member"])
            added = _("The pledge of %(name)s was added.") % {"name": member.full_name}
            with service_call(request, form=form, success=added) as outcome:
                services.member_pledge_add(
                    registration=registration,
                    member=member,
                    title=form.cleaned_data["title"],
                    movement=form.cleaned_data["movement"],
                    note=form.cleaned_data["note"],
                    created_by=request.user,
                )
            if outcome.ok:
                return redirect(f"{request.path}?q=")
    else:
        form = MemberPledgeForm(movements=_plan_movements(registration))
    q = request.GET.get("q", "").strip()
    results = list(member_search(members, q).order_by("name_folded", "id")[:SEARCH_LIMIT]) if q else []
    context = {
        "registration": registration,
        "form": form,
        "q": q,
        "results": results,
        "titles": TITLE_SUGGESTIONS,
        "member_pledges": selectors.member_pledges(registration=registration)[:500],
    }
    if request.headers.get("HX-Request") and request.method == "GET":
        return render(request, "campaigns/_registration_member_results.html", context)
    return render(request, "campaigns/pledge_add.html", context)


@login_required
@require_POST
def pledge_remove(request: HttpRequest, pk: int, pledge_pk: int) -> HttpResponse:
    registration = _registration(request, pk, write=True)
    pledge = get_object_or_404(
        MemberPledge.objects.select_related("registration"), pk=pledge_pk, registration=registration
    )
    with service_call(request):
        services.member_pledge_remove(pledge=pledge, removed_by=request.user)
    return redirect("campaigns:pledge-add", pk=pk)


def _status_unit(request: HttpRequest, data) -> Unit:
    unit_id = data.get("unit", "")
    if unit_id:
        return get_for_user(Unit, request.user, pk=unit_id if unit_id.isdigit() else 0)
    unit = default_unit(user=request.user)
    if unit is None:
        raise PermissionDenied
    return unit


def _level(data) -> str:
    return (
        selectors.LEVEL_GRASSROOTS
        if data.get("level") == selectors.LEVEL_GRASSROOTS
        else selectors.LEVEL_CHILDREN
    )


@login_required
@require_GET
def registration_status(request: HttpRequest, plan_pk: int) -> HttpResponse:
    """Who has registered under the plan, among the units below the chosen unit."""
    plan = _plan(request, plan_pk)
    unit = _status_unit(request, request.GET)
    level, state = _level(request.GET), request.GET.get("state", "")
    units = selectors.status_units(plan=plan, unit=unit, level=level, state=state)
    page = Paginator(units, PER_PAGE).get_page(request.GET.get("page"))
    rows = list(page.object_list)
    subtree = (
        selectors.subtree_registration_counts(plan=plan, units=rows)
        if level == selectors.LEVEL_CHILDREN
        else {}
    )
    for row in rows:
        row.subtree = subtree.get(row.pk)
    context = {
        "plan": plan,
        "unit": unit,
        "level": level,
        "state": state,
        "page": page,
        "rows": rows,
        "summary": selectors.status_summary(plan=plan, unit=unit, level=level),
        "can_remind": can_write(user=request.user, unit=unit),
        "levels": [
            (selectors.LEVEL_CHILDREN, _("Units of the level below")),
            (selectors.LEVEL_GRASSROOTS, _("All grassroots unions")),
        ],
        "states": [("", _("All")), (selectors.STATE_NONE, _("Not registered")), *Registration.Status.choices],
    }
    return render(request, "campaigns/registration_status.html", context)


@login_required
@require_POST
def registration_remind(request: HttpRequest, plan_pk: int) -> HttpResponse:
    """Remind one unit (`target`) or every unit that has not registered yet."""
    plan = _plan(request, plan_pk)
    unit = _status_unit(request, request.POST)
    if not can_write(user=request.user, unit=unit):
        raise PermissionDenied
    level = _level(request.POST)
    candidates = selectors.status_units(plan=plan, unit=unit, level=level, state=selectors.STATE_NONE)
    target = request.POST.get("target", "")
    if target:
        candidates = candidates.filter(pk=target if target.isdigit() else 0)
    reminders = services.reminder_send(plan=plan, units=candidates, sent_by=request.user)
    messages.success(request, _("%(count)s reminders sent.") % {"count": len(reminders)})
    url = reverse("campaigns:registration-status", args=[plan.pk])
    return redirect(f"{url}?unit={unit.pk}&level={level}")
