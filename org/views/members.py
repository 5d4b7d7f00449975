"""Member pages: list and search within the user's subtree, detail, create, edit, move, status, export."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts.scoping import can_write, get_for_user, writable_units
from lib.db import replica, streamed
from lib.errors import service_call
from lib.text import digits
from org.exports import members_csv_lines, members_xlsx_file
from org.forms.members import MemberForm, MemberMoveForm, MemberStatusForm
from org.models import Member, MemberStatus, Sex
from org.selectors import members as selectors
from org.services import members as services


def _filters(request: HttpRequest) -> dict:
    """The list filters from the query string; an out-of-scope `unit` answers 404."""
    return {
        "unit": selectors.member_filter_unit(user=request.user, unit_id=request.GET.get("unit", "").strip()),
        "q": request.GET.get("q", "").strip()[:100],
        "status": request.GET.get("status", ""),
        "sex": request.GET.get("sex", ""),
    }


@login_required
@replica()
def member_list(request: HttpRequest) -> HttpResponse:
    filters = _filters(request)
    page = selectors.member_page(user=request.user, page=request.GET.get("page"), **filters)
    context = {
        "page": page,
        **filters,
        "statuses": MemberStatus.choices,
        "sexes": Sex.choices,
        "can_create": (
            can_write(user=request.user, unit=filters["unit"])
            if filters["unit"] is not None
            else writable_units(user=request.user).exists()
        ),
    }
    if request.headers.get("HX-Request") and not request.headers.get("HX-History-Restore-Request"):
        response = render(request, "org/_member_results.html", context)
    else:
        response = render(request, "org/member_list.html", context)
    response["Vary"] = "HX-Request"
    return response


@login_required
@replica()
def member_export(request: HttpRequest) -> HttpResponse:
    filters = _filters(request)
    members = selectors.member_list(user=request.user, **filters)
    stem = f"doan-vien-{filters['unit'].code if filters['unit'] else 'tat-ca'}-{timezone.localdate():%Y%m%d}"
    if request.GET.get("format") == "csv":
        response = StreamingHttpResponse(
            streamed(members_csv_lines(members)), content_type="text/csv; charset=utf-8"
        )
        response["Content-Disposition"] = f'attachment; filename="{stem}.csv"'
        return response
    return FileResponse(
        members_xlsx_file(members),
        as_attachment=True,
        filename=f"{stem}.xlsx",
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


@login_required
def member_detail(request: HttpRequest, pk: int) -> HttpResponse:
    member = get_for_user(Member.objects.select_related("unit"), request.user, pk=pk)
    return render(
        request,
        "org/member_detail.html",
        {
            "member": member,
            "unit_path": list(member.unit.get_ancestors()) + [member.unit],
            "moves": selectors.member_moves(member=member),
            "can_write": can_write(user=request.user, unit=member.unit),
        },
    )


def _member_form_page(
    request: HttpRequest, form: MemberForm, member: Member | None, *, save: Callable[[], Member], success: str
) -> HttpResponse:
    """What adding and editing a member share: a valid POST is saved (the service's refusal goes on
    the form) and leads to the member's page; otherwise the form is shown (again)."""
    if request.method == "POST" and form.is_valid():
        with service_call(request, form=form, success=success) as outcome:
            member = save()
        if outcome.ok:
            return redirect("org:member-detail", pk=member.pk)
    return render(request, "org/member_form.html", {"form": form, "member": member})


@login_required
@require_http_methods(["GET", "POST"])
def member_create(request: HttpRequest) -> HttpResponse:
    units = writable_units(user=request.user)
    if not units.exists():
        raise PermissionDenied
    unit_id = digits(request.GET.get("unit", ""))
    initial = {"unit": units.filter(pk=unit_id).first()} if unit_id else {}
    form = MemberForm(request.POST or None, units=units, initial=initial)
    return _member_form_page(
        request,
        form,
        None,
        save=lambda: services.member_create(
            unit=form.cleaned_data["unit"], created_by=request.user, **form.member_data()
        ),
        success=_("Member added."),
    )


@login_required
@require_http_methods(["GET", "POST"])
def member_edit(request: HttpRequest, pk: int) -> HttpResponse:
    member = get_for_user(Member.objects.select_related("unit"), request.user, pk=pk, write=True)
    form = MemberForm(request.POST or None, member=member, initial=MemberForm.initial_for(member))
    return _member_form_page(
        request,
        form,
        member,
        save=lambda: services.member_update(member=member, updated_by=request.user, **form.member_data()),
        success=_("Member saved."),
    )


@login_required
@require_http_methods(["GET", "POST"])
def member_move(request: HttpRequest, pk: int) -> HttpResponse:
    member = get_for_user(Member.objects.select_related("unit"), request.user, pk=pk, write=True)
    form = MemberMoveForm(
        request.POST or None,
        member=member,
        units=writable_units(user=request.user),
        initial={"moved_on": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        services.member_move(
            member=member,
            to_unit=form.cleaned_data["to_unit"],
            moved_on=form.cleaned_data["moved_on"],
            reason=form.cleaned_data["reason"],
            moved_by=request.user,
        )
        messages.success(request, _("Member moved."))
        return redirect("org:member-detail", pk=member.pk)
    return render(request, "org/member_move.html", {"form": form, "member": member})


@login_required
@require_http_methods(["GET", "POST"])
def member_status(request: HttpRequest, pk: int) -> HttpResponse:
    member = get_for_user(Member.objects.select_related("unit"), request.user, pk=pk, write=True)
    form = MemberStatusForm(request.POST or None, member=member, initial={"on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        services.member_set_status(
            member=member,
            status=form.cleaned_data["status"],
            on=form.cleaned_data["on"],
            changed_by=request.user,
        )
        messages.success(request, _("Status changed."))
        return redirect("org:member-detail", pk=member.pk)
    return render(request, "org/member_status.html", {"form": form, "member": member})
