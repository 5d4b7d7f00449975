"""Writing reports: save a version, submit, return, accept. Every version is kept."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.translation import gettext as _

from org.selectors.units import unit_rollup
from org.services.units import acting_as
from reports.models import Report, ReportRequest, ReportValue, ReportVersion, ReviewAction
from reports.services.values import Checked, validate_values

EDITABLE = (Report.Status.DRAFT, Report.Status.RETURNED)


class ReportInvalid(ValidationError):
    """The figures do not pass the form's checks; `checked.errors` lists every one."""

    def __init__(self, checked: Checked):
        super().__init__([e.message for e in checked.errors])
        self.checked = checked


def report_get_or_create(*, request: ReportRequest, unit) -> Report:
    """The unit's report for a request (one per unit and request). A new one is an empty draft:
    save figures with `report_fill`, which creates it in the same transaction."""
    report, _created = Report.objects.get_or_create(request=request, unit=unit)
    return report


def report_values(report: Report) -> dict[str, Decimal | bool | str | None]:
    """{indicator code: value} of the report's current version (empty when none yet)."""
    if report.current_version_id is None:
        return {}
    rows = ReportValue.objects.filter(version_id=report.current_version_id).select_related("indicator")
    out: dict = {}
    for row in rows:
        kind = row.indicator.kind
        if kind == "boolean":
            out[row.indicator.code] = None if row.number is None else bool(row.number)
        elif kind in ("text", "file"):
            out[row.indicator.code] = row.text
        else:
            out[row.indicator.code] = row.number
    return out


@transaction.atomic
def report_save(
    *,
    report: Report,
    raw: dict,
    by,
    revision: int | None = None,
    submit: bool = False,
    source: str = ReportVersion.Source.WEB,
    note: str = "",
) -> ReportVersion:
    """Save the figures as a new version (and submit it when asked).

    The report row is locked first, so two submissions at once give one version each in turn and
    the stale one is refused by `revision` (the revision the user's form was opened at). Only the
    report row (`of=("self",)`): a plain FOR UPDATE over the join would also lock the request, its
    form version and the unit, so every unit's save on one request would wait for the previous
    one (seen in the load test: 20+ sessions waiting on one tuple lock, saves p95 17 s).
    """
    locked = (
        Report.objects.select_for_update(of=("self",))
        .select_related("request__version", "unit")
        .get(pk=report.pk)
    )
    if locked.status not in EDITABLE:
        raise ValidationError(_("This report has been submitted; it can no longer be changed."))
    if revision is not None and locked.revision != revision:
        raise ValidationError(
            _("Someone else saved this report after you opened it. Reload it and enter your changes again.")
        )
    version = locked.request.version
    members = unit_rollup(unit=locked.unit)["members"]
    checked = validate_values(version=version, raw=raw, members=members)
    if not checked.ok:
        raise ReportInvalid(checked)
    number = (locked.versions.aggregate(n=Max("number"))["n"] or 0) + 1
    with acting_as(by):
        saved = ReportVersion.objects.create(
            report=locked, number=number, source=source, note=note, created_by=by
        )
        indicators = {i.code: i for i in version.indicators.all()}
        rows = []
        for code, value in checked.values.items():
            ind = indicators[code]
            if isinstance(value, bool):
                rows.append(ReportValue(version=saved, indicator=ind, number=Decimal(int(value))))
            elif isinstance(value, Decimal):
                rows.append(ReportValue(version=saved, indicator=ind, number=value.quantize(Decimal("0.01"))))
            elif value is not None:
                rows.append(ReportValue(version=saved, indicator=ind, text=str(value)))
        ReportValue.objects.bulk_create(rows)
        fields = {"current_version": saved, "revision": F("revision") + 1, "updated_at": timezone.now()}
        if submit:
            fields.update(status=Report.Status.SUBMITTED, submitted_at=timezone.now())
        Report.objects.filter(pk=locked.pk).update(**fields)
        if submit:
            ReviewAction.objects.create(report=locked, version=saved, kind=ReviewAction.Kind.SUBMIT, by=by)
    report.refresh_from_db()
    return saved


@transaction.atomic
def report_review(*, report: Report, accept: bool, comment: str, by) -> Report:
    """The receiving level accepts a submitted report, or returns it with a comment (required)."""
    locked = Report.objects.select_for_update().get(pk=report.pk)
    if locked.status != Report.Status.SUBMITTED:
        raise ValidationError(_("Only a submitted report can be accepted or returned."))
    if not accept and not comment.strip():
        raise ValidationError(_("Say what must be corrected when returning a report."))
    with acting_as(by):
        locked.status = Report.Status.ACCEPTED if accept else Report.Status.RETURNED
        locked.save(update_fields=["status", "updated_at"])
        ReviewAction.objects.create(
            report=locked,
            version_id=locked.current_version_id,
            kind=ReviewAction.Kind.ACCEPT if accept else ReviewAction.Kind.RETURN,
            comment=comment.strip(),
            by=by,
        )
    report.refresh_from_db()
    return report


MAX_EVIDENCE_BYTES = 10 * 1024 * 1024
IMAGE_TYPES = {".jpg": "JPEG", ".jpeg": "JPEG", ".png": "PNG", ".webp": "WEBP"}
EVIDENCE_TYPES = {*IMAGE_TYPES, ".pdf"}


def evidence_check(upload) -> list[str]:
    """Every reason an uploaded evidence file is refused: its extension, its size, then the
    upload gate (content sniffed, polyglots and picture bombs refused), and a picture's content
    must match its extension exactly."""
    import os

    from lib import uploads

    errors = []
    ext = os.path.splitext(upload.name or "")[1].lower()
    if ext not in EVIDENCE_TYPES:
        errors.append(_("Only photos (JPG, PNG, WEBP) and PDF files can be attached."))
    if upload.size > MAX_EVIDENCE_BYTES:
        errors.append(_("The file is larger than 10 MB."))
    if errors:
        return errors
    try:
        found = uploads.check_upload(upload, kind="evidence")
    except uploads.UploadRefused as exc:
        if ext == ".pdf" and exc.reason == "disguised":
            return [_("The file is not a PDF document.")]
        return [str(exc)]
    if (
        ext != ".pdf"
        and uploads.IMAGE_FORMATS.get(found)
        and IMAGE_TYPES[ext] not in uploads.IMAGE_FORMATS[found]
    ):
        errors.append(_("The picture's content does not match its extension."))
    return errors


@transaction.atomic
def evidence_add(*, report: Report, upload, by, indicator=None):
    """Attach a checked file to a report (raises ValidationError with every problem)."""
    from reports.models import Evidence

    errors = evidence_check(upload)
    if errors:
        raise ValidationError(errors)
    with acting_as(by):
        return Evidence.objects.create(
            report=report,
            indicator=indicator,
            file=upload,
            original_name=upload.name[:255],
            size=upload.size,
            uploaded_by=by,
        )


def version_values(version_id: int) -> dict[int, ReportValue]:
    """{indicator id: value row} of one report version."""
    return {v.indicator_id: v for v in ReportValue.objects.filter(version_id=version_id)}


@transaction.atomic
def report_fill(
    *,
    request: ReportRequest,
    unit,
    raw: dict,
    by,
    revision: int | None,
    submit: bool = False,
    source: str = ReportVersion.Source.WEB,
) -> ReportVersion:
    """Create the unit's report if needed and save the figures; on any error nothing is kept
    (not even the empty report row)."""
    report = report_get_or_create(request=request, unit=unit)
    return report_save(report=report, raw=raw, by=by, revision=revision, submit=submit, source=source)
