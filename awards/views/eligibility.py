"""Eligibility pages: a person's or a collective's verdict on each award (with the reason for
each condition), their register lines and evidence; and "who is eligible" for an award in a
subtree, paginated, with an Excel export of the whole list."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.scoping import can_write, default_unit, get_for_user, visible_units
from awards import exports
from awards.forms.eligibility import EligibleListForm, InitiativeForm, ServicePeriodForm, year_from
from awards.models import COLLECTIVE_KINDS, AwardRecord, Initiative, ServicePeriod
from awards.selectors import catalogue as catalogue_selectors
from awards.selectors import eligibility as el
from awards.services import evidence as services
from lib.db import replica
from lib.downloads import XLSX
from lib.errors import service_call
from lib.text import digits
from org import tree
from org.models import Member, Unit

PER_PAGE = 50
COLLECTIVE = [k.value for k in COLLECTIVE_KINDS]


def _board(awards, *, year: int, member: Member | None = None, unit: Unit | None = None) -> list:
    return el.check_many(awards=awards, year=year, member=member, unit=unit)


def _editable(rows, user, unit_of) -> list:
    for row in rows:
        row.editable = can_write(user=user, unit=unit_of(row))
    return rows


@login_required
@require_GET
def member_eligibility(request: HttpRequest, pk: int) -> HttpResponse:
    member = get_for_user(Member.objects.select_related("unit"), request.user, pk=pk)
    year = year_from(request.GET.get("year"))
    awards = catalogue_selectors.with_rules(catalogue_selectors.awards_applying_to(unit=member.unit))
    awards = [a for a in awards.order_by("position", "name") if a.for_persons]
    # A person's register lines follow the person, wherever they were given.
    records = member.award_records.select_related("award").order_by("-year", "-id")
    initiatives = Initiative.objects.filter(member=member).select_related("unit").order_by("-year", "id")
    periods = ServicePeriod.objects.filter(member=member).order_by("start")
    context = {
        "member": member,
        "year": year,
        "board": _board(awards, year=year, member=member),
        "records": records,
        "initiatives": _editable(list(initiatives), request.user, lambda i: i.unit),
        "periods": periods,
        "can_write": can_write(user=request.user, unit=member.unit),
    }
    return render(request, "awards/eligibility_member.html", context)


@login_required
@require_GET
@replica()
def unit_eligibility(request: HttpRequest, pk: int) -> HttpResponse:
    unit = get_for_user(Unit, request.user, pk=pk)
    year = year_from(request.GET.get("year"))
    awards = catalogue_selectors.with_rules(catalogue_selectors.awards_applying_to(unit=unit))
    awards = [a for a in awards.order_by("position", "name") if el.unit_fits(unit, a.recipient_kinds)]
    # A collective's lines follow its successor: those of the units merged into it are shown.
    lineage = el.lineage_ids(unit)
    records = (
        AwardRecord.objects.filter(unit_id__in=lineage, recipient_kind__in=COLLECTIVE)
        .select_related("award")
        .order_by("-year", "-id")
    )
    initiatives = (
        Initiative.objects.filter(unit_id__in=lineage, member__isnull=True)
        .select_related("unit")
        .order_by("-year", "id")
    )
    context = {
        "unit": unit,
        "year": year,
        "board": _board(awards, year=year, unit=unit),
        "records": records,
        "initiatives": _editable(list(initiatives), request.user, lambda i: i.unit),
        "can_write": can_write(user=request.user, unit=unit),
    }
    return render(request, "awards/eligibility_unit.html", context)


# --- who is eligible ---------------------------------------------------------------------------


def _require_in_scope(request: HttpRequest) -> None:
    """An award or unit named in the query that the user may not see answers 404, as an id
    of another unit does everywhere else (not a form error that would confirm it exists)."""
    user = request.user
    award = request.GET.get("award", "").strip()
    if award and not catalogue_selectors.visible_awards(user=user).filter(pk=digits(award) or 0).exists():
        raise Http404
    unit = request.GET.get("unit", "").strip()
    if unit:
        q = Q(code=unit) | Q(pk=int(unit)) if unit.isdigit() else Q(code=unit)
        if not visible_units(user=user).filter(q).exists():
            raise Http404


def _list_form(request: HttpRequest) -> EligibleListForm:
    _require_in_scope(request)
    user = request.user
    return EligibleListForm(
        request.GET if "award" in request.GET else None,
        awards=catalogue_selectors.visible_awards(user=user).filter(is_active=True),
        units=visible_units(user=user),
        initial={"year": year_from(None), "unit": default_unit(user=user)},
    )


def _eligible(form: EligibleListForm, who: str):
    """(who, the eligible list as an ordered queryset, the subtree it covers) for a valid form."""
    award, unit, year = (form.cleaned_data[k] for k in ("award", "unit", "year"))
    if who not in ("members", "units"):
        who = "members" if award.for_persons else "units"
    if who == "members" and not award.for_persons:
        who = "units"
    if who == "units" and not award.for_collectives:
        who = "members"
    reach = catalogue_selectors.reach_within(award=award, unit=unit)
    if who == "members":
        if reach is None:
            return who, Member.objects.none(), reach
        qs = el.eligible_members(award=award, unit=reach, year=year)
        return who, qs.select_related("unit").order_by(tree.tree_order("unit"), "name_folded", "id"), reach
    if reach is None:
        return who, Unit.objects.none(), reach
    return who, el.eligible_units(award=award, unit=reach, year=year).order_by(tree.tree_order()), reach


@login_required
@require_GET
@replica()
def eligible_list(request: HttpRequest) -> HttpResponse:
    form = _list_form(request)
    context: dict = {"form": form}
    if form.is_valid():
        who, qs, reach = _eligible(form, request.GET.get("who", ""))
        context.update(
            award=form.cleaned_data["award"],
            unit=form.cleaned_data["unit"],
            year=form.cleaned_data["year"],
            who=who,
            reach=reach,
            page=Paginator(qs, PER_PAGE).get_page(request.GET.get("page")),
            query=request.GET.copy(),
            listed=True,
        )
        for key in ("page", "who"):
            context["query"].pop(key, None)
    return render(request, "awards/eligibility_list.html", context)


@login_required
@require_GET
@replica()
def eligible_export(request: HttpRequest) -> HttpResponse:
    form = _list_form(request)
    if not form.is_valid():
        return redirect(
            reverse("awards:eligible-list") + (f"?{request.GET.urlencode()}" if request.GET else "")
        )
    award, unit, year = (form.cleaned_data[k] for k in ("award", "unit", "year"))
    who, qs, reach = _eligible(form, request.GET.get("who", ""))
    if who == "members":
        out = exports.eligible_members_xlsx(members=qs, award=award, unit=unit, year=year)
    else:
        out = exports.eligible_units_xlsx(units=qs, award=award, unit=unit, year=year)
    return FileResponse(
        out,
        as_attachment=True,
        filename=f"du-dieu-kien-{award.code}-{unit.code}-{year}.xlsx",
        content_type=XLSX,
    )


# --- evidence: initiatives and periods of union service ---------------------------------------


def _back(initiative_or_member) -> HttpResponse:
    obj = initiative_or_member
    if isinstance(obj, Initiative):
        if obj.member_id:
            return redirect("awards:member-eligibility", pk=obj.member_id)
        return redirect("awards:unit-eligibility", pk=obj.unit_id)
    if isinstance(obj, Member):
        return redirect("awards:member-eligibility", pk=obj.pk)
    return redirect("awards:unit-eligibility", pk=obj.pk)


def _initiative_form(request, *, owner, initiative: Initiative | None) -> HttpResponse:
    initial = {f: getattr(initiative, f) for f in services.INITIATIVE_FIELDS} if initiative else {}
    form = InitiativeForm(request.POST or None, initial=initial or {"year": year_from(None)})
    if request.method == "POST" and form.is_valid():
        with service_call(request, form=form, success=_("Initiative saved.")) as outcome:
            if initiative is not None:
                services.initiative_update(
                    initiative=initiative, updated_by=request.user, **form.cleaned_data
                )
            elif isinstance(owner, Member):
                services.initiative_create(member=owner, created_by=request.user, **form.cleaned_data)
            else:
                services.initiative_create(unit=owner, created_by=request.user, **form.cleaned_data)
        if outcome.ok:
            return _back(initiative or owner)
    context = {"form": form, "owner": owner, "initiative": initiative, "is_member": isinstance(owner, Member)}
    return render(request, "awards/initiative_form.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def member_initiative_create(request: HttpRequest, pk: int) -> HttpResponse:
    member = get_for_user(Member.objects.select_related("unit"), request.user, pk=pk, write=True)
    return _initiative_form(request, owner=member, initiative=None)


@login_required
@require_http_methods(["GET", "POST"])
def unit_initiative_create(request: HttpRequest, pk: int) -> HttpResponse:
    unit = get_for_user(Unit, request.user, pk=pk, write=True)
    return _initiative_form(request, owner=unit, initiative=None)


def _initiative(request: HttpRequest, pk: int) -> Initiative:
    return get_for_user(Initiative.objects.select_related("member", "unit"), request.user, pk=pk, write=True)


@login_required
@require_http_methods(["GET", "POST"])
def initiative_edit(request: HttpRequest, pk: int) -> HttpResponse:
    initiative = _initiative(request, pk)
    return _initiative_form(request, owner=initiative.member or initiative.unit, initiative=initiative)


@login_required
@require_POST
def initiative_delete(request: HttpRequest, pk: int) -> HttpResponse:
    initiative = _initiative(request, pk)
    back = _back(initiative)
    services.initiative_delete(initiative=initiative, deleted_by=request.user)
    messages.success(request, _("Initiative removed."))
    return back


def _service_form(request, *, member: Member, period: ServicePeriod | None) -> HttpResponse:
    initial = {f: getattr(period, f) for f in services.SERVICE_FIELDS} if period else {}
    form = ServicePeriodForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        with service_call(request, form=form, success=_("Period of union service saved.")) as outcome:
            if period is None:
                services.service_period_create(member=member, created_by=request.user, **form.cleaned_data)
            else:
                services.service_period_update(period=period, updated_by=request.user, **form.cleaned_data)
        if outcome.ok:
            return _back(member)
    return render(request, "awards/service_form.html", {"form": form, "member": member, "period": period})


@login_required
@require_http_methods(["GET", "POST"])
def service_create(request: HttpRequest, pk: int) -> HttpResponse:
    member = get_for_user(Member.objects.select_related("unit"), request.user, pk=pk, write=True)
    return _service_form(request, member=member, period=None)


def _period(request: HttpRequest, pk: int) -> ServicePeriod:
    return get_for_user(
        ServicePeriod.objects.select_related("member__unit"),
        request.user,
        pk=pk,
        write=True,
        unit_field="member__unit",
    )


@login_required
@require_http_methods(["GET", "POST"])
def service_edit(request: HttpRequest, pk: int) -> HttpResponse:
    period = _period(request, pk)
    return _service_form(request, member=period.member, period=period)


@login_required
@require_POST
def service_delete(request: HttpRequest, pk: int) -> HttpResponse:
    period = _period(request, pk)
    member = period.member
    services.service_period_delete(period=period, deleted_by=request.user)
    messages.success(request, _("Period of union service removed."))
    return _back(member)
