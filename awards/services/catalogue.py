"""Editing the award catalogue: awards, their conditions and quotas.

Every change is atomic, audited (auditlog, with the acting user) and bumps the award's
`version`. Nominations are never touched: each keeps the `rules` snapshot it was made under, so
an edit applies to new nominations only. An award that anything refers to (records,
nominations, rounds, decisions, another award's rule) is deactivated, never deleted."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from awards.models import Award, AwardCondition, AwardQuota, RecipientKind, ServicePeriod
from lib.text import clean, fold
from org.models import Unit, UnitLevel
from org.services.units import acting_as

K = AwardCondition.Kind
AWARD_FIELDS = (
    "name",
    "kind",
    "period",
    "recipient_kinds",
    "proposer_levels",
    "decider_level",
    "decided_outside",
    "pass_percent",
    "pass_strictly_more",
    "secret_ballot",
    "public_notice_days",
    "certificate",
    "certificate_heading",
    "description",
    "regulation",
    "position",
)
MAX_YEARS = 50  # windows and counts of years; longer is a typing error


# --- awards ------------------------------------------------------------------------------------


def _as_int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _as_decimal(value) -> Decimal | None:
    try:
        return None if value in (None, "") else Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None


def _clean_award(data: dict, *, unit: Unit | None) -> dict:
    """Normalise an award's fields; raise every problem at once, keyed by field."""
    data = dict(data)
    errors: dict[str, str] = {}
    data["name"] = clean(data.get("name"))
    if not data["name"]:
        errors["name"] = _("Enter the award's name.")
    kinds = [k for k in RecipientKind.values if k in (data.get("recipient_kinds") or [])]
    if not kinds or len(kinds) != len(set(data.get("recipient_kinds") or [])):
        errors["recipient_kinds"] = _("Choose who receives the award.")
    data["recipient_kinds"] = kinds
    levels = sorted({_as_int(x) for x in data.get("proposer_levels") or []}, key=lambda x: (x is None, x))
    if not levels or any(x not in UnitLevel.values for x in levels):
        errors["proposer_levels"] = _("Choose the levels that may propose it.")
        levels = [x for x in levels if x in UnitLevel.values]
    data["proposer_levels"] = levels
    decider = data.get("decider_level")
    decider = None if decider in (None, "") else _as_int(decider)
    data["decider_level"] = decider
    data["decided_outside"] = clean(data.get("decided_outside"))
    if decider is None:
        if not data["decided_outside"]:
            errors["decided_outside"] = _("Name who decides outside the union, or choose the deciding level.")
    else:
        if decider not in UnitLevel.values:
            errors["decider_level"] = _("Choose a level.")
        elif levels and any(decider > x for x in levels):
            errors["decider_level"] = _("The deciding level must be the proposing levels' own or above them.")
        elif unit is not None and decider < unit.level:
            errors["decider_level"] = _("A federation's own award is decided at its level or below.")
    percent = _as_decimal(data.get("pass_percent"))
    data["pass_percent"] = percent
    if percent is None or not (Decimal(0) < percent <= Decimal(100)):
        errors["pass_percent"] = _("The council's share must be between 0 and 100 %.")
    for key in ("certificate_heading", "regulation"):
        data[key] = clean(data.get(key))
    data["description"] = (data.get("description") or "").strip()
    if errors:
        raise ValidationError(errors)
    return data


def _unique_code(base: str) -> str:
    base = base[:54].strip("-") or "award"
    code, n = base, 1
    while Award.objects.filter(code=code).exists():
        n += 1
        code = f"{base}-{n}"
    return code


def _next_version(award: Award) -> int:
    """The award's next version number (its row locked, so two edits never share one)."""
    return Award.objects.select_for_update().values_list("version", flat=True).get(pk=award.pk) + 1


def _bump(award: Award) -> Award:
    """A new version of the award's rules after a change of its conditions or quotas."""
    award.version = _next_version(award)
    award.save(update_fields=["version", "updated_at"])
    return award


