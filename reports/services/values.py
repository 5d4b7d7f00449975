"""Parsing and checking a report's figures, shared by the web form, the Excel upload and the API.

`validate_values` never raises for bad input: it returns the clean values and every error, so
each entry point can show all of them (by field, by cell, or as JSON).
"""

from __future__ import annotations

import ast
import operator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from lib.text import fold
from reports.models import FormVersion, Indicator

TRUE_WORDS = {"co", "yes", "y", "x", "1", "true", "dung", "dat"}
FALSE_WORDS = {"khong", "no", "n", "0", "false", "sai", "chua"}
# A figure is stored with 18 digits before the point (ReportValue.number: 20 digits, 2 after).
MAX_FIGURE = Decimal(10) ** 18

_BINOPS = {ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul, ast.Div: operator.truediv}
_CMPOPS = {
    ast.Lt: operator.lt,
    ast.LtE: operator.le,
    ast.Gt: operator.gt,
    ast.GtE: operator.ge,
    ast.Eq: operator.eq,
    ast.NotEq: operator.ne,
}


class FormulaError(ValueError):
    """A formula that cannot be read or uses an unknown name."""


def evaluate(expression: str, values: dict[str, Decimal | bool | None]):
    """Evaluate a formula or rule ("a + b", "women <= members and x >= 0") over indicator codes.

    Only numbers, names, + - * /, comparisons, and/or/not and parentheses are allowed; a missing
    value counts as 0. Division by zero gives 0 (an empty base should not fail a whole report).
    """
    try:
        tree = ast.parse(expression, mode="eval")
    except SyntaxError as exc:
        raise FormulaError(str(exc)) from exc

    def ev(node):
        if isinstance(node, ast.Expression):
            return ev(node.body)
        if isinstance(node, ast.Constant) and isinstance(node.value, int | float):
            return Decimal(str(node.value))
        if isinstance(node, ast.Name):
            if node.id not in values:
                raise FormulaError(node.id)
            value = values[node.id]
            if isinstance(value, bool):
                return Decimal(int(value))
            return value if value is not None else Decimal(0)
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
            return -ev(node.operand)
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
            return not ev(node.operand)
        if isinstance(node, ast.BinOp) and type(node.op) in _BINOPS:
            left, right = ev(node.left), ev(node.right)
            if isinstance(node.op, ast.Div) and right == 0:
                return Decimal(0)
            return _BINOPS[type(node.op)](left, right)
        if isinstance(node, ast.BoolOp):
            results = [ev(v) for v in node.values]
            return all(results) if isinstance(node.op, ast.And) else any(results)
        if isinstance(node, ast.Compare):
            left = ev(node.left)
            for op, comparator in zip(node.ops, node.comparators, strict=True):
                if type(op) not in _CMPOPS:
                    raise FormulaError(ast.dump(op))
                right = ev(comparator)
                if not _CMPOPS[type(op)](left, right):
                    return False
                left = right
            return True
        raise FormulaError(ast.dump(node))

    return ev(tree)


def formula_names(expression: str) -> set[str]:
    """The indicator codes a formula uses (to check them when a form is edited)."""
    try:
        tree = ast.parse(expression, mode="eval")
    except SyntaxError as exc:
        raise FormulaError(str(exc)) from exc
    return {n.id for n in ast.walk(tree) if isinstance(n, ast.Name)}


@dataclass
class FigureError:
    code: str  # indicator code, or "" for a rule between indicators
    label: str
    value: str
    message: str


