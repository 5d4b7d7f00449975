"""Cluster and covenant pages: define clusters, rotate the head, write a covenant, open it,
and sign it for a member unit."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.scoping import can_write, default_unit, get_for_user, writable_units
from campaigns.forms.covenants import ClusterForm, CovenantForm, SignForm
from campaigns.models import Cluster, Covenant, Plan
from campaigns.selectors import covenants as selectors
from campaigns.selectors.plans import visible_plans
from campaigns.services import covenants as services
from lib.audit import audit_for_object
from lib.errors import flash_form_errors, service_call
from org import tree
from org.models import Unit, UnitStatus

PER_PAGE = 50
MAX_CANDIDATES = 500


def _candidates(unit: Unit):
    """Units a cluster of `unit` may group: the two levels below it."""
    return (
        Unit.objects.filter(tree.subtree_q(unit, strict=True, levels=2))
        .filter(status=UnitStatus.ACTIVE)
        .order_by(tree.tree_order())
    )


def _cluster(request: HttpRequest, pk: int) -> Cluster:
    return get_object_or_404(selectors.clusters_for_user(user=request.user), pk=pk)


def _covenant(request: HttpRequest, pk: int) -> Covenant:
    return get_object_or_404(selectors.covenants_for_user(user=request.user), pk=pk)


def _cluster_fields(form: ClusterForm) -> dict:
    """The cluster's own fields as the create and update services take them."""
    data = form.cleaned_data
    return {"name": data["name"], "kind": data["kind"], "members": list(data["members"])}


def _require_definer(request: HttpRequest, cluster: Cluster) -> None:
    if not can_write(user=request.user, unit=cluster.unit):
        raise PermissionDenied


@login_required
@require_GET
def cluster_list(request: HttpRequest) -> HttpResponse:
    clusters = selectors.clusters_for_user(user=request.user).order_by(tree.tree_order("unit"), "name")
    page = Paginator(clusters, PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "campaigns/cluster_list.html", {"page": page})


@login_required
@require_http_methods(["GET", "POST"])
def cluster_create(request: HttpRequest) -> HttpResponse:
    unit_id = request.GET.get("unit", "")
    if unit_id:
        unit = get_for_user(Unit, request.user, pk=unit_id if unit_id.isdigit() else 0, write=True)
    else:
        unit = default_unit(user=request.user)
        if unit is None or not can_write(user=request.user, unit=unit):
            raise PermissionDenied
    candidates = _candidates(unit)
    if request.method == "POST":
        form = ClusterForm(request.POST, candidates=candidates)
        if form.is_valid():
            fields = _cluster_fields(form)
            with service_call(request, form=form) as outcome:
                cluster = services.cluster_create(
                    unit=unit, **fields, head=fields["members"][0], created_by=request.user
                )
            if outcome.ok:
                return redirect("campaigns:cluster-detail", pk=cluster.pk)
    else:
        form = ClusterForm(candidates=candidates)
    return render(
        request,
        "campaigns/cluster_form.html",
        {"form": form, "unit": unit, "cluster": None, "too_many": candidates.count() > MAX_CANDIDATES},
    )


@login_required
@require_http_methods(["GET", "POST"])
def cluster_edit(request: HttpRequest, pk: int) -> HttpResponse:
    cluster = _cluster(request, pk)
    _require_definer(request, cluster)
    candidates = _candidates(cluster.unit)
    if request.method == "POST":
        form = ClusterForm(request.POST, candidates=candidates)
        if form.is_valid():
            with service_call(request, form=form) as outcome:
                services.cluster_update(cluster=cluster, **_cluster_fields(form), updated_by=request.user)
            if outcome.ok:
                return redirect("campaigns:cluster-detail", pk=cluster.pk)
    else:
        form = ClusterForm(
            candidates=candidates,
            initial={
                "name": cluster.name,
                "kind": cluster.kind,
                "members": [u.pk for u in services.cluster_members(cluster=cluster)],
            },
        )
    return render(
        request, "campaigns/cluster_form.html", {"form": form, "unit": cluster.unit, "cluster": cluster}
    )


@login_required
@require_GET
def cluster_detail(request: HttpRequest, pk: int) -> HttpResponse:
    cluster = _cluster(request, pk)
    plans = (
        visible_plans(user=request.user)
        .filter(
            status=Plan.Status.ISSUED,
        )
        .filter(tree.ancestors_q(cluster.unit, field="unit", include_self=True))
        .exclude(covenants__cluster=cluster)
    )
    context = {
        "cluster": cluster,
        "members": services.cluster_members(cluster=cluster),
        "heads": cluster.heads.select_related("unit")[:10],
        "covenants": cluster.covenants.select_related("plan").order_by("-year", "-id"),
        "can_manage": can_write(user=request.user, unit=cluster.unit),
        "plans": plans[:50],
    }
    return render(request, "campaigns/cluster_detail.html", context)


