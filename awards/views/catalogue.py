"""Catalogue pages: the awards a user sees, one award in plain words, and (for administrators of
the unit that keeps it) editing an award, its conditions and its quotas."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import F, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.scoping import administered_units
from awards.forms.catalogue import AwardForm, ConditionForm, QuotaForm
from awards.models import Award, AwardCondition, AwardQuota, RecipientKind
from awards.selectors import catalogue as selectors
from awards.services import catalogue as services
from awards.views.common import search_text
from lib.errors import service_call
from org import tree
from org.models import UnitLevel
from org.selectors.search import name_filter

PER_PAGE = 50


def _award(request: HttpRequest, pk: int, *, edit: bool = False) -> Award:
    """An award the user sees (404 otherwise); with `edit`, one they may change (403 otherwise)."""
    awards = selectors.with_rules(selectors.visible_awards(user=request.user)).select_related("unit")
    award = get_object_or_404(awards, pk=pk)
    if edit and not selectors.can_edit_award(user=request.user, award=award):
        raise PermissionDenied
    return award


def _labels(award: Award) -> None:
    """Plain labels of the award's lists of values, for the templates."""
    kinds = dict(RecipientKind.choices)
    levels = dict(UnitLevel.choices)
    award.given_to = [kinds.get(k, k) for k in award.recipient_kinds]
    award.proposed_by = [levels.get(x, x) for x in award.proposer_levels]


@login_required
@require_GET
def award_list(request: HttpRequest) -> HttpResponse:
    awards = selectors.visible_awards(user=request.user).select_related("unit")
    show_all = request.GET.get("all") == "1"
    if not show_all:
        awards = awards.filter(is_active=True)
    q = search_text(request)
    if q:
        awards = name_filter(awards, q)
    awards = awards.order_by(F(tree.tree_order("unit")).asc(nulls_first=True), "position", "name")
    page = Paginator(awards, PER_PAGE).get_page(request.GET.get("page"))
    for award in page:
        _labels(award)
    context = {
        "page": page,
        "q": q,
        "show_all": show_all,
        "can_create": selectors.can_create_award(user=request.user),
    }
    return render(request, "awards/catalogue_list.html", context)


