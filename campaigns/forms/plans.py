"""Input parsing for the plan pages: the plan form with its phase, duty and target rows."""

from __future__ import annotations

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from campaigns.models import Duty, LaunchEvent, Movement, Plan, Target
from org import tree
from org.models import Unit, UnitLevel, UnitStatus

DATE_WIDGET = forms.DateInput(format="%d/%m/%Y", attrs={"placeholder": "dd/mm/yyyy", "inputmode": "numeric"})
CONTENT_NUMBER = re.compile(r"^\s*(\d+(?:\.\d+)*)\.?\s+(.*)$")
# The plan's fields the form edits as they are stored; purposes, contents and recipients are lists,
# edited one item a line.
PLAIN_PLAN_FIELDS = (
    "year",
    "number",
    "place",
    "issued_on",
    "title",
    "preamble",
    "theme",
    "reporting",
    "closing",
    "signer_authority",
    "signer_title",
    "signer_name",
)


def lines_of(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def parse_contents(text: str) -> list[dict]:
    """'2.1. text' lines into [{number: '2.1', text}]; a line without a number keeps number ''."""
    out = []
    for line in lines_of(text):
        m = CONTENT_NUMBER.match(line)
        out.append({"number": m.group(1), "text": m.group(2).strip()} if m else {"number": "", "text": line})
    return out


def contents_text(contents: list[dict]) -> str:
    return "\n".join(
        f"{c['number']}. {c['text']}" if c.get("number") else c.get("text", "") for c in contents
    )


class PlanCreateForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("Issuing unit"), queryset=None)
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    title = forms.CharField(label=_("Title"), max_length=500)

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units


