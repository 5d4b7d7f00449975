"""Scoring rules: criterion rules, their points, CĐCS grades and the shared decimal helpers."""

from __future__ import annotations

import functools
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from org.services.units import acting_as
from reports.models import Criterion


def _audited(func):
    """Record the `by=` user as the actor of the audit entries the service writes."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        with acting_as(kwargs.get("by")):
            return func(*args, **kwargs)

    return wrapper


ZERO = Decimal("0")
CENT = Decimal("0.01")
M = Criterion.Method

# Keys each rule method needs (the rule JSON of a Criterion).
RULE_KEYS: dict[str, tuple[str, ...]] = {
    M.THRESHOLD: ("indicator", "at_least", "points"),
    M.RATIO: ("numerator", "denominator", "points"),
    M.PROPORTIONAL: ("indicator", "points_each"),
    M.MANUAL: (),
}

GRADES = (
    (Decimal("0.90"), gettext_lazy("Strong, excellent")),
    (Decimal("0.70"), gettext_lazy("Strong")),
    (Decimal("0.50"), gettext_lazy("Tasks completed")),
)
"""CĐCS grading by share of the table's maximum (≥ 90 % vững mạnh xuất sắc, ≥ 70 % vững mạnh,
≥ 50 % hoàn thành nhiệm vụ, else chưa hoàn thành). The thresholds come from the grading guide
(hướng dẫn đánh giá, xếp loại CĐCS) and should become data on the scoring table later."""
GRADE_BELOW = gettext_lazy("Tasks not completed")
FLAG_PROPOSAL = gettext_lazy("Proposed for the cluster emulation flag")


def grade_for(*, total: Decimal, max_total: Decimal) -> str:
    """The CĐCS grade for a total out of the table's maximum (see GRADES)."""
    if not max_total:
        return str(GRADE_BELOW)
    share = Decimal(total) / Decimal(max_total)
    for threshold, label in GRADES:
        if share >= threshold:
            return str(label)
    return str(GRADE_BELOW)


def _dec(value) -> Decimal:
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError, TypeError):
        raise ValidationError(_("“%(value)s” is not a number.") % {"value": value})


def _q(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def rule_problems(*, method: str, rule: dict, codes: set[str] | None = None) -> list[str]:
    """What is wrong with a criterion's rule (empty when it is usable)."""
    if method == M.MANUAL:
        return []
    if not isinstance(rule, dict):
        return [_('The rule must be an object such as {"indicator": "code", "points": 10}.')]
    problems = []
    for key in RULE_KEYS.get(method, ()):
        if key not in rule or rule[key] in ("", None):
            problems.append(_("The rule needs “%(key)s”.") % {"key": key})
    if problems:
        return problems
    for key in ("at_least", "points", "points_each"):
        if key in rule:
            try:
                _dec(rule[key])
            except ValidationError:
                problems.append(_("“%(key)s” must be a number.") % {"key": key})
    if codes is not None:
        for key in ("indicator", "numerator", "denominator"):
            if key in rule and rule[key] not in codes:
                problems.append(_("The form has no indicator “%(code)s”.") % {"code": rule[key]})
    return problems


def rule_points(*, criterion: Criterion, values: dict[str, Decimal | None]) -> Decimal | None:
    """Points a rule gives for the values, capped at the criterion's maximum; None for manual."""
    rule = criterion.rule or {}
    cap = Decimal(criterion.max_points)

    def val(code: str) -> Decimal:
        v = values.get(code)
        if v is None or v == "":
            return ZERO
        if isinstance(v, bool):
            return Decimal(int(v))
        try:
            return Decimal(str(v))
        except InvalidOperation:
            return ZERO

    if criterion.method == M.THRESHOLD:
        points = _dec(rule["points"]) if val(rule["indicator"]) >= _dec(rule["at_least"]) else ZERO
    elif criterion.method == M.RATIO:
        denominator = val(rule["denominator"])
        points = ZERO if not denominator else val(rule["numerator"]) / denominator * _dec(rule["points"])
    elif criterion.method == M.PROPORTIONAL:
        points = val(rule["indicator"]) * _dec(rule["points_each"])
    else:
        return None
    return _q(max(ZERO, min(cap, points)))
