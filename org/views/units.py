"""Unit pages: the tree, one unit with its children and roll-ups."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from accounts.scoping import default_unit, get_for_user
from org.models import Unit
from org.selectors.units import unit_children, unit_rollup


@login_required
def unit_tree(request: HttpRequest) -> HttpResponse:
    unit = default_unit(user=request.user)
    if unit is None:
        raise Http404
    return redirect("org:unit-detail", pk=unit.pk)


@login_required
def unit_detail(request: HttpRequest, pk: int) -> HttpResponse:
    unit = get_for_user(Unit, request.user, pk=pk)
    return render(
        request,
        "org/unit_detail.html",
        {"unit": unit, "rollup": unit_rollup(unit=unit), "children": unit_children(unit=unit)},
    )
