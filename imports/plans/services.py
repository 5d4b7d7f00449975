"""Plan import: read a file into a PlanImport, then save the checked fields as a draft plan
through the campaigns services (nothing is issued here). The file passes the upload gate and is
read in the sandbox (a child process with time and memory limits); pages do it in the worker."""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.scoping import can_write
from campaigns.models import Duty, Movement, Plan, Target
from campaigns.services.plans import movement_get_or_create, plan_create, plan_update
from imports.models import PlanImport
from imports.plans.extract import PlanFileError, extract, extract_text
from imports.plans.parser import ParseResult, parse
from imports.plans.text import Doc
from lib import sandbox, uploads
from lib.text import clean, fold
from org.models import Unit, UnitLevel
from org.services.units import acting_as

if TYPE_CHECKING:
    from imports.models import UploadJob
    from imports.upload_jobs import Outcome


def plan_read(
    *, data: bytes | None = None, name: str = "", text: str | None = None
) -> tuple[Doc, ParseResult]:
    """The normalised text of a file (or of pasted text) and what was read from it. The file
    passes the upload gate first; the reading runs in the sandbox.

    Raises PlanFileError when it cannot be read or is not a plan."""
    if data is not None:
        try:
            uploads.check_bytes(data, kind="plan", name=name)
        except uploads.UploadRefused as exc:
            raise PlanFileError(str(exc)) from None
    _preload()
    try:
        read = sandbox.call(_read_in_sandbox, data, name, text, expected=(PlanFileError,))
    except sandbox.SandboxError as exc:
        raise PlanFileError(str(exc)) from None
    doc = Doc(text=read["text"], kind=read["kind"])
    result = ParseResult(**read["result"])
    if not result.is_plan:
        raise PlanFileError(
            _(
                "This does not look like a plan: no “KẾ HOẠCH” title and none of the usual sections "
                "(I. MỤC ĐÍCH, YÊU CẦU; II. NỘI DUNG …) were found."
            )
        )
    return doc, result


def _preload() -> None:
    """Import the readers here, once, rather than in every sandboxed child."""
    import charset_normalizer  # noqa: F401
    import docx  # noqa: F401
    import pypdfium2  # noqa: F401


def _read_in_sandbox(data: bytes | None, name: str, text: str | None) -> dict:
    """In the child: extract and parse, as plain data for the parent."""
    doc = extract(data, name) if data is not None else extract_text(text or "")
    result = parse(doc)
    return {
        "text": doc.text,
        "kind": doc.kind,
        "result": {
            "data": result.data,
            "extra": result.extra,
            "spans": result.spans,
            "flags": result.flags,
            "is_plan": result.is_plan,
        },
    }


def plan_upload_run(job: UploadJob) -> Outcome:
    """The worker's part of an upload on the plan import page: read the file into a PlanImport."""
    from imports.upload_jobs import Outcome

    path = Path(job.file.path)
    try:
        if job.params.get("paste"):
            plan_import = plan_import_create(
                unit=job.unit, uploaded_by=job.created_by, text=path.read_text(encoding="utf-8")
            )
        else:
            plan_import = plan_import_create(
                unit=job.unit, uploaded_by=job.created_by, data=path.read_bytes(), name=job.original_filename
            )
    except PlanFileError as exc:
        return Outcome(ok=False, message=str(exc))
    return Outcome(
        ok=True,
        next_url=reverse("imports:plan-import-detail", args=[plan_import.pk]),
        result={"plan_import": plan_import.pk},
    )


@transaction.atomic
def plan_import_create(
    *, unit: Unit, uploaded_by, data: bytes | None = None, name: str = "", text: str | None = None
) -> PlanImport:
    """Read a plan file (or pasted text) for `unit`; nothing is created when it cannot be read.
    `uploaded_by` None is the command line (trusted); a person must be able to write `unit`."""
    if uploaded_by is not None and not can_write(user=uploaded_by, unit=unit):
        raise PermissionDenied
    doc, result = plan_read(data=data, name=name, text=text)
    with acting_as(uploaded_by):
        return PlanImport.objects.create(
            unit=unit,
            uploaded_by=uploaded_by,
            source_kind=doc.kind,
            source_name=clean(name)[:255],
            source_text=doc.text,
            parsed={"data": result.data, "extra": result.extra},
            spans=result.spans,
            flags=result.flags,
        )


