"""Council pages: councils and their seats, meetings, ballots, closing and the minutes."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.scoping import can_write, get_for_user
from awards.forms import councils as forms
from awards.models import CouncilMember, Meeting, Vote
from awards.papers_decisions import minutes_docx
from awards.selectors import councils as selectors
from awards.services import councils as services
from awards.views.common import attachment, search_text
from lib.downloads import DOCX
from lib.errors import service_call

# --- councils and seats ------------------------------------------------------------------------


@login_required
def council_list(request: HttpRequest) -> HttpResponse:
    q = search_text(request)
    page = Paginator(selectors.council_list(user=request.user, q=q), 30).get_page(request.GET.get("page"))
    return render(
        request,
        "awards/council_list.html",
        {
            "page": page,
            "q": q,
            "can_create": selectors.role_units(user=request.user).exists(),
            "my_ballots": selectors.my_open_seats(user=request.user),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def council_create(request: HttpRequest) -> HttpResponse:
    units = selectors.role_units(user=request.user)
    if not units.exists():
        raise PermissionDenied
    form = forms.CouncilCreateForm(request.POST or None, units=units, initial={"unit": units.first()})
    if request.method == "POST" and form.is_valid():
        with service_call(request, form=form, success=_("Council created: add its members.")) as outcome:
            council = services.council_create(created_by=request.user, **form.cleaned_data)
        if outcome.ok:
            return redirect("awards:council-detail", pk=council.pk)
    return render(request, "awards/council_create.html", {"form": form})


def _seat_form(request: HttpRequest, council, data=None) -> forms.SeatForm:
    source = data if data is not None else request.GET
    member = selectors.scoped_member(user=request.user, pk=source.get("member"))
    if member is not None and not selectors.in_subtree(member.unit, council.unit):
        member = None
    initial = {"role": CouncilMember.Role.MEMBER, "unit": council.unit}
    if member is not None:
        initial.update(
            {"member": member, "full_name": member.full_name, "title": member.position, "unit": member.unit}
        )
    units = selectors.seat_unit_choices(council=council, extra=member.unit if member else None)
    return forms.SeatForm(data, council=council, user=request.user, units=units, initial=initial)


def _council_page(request: HttpRequest, council, seat_form=None, status: int = 200) -> HttpResponse:
    writable = can_write(user=request.user, unit=council.unit)
    q = search_text(request)
    context = {
        "council": council,
        "can_write": writable,
        "seats": selectors.council_seats(council=council),
        "meetings": selectors.meeting_list(council=council),
        "q": q,
        "role_labels": selectors.ROLE_LABELS,
    }
    if writable:
        context["seat_form"] = seat_form or _seat_form(request, council)
        context["results"] = selectors.seat_member_search(user=request.user, council=council, q=q)
        context["candidate_count"] = len(selectors.council_candidates(council=council))
    return render(request, "awards/council_detail.html", context, status=status)


@login_required
def council_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _council_page(request, selectors.council_get(user=request.user, pk=pk))


@login_required
@require_POST
def seat_add(request: HttpRequest, pk: int) -> HttpResponse:
    council = selectors.council_get(user=request.user, pk=pk, write=True)
    form = _seat_form(request, council, data=request.POST)
    if form.is_valid():
        with service_call(request, form=form) as outcome:
            seat = services.seat_add(council=council, added_by=request.user, **form.service_kwargs())
            messages.success(request, _("%(name)s added to the council.") % {"name": seat.full_name})
        if outcome.ok:
            return redirect("awards:council-detail", pk=council.pk)
    return _council_page(request, council, seat_form=form, status=400)


@login_required
@require_POST
def seat_deactivate(request: HttpRequest, pk: int) -> HttpResponse:
    seat = get_for_user(
        CouncilMember.objects.select_related("council__unit"),
        request.user,
        pk=pk,
        write=True,
        unit_field="council__unit",
    )
    with service_call(
        request, success=_("%(name)s no longer sits on the council.") % {"name": seat.full_name}
    ):
        services.seat_deactivate(seat=seat, by=request.user)
    return redirect("awards:council-detail", pk=seat.council_id)


# --- meetings ----------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def meeting_create(request: HttpRequest, pk: int) -> HttpResponse:
    council = selectors.council_get(user=request.user, pk=pk, write=True)
    rounds = selectors.candidate_rounds(council=council)
    wanted = request.POST.get("round") or request.GET.get("round")
    chosen = next((r for r in rounds if str(r.pk) == wanted), rounds[0] if len(rounds) == 1 else None)
    nominations = selectors.council_candidates(council=council, round=chosen) if chosen else []
    seats = (
        council.seats.filter(is_active=True)
        .select_related("unit")
        .order_by(selectors.seat_order(), "full_name", "id")
    )
    form = forms.MeetingOpenForm(
        request.POST or None,
        rounds=rounds,
        nominations=nominations,
        seats=seats,
        initial={
            "round": chosen,
            "held_on": timezone.localdate(),
            "nominations": [n.pk for n in nominations],
            "present": [s.pk for s in seats],
        },
    )
    if request.method == "POST" and form.is_valid():
        success = _("Meeting opened: enter each member's ballot.")
        with service_call(request, form=form, success=success) as outcome:
            meeting = services.meeting_open(council=council, created_by=request.user, **form.cleaned_data)
        if outcome.ok:
            return redirect("awards:meeting-detail", pk=meeting.pk)
    return render(
        request,
        "awards/meeting_create.html",
        {"council": council, "form": form, "rounds": rounds, "chosen": chosen, "nominations": nominations},
    )


@login_required
def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = selectors.meeting_get(user=request.user, pk=pk)
    board = selectors.meeting_board(meeting=meeting)
    writable = can_write(user=request.user, unit=meeting.council.unit)
    context = {
        "meeting": meeting,
        "council": meeting.council,
        "board": board,
        "can_write": writable,
        "decisions": selectors.meeting_decisions(meeting=meeting),
        "is_open": meeting.status == Meeting.Status.OPEN,
        "role_labels": selectors.ROLE_LABELS,
    }
    return render(request, "awards/meeting_detail.html", context)


@login_required
@require_POST
def meeting_present(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = selectors.meeting_get(user=request.user, pk=pk, write=True)
    form = forms.PresenceForm(request.POST, seats=meeting.council.seats.filter(is_active=True))
    if not form.is_valid():
        messages.error(request, _("Mark at least one council member present."))
        return redirect("awards:meeting-detail", pk=meeting.pk)
    with service_call(request, success=_("Attendance saved; recusals computed again.")):
        services.meeting_set_present(meeting=meeting, present=form.cleaned_data["present"], by=request.user)
    return redirect("awards:meeting-detail", pk=meeting.pk)


def _ballot_target(request: HttpRequest, pk: int, seat_pk: int) -> tuple[Meeting, CouncilMember]:
    """The meeting and seat of a ballot page: an officer of the council's unit enters any seat's
    ballot; a seat holder's own account may open its own ballot even outside their scope."""
    seat = CouncilMember.objects.select_related("council__unit", "unit").filter(pk=seat_pk).first()
    try:
        meeting = selectors.meeting_get(user=request.user, pk=pk)
    except Http404:
        own = seat is not None and seat.user_id == request.user.pk
        meeting = (
            Meeting.objects.select_related("council__unit", "round").filter(pk=pk, present=seat).first()
            if own
            else None
        )
        if meeting is None:
            raise
    if seat is None or seat.council_id != meeting.council_id:
        raise Http404
    if not (can_write(user=request.user, unit=meeting.council.unit) or seat.user_id == request.user.pk):
        raise PermissionDenied
    return meeting, seat