def _rule_save(rule: AwardCondition | AwardQuota, *, by, fields: dict | None = None):
    """Write a condition or quota and bump its award's version in the same breath, so every
    change of the rules leaves a new version; `fields` (an update) writes only what changed."""
    if fields is not None:
        changed = [k for k, v in fields.items() if getattr(rule, k) != v]
        if not changed:
            return rule
        for key in changed:
            setattr(rule, key, fields[key])
    rule.full_clean()
    with acting_as(by):
        rule.save(update_fields=changed if fields is not None else None)
        _bump(rule.award)
    return rule


def _rule_remove(rule: AwardCondition | AwardQuota, *, by) -> None:
    """Delete a condition or quota; its award gets a new version."""
    award = rule.award
    with acting_as(by):
        rule.delete()
        _bump(award)


@transaction.atomic
def award_create(*, unit: Unit | None, created_by, code: str = "", **fields) -> Award:
    """A new award: in the national catalogue (`unit` None) or a federation's own."""
    defaults = {k: Award._meta.get_field(k).get_default() for k in AWARD_FIELDS}
    data = _clean_award({**defaults, **{k: v for k, v in fields.items() if k in AWARD_FIELDS}}, unit=unit)
    code = slugify(code or "")
    if code and Award.objects.filter(code=code).exists():
        raise ValidationError({"code": _("Another award already has this code.")})
    if not code:
        code = _unique_code(slugify(fold(data["name"])) + (f"-{slugify(fold(unit.code))}" if unit else ""))
    award = Award(unit=unit, code=code, name_folded=fold(data["name"]), **data)
    award.full_clean()
    with acting_as(created_by):
        award.save()
    return award


@transaction.atomic
def award_update(*, award: Award, updated_by, **fields) -> Award:
    """Change an award's own fields (its code stays: conditions and old dossiers name it)."""
    data = _clean_award({k: fields.get(k, getattr(award, k)) for k in AWARD_FIELDS}, unit=award.unit)
    changed = [k for k, v in data.items() if getattr(award, k) != v]
    if not changed:
        return award
    for key in changed:
        setattr(award, key, data[key])
    award.name_folded = fold(award.name)
    award.full_clean()
    award.version = _next_version(award)
    with acting_as(updated_by):
        award.save(update_fields=[*changed, "name_folded", "version", "updated_at"])
    return award


@transaction.atomic
def award_set_active(*, award: Award, active: bool, changed_by) -> Award:
    """Withdraw an award from new rounds and proposals (or offer it again); history stays."""
    if award.is_active == active:
        return award
    award.is_active = active
    award.version = _next_version(award)
    with acting_as(changed_by):
        award.save(update_fields=["is_active", "version", "updated_at"])
    return award


def award_in_use(award: Award) -> bool:
    """Whether anything refers to the award, so that it may only be deactivated."""
    return (
        award.records.exists()
        or award.nominations.exists()
        or award.decisions.exists()
        or award.rounds.exists()
        or AwardQuota.objects.filter(of_award=award).exists()
        or AwardCondition.objects.filter(params__award=award.code).exclude(award=award).exists()
    )


@transaction.atomic
def award_delete(*, award: Award, deleted_by) -> None:
    """Delete an award nobody used yet (a typing error); otherwise refuse: deactivate it."""
    if award_in_use(award):
        raise ValidationError(
            _("This award has records, nominations or rules referring to it; deactivate it instead.")
        )
    with acting_as(deleted_by):
        for condition in award.conditions.all():
            condition.delete()
        for quota in award.quotas.all():
            quota.delete()
        award.delete()


# --- conditions --------------------------------------------------------------------------------


def _int(params: dict, key: str, errors: dict, *, low: int, high: int, default=None) -> int | None:
    value = params.get(key)
    if value in (None, ""):
        return default
    try:
        number = int(value)
    except (TypeError, ValueError):
        number = None
    if number is None or not low <= number <= high:
        errors[key] = _("Enter a whole number from %(low)s to %(high)s.") % {"low": low, "high": high}
        return default
    return number


