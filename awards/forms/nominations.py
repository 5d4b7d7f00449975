"""Input parsing for rounds, nominations, nominees (the achievement report forms), evidence,
reviews and public notices. Business rules stay in awards.services."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from awards.models import Award, NoticeComment, Round
from campaigns.models import Phase, Plan

DATE_FORMATS = ["%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d"]
DATE_WIDGET = forms.DateInput(format="%d/%m/%Y", attrs={"placeholder": "dd/mm/yyyy", "inputmode": "numeric"})


def date_field(label, **kwargs) -> forms.DateField:
    return forms.DateField(label=label, input_formats=DATE_FORMATS, widget=DATE_WIDGET, **kwargs)


def _text(label, rows: int = 4, **kwargs) -> forms.CharField:
    return forms.CharField(label=label, required=False, widget=forms.Textarea(attrs={"rows": rows}), **kwargs)


class RoundForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("Opened by"), queryset=None)
    name = forms.CharField(label=_("Name"), max_length=255)
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    kind = forms.ChoiceField(label=_("Kind"), choices=Round.Kind.choices)
    theme = forms.CharField(label=_("Theme"), max_length=255, required=False)
    awards = forms.ModelMultipleChoiceField(
        label=_("Awards considered"), queryset=None, widget=forms.CheckboxSelectMultiple
    )
    plan = forms.ModelChoiceField(label=_("Campaign plan"), queryset=None, required=False)
    phase = forms.ModelChoiceField(label=_("Phase of the plan"), queryset=None, required=False)
    deadline = date_field(_("Proposals due"), required=False)

    def __init__(self, *args, units, awards, plans, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        self.fields["awards"].queryset = awards
        self.fields["plan"].queryset = plans
        self.fields["phase"].queryset = Phase.objects.filter(plan__in=plans).select_related("plan")
        self.fields["phase"].label_from_instance = lambda p: f"{p.plan.title} – {p.name}"
        self.fields["plan"].label_from_instance = lambda p: f"{p.year} – {p.title}"


class NominationCreateForm(forms.Form):
    award = forms.ModelChoiceField(label=_("Award"), queryset=None)
    unit = forms.ModelChoiceField(label=_("Proposing unit"), queryset=None)
    letter_number = forms.CharField(label=_("Proposal letter number"), max_length=80, required=False)
    letter_date = date_field(_("Proposal letter date"), required=False)
    note = _text(_("Note"), rows=2)

    def __init__(self, *args, awards, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["award"].queryset = awards
        self.fields["unit"].queryset = units


class NominationEditForm(forms.Form):
    letter_number = forms.CharField(label=_("Proposal letter number"), max_length=80, required=False)
    letter_date = date_field(_("Proposal letter date"), required=False)
    minutes_number = forms.CharField(label=_("Council minutes number"), max_length=80, required=False)
    minutes_file = forms.FileField(label=_("Council minutes (PDF or photo)"), required=False)
    note = _text(_("Note"), rows=3)


class NomineeAddForm(forms.Form):
    member = forms.IntegerField(required=False, widget=forms.HiddenInput)
    unit = forms.IntegerField(required=False, widget=forms.HiddenInput)
    override_ground = _text(_("Ground for proposing although not eligible"), rows=2)

    def clean(self):
        data = super().clean()
        if not data.get("member") and not data.get("unit"):
            raise forms.ValidationError(_("Choose a person or a collective."))
        return data


class NomineeForm(forms.Form):
    """The nominee's printed name, position, override ground and achievement report."""

    PERSON_FIELDS = ["position", "unit_name", "duties", "achievements", "initiatives", "titles", "summary"]
    COLLECTIVE_FIELDS = ["overview", "results", "scores", "initiatives", "titles", "summary"]

    name = forms.CharField(label=_("Name as printed"), max_length=255)
    position_title = forms.CharField(label=_("Position"), max_length=255, required=False)
    override_ground = _text(_("Ground for proposing although not eligible"), rows=3)
    # persons
    position = forms.CharField(label=_("Position and title"), max_length=255, required=False)
    unit_name = forms.CharField(label=_("Unit of work"), max_length=255, required=False)
    duties = _text(_("Duties and powers"), rows=4)
    achievements = _text(_("Achievements (by year, with figures)"), rows=8)
    # collectives
    overview = _text(_("Overview of the collective"), rows=4)
    results = _text(_("Main results, with figures"), rows=8)
    scores = _text(_("Scores and grading"), rows=3)
    # both
    initiatives = _text(_("Initiatives and solutions recognised"), rows=4)
    titles = _text(_("Titles and awards received"), rows=4)
    summary = _text(_("Short summary (shown in the list and the public notice)"), rows=3, max_length=1000)

    def __init__(self, *args, person: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.person = person
        drop = self.COLLECTIVE_FIELDS if person else self.PERSON_FIELDS
        keep = self.PERSON_FIELDS if person else self.COLLECTIVE_FIELDS
        for name in drop:
            if name not in keep:
                del self.fields[name]

    def achievement(self) -> dict:
        names = self.PERSON_FIELDS if self.person else self.COLLECTIVE_FIELDS
        return {
            "form": "person" if self.person else "collective",
            **{n: self.cleaned_data.get(n, "") for n in names},
        }

    def report_fields(self):
        names = self.PERSON_FIELDS if self.person else self.COLLECTIVE_FIELDS
        return [self[n] for n in names]


class FileForm(forms.Form):
    file = forms.FileField(label=_("File"))
    nominee = forms.IntegerField(required=False)
    name = forms.CharField(label=_("Description"), max_length=255, required=False)


class ReviewForm(forms.Form):
    ACTIONS = [("forward", _("Forward")), ("return", _("Return")), ("council", _("Send to the council"))]
    action = forms.ChoiceField(choices=ACTIONS)
    comment = forms.CharField(label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class NoticeCreateForm(forms.Form):
    candidate = forms.ChoiceField(label=_("Award and deciding level"))
    opens_on = date_field(_("Open for comments from"))

    def __init__(self, *args, candidates: list[tuple[Award, object, list]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["candidate"].choices = [
            (f"{award.pk}-{unit.pk}", f"{award.name} – {unit.name}") for award, unit, _n in candidates
        ]


class CommentForm(forms.ModelForm):
    """The public comment form. `website` is a trap field people leave empty."""

    nominee = forms.TypedChoiceField(label=_("About"), coerce=int, required=False, empty_value=None)
    website = forms.CharField(
        required=False, widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"})
    )

    class Meta:
        model = NoticeComment
        fields = ["author_name", "contact", "text"]
        widgets = {"text": forms.Textarea(attrs={"rows": 4, "maxlength": 5000})}

    def __init__(self, *args, nominees, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["nominee"].choices = [("", _("The whole list"))] + [(n.pk, n.name) for n in nominees]
        self.fields["contact"].help_text = _("Only the officers see it, to answer you.")


class ModerateForm(forms.Form):
    decision = forms.ChoiceField(choices=[("accept", _("Accept")), ("reject", _("Reject"))])
    answer = forms.CharField(label=_("Answer"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


def plans_for(user):
    """Plans a round can be linked to: those the user may open."""
    from campaigns.selectors.plans import plan_queryset

    return plan_queryset(user=user).exclude(status=Plan.Status.DRAFT).order_by("-year", "title")