class PlanForm(forms.Form):
    revision = forms.IntegerField(widget=forms.HiddenInput)
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    number = forms.CharField(label=_("Number and symbol"), max_length=60, required=False)
    place = forms.CharField(label=_("Place"), max_length=120, required=False)
    issued_on = forms.DateField(label=_("Date"), required=False, widget=DATE_WIDGET)
    title = forms.CharField(label=_("Title"), max_length=500)
    preamble = forms.CharField(
        label=_("Opening text"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    purposes = forms.CharField(
        label=_("Purposes and requirements (one per line)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    theme = forms.CharField(label=_("Theme"), max_length=500, required=False)
    contents = forms.CharField(
        label=_("Content items (one per line, e.g. “2.1. text”)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    movements = forms.ModelMultipleChoiceField(
        label=_("Movements"),
        queryset=Movement.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    new_movements = forms.CharField(
        label=_("Add new movements (one per line)"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    reporting = forms.CharField(
        label=_("Reporting line and deadlines"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    closing = forms.CharField(
        label=_("Closing text"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    recipients = forms.CharField(
        label=_("Recipients (one per line)"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    signer_authority = forms.CharField(label=_("Signing authority"), max_length=120, required=False)
    signer_title = forms.CharField(label=_("Signer's title"), max_length=120, required=False)
    signer_name = forms.CharField(label=_("Signer's name"), max_length=120, required=False)

    def __init__(self, *args, movements, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["movements"].queryset = movements

    @staticmethod
    def initial_for(plan: Plan) -> dict:
        return {
            "revision": plan.revision,
            **{k: getattr(plan, k) for k in PLAIN_PLAN_FIELDS},
            "purposes": "\n".join(plan.purposes),
            "contents": contents_text(plan.contents),
            "recipients": "\n".join(plan.recipients),
            "movements": list(plan.movements.values_list("pk", flat=True)),
        }

    def plan_data(self) -> dict:
        cd = self.cleaned_data
        data = {k: cd[k] for k in PLAIN_PLAN_FIELDS}
        data["purposes"] = lines_of(cd["purposes"])
        data["contents"] = parse_contents(cd["contents"])
        data["recipients"] = lines_of(cd["recipients"])
        return data


class PhaseForm(forms.Form):
    name = forms.CharField(label=_("Phase"), max_length=120)
    start = forms.DateField(label=_("Start"), widget=DATE_WIDGET)
    end = forms.DateField(label=_("End"), widget=DATE_WIDGET)
    purpose = forms.CharField(label=_("Purpose"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class DutyForm(forms.Form):
    # The initial value is what a browser sends for an untouched row, so blank rows count as unchanged.
    level = forms.ChoiceField(label=_("Level"), choices=Duty.Level.choices, initial=Duty.Level.ISSUER)
    level_label = forms.CharField(label=_("Level as written"), max_length=255, required=False)
    items = forms.CharField(label=_("Items (one per line)"), widget=forms.Textarea(attrs={"rows": 3}))


class TargetForm(forms.Form):
    duty = forms.IntegerField(label=_("Duty no."), min_value=1, initial=1)
    text = forms.CharField(label=_("Target"), max_length=500)
    count = forms.IntegerField(label=_("At least"), min_value=0, required=False)
    kind = forms.ChoiceField(label=_("Measured by"), choices=Target.Kind.choices, initial=Target.Kind.OTHER)
    unit_level = forms.TypedChoiceField(
        label=_("Per unit of level"), choices=UnitLevel.choices, coerce=int, initial=UnitLevel.UPPER
    )
    movement = forms.ModelChoiceField(label=_("Movement"), queryset=Movement.objects.none(), required=False)

    def __init__(self, *args, movements=None, **kwargs):
        super().__init__(*args, **kwargs)
        if movements is not None:
            self.fields["movement"].queryset = movements


PhaseFormSet = forms.formset_factory(PhaseForm, extra=1, can_delete=True)
DutyFormSet = forms.formset_factory(DutyForm, extra=1, can_delete=True)
TargetFormSet = forms.formset_factory(TargetForm, extra=1, can_delete=True)


def _kept(formset) -> list[dict]:
    return [
        f.cleaned_data
        for f in formset.forms
        if f.has_changed() and f.cleaned_data and not f.cleaned_data.get("DELETE")
    ]


def formsets_for(plan: Plan, data=None, movements=None) -> dict:
    """The phase, duty and target formsets of the edit page, bound to POST data or filled from the plan."""
    if data is not None:
        return {
            "phases": PhaseFormSet(data, prefix="phases"),
            "duties": DutyFormSet(data, prefix="duties"),
            "targets": TargetFormSet(data, prefix="targets", form_kwargs={"movements": movements}),
        }
    duties = list(plan.duties.all())
    duty_no = {d.pk: i + 1 for i, d in enumerate(duties)}
    return {
        "phases": PhaseFormSet(
            prefix="phases",
            initial=[
                {"name": p.name, "start": p.start, "end": p.end, "purpose": p.purpose}
                for p in plan.phases.all()
            ],
        ),
        "duties": DutyFormSet(
            prefix="duties",
            initial=[
                {"level": d.level, "level_label": d.level_label, "items": "\n".join(d.items)} for d in duties
            ],
        ),
        "targets": TargetFormSet(
            prefix="targets",
            form_kwargs={"movements": movements},
            initial=[
                {
                    "duty": duty_no.get(t.duty_id, 1),
                    "text": t.text,
                    "count": t.count,
                    "kind": t.kind,
                    "unit_level": t.unit_level,
                    "movement": t.movement_id,
                }
                for t in plan.targets.all()
            ],
        ),
    }


def structure_from(formsets: dict) -> tuple[list[dict], list[dict], list[str]]:
    """Phases and duties (targets nested by duty number) from valid formsets, plus row errors."""
    phases = [{k: row[k] for k in ("name", "start", "end", "purpose")} for row in _kept(formsets["phases"])]
    duties = [
        {
            "level": row["level"],
            "level_label": row["level_label"],
            "items": lines_of(row["items"]),
            "targets": [],
        }
        for row in _kept(formsets["duties"])
    ]
    errors = []
    for row in _kept(formsets["targets"]):
        target = {k: row[k] for k in ("text", "count", "kind", "unit_level", "movement")}
        if 1 <= row["duty"] <= len(duties):
            duties[row["duty"] - 1]["targets"].append(target)
        else:
            errors.append(
                str(
                    _("Target “%(text)s” names duty no. %(n)s, which does not exist.")
                    % {"text": row["text"], "n": row["duty"]}
                )
            )
    return phases, duties, errors


class IssueForm(forms.Form):
    """Whom to send the plan to: some of the issuer's active direct units, and maybe all below them."""

    units = forms.ModelMultipleChoiceField(
        label=_("Send to"),
        queryset=Unit.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
    )
    deliver_below = forms.BooleanField(
        label=_("Also send to every unit below the chosen ones"), required=False
    )

    def __init__(self, *args, plan: Plan, **kwargs):
        super().__init__(*args, **kwargs)
        issuer = plan.unit
        children = Unit.objects.filter(tree.children_q(issuer), status=UnitStatus.ACTIVE).order_by(
            tree.tree_order()
        )
        self.fields["units"].queryset = children
        if not self.is_bound:
            self.fields["units"].initial = list(children.values_list("pk", flat=True))

    def clean(self):
        cleaned = super().clean()
        if "units" in cleaned and not cleaned["units"] and self.fields["units"].queryset.exists():
            self.add_error("units", _("Choose at least one unit to send the plan to."))
        return cleaned

    def recipient_units(self) -> list[Unit] | None:
        """The chosen units, or None (the default recipients) when the issuer has no units below."""
        chosen = list(self.cleaned_data["units"])
        return chosen or None


class MovementForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("Catalogue of"), queryset=None)
    name = forms.CharField(label=_("Name"), max_length=255)
    launched_by = forms.CharField(label=_("Launched by"), max_length=255, required=False)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units


class LaunchForm(forms.ModelForm):
    held_on = forms.DateField(label=_("Date"), widget=DATE_WIDGET)

    class Meta:
        model = LaunchEvent
        fields = ["unit", "held_on", "place", "participants", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = self.fields["unit"].queryset.filter(pk__in=[u.pk for u in units])