def _dec(params: dict, key: str, errors: dict, *, low: Decimal, high: Decimal) -> Decimal | None:
    value = params.get(key)
    if value in (None, ""):
        return None
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        number = None
    if number is None or not low <= number <= high:
        errors[key] = _("Enter a number from %(low)s to %(high)s.") % {"low": low, "high": high}
        return None
    return number


def plain(value: Decimal) -> str:
    """'70', '0.7': a decimal written without exponent or trailing zeros."""
    text = format(value, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def _num(value: Decimal) -> int | float:
    """A JSON number: whole numbers stay integers."""
    return int(value) if value == value.to_integral_value() else float(value)


def _award_code(params: dict, errors: dict) -> str:
    code = str(params.get("award") or "")
    if not code or not Award.objects.filter(code=code).exists():
        errors["award"] = _("Choose an award of the catalogue.")
    return code


def clean_params(kind: str, params: dict) -> dict:
    """Check and normalise a condition's parameters (stored as the engine reads them,
    awards/selectors/eligibility.py); raise every problem at once, keyed by parameter."""
    errors: dict[str, str] = {}
    out: dict = {}
    if kind not in K.values:
        raise ValidationError({"kind": _("Choose the kind of condition.")})
    if kind == K.AWARD_THIS_YEAR:
        out["award"] = _award_code(params, errors)
    elif kind == K.PRIOR_AWARD:
        out["award"] = _award_code(params, errors)
        count = _int(params, "count", errors, low=1, high=MAX_YEARS, default=1)
        window = _int(params, "window", errors, low=1, high=MAX_YEARS)
        if window is not None and count is not None and window < count:
            errors["window"] = _("The window must be at least as many years as the times needed.")
        out["count"] = count
        if window is not None and window != count:
            out["window"] = window
        out["consecutive"] = bool(params.get("consecutive"))
        out["offset"] = _int(params, "offset", errors, low=0, high=10, default=1)
    elif kind == K.INITIATIVE:
        level = _int(params, "max_level", errors, low=min(UnitLevel.values), high=max(UnitLevel.values))
        if level is None and "max_level" not in errors:
            errors["max_level"] = _("Choose the narrowest level of effect accepted.")
        out["max_level"] = level
        out["window"] = _int(params, "window", errors, low=1, high=MAX_YEARS, default=1)
        minimum = _int(params, "min_value", errors, low=0, high=10**15)
        if minimum:
            out["min_value"] = minimum
        by_level = {}
        for key, value in (params.get("min_value_by_level") or {}).items():
            if value in (None, ""):
                continue
            if str(key) not in {str(v) for v in UnitLevel.values}:
                errors["min_value_by_level"] = _("Unknown level.")
                continue
            number = _int({"v": value}, "v", errors, low=0, high=10**15)
            if errors.pop("v", None):
                errors["min_value_by_level"] = _("Enter the values in đồng, as whole numbers.")
            elif number is not None:
                by_level[str(key)] = number
        if by_level:
            out["min_value_by_level"] = by_level
    elif kind == K.SERVICE_YEARS:
        years = _dec(params, "years", errors, low=Decimal("0.5"), high=Decimal(60))
        if years is None and "years" not in errors:
            errors["years"] = _("Enter the years of service needed.")
        female = _dec(params, "years_female", errors, low=Decimal("0.5"), high=Decimal(60))
        if years is not None and female is not None and female > years:
            errors["years_female"] = _("Women's count cannot be longer than the general one.")
        out["years"] = _num(years) if years is not None else None
        out["years_female"] = _num(female) if female is not None else None
        weights = {}
        for key, value in (params.get("weights") or {}).items():
            if key not in ServicePeriod.Kind.values:
                errors["weights"] = _("Unknown kind of work.")
                continue
            w = _dec({"w": value}, "w", errors, low=Decimal("0.1"), high=Decimal(10))
            if errors.pop("w", None):
                errors["weights"] = _("Each weight is a number from 0.1 to 10.")
            elif w is not None and w != 1:
                weights[key] = _num(w)
        out["weights"] = weights
    elif kind == K.SCORE:
        total = _dec(params, "min_total", errors, low=Decimal(0), high=Decimal(10**6))
        share = _dec(params, "min_share", errors, low=Decimal("0.01"), high=Decimal(1))
        rank = _int(params, "max_rank", errors, low=1, high=10**6)
        if total is None and share is None and rank is None and not errors:
            errors["min_total"] = _("Set a minimum score, a minimum share or a rank.")
        if total is not None:
            out["min_total"] = plain(total)
        if share is not None:
            out["min_share"] = plain(share)
        if rank is not None:
            out["max_rank"] = rank
        out["offset"] = _int(params, "offset", errors, low=0, high=5, default=0)
    if errors:
        raise ValidationError(errors)
    return out


def _condition_fields(kind: str, params: dict, text: str, regulation: str) -> dict:
    return {
        "kind": kind,
        "params": clean_params(kind, params),
        "text": clean(text),
        "regulation": clean(regulation),
    }


@transaction.atomic
def condition_add(
    *,
    award: Award,
    added_by,
    kind: str,
    params: dict,
    text: str = "",
    regulation: str = "",
    position: int | None = None,
) -> AwardCondition:
    fields = _condition_fields(kind, params, text, regulation)
    if position is None:
        last = award.conditions.order_by("-position").values_list("position", flat=True).first()
        position = 0 if last is None else last + 1
    return _rule_save(AwardCondition(award=award, position=position, **fields), by=added_by)


@transaction.atomic
def condition_update(
    *,
    condition: AwardCondition,
    updated_by,
    kind: str,
    params: dict,
    text: str = "",
    regulation: str = "",
    position: int | None = None,
) -> AwardCondition:
    fields = _condition_fields(kind, params, text, regulation)
    if position is not None:
        fields["position"] = position
    return _rule_save(condition, by=updated_by, fields=fields)


@transaction.atomic
def condition_remove(*, condition: AwardCondition, removed_by) -> None:
    _rule_remove(condition, by=removed_by)


# --- quotas ------------------------------------------------------------------------------------


def _quota_fields(scope: str, limit, percent, of_award: Award | None, regulation: str) -> dict:
    errors = {}
    S = AwardQuota.Scope
    if scope not in S.values:
        errors["scope"] = _("Choose what the quota counts.")
    percent = _as_decimal(percent)
    limit = _as_int(limit)
    if scope == S.SHARE_OF_NOMINEES:
        if percent is None or not (Decimal(0) < percent <= Decimal(100)):
            errors["percent"] = _("Enter the share, from 0 to 100 %.")
        limit = None
    else:
        if limit is None or limit < 1:
            errors["limit"] = _("Enter how many at most.")
        percent, of_award = None, None
    if errors:
        raise ValidationError(errors)
    return {
        "scope": scope,
        "limit": limit,
        "percent": percent,
        "of_award": of_award,
        "regulation": clean(regulation),
    }


@transaction.atomic
def quota_add(
    *,
    award: Award,
    added_by,
    scope: str,
    limit: int | None = None,
    percent=None,
    of_award: Award | None = None,
    regulation: str = "",
) -> AwardQuota:
    return _rule_save(
        AwardQuota(award=award, **_quota_fields(scope, limit, percent, of_award, regulation)), by=added_by
    )


@transaction.atomic
def quota_update(
    *,
    quota: AwardQuota,
    updated_by,
    scope: str,
    limit: int | None = None,
    percent=None,
    of_award: Award | None = None,
    regulation: str = "",
) -> AwardQuota:
    fields = _quota_fields(scope, limit, percent, of_award, regulation)
    return _rule_save(quota, by=updated_by, fields=fields)


@transaction.atomic
def quota_remove(*, quota: AwardQuota, removed_by) -> None:
    _rule_remove(quota, by=removed_by)
