"""Certificate pages: a record's certificate, a decision's batch with its progress and file, and
the blank layouts (phôi) of a unit. Every object is fetched through accounts.scoping."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q, QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts.scoping import can_write, get_for_user, scoped, scoped_with_above, writable_units
from awards.forms.certificates import BatchForm, BlankLayoutForm
from awards.models import AwardRecord, BlankLayout, CertificateBatch, Decision
from awards.services import certificate_batches as batches
from awards.services import certificates as cs
from awards.views.common import attachment
from lib.downloads import PDF, content_disposition
from lib.errors import service_call
from org import tree

RECORDS_PER_PAGE = 100


def usable_layouts(user) -> QuerySet[BlankLayout]:
    """Layouts of the user's subtrees and of the units above them (a federation's blanks are
    printed on by the units below it too); changed only inside the user's subtrees."""
    return scoped_with_above(BlankLayout.objects.select_related("unit"), user=user, published=Q())


def _issued(user) -> QuerySet[Decision]:
    return scoped(Decision.objects.filter(status=Decision.Status.ISSUED), user=user)


def _stem(record: AwardRecord) -> str:
    heading = cs.record_heading(record)
    return f"{heading.capitalize()} {record.name} {record.verify_code}"


# --- decisions and single certificates ---------------------------------------------------------


@require_GET
@login_required
def certificate_list(request: HttpRequest) -> HttpResponse:
    """Issued decisions of the user's subtrees (revocations print nothing), each with its number
    of valid awards."""
    decisions = (
        _issued(request.user)
        .exclude(kind=Decision.Kind.REVOKE)
        .select_related("unit", "award")
        .annotate(valid=Count("records", filter=Q(records__status=AwardRecord.Status.VALID)))
        .order_by("-signed_on", "-id")
    )
    page = Paginator(decisions, 30).get_page(request.GET.get("page"))
    return render(request, "awards/certificate_list.html", {"page": page})


@require_GET
@login_required
def certificate_decision(request: HttpRequest, pk: int) -> HttpResponse:
    """One issued decision's certificates: each record, the batch form and earlier batches."""
    decision = get_for_user(_issued(request.user).select_related("unit", "award"), request.user, pk=pk)
    records = decision.records.select_related("revoked_by").order_by("line__position", "line_id", "id")
    layouts = list(usable_layouts(request.user))
    return render(
        request,
        "awards/certificate_decision.html",
        {
            "decision": decision,
            "page": Paginator(records, RECORDS_PER_PAGE).get_page(request.GET.get("page")),
            "batches": decision.certificate_batches.select_related("created_by", "blank")[:10],
            "layouts": layouts,
            "form": BatchForm(layouts=usable_layouts(request.user)),
            "can_write": can_write(user=request.user, unit=decision.unit),
        },
    )


def _record(request: HttpRequest, pk: int) -> AwardRecord:
    records = cs.records_for_certificates(AwardRecord.objects.all())
    return get_for_user(records, request.user, pk=pk)


def _refused(request: HttpRequest, record: AwardRecord, exc: ValidationError) -> HttpResponse:
    context = {"record": record, "reasons": exc.messages}
    return render(request, "awards/certificate_refused.html", context, status=409)


@require_GET
@login_required
def certificate_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    record = _record(request, pk)
    try:
        data = cs.certificate_pdf(record=record, base_url=cs.site_url(request))
    except ValidationError as exc:
        return _refused(request, record, exc)
    return attachment(data, PDF, f"{_stem(record)}.pdf")


@require_GET
@login_required
def certificate_blank(request: HttpRequest, pk: int, layout_pk: int) -> HttpResponse:
    """One record's text alone, placed for a pre-printed blank."""
    record = _record(request, pk)
    layout = get_object_or_404(usable_layouts(request.user), pk=layout_pk)
    try:
        data = cs.blank_pdf(record=record, layout=layout, base_url=cs.site_url(request))
    except ValidationError as exc:
        return _refused(request, record, exc)
    return attachment(data, PDF, f"{_stem(record)} phôi.pdf")


# --- batches -----------------------------------------------------------------------------------


