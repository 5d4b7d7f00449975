"""Unit pages: the tree, one unit with its children and roll-ups, search, history, the tree
as of a date, and the restructuring acts (create, edit, merge, split, move, dissolve)."""

import datetime

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from accounts.scoping import (
    can_read,
    can_write,
    default_unit,
    get_for_user,
    scoped,
    visible_units,
    writable_units,
)
from lib.audit import audit_for_object, change_rows
from lib.errors import service_call
from org import tree
from org.forms.units import (
    AsOfForm,
    UnitCreateForm,
    UnitDissolveForm,
    UnitEditForm,
    UnitMergeForm,
    UnitMoveForm,
    UnitSplitForm,
)
from org.models import Member, Unit, UnitStatus
from org.selectors.history import tree_as_of, unit_alive_on, unit_events, unit_parent_links
from org.selectors.search import unit_search
from org.selectors.units import unit_children, unit_rollup
from org.services import restructure
from org.services.units import unit_create as unit_create_service
from org.services.units import unit_update

AS_OF_DEPTH = 4


def _get_unit(request: HttpRequest, pk: int, *, write: bool = False) -> Unit:
    return get_for_user(Unit.objects.select_related("successor"), request.user, pk=pk, write=write)


def _breadcrumbs(unit: Unit, user) -> list[Unit]:
    """Ancestors of the unit that the user may see, top first."""
    return list(scoped(tree.ancestors(unit), user=user, unit_field=""))


def _nearby_codes(unit: Unit, user) -> list[Unit]:
    """Suggestions for the code fields: writable active units around this one."""
    top = tree.ancestor_key(unit, max(unit.depth - 2, 1))
    return list(
        writable_units(user=user)
        .filter(tree.subtree_q(top), tree.top_q(unit.depth + 1), status=UnitStatus.ACTIVE)
        .exclude(pk=unit.pk)
        .order_by(tree.tree_order())
        .only("pk", "code", "name")[:300]
    )


def _require_write(user, *units: Unit | None) -> None:
    for unit in units:
        if unit is not None and not can_write(user=user, unit=unit):
            raise PermissionDenied


def _parent_writable(unit: Unit, user) -> bool:
    """New units of a split or merger go beside `unit`: the user must be able to change its parent."""
    parent = unit.get_parent(update=True)
    return parent is not None and can_write(user=user, unit=parent)


def _parent_name(unit: Unit) -> str:
    parent = unit.get_parent()
    return parent.name if parent is not None else "—"


@login_required
def unit_tree(request: HttpRequest) -> HttpResponse:
    unit = default_unit(user=request.user)
    if unit is None:
        raise Http404
    return redirect("org:unit-detail", pk=unit.pk)


@login_required
def unit_detail(request: HttpRequest, pk: int) -> HttpResponse:
    unit = _get_unit(request, pk)
    show_inactive = request.GET.get("inactive") == "1"
    context = {
        "unit": unit,
        "rollup": unit_rollup(unit=unit),
        "children": unit_children(unit=unit, include_inactive=show_inactive),
        "show_inactive": show_inactive,
        "breadcrumbs": _breadcrumbs(unit, request.user),
        "predecessors": list(unit.predecessors.order_by("code")),
        "can_write": can_write(user=request.user, unit=unit),
    }
    return render(request, "org/unit_detail.html", context)


@require_GET
@login_required
def unit_children_rows(request: HttpRequest, pk: int) -> HttpResponse:
    """The children rows of one unit, for htmx to expand inline."""
    unit = _get_unit(request, pk)
    try:
        level = max(1, min(int(request.GET.get("level", 1)), 6))
    except ValueError:
        level = 1
    show_inactive = request.GET.get("inactive") == "1"
    children = unit_children(unit=unit, include_inactive=show_inactive)
    return render(
        request,
        "org/_unit_children_rows.html",
        {"children": children, "level": level, "show_inactive": show_inactive},
    )