@login_required
@require_GET
def award_detail(request: HttpRequest, pk: int) -> HttpResponse:
    award = _award(request, pk)
    _labels(award)
    can_edit = selectors.can_edit_award(user=request.user, award=award)
    context = {
        "award": award,
        **selectors.award_rules_view(award),
        "can_edit": can_edit,
        "in_use": can_edit and services.award_in_use(award),
    }
    return render(request, "awards/award_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def award_create(request: HttpRequest) -> HttpResponse:
    if not selectors.can_create_award(user=request.user):
        raise PermissionDenied
    national = selectors.can_keep_national(user=request.user)
    form = AwardForm(
        request.POST or None,
        units=administered_units(user=request.user),
        national=national,
        initial=AwardForm.initial_for(None),
    )
    if request.method == "POST" and form.is_valid():
        unit = form.cleaned_data.get("unit")
        if unit is None and not national:
            form.add_error("unit", _("Choose the unit that keeps the award."))
        else:
            with service_call(
                request, form=form, success=_("Award added. Now write its conditions.")
            ) as outcome:
                award = services.award_create(
                    unit=unit, created_by=request.user, code=form.cleaned_data["code"], **form.award_data()
                )
            if outcome.ok:
                return redirect("awards:award-detail", pk=award.pk)
    return render(request, "awards/award_form.html", {"form": form, "award": None})


@login_required
@require_http_methods(["GET", "POST"])
def award_edit(request: HttpRequest, pk: int) -> HttpResponse:
    award = _award(request, pk, edit=True)
    form = AwardForm(request.POST or None, initial=AwardForm.initial_for(award))
    if request.method == "POST" and form.is_valid():
        success = _("Award saved. Nominations already made keep their rules.")
        with service_call(request, form=form, success=success) as outcome:
            services.award_update(award=award, updated_by=request.user, **form.award_data())
        if outcome.ok:
            return redirect("awards:award-detail", pk=award.pk)
    return render(request, "awards/award_form.html", {"form": form, "award": award})


@login_required
@require_POST
def award_active(request: HttpRequest, pk: int) -> HttpResponse:
    award = _award(request, pk, edit=True)
    active = request.POST.get("active") == "1"
    services.award_set_active(award=award, active=active, changed_by=request.user)
    messages.success(request, _("Award offered again.") if active else _("Award deactivated."))
    return redirect("awards:award-detail", pk=award.pk)


@login_required
@require_POST
def award_delete(request: HttpRequest, pk: int) -> HttpResponse:
    award = _award(request, pk, edit=True)
    try:
        services.award_delete(award=award, deleted_by=request.user)
    except ValidationError as e:
        messages.error(request, " ".join(e.messages))
        return redirect("awards:award-detail", pk=award.pk)
    messages.success(request, _("Award deleted."))
    return redirect("awards:award-list")


# --- conditions --------------------------------------------------------------------------------


def _award_part(request: HttpRequest, parts: QuerySet, pk: int):
    """A condition or quota of an award the user sees (404 otherwise) and may change (403)."""
    part = get_object_or_404(parts.filter(award__in=selectors.visible_awards(user=request.user)), pk=pk)
    if not selectors.can_edit_award(user=request.user, award=part.award):
        raise PermissionDenied
    return part


def _condition(request: HttpRequest, pk: int) -> AwardCondition:
    return _award_part(request, AwardCondition.objects.select_related("award__unit"), pk)


def _condition_form(request: HttpRequest, award: Award, condition: AwardCondition | None) -> HttpResponse:
    include = [condition.params.get("award")] if condition and condition.params.get("award") else []
    form = ConditionForm(
        request.POST or None,
        award_choices=selectors.award_choices(user=request.user, include=include),
        initial=ConditionForm.initial_for(condition),
    )
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        fields = {
            "kind": d["kind"],
            "params": form.params(),
            "text": d["text"],
            "regulation": d["regulation"],
        }
        success = _("Condition saved. Nominations already made keep their rules.")
        with service_call(request, form=form, success=success) as outcome:
            if condition is None:
                services.condition_add(award=award, added_by=request.user, position=d["position"], **fields)
            else:
                services.condition_update(
                    condition=condition, updated_by=request.user, position=d["position"], **fields
                )
        if outcome.ok:
            return redirect("awards:award-detail", pk=award.pk)
    context = {"form": form, "award": award, "condition": condition}
    return render(request, "awards/award_condition_form.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def condition_create(request: HttpRequest, pk: int) -> HttpResponse:
    return _condition_form(request, _award(request, pk, edit=True), None)


@login_required
@require_http_methods(["GET", "POST"])
def condition_edit(request: HttpRequest, pk: int) -> HttpResponse:
    condition = _condition(request, pk)
    return _condition_form(request, condition.award, condition)


@login_required
@require_POST
def condition_delete(request: HttpRequest, pk: int) -> HttpResponse:
    condition = _condition(request, pk)
    award = condition.award
    services.condition_remove(condition=condition, removed_by=request.user)
    messages.success(request, _("Condition removed."))
    return redirect("awards:award-detail", pk=award.pk)


# --- quotas ------------------------------------------------------------------------------------


def _quota(request: HttpRequest, pk: int) -> AwardQuota:
    return _award_part(request, AwardQuota.objects.select_related("award__unit", "of_award"), pk)


def _quota_form(request: HttpRequest, award: Award, quota: AwardQuota | None) -> HttpResponse:
    include = [quota.of_award.code] if quota and quota.of_award_id else []
    form = QuotaForm(
        request.POST or None,
        award_choices=selectors.award_choices(user=request.user, include=include),
        initial=QuotaForm.initial_for(quota),
    )
    if request.method == "POST" and form.is_valid():
        fields = form.cleaned_data
        success = _("Quota saved. Nominations already made keep their rules.")
        with service_call(request, form=form, success=success) as outcome:
            if quota is None:
                services.quota_add(award=award, added_by=request.user, **fields)
            else:
                services.quota_update(quota=quota, updated_by=request.user, **fields)
        if outcome.ok:
            return redirect("awards:award-detail", pk=award.pk)
    return render(request, "awards/award_quota_form.html", {"form": form, "award": award, "quota": quota})


@login_required
@require_http_methods(["GET", "POST"])
def quota_create(request: HttpRequest, pk: int) -> HttpResponse:
    return _quota_form(request, _award(request, pk, edit=True), None)


@login_required
@require_http_methods(["GET", "POST"])
def quota_edit(request: HttpRequest, pk: int) -> HttpResponse:
    quota = _quota(request, pk)
    return _quota_form(request, quota.award, quota)


@login_required
@require_POST
def quota_delete(request: HttpRequest, pk: int) -> HttpResponse:
    quota = _quota(request, pk)
    award = quota.award
    services.quota_remove(quota=quota, removed_by=request.user)
    messages.success(request, _("Quota removed."))
    return redirect("awards:award-detail", pk=award.pk)