@require_POST
@login_required
def batch_create(request: HttpRequest, pk: int) -> HttpResponse:
    decision = get_for_user(
        _issued(request.user).select_related("unit", "award"), request.user, pk=pk, write=True
    )
    form = BatchForm(request.POST, layouts=usable_layouts(request.user))
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect("awards:certificate-decision", pk=decision.pk)
    with service_call(request) as outcome:
        batch = batches.batch_create(
            decision=decision,
            created_by=request.user,
            format=form.cleaned_data["format"],
            layout=form.cleaned_data["layout"],
            blank=form.cleaned_data["blank"],
            base_url=cs.site_url(request),
        )
    if not outcome.ok:
        return redirect("awards:certificate-decision", pk=decision.pk)
    return redirect("awards:certificate-batch-detail", pk=batch.pk)


def _batch(request: HttpRequest, pk: int) -> CertificateBatch:
    batches_qs = CertificateBatch.objects.select_related(
        "decision__award", "decision__unit", "blank", "created_by"
    )
    return get_for_user(batches_qs, request.user, pk=pk)


def _batch_context(batch: CertificateBatch) -> dict:
    return {
        "batch": batch,
        "percent": batches.batch_progress(batch),
        "filename": batches.batch_filename(batch),
    }


@require_GET
@login_required
def batch_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return render(request, "awards/certificate_batch.html", _batch_context(_batch(request, pk)))


@require_GET
@login_required
def batch_progress(request: HttpRequest, pk: int) -> HttpResponse:
    """The progress bar (polled by htmx every second), or the download once the batch is done."""
    return render(request, "awards/certificate_batch_status.html", _batch_context(_batch(request, pk)))


@require_GET
@login_required
def batch_download(request: HttpRequest, pk: int) -> FileResponse:
    """The batch's file, only through this scoped view (MEDIA is never served)."""
    batch = _batch(request, pk)
    if batch.status != CertificateBatch.Status.DONE or not batch.file:
        raise Http404
    try:
        handle = batch.file.open("rb")
    except OSError:
        raise Http404
    content_type = "application/zip" if batch.format == CertificateBatch.Format.ZIP else PDF
    response = FileResponse(handle, content_type=content_type)
    response["Content-Disposition"] = content_disposition(batches.batch_filename(batch))
    return response


# --- blank layouts -----------------------------------------------------------------------------


@require_GET
@login_required
def blank_list(request: HttpRequest) -> HttpResponse:
    layouts = usable_layouts(request.user).order_by("unit__depth", tree.tree_order("unit"), "name")
    writable = {u.pk for u in writable_units(user=request.user).filter(pk__in=layouts.values("unit_id"))}
    return render(request, "awards/blank_list.html", {"layouts": layouts, "writable": writable})


@login_required
def blank_create(request: HttpRequest) -> HttpResponse:
    return _blank_form(request, None)


@login_required
def blank_edit(request: HttpRequest, pk: int) -> HttpResponse:
    layout = get_for_user(BlankLayout.objects.select_related("unit"), request.user, pk=pk, write=True)
    return _blank_form(request, layout)


def _blank_form(request: HttpRequest, layout: BlankLayout | None) -> HttpResponse:
    """The layout form of both pages: a new layout is made, an existing one saved in place."""
    form = BlankLayoutForm(request.POST or None, user=request.user, layout=layout)
    if request.method == "POST" and form.is_valid():
        with service_call(request, form=form, success=_("The blank layout was saved.")) as outcome:
            if layout is None:
                layout = batches.blank_layout_create(
                    unit=form.cleaned_data["unit"], created_by=request.user, **form.layout_values()
                )
            else:
                batches.blank_layout_update(layout=layout, updated_by=request.user, **form.layout_values())
        if outcome.ok:
            return redirect("awards:blank-edit", pk=layout.pk)
    return render(request, "awards/blank_form.html", {"form": form, "layout": layout})


@require_POST
@login_required
def blank_delete(request: HttpRequest, pk: int) -> HttpResponse:
    layout = get_for_user(BlankLayout, request.user, pk=pk, write=True)
    with service_call(request, success=_("The blank layout was deleted.")) as outcome:
        batches.blank_layout_delete(layout=layout, deleted_by=request.user)
    if not outcome.ok:
        return redirect("awards:blank-edit", pk=layout.pk)
    return redirect("awards:blank-list")


@require_GET
@login_required
def blank_preview(request: HttpRequest, pk: int) -> HttpResponse:
    """The layout filled with sample text, to test on a blank sheet before a real print."""
    layout = get_object_or_404(usable_layouts(request.user), pk=pk)
    return attachment(
        cs.blank_preview_pdf(layout=layout, base_url=cs.site_url(request)), PDF, f"{layout.name} mẫu.pdf"
    )