@login_required
def unit_search_view(request: HttpRequest) -> HttpResponse:
    q = request.GET.get("q", "").strip()
    units = Unit.objects.none()
    if q:
        units = unit_search(visible_units(user=request.user), q).order_by("depth", "name_folded", "id")
    page = Paginator(units, 50).get_page(request.GET.get("page"))
    return render(request, "org/unit_search.html", {"page": page, "q": q})


@login_required
def unit_as_of(request: HttpRequest, pk: int) -> HttpResponse:
    unit = _get_unit(request, pk)
    form = AsOfForm(request.GET or None)
    # An ended unit opens on its last day, when it still had its shape.
    on = unit.ended_on - datetime.timedelta(days=1) if unit.ended_on else datetime.date.today()
    if form.is_valid() and form.cleaned_data["on"]:
        on = form.cleaned_data["on"]
    try:
        depth = max(1, min(int(request.GET.get("depth", AS_OF_DEPTH)), 6))
    except ValueError:
        depth = AS_OF_DEPTH
    rows = tree_as_of(root=unit, on=on, max_depth=depth)
    for row_unit, _depth in rows:
        row_unit.readable = can_read(user=request.user, unit=row_unit)
    context = {
        "unit": unit,
        "form": form,
        "on": on,
        "rows": rows,
        "depth": depth,
        "alive": unit_alive_on(unit=unit, on=on),
    }
    return render(request, "org/unit_as_of.html", context)


@login_required
def unit_history(request: HttpRequest, pk: int) -> HttpResponse:
    unit = _get_unit(request, pk)
    events = list(unit_events(unit=unit))
    for event in events:
        for other in [*event.sources.all(), *event.targets.all()]:
            other.readable = can_read(user=request.user, unit=other)
    links = list(unit_parent_links(unit=unit))
    for link in links:
        if link.parent is not None:
            link.parent.readable = can_read(user=request.user, unit=link.parent)
    entries = list(audit_for_object(unit)[:200])
    for e in entries:
        e.rows = change_rows(e)
    context = {
        "unit": unit,
        "events": events,
        "links": links,
        "entries": entries,
        "predecessors": list(unit.predecessors.order_by("code")),
        "breadcrumbs": _breadcrumbs(unit, request.user),
    }
    return render(request, "org/unit_history.html", context)


def _form_page(
    request: HttpRequest, unit: Unit, form, *, action: str, title: str, intro: str = ""
) -> HttpResponse:
    context = {
        "unit": unit,
        "form": form,
        "action": action,
        "title": title,
        "intro": intro,
        "codes": _nearby_codes(unit, request.user),
        "breadcrumbs": _breadcrumbs(unit, request.user),
    }
    return render(request, "org/unit_form.html", context)


@login_required
def unit_create(request: HttpRequest, pk: int) -> HttpResponse:
    parent = _get_unit(request, pk, write=True)
    form = UnitCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if not parent.is_active:
            form.add_error(None, _("Units cannot be added under an inactive unit."))
        else:
            with service_call(request, form=form, success=_("Unit added.")) as outcome:
                child = unit_create_service(parent=parent, created_by=request.user, **form.cleaned_data)
            if outcome.ok:
                return redirect("org:unit-detail", pk=child.pk)
    return _form_page(request, parent, form, action="unit-create", title=_("Add a unit below"))


@login_required
def unit_edit(request: HttpRequest, pk: int) -> HttpResponse:
    unit = _get_unit(request, pk, write=True)
    initial = {k: getattr(unit, k) for k in ("name", "short_name", "sector", "address")}
    form = UnitEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        with service_call(request, form=form, success=_("Unit saved.")) as outcome:
            unit_update(unit=unit, updated_by=request.user, **form.cleaned_data)
        if outcome.ok:
            return redirect("org:unit-detail", pk=unit.pk)
    return _form_page(request, unit, form, action="unit-edit", title=_("Edit unit"))


def _act_record(request: HttpRequest, data: dict) -> dict:
    """What every restructuring act records: when it takes effect, under which decision, why, by whom."""
    return {
        "effective_on": data["effective_on"],
        "decision_number": data["decision_number"],
        "note": data["note"],
        "acted_by": request.user,
    }


