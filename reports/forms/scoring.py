"""Input parsing for scoring: tables, criteria, self-assessment, review, publishing the ranking."""

from __future__ import annotations

import json
from decimal import Decimal, InvalidOperation

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lib import uploads
from reports.models import Criterion, FormVersion, ScoringTable
from reports.services.scoring import rule_problems
from reports.services.values import parse_number

DATE = forms.DateInput(attrs={"type": "date", "class": "form-control form-control-lg"}, format="%Y-%m-%d")
TEXT = {"class": "form-control form-control-lg"}
SELECT = {"class": "form-select form-select-lg"}
MAX_DECISION_BYTES = 20 * 1024 * 1024
DECISION_TYPES = (".pdf", ".doc", ".docx", ".jpg", ".jpeg", ".png")


class PointsField(forms.CharField):
    """Points written the Vietnamese way ("7,5") or the plain way ("7.5"); empty -> None."""

    def to_python(self, value):
        value = super().to_python(value)
        if value in ("", None):
            return None
        try:
            number = parse_number(value)
        except (InvalidOperation, ValueError):
            raise ValidationError(gettext_lazy("Enter a number of points, e.g. 7,5."))
        if number < 0:
            raise ValidationError(gettext_lazy("Points cannot be negative."))
        return number


class TableForm(forms.Form):
    unit = forms.ModelChoiceField(
        label=gettext_lazy("Kept by"), queryset=None, widget=forms.Select(attrs=SELECT)
    )
    name = forms.CharField(label=gettext_lazy("Name"), max_length=255, widget=forms.TextInput(attrs=TEXT))
    effective_from = forms.DateField(label=gettext_lazy("Effective from"), widget=DATE)
    clusters = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Applies to clusters"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    form_version = forms.ModelChoiceField(
        label=gettext_lazy("Indicators from the report form"),
        queryset=None,
        required=False,
        widget=forms.Select(attrs=SELECT),
    )
    tie_break = forms.ChoiceField(
        label=gettext_lazy("Ties broken by"),
        choices=ScoringTable.TieBreak.choices,
        widget=forms.Select(attrs=SELECT),
    )

    def __init__(self, *args, units, clusters, form_versions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        self.fields["clusters"].queryset = clusters
        self.fields["form_version"].queryset = form_versions
        self.fields["form_version"].label_from_instance = lambda v: f"{v.form.name} v{v.number}"


class CriterionForm(forms.Form):
    code = forms.SlugField(label=gettext_lazy("Code"), max_length=40, widget=forms.TextInput(attrs=TEXT))
    label = forms.CharField(
        label=gettext_lazy("Criterion"), max_length=500, widget=forms.TextInput(attrs=TEXT)
    )
    max_points = PointsField(label=gettext_lazy("Maximum points"), widget=forms.TextInput(attrs=TEXT))
    method = forms.ChoiceField(
        label=gettext_lazy("Scored by"), choices=Criterion.Method.choices, widget=forms.Select(attrs=SELECT)
    )
    rule = forms.CharField(
        label=gettext_lazy("Rule"),
        required=False,
        widget=forms.TextInput(
            attrs={**TEXT, "placeholder": '{"indicator": "pilot_models", "at_least": 1, "points": 10}'}
        ),
    )

    def clean_max_points(self):
        value = self.cleaned_data["max_points"]
        if value is None or value <= 0:
            raise ValidationError(_("The maximum must be more than 0."))
        return value

    def clean_rule(self):
        text = (self.cleaned_data.get("rule") or "").strip()
        if not text:
            return {}
        try:
            rule = json.loads(text)
        except ValueError:
            raise ValidationError(_("The rule is not valid JSON."))
        if not isinstance(rule, dict):
            raise ValidationError(
                _('The rule must be an object such as {"indicator": "code", "points": 10}.')
            )
        return rule

    def clean(self):
        data = super().clean()
        method = data.get("method")
        if method and "rule" in data:
            for problem in rule_problems(method=method, rule=data["rule"]):
                self.add_error("rule", problem)
        return data


class BaseCriterionFormSet(forms.BaseFormSet):
    def clean(self):
        if any(self.errors):
            return
        codes = [
            f.cleaned_data["code"] for f in self.forms if f.cleaned_data and not self._should_delete_form(f)
        ]
        if len(codes) != len(set(codes)):
            raise ValidationError(_("Each criterion needs its own code."))

    def rows(self) -> list[dict]:
        return [
            f.cleaned_data
            for f in self.forms
            if f.cleaned_data and not self._should_delete_form(f) and f.cleaned_data.get("code")
        ]


CriterionFormSet = forms.formset_factory(
    CriterionForm, formset=BaseCriterionFormSet, extra=2, can_delete=True
)


def criterion_initial(criterion: Criterion) -> dict:
    return {
        "code": criterion.code,
        "label": criterion.label,
        "max_points": str(criterion.max_points).replace(".", ","),
        "method": criterion.method,
        "rule": json.dumps(criterion.rule, ensure_ascii=False) if criterion.rule else "",
    }


class NewVersionForm(forms.Form):
    effective_from = forms.DateField(label=gettext_lazy("Effective from"), widget=DATE)


class ScoreChangeForm(forms.Form):
    points = PointsField(label=gettext_lazy("New points"), required=False, widget=forms.TextInput(attrs=TEXT))
    reason = forms.CharField(
        label=gettext_lazy("Reason for the change"),
        widget=forms.Textarea(attrs={**TEXT, "rows": 2}),
        error_messages={"required": gettext_lazy("Write the reason for changing the score.")},
    )

    def clean_reason(self):
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise ValidationError(_("Write the reason for changing the score."))
        return reason


class RankingPublishForm(forms.Form):
    decision_number = forms.CharField(
        label=gettext_lazy("Decision number"), max_length=80, widget=forms.TextInput(attrs=TEXT)
    )
    decision_file = forms.FileField(
        label=gettext_lazy("Decision file"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"class": "form-control form-control-lg"}),
    )

    def clean_decision_file(self):
        f = self.cleaned_data.get("decision_file")
        if not f:
            return f
        if f.size > MAX_DECISION_BYTES:
            raise ValidationError(_("The file is larger than 20 MB."))
        if not f.name.lower().endswith(DECISION_TYPES):
            raise ValidationError(_("Attach a PDF, Word or image file."))
        uploads.check_upload(f, kind="decision")
        return f


def published_versions(queryset) -> object:
    """Published form versions, for the table's indicator source."""
    return queryset.filter(status=FormVersion.Status.PUBLISHED).select_related("form")


def self_assessment_entries(post, scores) -> tuple[dict[int, tuple[Decimal | None, str]], list[str]]:
    """Parse the self-assessment fields (points_<criterion id>, evidence_<criterion id>)."""
    entries: dict[int, tuple[Decimal | None, str]] = {}
    errors: list[str] = []
    field = PointsField(required=False)
    for score in scores:
        cid = score.criterion_id
        raw = post.get(f"points_{cid}", "")
        try:
            points = field.clean(raw) if score.criterion.method == Criterion.Method.MANUAL else None
        except ValidationError as e:
            errors.append(f"{score.criterion.label}: {' '.join(e.messages)}")
            continue
        entries[cid] = (points, post.get(f"evidence_{cid}", ""))
    return entries, errors