def match_movements(*, names: list[str], catalogue: QuerySet[Movement]) -> tuple[list[Movement], list[str]]:
    """The catalogue's movements among `names` (accents and case ignored), and the names it lacks."""
    by_name: dict[str, Movement] = {}
    # Nearest catalogue first: a unit's own entry wins over its province's of the same name.
    for movement in sorted(catalogue, key=lambda m: -m.unit.depth):
        by_name.setdefault(movement.name_folded or fold(movement.name), movement)
    found: list[Movement] = []
    new: list[str] = []
    for name in names:
        movement = by_name.get(fold(name))
        if movement is None:
            if fold(name) not in {fold(n) for n in new}:
                new.append(name)
        elif movement not in found:
            found.append(movement)
    return found, new


def _date(value: str | None) -> datetime.date | None:
    return datetime.date.fromisoformat(value) if value else None


def draft_initial(*, plan_import: PlanImport) -> dict:
    """The draft as read: plan fields, phases, duties and targets (the shape of the plan forms)."""
    data = plan_import.parsed.get("data", {})
    extra = plan_import.parsed.get("extra", {})
    signer = data.get("signer") or {}
    fields = {
        "year": data.get("year"),
        "number": data.get("number") or "",
        "place": data.get("place") or "",
        "issued_on": _date(data.get("date")),
        "title": data.get("title") or "",
        "preamble": extra.get("preamble") or "",
        "purposes": list(data.get("purposes") or []),
        "theme": data.get("theme") or "",
        "contents": list(data.get("contents") or []),
        "closing": extra.get("closing") or "",
        "recipients": list(extra.get("recipient_lines") or data.get("recipients") or []),
        "signer_authority": signer.get("authority") or "",
        "signer_title": signer.get("title") or "",
        "signer_name": signer.get("name") or "",
    }
    phases = [
        {
            "name": p.get("name") or "",
            "start": _date(p.get("start")),
            "end": _date(p.get("end")),
            "purpose": p.get("purpose") or "",
        }
        for p in data.get("phases") or []
    ]
    kinds = extra.get("duty_kinds") or []
    duties = [
        {
            "level": (kinds[i] if i < len(kinds) else None) or Duty.Level.ALL,
            "level_label": d.get("level") or "",
            "items": list(d.get("items") or []),
        }
        for i, d in enumerate(data.get("duties") or [])
    ]
    targets = []
    target_kinds = extra.get("target_kinds") or []
    unit_levels = extra.get("target_unit_levels") or []
    target_duty = extra.get("target_duty") or []
    for i, t in enumerate(data.get("targets") or []):
        duty = target_duty[i] if i < len(target_duty) else None
        targets.append(
            {
                "duty": (duty + 1) if duty is not None else 1,
                "text": t.get("text") or "",
                "count": t.get("count"),
                "kind": (target_kinds[i] if i < len(target_kinds) else None) or Target.Kind.OTHER,
                "unit_level": (unit_levels[i] if i < len(unit_levels) else None) or UnitLevel.UPPER,
            }
        )
    return {"fields": fields, "phases": phases, "duties": duties, "targets": targets}


@transaction.atomic
def plan_import_save(
    *,
    plan_import: PlanImport,
    saved_by,
    data: dict,
    phases: list[dict],
    duties: list[dict],
    movements: list[Movement],
    new_movements: list[str],
) -> Plan:
    """Save the checked fields as a draft plan of the import's unit (once), adding the new
    movements to that unit's catalogue. Nothing is saved when any part is refused."""
    locked = PlanImport.objects.select_for_update().select_related("unit").get(pk=plan_import.pk)
    if saved_by is not None and not can_write(user=saved_by, unit=locked.unit):
        raise PermissionDenied
    if locked.plan_id is not None:
        raise ValidationError(_("This import was already saved as a draft plan."))
    if not data.get("year"):
        raise ValidationError(_("The plan needs a year."))
    fields = {k: v for k, v in data.items() if k not in ("year", "title")}
    plan = plan_create(
        unit=locked.unit, year=data["year"], title=data.get("title") or "", created_by=saved_by, **fields
    )
    chosen = list(movements)
    for name in new_movements:
        if clean(name):
            chosen.append(movement_get_or_create(unit=locked.unit, name=name, created_by=saved_by))
    plan_update(
        plan=plan,
        revision=plan.revision,
        updated_by=saved_by,
        data={},
        phases=phases,
        duties=duties,
        movements=chosen,
    )
    with acting_as(saved_by):
        locked.plan = plan
        locked.saved_by = saved_by
        locked.saved_at = timezone.now()
        locked.save(update_fields=["plan", "saved_by", "saved_at"])
    plan_import.plan, plan_import.saved_at = plan, locked.saved_at
    return plan
