"""A federation's own report prefilled from the roll-up of the request it sent down."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from org.models import Unit
from reports.models import Indicator, ReportRequest, ReportVersion, RequestRecipient
from reports.selectors.rollup import rollup_figures
from reports.services.reports import report_get_or_create, report_save, report_values


def rollup_prefill(
    *, up_request: ReportRequest, down_request: ReportRequest, unit: Unit, by
) -> ReportVersion:
    """Create or refresh `unit`'s draft for `up_request` (a request from above) with the roll-up of
    `down_request` (the same form, sent by `unit` to its subtree), as a new version.

    Figures that are not rolled up (text, files, "not rolled") keep what the draft already had;
    booleans become "yes" when any unit below said yes; whole-number figures are rounded."""
    if up_request.version.form_id != down_request.version.form_id:
        raise ValidationError(_("The two requests do not use the same form."))
    if down_request.unit_id != unit.pk:
        raise ValidationError(_("This roll-up is not of a request your unit sent."))
    if not RequestRecipient.objects.filter(request=up_request, unit=unit).exists():
        raise ValidationError(_("This request was not addressed to your unit."))
    rolled: dict = {}
    own = {i.code: i for i in up_request.version.indicators.all()}
    for fig in rollup_figures(request=down_request, unit=unit):
        ind = own.get(fig.indicator.code)
        if ind is None or ind.formula or ind.rollup == Indicator.Rollup.NONE or fig.value is None:
            continue
        if ind.kind in (Indicator.Kind.TEXT, Indicator.Kind.FILE):
            continue
        if ind.kind == Indicator.Kind.BOOLEAN:
            rolled[ind.code] = fig.value > 0
        elif ind.kind in (Indicator.Kind.INTEGER, Indicator.Kind.MONEY):
            rolled[ind.code] = fig.value.quantize(Decimal(1), rounding=ROUND_HALF_UP)
        else:
            rolled[ind.code] = fig.value
    # The roll-up is read before the transaction (on SQLite it holds the write lock); the draft
    # is created, read and saved inside it, so a failed save leaves no empty draft behind.
    with transaction.atomic():
        report = report_get_or_create(request=up_request, unit=unit)
        return report_save(
            report=report,
            raw={**report_values(report), **rolled},
            by=by,
            source=ReportVersion.Source.ROLLUP,
            note=_("Prefilled from the roll-up of “%(title)s”.") % {"title": down_request.title},
        )
