"""Report forms: create, edit a draft version, publish (then frozen), copy into a new version."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from org.services.units import acting_as
from reports.models import FormRule, FormVersion, Indicator, ReportForm, Section
from reports.services.values import FormulaError, formula_names


@transaction.atomic
def form_create(
    *,
    unit,
    code: str,
    name: str,
    by,
    description: str = "",
    year: int | None = None,
    plan=None,
    phase=None,
) -> ReportForm:
    """A new form kept by `unit`, with an empty draft version 1."""
    if ReportForm.objects.filter(unit=unit, code=code).exists():
        raise ValidationError(_("This unit already has a form with code %(code)s.") % {"code": code})
    with acting_as(by):
        form = ReportForm.objects.create(
            unit=unit,
            code=code,
            name=name,
            description=description,
            year=year,
            plan=plan,
            phase=phase,
            created_by=by,
        )
        FormVersion.objects.create(form=form, number=1, created_by=by)
    return form


def check_structure(*, sections: list[dict], indicators: list[dict], rules: list[dict]) -> list[str]:
    """Every problem of a form's structure: duplicate codes, unknown names in formulas and rules."""
    problems: list[str] = []
    codes: list[str] = [i["code"] for i in indicators]
    seen: set[str] = set()
    for code in codes:
        if code in seen:
            problems.append(_("The code %(code)s is used twice.") % {"code": code})
        seen.add(code)
    for ind in indicators:
        section = ind.get("section")
        if section and not (1 <= section <= len(sections)):
            problems.append(
                _("%(code)s: there is no section number %(n)s.") % {"code": ind["code"], "n": section}
            )
        if ind.get("formula"):
            problems += _name_problems(ind["formula"], seen - {ind["code"]}, ind["code"])
    for rule in rules:
        problems += _name_problems(rule["expression"], seen, rule["expression"])
    return problems


def _name_problems(expression: str, codes: set[str], where: str) -> list[str]:
    try:
        unknown = formula_names(expression) - codes
    except FormulaError:
        return [_("%(where)s: the formula cannot be read.") % {"where": where}]
    return [
        _("%(where)s: the formula uses an unknown code %(code)s.") % {"where": where, "code": code}
        for code in sorted(unknown)
    ]


@transaction.atomic
def form_version_save(
    *, version: FormVersion, sections: list[dict], indicators: list[dict], rules: list[dict], by
) -> FormVersion:
    """Replace a DRAFT version's sections, indicators and rules (a published one is frozen).

    `indicators[i]["section"]` is the 1-based position of its section in `sections` (or None).
    """
    locked = FormVersion.objects.select_for_update().get(pk=version.pk)
    if locked.status != FormVersion.Status.DRAFT:
        raise ValidationError(_("A published form version cannot be changed; make a new version."))
    problems = check_structure(sections=sections, indicators=indicators, rules=rules)
    if problems:
        raise ValidationError(problems)
    with acting_as(by):
        # A draft has no requests, so no report values point at its indicators.
        locked.indicators.all().delete()
        locked.sections.all().delete()
        locked.rules.all().delete()
        made = [
            Section.objects.create(version=locked, title=s["title"], position=i)
            for i, s in enumerate(sections, start=1)
        ]
        fields = [
            f.name for f in Indicator._meta.concrete_fields if f.name not in ("id", "version", "section")
        ]
        Indicator.objects.bulk_create(
            Indicator(
                version=locked,
                section=made[ind["section"] - 1] if ind.get("section") else None,
                **{k: v for k, v in ind.items() if k in fields},
                position=ind.get("position", i),
            )
            for i, ind in enumerate(indicators, start=1)
        )
        FormRule.objects.bulk_create(
            FormRule(version=locked, expression=r["expression"], message=r["message"]) for r in rules
        )
    return locked


def version_structure(version: FormVersion) -> tuple[list[dict], list[dict], list[dict]]:
    """(sections, indicators, rules) of a version as plain dicts (the shape form_version_save takes)."""
    sections = list(version.sections.all())
    number = {s.pk: i for i, s in enumerate(sections, start=1)}
    skip = {"id", "version", "section", "position"}
    indicators = [
        {
            **{f.name: getattr(ind, f.name) for f in Indicator._meta.concrete_fields if f.name not in skip},
            "section": number.get(ind.section_id),
        }
        for ind in version.indicators.select_related("movement")
    ]
    rules = [{"expression": r.expression, "message": r.message} for r in version.rules.all()]
    return [{"title": s.title} for s in sections], indicators, rules


@transaction.atomic
def form_publish(*, version: FormVersion, by) -> FormVersion:
    """Publish a draft version (it is frozen from now on); earlier published versions retire."""
    locked = FormVersion.objects.select_for_update().get(pk=version.pk)
    if locked.status != FormVersion.Status.DRAFT:
        raise ValidationError(_("Only a draft version can be published."))
    if not locked.indicators.exists():
        raise ValidationError(_("Add at least one indicator before publishing."))
    with acting_as(by):
        for old in FormVersion.objects.filter(form=locked.form, status=FormVersion.Status.PUBLISHED):
            old.status = FormVersion.Status.RETIRED
            old.save(update_fields=["status"])
        locked.status = FormVersion.Status.PUBLISHED
        locked.published_at = timezone.now()
        locked.effective_from = locked.effective_from or timezone.localdate()
        locked.save(update_fields=["status", "published_at", "effective_from"])
    version.refresh_from_db()
    return locked


@transaction.atomic
def form_new_version(*, version: FormVersion, by) -> FormVersion:
    """A new draft copied from `version`; the existing draft if the form already has one."""
    form = ReportForm.objects.select_for_update().get(pk=version.form_id)
    draft = form.versions.filter(status=FormVersion.Status.DRAFT).first()
    if draft:
        return draft
    number = (form.versions.aggregate(n=Max("number"))["n"] or 0) + 1
    with acting_as(by):
        new = FormVersion.objects.create(form=form, number=number, created_by=by)
    sections, indicators, rules = version_structure(version)
    return form_version_save(version=new, sections=sections, indicators=indicators, rules=rules, by=by)
