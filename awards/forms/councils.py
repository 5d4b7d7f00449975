"""Input parsing for the council pages: a council, a seat, opening a meeting, who is present."""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from accounts.scoping import scoped
from awards.models import CouncilMember, Nomination, Round
from awards.selectors.councils import ROLE_LABELS
from org import tree
from org.models import Member

DATE_WIDGET = forms.DateInput(format="%d/%m/%Y", attrs={"placeholder": "dd/mm/yyyy", "inputmode": "numeric"})
DEFAULT_COUNCIL_NAME = "Hội đồng Thi đua - Khen thưởng"


class CouncilCreateForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=None)
    name = forms.CharField(label=_("Name"), max_length=255, initial=DEFAULT_COUNCIL_NAME)

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units


class SeatForm(forms.Form):
    full_name = forms.CharField(label=_("Full name"), max_length=150, required=False)
    title = forms.CharField(label=_("Position"), max_length=255, required=False)
    role = forms.ChoiceField(label=_("Role on the council"), choices=list(ROLE_LABELS.items()))
    unit = forms.ModelChoiceField(label=_("Works at"), queryset=None, required=False)
    member = forms.ModelChoiceField(queryset=Member.objects.none(), required=False, widget=forms.HiddenInput)
    username = forms.CharField(
        label=_("User account (optional)"),
        max_length=150,
        required=False,
        help_text=_("Lets the seat holder enter their own votes."),
    )

    def __init__(self, *args, council, user, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        self.fields["member"].queryset = scoped(
            Member.objects.filter(tree.subtree_q(council.unit, field="unit")).select_related("unit"),
            user=user,
        )

    def clean_username(self):
        username = self.cleaned_data["username"].strip()
        if not username:
            return None
        account = get_user_model().objects.filter(username__iexact=username, is_active=True).first()
        if account is None:
            raise forms.ValidationError(_("No active account has that user name."))
        return account

    def clean(self):
        data = super().clean()
        if not data.get("full_name") and not data.get("member"):
            self.add_error("full_name", _("Give the seat holder's full name."))
        return data

    def service_kwargs(self) -> dict:
        d = self.cleaned_data
        return {
            "full_name": d["full_name"],
            "title": d["title"],
            "role": d["role"],
            "unit": d["unit"],
            "member": d["member"],
            "user": d["username"],
        }


class MeetingOpenForm(forms.Form):
    round = forms.ModelChoiceField(label=_("Round"), queryset=Round.objects.none())
    held_on = forms.DateField(label=_("Held on"), widget=DATE_WIDGET)
    place = forms.CharField(label=_("Place"), max_length=255, required=False)
    nominations = forms.ModelMultipleChoiceField(
        label=_("Nominations considered"),
        queryset=Nomination.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )
    present = forms.ModelMultipleChoiceField(
        label=_("Council members present"),
        queryset=CouncilMember.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, rounds, nominations, seats, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["round"].queryset = Round.objects.filter(pk__in=[r.pk for r in rounds])
        self.fields["nominations"].queryset = Nomination.objects.filter(pk__in=[n.pk for n in nominations])
        self.fields["present"].queryset = seats
        self.nomination_rows = nominations


class PresenceForm(forms.Form):
    present = forms.ModelMultipleChoiceField(
        label=_("Council members present"),
        queryset=CouncilMember.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, seats, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["present"].queryset = seats
