"""Forms of the cluster and covenant pages."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from campaigns.forms.lines import line_label
from campaigns.models import Cluster
from campaigns.services.covenants import ClauseLine
from org.models import Unit


class ClusterForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=255)
    kind = forms.ChoiceField(label=_("Kind"), choices=Cluster.Kind.choices)
    members = forms.ModelMultipleChoiceField(
        label=_("Member units"), queryset=Unit.objects.none(), widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, candidates, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["members"].queryset = candidates


class CovenantForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=500)
    place = forms.CharField(label=_("Place"), max_length=120, required=False)

    def __init__(self, *args, lines: list[ClauseLine], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.lines = lines
        for i, line in enumerate(lines):
            self.fields[f"clause_{i}"] = forms.CharField(
                label=line_label(line),
                required=False,
                initial=line.text,
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    def rows(self) -> list[tuple[ClauseLine, forms.BoundField]]:
        return [(line, self[f"clause_{i}"]) for i, line in enumerate(self.lines)]

    def cleaned_lines(self) -> list[ClauseLine]:
        return [
            ClauseLine(
                movement=line.movement, target=line.target, text=self.cleaned_data.get(f"clause_{i}") or ""
            )
            for i, line in enumerate(self.lines)
        ]


class SignForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("Signing for"), queryset=Unit.objects.none())
    signer_name = forms.CharField(label=_("Signed by"), max_length=120)
    signer_title = forms.CharField(label=_("Title"), max_length=120, required=False)

    def __init__(self, *args, units, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