@login_required
def unit_move(request: HttpRequest, pk: int) -> HttpResponse:
    unit = _get_unit(request, pk, write=True)
    form = UnitMoveForm(request.POST or None, writable=writable_units(user=request.user), unit=unit)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        _require_write(request.user, data["new_parent"])
        with service_call(request, form=form, success=_("Unit moved.")) as outcome:
            restructure.unit_move(unit=unit, new_parent=data["new_parent"], **_act_record(request, data))
        if outcome.ok:
            return redirect("org:unit-detail", pk=unit.pk)
    return _form_page(
        request,
        unit,
        form,
        action="unit-move",
        title=_("Move to another parent unit"),
        intro=_("The unit moves with all the units and members below it."),
    )


@login_required
def unit_merge(request: HttpRequest, pk: int) -> HttpResponse:
    unit = _get_unit(request, pk, write=True)
    form = UnitMergeForm(request.POST or None, writable=writable_units(user=request.user), unit=unit)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        _require_write(request.user, *data["others"])
        if data["new_unit"] is not None and not _parent_writable(unit, request.user):
            form.add_error(
                None,
                _("The new unit goes under %(parent)s, which you may not change.")
                % {"parent": _parent_name(unit)},
            )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        with service_call(request, form=form, success=_("Units merged.")) as outcome:
            survivor = restructure.units_merge(
                sources=[unit, *data["others"]],
                into=data["into_unit"],
                new_unit=data["new_unit"],
                **_act_record(request, data),
            )
        if outcome.ok:
            return redirect("org:unit-detail", pk=survivor.pk)
    return _form_page(
        request,
        unit,
        form,
        action="unit-merge",
        title=_("Merge units"),
        intro=_(
            "The units below and the members of the merged units move to the unit that remains; "
            "the merged units stay readable, with their history, inside it."
        ),
    )


@login_required
def unit_split(request: HttpRequest, pk: int) -> HttpResponse:
    unit = _get_unit(request, pk, write=True)
    try:
        parts = max(2, min(int(request.GET.get("parts", 2)), 6))
    except ValueError:
        parts = 2
    children = list(
        Unit.objects.filter(tree.children_q(unit), status=UnitStatus.ACTIVE).order_by(tree.tree_order())
    )
    members = list(Member.objects.filter(unit=unit).order_by("name_folded", "id")[:501])
    form = UnitSplitForm(
        request.POST or None,
        writable=writable_units(user=request.user),
        unit=unit,
        parts=parts,
        children=children,
        members=members,
    )
    if request.method == "POST" and form.is_valid() and not _parent_writable(unit, request.user):
        form.add_error(
            None,
            _("The new units go under %(parent)s, which you may not change.")
            % {"parent": _parent_name(unit)},
        )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        with service_call(request, form=form, success=_("Unit split.")) as outcome:
            new_units = restructure.unit_split(unit=unit, parts=form.parts(), **_act_record(request, data))
        if outcome.ok:
            return redirect("org:unit-detail", pk=new_units[0].pk)
    context = {
        "unit": unit,
        "form": form,
        "parts": parts,
        "breadcrumbs": _breadcrumbs(unit, request.user),
    }
    return render(request, "org/unit_split.html", context)


@login_required
def unit_dissolve(request: HttpRequest, pk: int) -> HttpResponse:
    unit = _get_unit(request, pk, write=True)
    form = UnitDissolveForm(request.POST or None, writable=writable_units(user=request.user), unit=unit)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        _require_write(request.user, data["children_to"], data["members_to"])
        with service_call(request, form=form, success=_("Unit dissolved.")) as outcome:
            restructure.unit_dissolve(
                unit=unit,
                transfer_children_to=data["children_to"],
                transfer_members_to=data["members_to"],
                members_leave=data["members_leave"],
                **_act_record(request, data),
            )
        if outcome.ok:
            return redirect("org:unit-detail", pk=unit.pk)
    return _form_page(
        request,
        unit,
        form,
        action="unit-dissolve",
        title=_("Dissolve unit"),
        intro=_(
            "The unit ends; it stays readable with its history. Its units below and its members "
            "move to the units you choose."
        ),
    )
