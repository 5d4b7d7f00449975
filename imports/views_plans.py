"""Plan import pages: upload a plan (or paste it), check the draft beside its source, save it."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts.scoping import get_for_user, scoped, writable_units
from campaigns.forms import plans as plan_forms
from campaigns.selectors.plans import movements_for_unit
from imports.forms import PlanDraftForm, PlanUploadForm
from imports.models import PlanImport, UploadJob
from imports.plans import services
from imports.plans.highlight import anchor_id, highlight
from imports.upload_jobs import failed_job, upload_job_create
from lib.text import fold

FLAG_MESSAGES = {
    "missing": gettext_lazy("Not found in the text: fill it in."),
    "blank_in_source": gettext_lazy("Left blank in the text."),
    "from_body": gettext_lazy("Taken from the opening text (the header names no issuer)."),
    "case_guessed": gettext_lazy("Written in capitals in the text: check the spelling."),
    "incomplete": gettext_lazy("Only partly named in the text."),
    "completed": gettext_lazy("The place name was added from elsewhere in the text: check it."),
    "from_date": gettext_lazy("Taken from the plan's date, not its title."),
    "no_quotes": gettext_lazy("Not in quotes in the text: check where it ends."),
    "invalid": gettext_lazy("The date in the text is not a real date."),
    "start_missing": gettext_lazy("Start date not found."),
    "end_missing": gettext_lazy("End date not found."),
    "start_invalid": gettext_lazy("The start date in the text is not a real date."),
    "end_invalid": gettext_lazy("The end date in the text is not a real date."),
    "dates_missing": gettext_lazy("No dates found for this phase."),
    "name_from_dates": gettext_lazy("The text gives no name: named after its dates."),
    "level_missing": gettext_lazy("The text names no level."),
    "level_unknown": gettext_lazy("Level not recognised: choose it."),
    "issuer_differs": gettext_lazy("The document names another issuer than this unit."),
}
# Form field -> key of the parse's spans and flags.
FIELD_KEYS = {
    "title": "title",
    "year": "year",
    "number": "number",
    "place": "place",
    "issued_on": "date",
    "purposes": "purposes",
    "theme": "theme",
    "contents": "contents",
    "movements": "movements",
    "recipients": "recipients",
    "signer_authority": "signer.authority",
    "signer_title": "signer.title",
    "signer_name": "signer.name",
}
WIDE = {"title", "preamble", "purposes", "theme", "contents", "closing", "reporting", "recipients"}
# Fields shown above the movements, phases and duties; the rest (closing, recipients, signer) below.
TOP_FIELDS = {"year", "number", "place", "issued_on", "title", "preamble", "purposes", "theme", "contents"}


def _flag_messages(codes) -> list[str]:
    return [str(FLAG_MESSAGES.get(c, c)) for c in codes or []]


@login_required
@require_http_methods(["GET", "POST"])
def plan_import_create(request: HttpRequest) -> HttpResponse:
    """The file (or text) is checked and stored here; the worker reads it (upload job page)."""
    if not writable_units(user=request.user).exists():
        raise PermissionDenied
    job = failed_job(request, kind=UploadJob.Kind.PLAN) if request.method == "GET" else None
    initial = {"unit": job.unit} if job else {}
    form = PlanUploadForm(request.POST or None, request.FILES or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        source = form.cleaned_data
        job = upload_job_create(
            kind=UploadJob.Kind.PLAN,
            unit=source["unit"],
            created_by=request.user,
            upload=source.get("file") or None,
            text=None if source.get("file") else source["text"],
            back=reverse("imports:plan-import"),
            language=get_language() or "",
        )
        return redirect("imports:upload-job", pk=job.pk)
    return render(request, "imports/plan_import.html", {"form": form, "upload_job": job})


@login_required
def plan_import_list(request: HttpRequest) -> HttpResponse:
    imports = scoped(
        PlanImport.objects.select_related("unit", "uploaded_by", "plan").defer(
            "source_text", "spans", "flags"
        ),
        user=request.user,
        write=True,
    )
    page = Paginator(imports, 30).get_page(request.GET.get("page"))
    return render(request, "imports/plan_import_list.html", {"page": page})


def _formsets(initial: dict, movements) -> dict:
    return {
        "phases": plan_forms.PhaseFormSet(prefix="phases", initial=initial["phases"]),
        "duties": plan_forms.DutyFormSet(
            prefix="duties", initial=[{**d, "items": "\n".join(d["items"])} for d in initial["duties"]]
        ),
        "targets": plan_forms.TargetFormSet(
            prefix="targets", initial=initial["targets"], form_kwargs={"movements": movements}
        ),
    }


def _rows(plan_import: PlanImport, form) -> list[dict]:
    spans, flags = plan_import.spans, plan_import.flags
    rows = []
    for field in form.visible_fields():
        if field.name in ("movements", "add_movements", "new_movements"):
            continue
        key = FIELD_KEYS.get(field.name)
        rows.append(
            {
                "field": field,
                "key": key,
                "flags": _flag_messages(flags.get(key)) if key else [],
                "anchor": anchor_id(key, 0) if key and spans.get(key) else "",
                "wide": field.name in WIDE,
            }
        )
    return rows


def _item_notes(plan_import: PlanImport, key: str, count: int) -> list[dict]:
    """Per row of a formset: its source anchor and what to check."""
    spans = plan_import.spans.get(key) or []
    return [
        {
            "anchor": anchor_id(key, i) if i < len(spans) else "",
            "flags": _flag_messages(plan_import.flags.get(f"{key}.{i}")),
        }
        for i in range(count)
    ]


@login_required
@require_http_methods(["GET", "POST"])
def plan_import_detail(request: HttpRequest, pk: int) -> HttpResponse:
    plan_import = get_for_user(
        PlanImport.objects.select_related("unit", "plan", "uploaded_by"), request.user, write=True, pk=pk
    )
    if plan_import.plan_id is not None and request.method == "POST":
        messages.info(request, _("This import was already saved as a draft plan."))
        return redirect("campaigns:plan-detail", pk=plan_import.plan_id)
    catalogue = movements_for_unit(unit=plan_import.unit)
    data = plan_import.parsed.get("data", {})
    found, new_names = services.match_movements(names=data.get("movements") or [], catalogue=catalogue)
    if request.method == "POST":
        form = PlanDraftForm(request.POST, movements=catalogue, new_names=new_names)
        formsets = plan_forms.formsets_for(None, request.POST, movements=catalogue)
        if form.is_valid() and all(fs.is_valid() for fs in formsets.values()):
            phases, duties, row_errors = plan_forms.structure_from(formsets)
            try:
                if row_errors:
                    raise ValidationError(row_errors)
                plan = services.plan_import_save(
                    plan_import=plan_import,
                    saved_by=request.user,
                    data=form.plan_data(),
                    phases=phases,
                    duties=duties,
                    movements=list(form.cleaned_data["movements"]),
                    new_movements=form.new_movement_names(),
                )
            except ValidationError as e:
                form.add_error(None, e)
            else:
                messages.success(request, _("Draft plan saved. Nothing is issued until you issue it."))
                return redirect("campaigns:plan-detail", pk=plan.pk)
    else:
        initial = services.draft_initial(plan_import=plan_import)
        form = PlanDraftForm(
            initial={**PlanDraftForm.initial_from(initial["fields"], found), "add_movements": new_names},
            movements=catalogue,
            new_names=new_names,
        )
        formsets = _formsets(initial, catalogue)
    issuer = data.get("issuer") or ""
    issuer_flags = list(plan_import.flags.get("issuer") or [])
    if issuer and fold(issuer) != fold(plan_import.unit.name):
        issuer_flags.append("issuer_differs")
    for key, formset in formsets.items():
        notes = _item_notes(plan_import, key, len(data.get(key) or []))
        for form_row, note in zip(formset.forms, notes, strict=False):
            form_row.note = note
    rows = _rows(plan_import, form)
    movement_spans = plan_import.spans.get("movements") or []
    found_names = {fold(m.name) for m in found}
    context = {
        "plan_import": plan_import,
        "form": form,
        **formsets,
        "source": highlight(plan_import.source_text, plan_import.spans),
        "rows_top": [r for r in rows if r["field"].name in TOP_FIELDS],
        "rows_bottom": [r for r in rows if r["field"].name not in TOP_FIELDS],
        "issuer": issuer,
        "issuer_flags": _flag_messages(issuer_flags),
        "issuer_anchor": anchor_id("issuer", 0) if plan_import.spans.get("issuer") else "",
        "found_movements": [
            {
                "name": name,
                "anchor": anchor_id("movements", i) if i < len(movement_spans) else "",
                "in_catalogue": fold(name) in found_names,
            }
            for i, name in enumerate(data.get("movements") or [])
        ],
        "flag_count": sum(1 for codes in plan_import.flags.values() if codes),
    }
    return render(request, "imports/plan_import_detail.html", context)
