"""Small builders for the report form / request / report tests."""

import datetime

from reports.models import FormVersion
from reports.services.forms import form_create, form_publish, form_version_save
from reports.services.requests import request_create

INDICATORS = [
    {
        "section": 1,
        "code": "helped",
        "label": "Helped members",
        "kind": "integer",
        "rollup": "sum",
        "required": True,
    },
    {"section": 1, "code": "helped_women", "label": "Of whom women", "kind": "integer", "rollup": "sum"},
    {"section": 1, "code": "amount", "label": "Amount", "kind": "money", "rollup": "sum"},
    {
        "section": 1,
        "code": "per_head",
        "label": "Per head",
        "kind": "money",
        "rollup": "none",
        "formula": "amount / helped",
    },
    {"section": 2, "code": "rate", "label": "Participation", "kind": "percent", "rollup": "weighted_avg"},
    {"section": 2, "code": "held", "label": "Review held", "kind": "boolean", "rollup": "count_yes"},
    {"section": 2, "code": "note", "label": "Assessment", "kind": "text", "rollup": "none"},
]
RULES = [{"expression": "helped_women <= helped", "message": "Women helped exceed all helped."}]


def make_version(*, unit, by, code: str = "F1", publish: bool = True) -> FormVersion:
    form = form_create(unit=unit, code=code, name=f"Form {code}", by=by)
    version = form.versions.get()
    form_version_save(
        version=version,
        sections=[{"title": "Care"}, {"title": "General"}],
        indicators=[dict(i) for i in INDICATORS],
        rules=RULES,
        by=by,
    )
    if publish:
        form_publish(version=version, by=by)
    version.refresh_from_db()
    return version


def make_request(*, version, unit, by, due_on=None, level: int = 3, **extra):
    return request_create(
        version=version,
        unit=unit,
        title="Sơ kết đợt 1",
        due_on=due_on or datetime.date.today() + datetime.timedelta(days=10),
        unit_level=level,
        by=by,
        **extra,
    )


GOOD = {"helped": "4", "helped_women": "2", "amount": "2.000.000", "rate": "80", "held": "co", "note": "ok"}
