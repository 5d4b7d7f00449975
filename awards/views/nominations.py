"""Rounds and nominations: list, open and close rounds; propose a list, add nominees with their
achievement reports and evidence, submit it; review it up the tree; the inbox; the papers."""

from __future__ import annotations

import os
from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.scoping import can_write, get_for_user, writable_role_units, writable_units
from awards import papers_nominations as papers
from awards.forms import nominations as forms
from awards.models import Award, Nomination, NominationFile, Nominee, Round
from awards.selectors import nominations as selectors
from awards.services import nominations as services
from awards.views.common import attachment, search_text
from documents.docx import build_docx
from lib.downloads import DOCX
from lib.errors import flash_errors, service_call
from lib.text import digits
from org import tree
from org.models import Member, Unit


def _list_filters(request: HttpRequest, statuses: list[str]) -> tuple[str, str, int | None]:
    """(status, search text, year) of a list page's query string; anything unknown is ignored."""
    status = request.GET.get("status", "")
    year = digits(request.GET.get("year", ""))[:4]
    return (
        status if status in statuses else "",
        search_text(request),
        int(year) if year else None,
    )


def _editable(view):
    """Views that change a nomination itself: they get it fetched for writing, and one that is
    no longer a draft or returned is sent back to its page (see `_refuse_locked`)."""

    @wraps(view)
    def wrapper(request: HttpRequest, pk: int) -> HttpResponse:
        nomination = selectors.nomination_get(user=request.user, pk=pk, write=True)
        if refused := _refuse_locked(request, nomination):
            return refused
        return view(request, nomination)

    return wrapper


def _list_page(request: HttpRequest, template: str, rows, filters: tuple, statuses, **extra) -> HttpResponse:
    """A round or nomination list: a page of 30 rows, and the filters and the status choices
    for the search form above it."""
    status, q, year = filters
    page = Paginator(rows, 30).get_page(request.GET.get("page"))
    context = {"page": page, "status": status, "q": q, "year": year or "", "statuses": statuses.choices}
    return render(request, template, {**context, **extra})


def _refuse_locked(
    request: HttpRequest, nomination: Nomination, *, removed: bool = False
) -> HttpResponse | None:
    """Only a draft or a returned nomination (and a nominee still on it) is changed; anything
    else is sent back to the nomination's page with the reason."""
    if nomination.status in services.EDITABLE and not removed:
        return None
    messages.error(request, _("Only a draft or a returned nomination can be changed."))
    return redirect("awards:nomination-detail", pk=nomination.pk)


# --- rounds ------------------------------------------------------------------------------------


@login_required
@require_GET
def round_list(request: HttpRequest) -> HttpResponse:
    filters = status, q, year = _list_filters(request, Round.Status.values)
    rounds = selectors.round_list(user=request.user, year=year, status=status, q=q)
    can_create = writable_units(user=request.user).exists()
    return _list_page(request, "awards/round_list.html", rounds, filters, Round.Status, can_create=can_create)


def _round_units(user):
    return writable_role_units(user=user)


def _usable_awards(units) -> list[int]:
    """Awards any of `units` may consider: the national catalogue and those kept above them."""
    ids = []
    for award in Award.objects.filter(is_active=True).select_related("unit"):
        if award.unit_id is None or any(tree.is_descendant(u, award.unit) for u in units):
            ids.append(award.pk)
    return ids


@login_required
@require_http_methods(["GET", "POST"])
def round_create(request: HttpRequest) -> HttpResponse:
    units = _round_units(request.user)
    if not units.exists():
        raise PermissionDenied
    if request.method == "POST" and request.POST.get("unit"):
        get_for_user(Unit, request.user, write=True, pk=request.POST["unit"])
    awards = Award.objects.filter(pk__in=_usable_awards(list(units))).order_by("position", "name")
    form = forms.RoundForm(
        request.POST or None,
        units=units,
        awards=awards,
        plans=forms.plans_for(request.user),
        initial={"unit": units.first(), "year": timezone.localdate().year, "kind": Round.Kind.YEAR},
    )
    if request.method == "POST" and form.is_valid():
        with service_call(request, form=form, success=_("The round is open for proposals.")) as outcome:
            rnd = services.round_create(created_by=request.user, **form.cleaned_data)
        if outcome.ok:
            return redirect("awards:round-detail", pk=rnd.pk)
    return render(request, "awards/round_create.html", {"form": form})


