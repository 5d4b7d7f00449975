"""Certificates of a whole decision made in the background (CertificateBatch): one merged PDF
written page by page into one canvas, or a zip written one small PDF at a time, so memory stays
near flat however long the decision. Also the blank layouts (phôi) the text can be printed on."""

from __future__ import annotations

import copy
import logging
import tempfile
import time
import zipfile
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.scoping import can_write
from awards.models import AwardRecord, BlankLayout, CertificateBatch, Decision
from awards.services import certificates as cs
from lib.downloads import ascii_filename
from org.models import Unit
from org.services.units import acting_as

logger = logging.getLogger(__name__)

PROGRESS_SECONDS = 0.5  # how often a running batch writes its progress
CHUNK = 200  # records fetched per query while a batch runs


# --- batches -----------------------------------------------------------------------------------


def batch_records(decision: Decision) -> QuerySet[AwardRecord]:
    """The valid (not revoked) records of a decision, in the decision's order."""
    records = AwardRecord.objects.filter(decision=decision, status=AwardRecord.Status.VALID)
    return cs.records_for_certificates(records).order_by("line__position", "line_id", "id")


def batch_create(
    *,
    decision: Decision,
    created_by,
    format: str = CertificateBatch.Format.MERGED,
    layout: str = CertificateBatch.Layout.FULL,
    blank: BlankLayout | None = None,
    base_url: str | None = None,
) -> CertificateBatch:
    """Queue the certificates of an issued decision; `base_url` is the site address the QR codes
    point at (the task has no request to ask)."""
    from awards.tasks import certificate_batch_run

    if not can_write(user=created_by, unit=decision.unit):
        raise PermissionDenied
    if not decision.is_issued:
        raise ValidationError(_("Certificates are printed only for an issued decision."))
    if layout == CertificateBatch.Layout.BLANK and blank is None:
        raise ValidationError(_("Choose the blank layout to print on."))
    total = batch_records(decision).count()
    if not total:
        raise ValidationError(_("This decision has no valid award left to print."))
    with transaction.atomic():  # the batch row and its queued task, or neither
        batch = CertificateBatch.objects.create(
            decision=decision,
            unit=decision.unit,
            format=format,
            layout=layout,
            blank=blank if layout == CertificateBatch.Layout.BLANK else None,
            total=total,
            created_by=created_by,
        )
        certificate_batch_run.enqueue(batch.pk, base_url or "")
    batch.refresh_from_db()
    return batch


def batch_progress(batch: CertificateBatch) -> int:
    """Percent done, for the progress bar."""
    if batch.status == CertificateBatch.Status.DONE:
        return 100
    return min(100, round(100 * batch.done / batch.total)) if batch.total else 0


def batch_filename(batch: CertificateBatch) -> str:
    """The name the download gets: 'Giấy khen 125-QĐ-LĐLĐ.pdf'."""
    decision = batch.decision
    heading = decision.certificate_heading or cs.certificate_heading(decision.award)
    number = (decision.number or str(decision.pk)).replace("/", "-")
    kind = "phôi " if batch.layout == CertificateBatch.Layout.BLANK else ""
    ext = "zip" if batch.format == CertificateBatch.Format.ZIP else "pdf"
    return f"{heading.capitalize()} {kind}{number}.{ext}"


def batch_run(*, batch: CertificateBatch, base_url: str | None = None) -> CertificateBatch:
    """Make a queued batch's file; records the outcome (done or failed) on the batch."""
    if batch.status != CertificateBatch.Status.QUEUED:
        return batch
    batch.status = CertificateBatch.Status.RUNNING
    batch.save(update_fields=["status"])
    progress = _Progress(batch.pk)
    fields = ["status", "done", "total", "file", "error", "finished_at"]
    try:
        with tempfile.TemporaryFile() as fh:
            write = _write_zip if batch.format == CertificateBatch.Format.ZIP else _write_merged
            done = write(fh, batch=batch, base_url=base_url, progress=progress)
            if not done:
                raise ValidationError(_("This decision has no valid award left to print."))
            fh.seek(0)
            ext = "zip" if batch.format == CertificateBatch.Format.ZIP else "pdf"
            batch.file.save(f"batch-{batch.pk}.{ext}", File(fh), save=False)
        batch.status, batch.done, batch.total, batch.error = CertificateBatch.Status.DONE, done, done, ""
    except Exception as exc:  # the batch records any failure for the officer to see
        logger.exception("certificate batch %s failed", batch.pk)
        message = "; ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
        batch.status, batch.error = CertificateBatch.Status.FAILED, message or exc.__class__.__name__
        batch.done = CertificateBatch.objects.filter(pk=batch.pk).values_list("done", flat=True).first() or 0
    batch.finished_at = timezone.now()
    batch.save(update_fields=fields)
    return batch


