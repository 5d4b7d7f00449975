"""Audit pages: who changed what (old -> new) for one member, and for a unit's subtree."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from accounts.scoping import get_for_user
from lib.audit import audit_for_object, audit_for_unit_ids, change_rows
from org import tree
from org.models import Member, Unit

PER_PAGE = 50
# audit_for_unit_ids filters on a list of ids; a province holds thousands of units, so the page
# covers the unit and the nearest levels below it up to this many units.
MAX_UNITS = 2000


def _page_with_rows(request: HttpRequest, entries):
    page = Paginator(entries, PER_PAGE).get_page(request.GET.get("page"))
    for entry in page:
        entry.rows = change_rows(entry)
    return page


@login_required
def member_audit(request: HttpRequest, pk: int) -> HttpResponse:
    member = get_for_user(Member.objects.select_related("unit"), request.user, pk=pk)
    page = _page_with_rows(request, audit_for_object(member))
    return render(request, "org/audit_member.html", {"member": member, "page": page, "entries": page})


@login_required
def unit_audit(request: HttpRequest, pk: int) -> HttpResponse:
    unit = get_for_user(Unit, request.user, pk=pk)
    ids = list(
        Unit.objects.filter(tree.subtree_q(unit))
        .order_by("depth", tree.tree_order())
        .values_list("pk", flat=True)[: MAX_UNITS + 1]
    )
    capped = len(ids) > MAX_UNITS
    page = _page_with_rows(request, audit_for_unit_ids(ids[:MAX_UNITS]))
    return render(
        request,
        "org/audit_unit.html",
        {"unit": unit, "page": page, "entries": page, "capped": capped, "max_units": MAX_UNITS},
    )