@login_required
@require_http_methods(["GET", "POST"])
def meeting_vote(request: HttpRequest, pk: int, seat_pk: int) -> HttpResponse:
    meeting, seat = _ballot_target(request, pk, seat_pk)
    rows = selectors.seat_ballot(meeting=meeting, seat=seat)
    if request.method == "POST":
        choices = {}
        for row in rows:
            value = request.POST.get(f"vote-{row['nominee'].pk}", "")
            if value:
                choices[row["nominee"]] = value
        if not choices:
            messages.warning(request, _("No vote was chosen."))
            return redirect("awards:meeting-vote", pk=meeting.pk, seat_pk=seat.pk)
        success = _("Ballot of %(name)s recorded.") % {"name": seat.full_name}
        with service_call(request, success=success) as outcome:
            services.ballot_cast(meeting=meeting, seat=seat, choices=choices, by=request.user)
        if outcome.ok and can_write(user=request.user, unit=meeting.council.unit):
            return redirect("awards:meeting-detail", pk=meeting.pk)
        return redirect("awards:meeting-vote", pk=meeting.pk, seat_pk=seat.pk)
    return render(
        request,
        "awards/meeting_vote.html",
        {
            "meeting": meeting,
            "seat": seat,
            "rows": rows,
            "choices": Vote.Choice.choices,
            "is_open": meeting.status == Meeting.Status.OPEN,
            "is_present": meeting.present.filter(pk=seat.pk).exists(),
            "can_write": can_write(user=request.user, unit=meeting.council.unit),
        },
    )


@login_required
@require_POST
def meeting_close(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = selectors.meeting_get(user=request.user, pk=pk, write=True)
    with service_call(request, success=_("Meeting closed; results recorded.")):
        services.meeting_close(meeting=meeting, closed_by=request.user)
    return redirect("awards:meeting-detail", pk=meeting.pk)


@login_required
@require_GET
def meeting_minutes(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = selectors.meeting_get(user=request.user, pk=pk)
    return attachment(minutes_docx(meeting), DOCX, f"Biên bản họp hội đồng {meeting.held_on:%d-%m-%Y}.docx")