@dataclass
class Checked:
    values: dict[str, Decimal | bool | str | None] = field(default_factory=dict)
    errors: list[FigureError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def parse_number(raw) -> Decimal:
    """'1.234.567' (Vietnamese thousands), '12,5' (decimal comma), 1234 (a cell) -> Decimal."""
    if isinstance(raw, bool):
        raise InvalidOperation
    if isinstance(raw, int | float | Decimal):
        return Decimal(str(raw))
    text = str(raw).strip().replace(" ", "").replace("\u00a0", "")
    text = text.removesuffix("đ").removesuffix("%")
    if "," in text and "." in text:
        text = text.replace(".", "").replace(",", ".")
    elif "," in text:
        text = text.replace(",", ".")
    elif text.count(".") > 1 or (text.count(".") == 1 and len(text.split(".")[1]) == 3):
        text = text.replace(".", "")  # thousands separators
    return Decimal(text)


def _plain(number: Decimal) -> str:
    """500.00 -> '500', 12.50 -> '12,5' (never '5E+2')."""
    text = f"{number.normalize():f}"
    return text.replace(".", ",")


def _parse(indicator: Indicator, raw) -> tuple[Decimal | bool | str | None, str | None]:
    """(value, error message) for one raw input."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        if indicator.required and not indicator.formula:
            return None, _("This figure is required.")
        return None, None
    kind = indicator.kind
    if kind == Indicator.Kind.TEXT or kind == Indicator.Kind.FILE:
        if "\x00" in str(raw):  # PostgreSQL cannot store it
            return None, _("Null characters are not allowed.")
        return str(raw).strip(), None
    if kind == Indicator.Kind.BOOLEAN:
        if isinstance(raw, bool):
            return raw, None
        word = fold(str(raw))
        if word in TRUE_WORDS:
            return True, None
        if word in FALSE_WORDS:
            return False, None
        return None, _("Answer yes (Có) or no (Không).")
    try:
        number = parse_number(raw)
    except (InvalidOperation, ValueError):
        return None, _("This is not a number.")
    if not number.is_finite():
        return None, _("This is not a number.")
    if abs(number) >= MAX_FIGURE:
        return None, _("The figure is too large.")
    if kind in (Indicator.Kind.INTEGER, Indicator.Kind.MONEY) and number != number.to_integral_value():
        return None, _("Enter a whole number.")
    if kind == Indicator.Kind.PERCENT and not (0 <= number <= 100):
        return None, _("A percentage is between 0 and 100.")
    if number < 0 and (indicator.min_value is None or indicator.min_value >= 0):
        return None, _("The figure cannot be negative.")
    if indicator.min_value is not None and number < indicator.min_value:
        return None, _("The figure is below the minimum %(min)s.") % {"min": _plain(indicator.min_value)}
    if indicator.max_value is not None and number > indicator.max_value:
        return None, _("The figure is above the maximum %(max)s.") % {"max": _plain(indicator.max_value)}
    return number, None


def validate_values(*, version: FormVersion, raw: dict, members: int | None = None) -> Checked:
    """Check raw inputs {code: value} against a form version: types, ranges, required figures,
    "at most the unit's members" (`members`), computed formulas and the rules between figures."""
    indicators = list(version.indicators.all())
    result = Checked()
    for ind in indicators:
        if ind.formula:
            continue
        value, error = _parse(ind, raw.get(ind.code))
        if error:
            result.errors.append(
                FigureError(
                    ind.code, ind.label, "" if raw.get(ind.code) is None else str(raw.get(ind.code)), error
                )
            )
            continue
        if ind.at_most_members and members is not None and isinstance(value, Decimal) and value > members:
            result.errors.append(
                FigureError(
                    ind.code,
                    ind.label,
                    str(raw.get(ind.code)),
                    _("The figure is more than the unit's %(n)s members.") % {"n": members},
                )
            )
            continue
        result.values[ind.code] = value
    numeric = {
        ind.code: result.values.get(ind.code) for ind in indicators if ind.kind not in ("text", "file")
    }
    for ind in indicators:
        if not ind.formula:
            continue
        try:
            computed = evaluate(ind.formula, numeric)
        except FormulaError:
            result.errors.append(
                FigureError(ind.code, ind.label, ind.formula, _("The form's formula cannot be computed."))
            )
            continue
        if isinstance(computed, Decimal) and (not computed.is_finite() or abs(computed) >= MAX_FIGURE):
            result.errors.append(FigureError(ind.code, ind.label, ind.formula, _("The figure is too large.")))
            continue
        result.values[ind.code] = computed
        numeric[ind.code] = computed
    if not result.errors:
        for rule in version.rules.all():
            try:
                holds = evaluate(rule.expression, numeric)
            except FormulaError:
                holds = False
            if not holds:
                result.errors.append(FigureError("", "", rule.expression, rule.message))
    return result
