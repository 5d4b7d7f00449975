"""Input parsing for the catalogue pages: an award's fields, a condition (its kind and the plain
fields of that kind, turned into the engine's parameters), a quota. Saving is done by
awards.services.catalogue."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from awards.models import Award, AwardCondition, AwardQuota, RecipientKind, ServicePeriod
from awards.services.catalogue import clean_params, plain
from lib.errors import add_form_errors
from lib.forms import UnitChoiceField
from org.models import Unit, UnitLevel

K = AwardCondition.Kind
LEVELS = [(str(v), label) for v, label in UnitLevel.choices]


def style(form: forms.Form) -> None:
    """Bootstrap classes and test ids on every input."""
    for name, field in form.fields.items():
        widget = field.widget
        if isinstance(widget, (forms.CheckboxSelectMultiple, forms.RadioSelect)):
            continue
        if isinstance(widget, forms.CheckboxInput):
            css = "form-check-input"
        elif isinstance(widget, forms.Select):
            css = "form-select"
        else:
            css = "form-control"
        widget.attrs.setdefault("class", css)
        widget.attrs.setdefault("data-testid", f"field-{name}")


# --- awards ------------------------------------------------------------------------------------


class AwardForm(forms.Form):
    """An award's own fields. `unit` (who keeps it) and `code` only when creating."""

    unit = forms.ModelChoiceField(queryset=Unit.objects.none(), required=False)
    code = forms.SlugField(
        label=_("Code"),
        max_length=60,
        required=False,
        help_text=_(
            "Letters, digits and dashes; left empty, it is made from the name. It cannot change later."
        ),
    )
    name = forms.CharField(label=_("Name"), max_length=255)
    kind = forms.ChoiceField(label=_("Kind of award"), choices=Award.Kind.choices)
    period = forms.ChoiceField(label=_("Given"), choices=Award.Period.choices)
    recipient_kinds = forms.MultipleChoiceField(
        label=_("Given to"), choices=RecipientKind.choices, widget=forms.CheckboxSelectMultiple
    )
    proposer_levels = forms.TypedMultipleChoiceField(
        label=_("Proposed by levels"), choices=LEVELS, coerce=int, widget=forms.CheckboxSelectMultiple
    )
    decider_level = forms.TypedChoiceField(
        label=_("Decided at level"),
        choices=[("", _("Outside the union (state, employer)"))] + LEVELS,
        coerce=int,
        empty_value=None,
        required=False,
    )
    decided_outside = forms.CharField(
        label=_("Decided outside the union by"),
        max_length=255,
        required=False,
        help_text=_("For example: Head of the agency or employer; the Prime Minister."),
    )
    pass_percent = forms.DecimalField(
        label=_("Council share needed (%)"), min_value=0, max_value=100, max_digits=5, decimal_places=2
    )
    pass_strictly_more = forms.BooleanField(label=_("Strictly more than the share"), required=False)
    secret_ballot = forms.BooleanField(label=_("Secret ballot"), required=False)
    public_notice_days = forms.IntegerField(
        label=_("Days of public notice before the council"), min_value=0, max_value=365
    )
    certificate = forms.ChoiceField(label=_("Certificate"), choices=Award.Certificate.choices)
    certificate_heading = forms.CharField(label=_("Certificate heading"), max_length=120, required=False)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    regulation = forms.CharField(label=_("Source regulation"), max_length=500, required=False)
    position = forms.IntegerField(label=_("Order in the catalogue"), min_value=0, max_value=100000)

    def __init__(self, *args, units: QuerySet[Unit] | None = None, national: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if units is None:
            del self.fields["unit"]
            del self.fields["code"]
        else:
            self.fields["unit"] = UnitChoiceField(
                units,
                label=_("Kept by"),
                required=not national,
                help_text=_("Leave empty for the national catalogue.") if national else "",
            )
        style(self)

    @staticmethod
    def initial_for(award: Award | None) -> dict:
        if award is None:
            return {
                "kind": Award.Kind.FORM,
                "period": Award.Period.YEARLY,
                "pass_percent": Decimal(50),
                "pass_strictly_more": True,
                "public_notice_days": 0,
                "certificate": Award.Certificate.GIAY_KHEN,
                "position": 100,
            }
        data = {name: getattr(award, name) for name in AwardForm.base_fields if hasattr(award, name)}
        data["proposer_levels"] = [str(x) for x in award.proposer_levels]
        data["decider_level"] = "" if award.decider_level is None else str(award.decider_level)
        return data

    def award_data(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if k not in ("unit", "code")}


# --- conditions --------------------------------------------------------------------------------

WEIGHT_KINDS = list(ServicePeriod.Kind.values)
LEVEL_VALUE_FIELDS = [f"value_level_{v}" for v in UnitLevel.values]
# Which plain fields each kind of condition shows (the page hides the others).
FIELDS_OF_KIND: dict[str, list[str]] = {
    K.PRIOR_AWARD: ["award", "count", "window", "consecutive", "offset"],
    K.AWARD_THIS_YEAR: ["award"],
    K.INITIATIVE: ["max_level", "initiative_window", "min_value", *LEVEL_VALUE_FIELDS],
    K.SERVICE_YEARS: ["years", "years_female", *[f"weight_{k}" for k in WEIGHT_KINDS]],
    K.ONCE_IN_LIFE: [],
    K.SCORE: ["min_total", "min_share", "max_rank", "score_offset"],
    K.MANUAL: [],
}
# A parameter's error shown on the field that holds it, per kind.
PARAM_ALIASES: dict[str, dict[str, str]] = {
    K.INITIATIVE: {"window": "initiative_window", "min_value_by_level": LEVEL_VALUE_FIELDS[0]},
    K.SERVICE_YEARS: {"weights": f"weight_{WEIGHT_KINDS[0]}"},
    K.SCORE: {"offset": "score_offset"},
}


def _money(label) -> forms.IntegerField:
    return forms.IntegerField(
        label=label, min_value=0, required=False, widget=forms.NumberInput(attrs={"inputmode": "numeric"})
    )


class ConditionForm(forms.Form):
    """One condition: its kind, the text as written in the regulation, and the plain fields of
    its kind (never raw JSON), turned into the engine's parameters by `params()`."""

    kind = forms.ChoiceField(label=_("Kind of condition"), choices=K.choices)
    text = forms.CharField(label=_("As written in the regulation"), max_length=500, required=False)
    regulation = forms.CharField(label=_("Source regulation"), max_length=255, required=False)
    position = forms.IntegerField(label=_("Order"), min_value=0, max_value=1000, required=False)
    # prior_award, award_this_year
    award = forms.ChoiceField(label=_("Award held"), required=False)
    count = forms.IntegerField(label=_("Times needed"), min_value=1, max_value=50, required=False)
    window = forms.IntegerField(
        label=_("Within the last … years"),
        min_value=1,
        max_value=50,
        required=False,
        help_text=_("Empty: the same number of years as the times needed."),
    )
    consecutive = forms.BooleanField(label=_("Years in a row"), required=False)
    offset = forms.IntegerField(
        label=_("Window ends … years before the year considered"),
        min_value=0,
        max_value=10,
        required=False,
        help_text=_("0: the window ends with the year considered; 1: with the year before it."),
    )
    # initiative
    max_level = forms.TypedChoiceField(
        label=_("Effect at least at level"),
        choices=[("", "—")] + LEVELS,
        coerce=int,
        empty_value=None,
        required=False,
    )
    initiative_window = forms.IntegerField(
        label=_("Recognised within the last … years"), min_value=1, max_value=50, required=False
    )
    min_value = _money(_("Minimum proven yearly value (đồng)"))
    # service_years
    years = forms.DecimalField(
        label=_("Years of union service needed"), min_value=0, max_value=60, decimal_places=1, required=False
    )
    years_female = forms.DecimalField(
        label=_("Years needed for women"),
        min_value=0,
        max_value=60,
        decimal_places=1,
        required=False,
        help_text=_("Empty: the same as for men."),
    )
    # score
    min_total = forms.DecimalField(label=_("Minimum score"), min_value=0, decimal_places=2, required=False)
    min_share = forms.DecimalField(
        label=_("Minimum share of the table's maximum (%)"),
        min_value=Decimal("0.01"),
        max_value=100,
        decimal_places=2,
        required=False,
    )
    max_rank = forms.IntegerField(label=_("Rank at least"), min_value=1, required=False)
    score_offset = forms.IntegerField(
        label=_("Scores of … years before the year considered"),
        min_value=0,
        max_value=5,
        required=False,
        help_text=_("0: the year considered itself."),
    )

    def __init__(self, *args, award_choices: list[tuple[str, str]] = (), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["award"].choices = [("", "—"), *award_choices]
        for value, label in UnitLevel.choices:
            self.fields[f"value_level_{value}"] = _money(
                _("Minimum value when recognised at level “%(level)s” (đồng)") % {"level": label}
            )
        for kind, label in ServicePeriod.Kind.choices:
            self.fields[f"weight_{kind}"] = forms.DecimalField(
                label=_("Weight: %(kind)s") % {"kind": label},
                min_value=Decimal("0.1"),
                max_value=10,
                decimal_places=2,
                required=False,
            )
        style(self)

    def param_fields(self) -> list[tuple[str, list]]:
        """(kind, its bound fields) for the template: one block per kind."""
        return [(kind, [self[n] for n in names]) for kind, names in FIELDS_OF_KIND.items() if names]

    def params(self) -> dict:
        """The engine's parameters of the chosen kind, from the plain fields."""
        d = self.cleaned_data
        kind = d.get("kind")
        if kind == K.AWARD_THIS_YEAR:
            return {"award": d.get("award")}
        if kind == K.PRIOR_AWARD:
            return {
                "award": d.get("award"),
                "count": d.get("count") or 1,
                "window": d.get("window"),
                "consecutive": bool(d.get("consecutive")),
                "offset": 1 if d.get("offset") is None else d["offset"],
            }
        if kind == K.INITIATIVE:
            return {
                "max_level": d.get("max_level"),
                "window": d.get("initiative_window") or 1,
                "min_value": d.get("min_value"),
                "min_value_by_level": {
                    str(v): d.get(f"value_level_{v}")
                    for v in UnitLevel.values
                    if d.get(f"value_level_{v}") is not None
                },
            }
        if kind == K.SERVICE_YEARS:
            return {
                "years": d.get("years"),
                "years_female": d.get("years_female"),
                "weights": {
                    k: d.get(f"weight_{k}") for k in WEIGHT_KINDS if d.get(f"weight_{k}") is not None
                },
            }
        if kind == K.SCORE:
            share = d.get("min_share")
            return {
                "min_total": d.get("min_total"),
                "min_share": None if share is None else share / 100,
                "max_rank": d.get("max_rank"),
                "offset": d.get("score_offset") or 0,
            }
        return {}

    def clean(self):
        data = super().clean()
        if not self.errors and data.get("kind"):
            try:
                clean_params(data["kind"], self.params())
            except ValidationError as e:
                add_form_errors(self, e, aliases=PARAM_ALIASES.get(data["kind"], {}))
        return data

    @staticmethod
    def initial_for(condition: AwardCondition | None) -> dict:
        if condition is None:
            return {"kind": K.MANUAL, "count": 1, "offset": 1, "initiative_window": 1, "score_offset": 0}
        p = condition.params or {}
        data = {
            "kind": condition.kind,
            "text": condition.text,
            "regulation": condition.regulation,
            "position": condition.position,
        }
        for key in ("award", "count", "window", "consecutive", "offset", "min_value", "max_rank", "years"):
            if p.get(key) not in (None, ""):
                data[key] = p[key]
        if condition.kind == K.INITIATIVE:
            data["initiative_window"] = data.pop("window", 1)
        if condition.kind == K.SCORE:
            data["score_offset"] = data.pop("offset", 0)
        if p.get("max_level") is not None:
            data["max_level"] = str(p["max_level"])
        if p.get("years_female"):
            data["years_female"] = p["years_female"]
        for level, value in (p.get("min_value_by_level") or {}).items():
            data[f"value_level_{level}"] = value
        for kind, weight in (p.get("weights") or {}).items():
            data[f"weight_{kind}"] = weight
        if p.get("min_total") not in (None, ""):
            data["min_total"] = Decimal(str(p["min_total"]))
        if p.get("min_share") not in (None, ""):
            data["min_share"] = plain(Decimal(str(p["min_share"])) * 100)
        return data


# --- quotas ------------------------------------------------------------------------------------


class QuotaForm(forms.Form):
    scope = forms.ChoiceField(label=_("Counted"), choices=AwardQuota.Scope.choices)
    limit = forms.IntegerField(label=_("At most (number)"), min_value=1, required=False)
    percent = forms.DecimalField(
        label=_("At most (percent of nominees)"), min_value=0, max_value=100, decimal_places=2, required=False
    )
    of_award = forms.ChoiceField(
        label=_("Share of the nominees for"),
        required=False,
        help_text=_("For a share: the award whose nominees are counted; empty: this award's own list."),
    )
    regulation = forms.CharField(label=_("Source regulation"), max_length=255, required=False)

    def __init__(self, *args, award_choices: list[tuple[str, str]] = (), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["of_award"].choices = [("", "—"), *award_choices]
        style(self)

    def clean_of_award(self) -> Award | None:
        code = self.cleaned_data.get("of_award")
        return Award.objects.filter(code=code).first() if code else None

    @staticmethod
    def initial_for(quota: AwardQuota | None) -> dict:
        if quota is None:
            return {"scope": AwardQuota.Scope.ISSUER_YEAR}
        return {
            "scope": quota.scope,
            "limit": quota.limit,
            "percent": quota.percent,
            "of_award": quota.of_award.code if quota.of_award_id else "",
            "regulation": quota.regulation,
        }
