"""Account and role forms: input parsing and validation only; the services do the writes."""

from django import forms
from django.contrib.auth.password_validation import password_validators_help_text_html
from django.utils.translation import gettext_lazy as _

from accounts.models import Role, User
from accounts.scoping import administered_units
from lib.forms import UnitChoiceField


class BootstrapMixin:
    """Give every widget Bootstrap's class, so templates can render `{{ field }}` as is."""

    def style_fields(self) -> None:
        for field in self.fields.values():
            css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            field.widget.attrs.setdefault("class", css)


def administered_unit_field(*, user: User, **kwargs) -> UnitChoiceField:
    """A unit the acting administrator manages, chosen from a list or typed by its code."""
    kwargs.setdefault("label", _("Unit"))
    return UnitChoiceField(
        administered_units(user=user),
        invalid_message=_("No unit you administer has this code."),
        by_code=True,
        **kwargs,
    )


class UserFieldsForm(BootstrapMixin, forms.Form):
    full_name = forms.CharField(label=_("Full name"), max_length=150)
    email = forms.EmailField(label=_("Email"), required=False)
    phone = forms.CharField(label=_("Phone"), max_length=20, required=False)

    def __init__(self, *args, user: User, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"] = administered_unit_field(user=user, help_text=_("The account's home unit."))
        self.style_fields()


class UserCreateForm(UserFieldsForm):
    username = forms.CharField(
        label=_("Username"),
        max_length=150,
        help_text=_("Letters, digits and . _ - only, e.g. cdcs.lequydon"),
        validators=User._meta.get_field("username").validators,
    )
    role_kind = forms.ChoiceField(
        label=_("Role at the unit"),
        choices=[("", _("No role for now"))] + Role.Kind.choices,
        required=False,
        initial=Role.Kind.OFFICER,
    )
    password1 = forms.CharField(
        label=_("Password"),
        required=False,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("Leave both password fields empty to generate a password, shown once."),
    )
    password2 = forms.CharField(
        label=_("Password again"),
        required=False,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    field_order = ["username", "full_name", "unit", "role_kind", "email", "phone", "password1", "password2"]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["password2"].help_text = password_validators_help_text_html()
        self.order_fields(self.field_order)
        self.style_fields()

    def clean(self) -> dict:
        data = super().clean()
        p1, p2 = data.get("password1"), data.get("password2")
        if (p1 or p2) and p1 != p2:
            self.add_error("password2", _("The two passwords differ."))
        return data


class UserEditForm(UserFieldsForm):
    pass


class RoleGrantForm(BootstrapMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Role"), choices=Role.Kind.choices, initial=Role.Kind.OFFICER)

    def __init__(self, *args, user: User, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"] = administered_unit_field(user=user)
        self.order_fields(["unit", "kind"])
        self.style_fields()