@login_required
@require_POST
def cluster_rotate(request: HttpRequest, pk: int) -> HttpResponse:
    cluster = _cluster(request, pk)
    _require_definer(request, cluster)
    with service_call(request) as outcome:
        head = services.cluster_head_rotate(cluster=cluster, rotated_by=request.user)
    if outcome.ok:
        messages.success(
            request, _("%(unit)s heads the cluster in %(year)s.") % {"unit": head.unit, "year": head.year}
        )
    return redirect("campaigns:cluster-detail", pk=pk)


@login_required
@require_http_methods(["GET", "POST"])
def covenant_create(request: HttpRequest, pk: int) -> HttpResponse:
    """Write the cluster's covenant under a plan: one clause per plan movement and target."""
    cluster = _cluster(request, pk)
    _require_definer(request, cluster)
    plan_id = request.GET.get("plan") or request.POST.get("plan") or ""
    plan = get_object_or_404(visible_plans(user=request.user), pk=plan_id if plan_id.isdigit() else 0)
    lines = services.clause_lines(plan=plan)
    if request.method == "POST":
        form = CovenantForm(request.POST, lines=lines)
        if form.is_valid():
            with service_call(request, form=form) as outcome:
                covenant = services.covenant_create(
                    cluster=cluster,
                    plan=plan,
                    title=form.cleaned_data["title"],
                    place=form.cleaned_data["place"],
                    clauses=form.cleaned_lines(),
                    created_by=request.user,
                )
            if outcome.ok:
                return redirect("campaigns:covenant-detail", pk=covenant.pk)
    else:
        title = _("Emulation covenant of %(cluster)s, %(year)s") % {
            "cluster": cluster.name,
            "year": plan.year,
        }
        form = CovenantForm(lines=lines, initial={"title": title})
    return render(request, "campaigns/covenant_create.html", {"cluster": cluster, "plan": plan, "form": form})


def _signable_units(request: HttpRequest, covenant: Covenant):
    """Member units the user may sign for and that have not signed yet."""
    signed = covenant.signatures.values("unit_id")
    return (
        writable_units(user=request.user)
        .filter(pk__in=covenant.cluster.memberships.filter(left_on__isnull=True).values("unit_id"))
        .exclude(pk__in=signed)
        .order_by(tree.tree_order())
    )


@login_required
@require_GET
def covenant_detail(request: HttpRequest, pk: int) -> HttpResponse:
    covenant = _covenant(request, pk)
    signatures, unsigned = selectors.covenant_signatories(covenant=covenant)
    signable = (
        _signable_units(request, covenant) if covenant.status == Covenant.Status.OPEN else Unit.objects.none()
    )
    context = {
        "covenant": covenant,
        "clauses": covenant.clauses.select_related("movement", "target"),
        "signatures": signatures,
        "unsigned": unsigned,
        "sign_form": SignForm(units=signable, initial={"signer_name": request.user.full_name}),
        "can_sign": signable.exists(),
        "can_manage": can_write(user=request.user, unit=covenant.cluster.unit),
        "history": audit_for_object(covenant)[:30],
    }
    return render(request, "campaigns/covenant_detail.html", context)


@login_required
@require_POST
def covenant_open(request: HttpRequest, pk: int) -> HttpResponse:
    covenant = _covenant(request, pk)
    if not can_write(user=request.user, unit=covenant.cluster.unit):
        raise PermissionDenied
    with service_call(request):
        services.covenant_open(covenant=covenant, opened_by=request.user)
    return redirect("campaigns:covenant-detail", pk=pk)


@login_required
@require_POST
def covenant_sign(request: HttpRequest, pk: int) -> HttpResponse:
    """Sign for one member unit: only a writer of that unit, and only once."""
    covenant = _covenant(request, pk)
    unit_id = request.POST.get("unit", "")
    unit = get_for_user(Unit, request.user, pk=unit_id if unit_id.isdigit() else 0)
    if not covenant.cluster.memberships.filter(unit=unit, left_on__isnull=True).exists():
        raise Http404
    if not can_write(user=request.user, unit=unit):
        raise PermissionDenied
    form = SignForm(request.POST, units=Unit.objects.filter(pk=unit.pk))
    if not form.is_valid():
        flash_form_errors(request, form)
        return redirect("campaigns:covenant-detail", pk=pk)
    with service_call(request, success=_("%(unit)s has signed the covenant.") % {"unit": unit}):
        services.covenant_sign(
            covenant=covenant,
            unit=unit,
            signer_name=form.cleaned_data["signer_name"],
            signer_title=form.cleaned_data["signer_title"],
            recorded_by=request.user,
        )
    return redirect("campaigns:covenant-detail", pk=pk)
