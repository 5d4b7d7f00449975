"""Small builders for the roll-up tests: a form with one indicator per roll-up rule."""

import datetime

from reports.models import FormVersion, Indicator, ReportForm, ReportRequest, RequestRecipient

RULES = [
    ("initiatives", "integer", "sum"),
    ("initiative_value", "money", "sum"),
    ("coverage", "percent", "weighted_avg"),
    ("has_model", "boolean", "count_yes"),
    ("lowest", "integer", "min"),
    ("highest", "integer", "max"),
    ("remarks", "text", "none"),
]


def make_form(*, unit, code: str = "BC-RU") -> FormVersion:
    form = ReportForm.objects.create(unit=unit, code=code, name=f"Form {code}")
    version = FormVersion.objects.create(form=form, number=1, status=FormVersion.Status.PUBLISHED)
    for position, (ind_code, kind, rule) in enumerate(RULES):
        Indicator.objects.create(
            version=version,
            code=ind_code,
            label=ind_code.replace("_", " "),
            kind=kind,
            rollup=rule,
            position=position,
        )
    return version


def make_request(
    *, version: FormVersion, unit, recipients, title: str = "Request", due_on=None
) -> ReportRequest:
    request = ReportRequest.objects.create(
        version=version, unit=unit, title=title, due_on=due_on or datetime.date(2026, 6, 30)
    )
    RequestRecipient.objects.bulk_create([RequestRecipient(request=request, unit=u) for u in recipients])
    return request
