"""Decision pages: list, draft (from a meeting or by hand), edit the draft, issue, correct by
another decision, and the paper (.docx, PDF). An issued decision has no edit page."""

from __future__ import annotations

import base64
from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.scoping import can_write, scoped
from awards.forms import decisions as forms
from awards.models import Award, Decision
from awards.papers_decisions import decision_docx, decision_pdf, paper_stem
from awards.selectors import councils as selectors
from awards.services import decision_files
from awards.services import decisions as services
from awards.views.common import attachment, search_text
from lib.downloads import DOCX, PDF
from lib.errors import service_call
from lib.text import digits
from org.models import Unit


def _draft(view):
    """Views that change a draft: they get the decision fetched for writing, and an issued one
    is sent back to its page (it is corrected by another decision, never edited)."""

    @wraps(view)
    def wrapper(request: HttpRequest, pk: int, **kwargs) -> HttpResponse:
        decision = selectors.decision_get(user=request.user, pk=pk, write=True)
        if decision.is_issued:
            messages.error(request, _("An issued decision cannot be changed; issue an amending decision."))
            return redirect("awards:decision-detail", pk=decision.pk)
        return view(request, decision, **kwargs)

    return wrapper


@login_required
def decision_list(request: HttpRequest) -> HttpResponse:
    q = search_text(request)
    year = digits(request.GET.get("year", ""))[:4]
    status = request.GET.get("status", "")
    status = status if status in Decision.Status.values else ""
    kind = request.GET.get("kind", "")
    kind = kind if kind in Decision.Kind.values else ""
    decisions = selectors.decision_list(
        user=request.user, q=q, year=int(year) if year else None, status=status, kind=kind
    )
    page = Paginator(decisions, 30).get_page(request.GET.get("page"))
    return render(
        request,
        "awards/decision_list.html",
        {
            "page": page,
            "q": q,
            "year": year,
            "status": status,
            "kind": kind,
            "statuses": Decision.Status.choices,
            "kinds": Decision.Kind.choices,
            "can_create": selectors.role_units(user=request.user).exists(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def decision_create(request: HttpRequest) -> HttpResponse:
    units = selectors.role_units(user=request.user)
    if not units.exists():
        raise PermissionDenied
    form = forms.DecisionCreateForm(
        request.POST or None,
        units=units,
        awards=selectors.awards_for_units(units),
        initial={"unit": units.first(), "year": timezone.localdate().year},
    )
    if request.method == "POST" and form.is_valid():
        with service_call(
            request, form=form, success=_("Draft decision created: add its recipients.")
        ) as outcome:
            decision = services.decision_create(created_by=request.user, **form.cleaned_data)
        if outcome.ok:
            return redirect("awards:decision-edit", pk=decision.pk)
    return render(request, "awards/decision_create.html", {"form": form})


@login_required
@require_POST
def decision_from_meeting(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = selectors.meeting_get(user=request.user, pk=pk, write=True)
    award = Award.objects.filter(
        pk=digits(request.POST.get("award", "")) or 0, nominations__meetings=meeting
    ).first()
    if award is None:
        messages.error(request, _("Choose an award considered at the meeting."))
        return redirect("awards:meeting-detail", pk=meeting.pk)
    success = _("Draft decision created from the meeting: check it, then issue it.")
    with service_call(request, success=success) as outcome:
        decision = services.decision_from_meeting(meeting=meeting, award=award, created_by=request.user)
    if not outcome.ok:
        return redirect("awards:meeting-detail", pk=meeting.pk)
    return redirect("awards:decision-edit", pk=decision.pk)


@login_required
def decision_detail(request: HttpRequest, pk: int) -> HttpResponse:
    decision = selectors.decision_get(user=request.user, pk=pk)
    writable = can_write(user=request.user, unit=decision.unit)
    context = {
        "decision": decision,
        "can_write": writable,
        **selectors.decision_full(decision=decision, user=request.user),
    }
    if decision.is_issued and writable:
        context["correct_form"] = forms.CorrectForm(decision=decision)
    if not decision.is_issued:
        context["problems"] = services.issue_problems(decision)
    return render(request, "awards/decision_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
@_draft
def decision_edit(request: HttpRequest, decision: Decision) -> HttpResponse:
    form = forms.DecisionForm(request.POST or None, initial=forms.DecisionForm.initial_for(decision))
    if request.method == "POST" and form.is_valid():
        with service_call(request, form=form, success=_("Decision saved.")) as outcome:
            services.decision_update(decision=decision, updated_by=request.user, **form.decision_data())
        if outcome.ok:
            return redirect("awards:decision-edit", pk=decision.pk)
    q = search_text(request)
    context = {
        "decision": decision,
        "form": form,
        "lines": list(selectors.decision_lines(decision)),
        "q": q,
        "problems": services.issue_problems(decision),
    }
    if decision.kind == Decision.Kind.AWARD:
        context.update(selectors.decision_candidates(user=request.user, decision=decision, q=q))
    return render(request, "awards/decision_edit.html", context, status=400 if form.errors else 200)


@login_required
@require_POST
@_draft
def decision_line_add(request: HttpRequest, decision: Decision) -> HttpResponse:
    member = selectors.scoped_member(user=request.user, pk=request.POST.get("member"))
    unit_pk = digits(request.POST.get("unit", ""))
    unit = (
        scoped(Unit.objects.all(), user=request.user, unit_field="").filter(pk=int(unit_pk)).first()
        if unit_pk
        else None
    )
    with service_call(request):
        line = services.decision_line_add(decision=decision, added_by=request.user, member=member, unit=unit)
        messages.success(request, _("%(name)s added.") % {"name": line.name})
    return redirect("awards:decision-edit", pk=decision.pk)


@login_required
@require_POST
@_draft
def decision_line_update(request: HttpRequest, decision: Decision, line_pk: int) -> HttpResponse:
    line = get_object_or_404(decision.lines, pk=line_pk)
    form = forms.LineForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("The name cannot be empty."))
        return redirect("awards:decision-edit", pk=decision.pk)
    with service_call(request, success=_("Line saved.")):
        services.decision_line_update(
            decision=decision, line=line, updated_by=request.user, **form.cleaned_data
        )
    return redirect("awards:decision-edit", pk=decision.pk)


@login_required
@require_POST
@_draft
def decision_line_remove(request: HttpRequest, decision: Decision, line_pk: int) -> HttpResponse:
    line = get_object_or_404(decision.lines, pk=line_pk)
    with service_call(request, success=_("%(name)s removed from the decision.") % {"name": line.name}):
        services.decision_line_remove(decision=decision, line=line, removed_by=request.user)
    return redirect("awards:decision-edit", pk=decision.pk)


@login_required
@require_POST
@_draft
def decision_issue(request: HttpRequest, decision: Decision) -> HttpResponse:
    with service_call(request, success=_("Decision issued; the register is updated.")) as outcome:
        services.decision_issue(decision=decision, issued_by=request.user)
    return redirect("awards:decision-detail" if outcome.ok else "awards:decision-edit", pk=decision.pk)


@login_required
@require_POST
@_draft
def decision_discard(request: HttpRequest, decision: Decision) -> HttpResponse:
    with service_call(request, success=_("Draft decision deleted.")) as outcome:
        services.decision_discard(decision=decision, discarded_by=request.user)
    if not outcome.ok:
        return redirect("awards:decision-detail", pk=decision.pk)
    return redirect("awards:decision-list")


@login_required
@require_POST
def decision_correct(request: HttpRequest, pk: int) -> HttpResponse:
    decision = selectors.decision_get(user=request.user, pk=pk, write=True)
    form = forms.CorrectForm(request.POST, decision=decision)
    if not form.is_valid():
        messages.error(request, _("Choose the records to correct and how."))
        return redirect("awards:decision-detail", pk=decision.pk)
    with service_call(request, success=_("Correcting decision drafted: check it, then issue it.")) as outcome:
        new = services.decision_correct(
            decision=decision,
            kind=form.cleaned_data["kind"],
            records=form.cleaned_data["records"],
            created_by=request.user,
        )
    if not outcome.ok:
        return redirect("awards:decision-detail", pk=decision.pk)
    return redirect("awards:decision-edit", pk=new.pk)


@login_required
@require_GET
def decision_document(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    """A draft's paper as it reads now; an issued decision's paper exactly as issued (the stored
    file, refused when its bytes no longer match the SHA-256 stored with it)."""
    decision = selectors.decision_get(user=request.user, pk=pk)
    content_type = DOCX if fmt == "docx" else PDF
    filename = f"{paper_stem(decision)}.{fmt}"
    if decision.is_issued:
        try:
            data, stored = decision_files.decision_file_get(decision=decision, fmt=fmt)
        except decision_files.TamperedFile:
            return render(request, "awards/decision_file_broken.html", {"decision": decision}, status=500)
        response = attachment(data, content_type, filename)
        response["Repr-Digest"] = f"sha-256=:{base64.b64encode(bytes.fromhex(stored.sha256)).decode()}:"
        return response
    build = decision_docx if fmt == "docx" else decision_pdf
    return attachment(build(decision), content_type, filename)