@login_required
@require_GET
def round_detail(request: HttpRequest, pk: int) -> HttpResponse:
    rnd = selectors.round_get(user=request.user, pk=pk)
    nominations = selectors.nomination_list(user=request.user, rnd=rnd)
    return render(
        request,
        "awards/round_detail.html",
        {
            "round": rnd,
            "awards": list(rnd.awards.order_by("position", "name")),
            "page": Paginator(nominations, 50).get_page(request.GET.get("page")),
            "can_close": rnd.status == Round.Status.OPEN and can_write(user=request.user, unit=rnd.unit),
            "can_propose": rnd.status == Round.Status.OPEN
            and selectors.proposing_units(user=request.user, rnd=rnd).exists(),
            "can_publish": bool(selectors.notice_candidates(user=request.user, rnd=rnd)),
            "notices": selectors.notices_for_user(user=request.user).filter(round=rnd),
        },
    )


@login_required
@require_POST
def round_close(request: HttpRequest, pk: int) -> HttpResponse:
    rnd = selectors.round_get(user=request.user, pk=pk, write=True)
    with service_call(request, success=_("The round is closed.")):
        services.round_close(round=rnd, closed_by=request.user)
    return redirect("awards:round-detail", pk=pk)


# --- nominations -------------------------------------------------------------------------------


@login_required
@require_GET
def nomination_list(request: HttpRequest) -> HttpResponse:
    filters = status, q, year = _list_filters(request, Nomination.Status.values)
    nominations = selectors.nomination_list(user=request.user, status=status, year=year, q=q)
    return _list_page(request, "awards/nomination_list.html", nominations, filters, Nomination.Status)


@login_required
@require_GET
def nomination_inbox(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.inbox(user=request.user), 30).get_page(request.GET.get("page"))
    return render(request, "awards/nomination_inbox.html", {"page": page})


@login_required
@require_http_methods(["GET", "POST"])
def nomination_create(request: HttpRequest, pk: int) -> HttpResponse:
    rnd = selectors.round_get(user=request.user, pk=pk)
    units = selectors.proposing_units(user=request.user, rnd=rnd)
    if not units.exists():
        raise PermissionDenied
    if rnd.status != Round.Status.OPEN:
        messages.error(request, _("The round is closed."))
        return redirect("awards:round-detail", pk=rnd.pk)
    if request.method == "POST" and request.POST.get("unit"):
        get_for_user(Unit, request.user, write=True, pk=request.POST["unit"])
    form = forms.NominationCreateForm(
        request.POST or None,
        awards=rnd.awards.filter(is_active=True).order_by("position", "name"),
        units=units,
        initial={"unit": units.first(), "award": request.GET.get("award")},
    )
    if request.method == "POST" and form.is_valid():
        with service_call(request, form=form, success=_("Draft created: add the nominees.")) as outcome:
            nomination = services.nomination_create(round=rnd, created_by=request.user, **form.cleaned_data)
        if outcome.ok:
            return redirect("awards:nominee-add", pk=nomination.pk)
    return render(request, "awards/nomination_create.html", {"form": form, "round": rnd})