class _Progress:
    """Writes `done` to the batch row at most every PROGRESS_SECONDS (one UPDATE, no lock held)."""

    def __init__(self, batch_id: int) -> None:
        self.batch_id, self.last = batch_id, time.monotonic()

    def __call__(self, done: int) -> None:
        now = time.monotonic()
        if now - self.last >= PROGRESS_SECONDS:
            CertificateBatch.objects.filter(pk=self.batch_id).update(done=done)
            self.last = now


def _records(batch: CertificateBatch):
    return batch_records(batch.decision).iterator(chunk_size=CHUNK)


def _write_merged(fh, *, batch: CertificateBatch, base_url, progress) -> int:
    blank = batch.blank if batch.layout == CertificateBatch.Layout.BLANK else None
    pagesize = cs.blank_pagesize(blank) if blank else cs.PAGE
    c = cs.new_canvas(fh, title=batch_filename(batch).rsplit(".", 1)[0], pagesize=pagesize)
    fields = cs.blank_fields(blank) if blank else None
    done = 0
    for record in _records(batch):
        text = cs.certificate_text(record)
        url = cs.verify_url(record.verify_code, base_url=base_url)
        if blank:
            cs.draw_blank(c, text, layout=blank, url=url, fields=fields)
        else:
            cs.draw_certificate(c, text, url=url)
        cs.end_page(c)
        done += 1
        progress(done)
    if done:
        c.save()
    return done


def _write_zip(fh, *, batch: CertificateBatch, base_url, progress) -> int:
    blank = batch.blank if batch.layout == CertificateBatch.Layout.BLANK else None
    done = 0
    with zipfile.ZipFile(fh, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for record in _records(batch):
            if blank:
                data = cs.blank_pdf(record=record, layout=blank, base_url=base_url)
            else:
                data = cs.certificate_pdf(record=record, base_url=base_url)
            done += 1
            archive.writestr(ascii_filename(f"{done:04d} {record.name} {record.verify_code}.pdf"), data)
            progress(done)
    return done


# --- blank layouts -----------------------------------------------------------------------------


def blank_default_fields() -> dict[str, dict]:
    """A sensible starting layout for A4 landscape blanks (the full certificate's positions)."""
    return copy.deepcopy(cs.BLANK_DEFAULTS)


def clean_blank_fields(fields: dict) -> dict[str, dict]:
    """Field positions checked and normalised (unknown keys dropped); raises ValidationError."""
    out: dict[str, dict] = {}
    errors = []
    for key in cs.BLANK_FIELDS:
        spec = {**cs.BLANK_DEFAULTS[key], **(fields.get(key) or {})}
        try:
            clean = {
                "show": bool(spec.get("show")),
                "x": float(Decimal(str(spec["x"]))),
                "y": float(Decimal(str(spec["y"]))),
                "size": float(Decimal(str(spec["size"]))),
                "align": spec.get("align") if spec.get("align") in cs.ALIGNS else "center",
                "width": float(Decimal(str(spec.get("width") or 0))),
            }
        except (InvalidOperation, KeyError, TypeError, ValueError):
            errors.append(_("%(field)s: positions must be numbers.") % {"field": key})
            continue
        if not (0 <= clean["x"] <= 1000 and 0 <= clean["y"] <= 1000 and 0 <= clean["width"] <= 1000):
            errors.append(_("%(field)s: positions must lie between 0 and 1000 mm.") % {"field": key})
        if not 4 <= clean["size"] <= 72:
            errors.append(_("%(field)s: the size must be between 4 and 72.") % {"field": key})
        out[key] = clean
    if errors:
        raise ValidationError(errors)
    return out


LAYOUT_FIELDS = ("name", "page_width_mm", "page_height_mm", "offset_x_mm", "offset_y_mm")


@transaction.atomic
def blank_layout_create(
    *, unit: Unit, name: str, created_by, fields: dict | None = None, **extra
) -> BlankLayout:
    layout = BlankLayout(unit=unit, name=name, **{k: v for k, v in extra.items() if k in LAYOUT_FIELDS})
    layout.fields = clean_blank_fields(fields if fields is not None else blank_default_fields())
    layout.full_clean()
    with acting_as(created_by):
        layout.save()
    return layout


@transaction.atomic
def blank_layout_update(
    *, layout: BlankLayout, updated_by, fields: dict | None = None, **changes
) -> BlankLayout:
    update = [k for k in changes if k in LAYOUT_FIELDS]
    for key in update:
        setattr(layout, key, changes[key])
    if fields is not None:
        layout.fields = clean_blank_fields(fields)
        update.append("fields")
    layout.full_clean()
    with acting_as(updated_by):
        layout.save(update_fields=update)
    return layout


@transaction.atomic
def blank_layout_delete(*, layout: BlankLayout, deleted_by) -> None:
    """Delete a layout no batch was printed with (a batch keeps the layout it used)."""
    if CertificateBatch.objects.filter(blank=layout).exists():
        raise ValidationError(_("Certificates were printed with this layout; it cannot be deleted."))
    with acting_as(deleted_by):
        layout.delete()
