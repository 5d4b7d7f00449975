"""Input parsing for the decision pages: a draft by hand, its header, a line, a correction."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from awards.models import Award, AwardRecord, Decision
from awards.selectors.councils import award_allowed

DATE_WIDGET = forms.DateInput(format="%d/%m/%Y", attrs={"placeholder": "dd/mm/yyyy", "inputmode": "numeric"})


def lines_of(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


class DecisionCreateForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("Issuing unit"), queryset=None)
    award = forms.ModelChoiceField(label=_("Award"), queryset=Award.objects.none())
    year = forms.IntegerField(label=_("Year of the achievement"), min_value=1945, max_value=2100)
    title = forms.CharField(
        label=_("About (after “Về việc”)"),
        max_length=500,
        required=False,
        help_text=_("Left empty: “khen thưởng <award> năm <year>”."),
    )

    def __init__(self, *args, units, awards, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        self.fields["award"].queryset = awards

    def clean(self):
        data = super().clean()
        if data.get("unit") and data.get("award") and not award_allowed(data["award"], data["unit"]):
            self.add_error("award", _("This unit cannot give that award."))
        return data


class DecisionForm(forms.Form):
    number = forms.CharField(label=_("Number and symbol"), max_length=80, required=False)
    place = forms.CharField(label=_("Place"), max_length=120, required=False)
    signed_on = forms.DateField(label=_("Date signed"), required=False, widget=DATE_WIDGET)
    year = forms.IntegerField(label=_("Year of the achievement"), min_value=1945, max_value=2100)
    title = forms.CharField(label=_("About (after “Về việc”)"), max_length=500)
    grounds = forms.CharField(
        label=_("Grounds (one “Căn cứ …” per line)"), required=False, widget=forms.Textarea(attrs={"rows": 5})
    )
    reason = forms.CharField(
        label=_("Reason (“Xét đề nghị …”)"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    signer_authority = forms.CharField(label=_("Signing authority"), max_length=120, required=False)
    signer_title = forms.CharField(label=_("Signer's title"), max_length=120, required=False)
    signer_name = forms.CharField(label=_("Signer's name"), max_length=120, required=False)
    recipients_copy = forms.CharField(
        label=_("Recipients of copies (one per line)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    FIELDS = (
        "number",
        "place",
        "signed_on",
        "year",
        "title",
        "grounds",
        "reason",
        "signer_authority",
        "signer_title",
        "signer_name",
    )

    @classmethod
    def initial_for(cls, decision: Decision) -> dict:
        return {
            **{name: getattr(decision, name) for name in cls.FIELDS},
            "recipients_copy": "\n".join(decision.recipients_copy or []),
        }

    def decision_data(self) -> dict:
        data = {name: self.cleaned_data[name] for name in self.FIELDS}
        data["recipients_copy"] = lines_of(self.cleaned_data["recipients_copy"])
        return data


class LineForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=255)
    position_title = forms.CharField(label=_("Position"), max_length=255, required=False)
    achievement = forms.CharField(label=_("For"), max_length=500, required=False)


class CorrectForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Correction"),
        choices=[
            (Decision.Kind.AMEND, _("Amend (e.g. a misspelt name)")),
            (Decision.Kind.REVOKE, _("Revoke")),
        ],
    )
    records = forms.ModelMultipleChoiceField(
        label=_("Records"), queryset=AwardRecord.objects.none(), widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, decision: Decision, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["records"].queryset = AwardRecord.objects.filter(
            decision=decision, status=AwardRecord.Status.VALID
        )


class FromMeetingForm(forms.Form):
    award = forms.ModelChoiceField(label=_("Award"), queryset=Award.objects.none())

    def __init__(self, *args, awards, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["award"].queryset = Award.objects.filter(pk__in=[a.pk for a in awards])