@login_required
@require_GET
def nomination_detail(request: HttpRequest, pk: int) -> HttpResponse:
    nomination = selectors.nomination_get(user=request.user, pk=pk)
    writer = can_write(user=request.user, unit=nomination.unit)
    editable = writer and nomination.status in services.EDITABLE
    nominees = selectors.nominees_of(nomination)
    decider = services.deciding_unit(nomination=nomination)
    context = {
        "nomination": nomination,
        "nominees": nominees,
        "files": nomination.files.select_related("nominee").order_by("uploaded_at", "id"),
        "steps": selectors.steps_of(nomination),
        "comments": selectors.dossier_comments(nomination),
        "decider": decider,
        "editable": editable,
        "can_withdraw": writer and nomination.status in services.WITHDRAWABLE,
        "can_review": selectors.can_review(user=request.user, nomination=nomination),
        "at_decider": nomination.at_unit_id == decider.pk,
        "missing_minutes": not nomination.minutes_file and not nomination.minutes_number,
        "needs_ground": [n for n in nominees if not n.eligible and not n.override_ground],
        "file_form": forms.FileForm() if editable else None,
    }
    return render(request, "awards/nomination_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
@_editable
def nomination_edit(request: HttpRequest, nomination: Nomination) -> HttpResponse:
    initial = {
        "letter_number": nomination.letter_number,
        "letter_date": nomination.letter_date,
        "minutes_number": nomination.minutes_number,
        "note": nomination.note,
    }
    form = forms.NominationEditForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        with service_call(request, form=form, success=_("Saved.")) as outcome:
            services.nomination_update(nomination=nomination, updated_by=request.user, **form.cleaned_data)
        if outcome.ok:
            return redirect("awards:nomination-detail", pk=nomination.pk)
    return render(request, "awards/nomination_edit.html", {"form": form, "nomination": nomination})


@login_required
@require_GET
def nomination_minutes(request: HttpRequest, pk: int) -> FileResponse:
    nomination = selectors.nomination_get(user=request.user, pk=pk)
    if not nomination.minutes_file:
        raise Http404
    name = nomination.minutes_file.name.rsplit("/", 1)[-1]
    return FileResponse(nomination.minutes_file.open("rb"), as_attachment=True, filename=name)


@login_required
@require_POST
def nomination_submit(request: HttpRequest, pk: int) -> HttpResponse:
    nomination = selectors.nomination_get(user=request.user, pk=pk, write=True)
    try:
        services.nomination_submit(nomination=nomination, submitted_by=request.user)
    except ValidationError as e:
        messages.error(request, _("The nomination was not submitted:"))
        flash_errors(request, e)
    else:
        messages.success(request, _("Submitted to %(unit)s.") % {"unit": nomination.at_unit.name})
    return redirect("awards:nomination-detail", pk=pk)


@login_required
@require_POST
def nomination_review(request: HttpRequest, pk: int) -> HttpResponse:
    nomination = selectors.nomination_get(user=request.user, pk=pk)
    if not selectors.can_review(user=request.user, nomination=nomination):
        raise PermissionDenied
    form = forms.ReviewForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose what to do with the nomination."))
        return redirect("awards:nomination-detail", pk=pk)
    action, comment = form.cleaned_data["action"], form.cleaned_data["comment"]
    with service_call(request):
        if action == "forward":
            services.nomination_forward(nomination=nomination, by=request.user, comment=comment)
            messages.success(request, _("Forwarded to %(unit)s.") % {"unit": nomination.at_unit.name})
        elif action == "return":
            services.nomination_return(nomination=nomination, by=request.user, comment=comment)
            messages.success(
                request, _("Returned to %(unit)s for correction.") % {"unit": nomination.unit.name}
            )
        else:
            services.nomination_to_council(nomination=nomination, by=request.user, comment=comment)
            messages.success(request, _("Sent to the council."))
    return redirect("awards:nomination-detail", pk=pk)


@login_required
@require_POST
def nomination_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    nomination = selectors.nomination_get(user=request.user, pk=pk, write=True)
    with service_call(request, success=_("The nomination was withdrawn.")):
        services.nomination_withdraw(
            nomination=nomination, by=request.user, comment=request.POST.get("comment", "")
        )
    return redirect("awards:nomination-detail", pk=pk)


def _docx(paper, stem: str) -> HttpResponse:
    return attachment(build_docx(paper), DOCX, f"{stem}.docx")


@login_required
@require_GET
def nomination_letter(request: HttpRequest, pk: int) -> HttpResponse:
    nomination = selectors.nomination_get(user=request.user, pk=pk)
    return _docx(papers.proposal_letter(nomination), papers.letter_stem(nomination))


@login_required
@require_GET
def nomination_dossier(request: HttpRequest, pk: int) -> HttpResponse:
    nomination = selectors.nomination_get(user=request.user, pk=pk)
    return attachment(
        papers.dossier_zip(nomination, reader=request.user),
        "application/zip",
        f"Hồ sơ {papers.letter_stem(nomination)}.zip",
    )


# --- nominees ----------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
@_editable
def nominee_add(request: HttpRequest, nomination: Nomination) -> HttpResponse:
    if request.method == "POST":
        form = forms.NomineeAddForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            member = get_for_user(Member, request.user, pk=data["member"]) if data.get("member") else None
            unit = (
                get_for_user(Unit, request.user, pk=data["unit"]) if not member and data.get("unit") else None
            )
            with service_call(request) as outcome:
                nominee = services.nominee_add(
                    nomination=nomination,
                    added_by=request.user,
                    member=member,
                    unit=unit,
                    override_ground=data.get("override_ground") or "",
                )
                messages.success(
                    request, _("%(name)s was added: check the achievement report.") % {"name": nominee.name}
                )
            if outcome.ok:
                return redirect("awards:nominee-edit", pk=nominee.pk)
        else:
            flash_errors(
                request, ValidationError(form.errors.get("__all__", [_("Choose a person or a collective.")]))
            )
    q = search_text(request)
    rules = nomination.rules.get("recipient_kinds", [])
    persons = any(k in ("member", "person", "family") for k in rules)
    collectives = any(k in ("union_group", "grassroots", "collective") for k in rules)
    return render(
        request,
        "awards/nominee_add.html",
        {
            "nomination": nomination,
            "q": q,
            "persons": persons,
            "collectives": collectives,
            "members": selectors.member_candidates(nomination=nomination, q=q) if persons else [],
            "units": selectors.unit_candidates(nomination=nomination, q=q) if collectives else [],
            "nominees": selectors.nominees_of(nomination),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def nominee_edit(request: HttpRequest, pk: int) -> HttpResponse:
    nominee = selectors.nominee_get(user=request.user, pk=pk, write=True)
    nomination = nominee.nomination
    if refused := _refuse_locked(request, nomination, removed=nominee.status == Nominee.Status.REMOVED):
        return refused
    initial = {
        "name": nominee.name,
        "position_title": nominee.position_title,
        "override_ground": nominee.override_ground,
        **(nominee.achievement or {}),
    }
    form = forms.NomineeForm(request.POST or None, person=nominee.is_person, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        with service_call(request, form=form, success=_("Saved.")) as outcome:
            services.nominee_update(
                nominee=nominee,
                updated_by=request.user,
                name=data["name"],
                position_title=data["position_title"],
                override_ground=data["override_ground"],
                achievement=form.achievement(),
            )
        if outcome.ok:
            return redirect(
                reverse("awards:nomination-detail", args=[nomination.pk]) + f"#nominee-{nominee.pk}"
            )
    files = NominationFile.objects.filter(nominee=nominee).order_by("uploaded_at", "id")
    return render(
        request,
        "awards/nominee_edit.html",
        {
            "nominee": nominee,
            "nomination": nomination,
            "form": form,
            "files": files,
            "file_form": forms.FileForm(),
        },
    )


@login_required
@require_POST
def nominee_remove(request: HttpRequest, pk: int) -> HttpResponse:
    nominee = selectors.nominee_get(user=request.user, pk=pk, write=True)
    with service_call(request, success=_("%(name)s was taken off the list.") % {"name": nominee.name}):
        services.nominee_remove(nominee=nominee, removed_by=request.user)
    return redirect("awards:nomination-detail", pk=nominee.nomination_id)


@login_required
@require_GET
def nominee_report(request: HttpRequest, pk: int) -> HttpResponse:
    nominee = selectors.nominee_get(user=request.user, pk=pk)
    return _docx(papers.achievement_report(nominee, reader=request.user), papers.report_stem(nominee))


# --- evidence ----------------------------------------------------------------------------------


@login_required
@require_POST
def nomination_file_add(request: HttpRequest, pk: int) -> HttpResponse:
    nomination = selectors.nomination_get(user=request.user, pk=pk, write=True)
    form = forms.FileForm(request.POST, request.FILES)
    nominee = None
    if not form.is_valid():
        messages.error(request, _("Choose a file."))
    else:
        if form.cleaned_data.get("nominee"):
            nominee = nomination.nominees.filter(pk=form.cleaned_data["nominee"]).first()
            if nominee is None:
                raise Http404
        with service_call(request, success=_("The file was attached.")):
            services.nomination_file_add(
                nomination=nomination,
                upload=form.cleaned_data["file"],
                uploaded_by=request.user,
                nominee=nominee,
                name=form.cleaned_data.get("name") or "",
            )
    if nominee is not None and request.POST.get("back") == "nominee":
        return redirect("awards:nominee-edit", pk=nominee.pk)
    return redirect(reverse("awards:nomination-detail", args=[pk]) + "#files")


def _file(request: HttpRequest, pk: int) -> NominationFile:
    visible = selectors.nominations_for_user(user=request.user)
    try:
        return NominationFile.objects.select_related("nomination__unit").get(pk=pk, nomination__in=visible)
    except (NominationFile.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


@login_required
@require_GET
def nomination_file(request: HttpRequest, pk: int) -> FileResponse:
    evidence = _file(request, pk)
    ext = os.path.splitext(evidence.file.name)[1].lower()
    name = evidence.name if evidence.name.lower().endswith(ext) else f"{evidence.name}{ext}"
    return FileResponse(evidence.file.open("rb"), as_attachment=False, filename=name)


@login_required
@require_POST
def nomination_file_remove(request: HttpRequest, pk: int) -> HttpResponse:
    evidence = _file(request, pk)
    if not can_write(user=request.user, unit=evidence.nomination.unit):
        raise PermissionDenied
    with service_call(request, success=_("The file was removed.")):
        services.nomination_file_remove(file=evidence, removed_by=request.user)
    return redirect(reverse("awards:nomination-detail", args=[evidence.nomination_id]) + "#files")
