"""Account and role changes. Each one checks that the acting administrator manages the unit
concerned and is recorded in the audit log with them as the actor."""

import secrets

from auditlog.models import LogEntry
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework.authtoken.models import Token

from accounts.models import Role, User
from accounts.scoping import can_administer
from accounts.selectors import api_token_expired
from lib.audit import acting_as
from lib.text import clean
from org.models import Unit

USER_EDITABLE_FIELDS = ["full_name", "email", "phone", "unit"]
# No 0/O or 1/l/I: a generated password is read off a screen and typed by someone else.
_PASSWORD_ALPHABET = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def password_generate(length: int = 12) -> str:
    """A random password that is easy to read aloud."""
    return "".join(secrets.choice(_PASSWORD_ALPHABET) for _ in range(length))


def _require_administer(acting_user: User, unit: Unit | None) -> None:
    if not can_administer(user=acting_user, unit=unit):
        raise PermissionDenied


@transaction.atomic
def user_create(
    *,
    acting_user: User,
    username: str,
    unit: Unit,
    password: str,
    full_name: str = "",
    email: str = "",
    phone: str = "",
    role_kind: str = "",
) -> User:
    """Create an account at `unit` and, when `role_kind` is given, its first role there."""
    _require_administer(acting_user, unit)
    username = clean(username)
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError({"username": _("An account with this username already exists.")})
    user = User(
        username=username,
        full_name=clean(full_name),
        email=clean(email).lower(),
        phone=clean(phone),
        unit=unit,
    )
    validate_password(password, user)
    user.set_password(password)
    with acting_as(acting_user):
        user.full_clean()
        user.save()
        if role_kind:
            role_grant(acting_user=acting_user, user=user, unit=unit, kind=role_kind)
    return user


@transaction.atomic
def user_update(*, acting_user: User, user: User, **data) -> User:
    """Change an account's name, email, phone or home unit (both old and new unit must be
    administered by the acting user)."""
    _require_administer(acting_user, user.unit)
    unknown = set(data) - set(USER_EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"user_update cannot change {sorted(unknown)}")
    if "unit" in data and data["unit"] != user.unit:
        _require_administer(acting_user, data["unit"])
    changed = []
    for field, value in data.items():
        if isinstance(value, str):
            value = clean(value)
            if field == "email":
                value = value.lower()
        if getattr(user, field) != value:
            setattr(user, field, value)
            changed.append(field)
    if changed:
        with acting_as(acting_user):
            user.full_clean()
            user.save(update_fields=changed)
    return user


@transaction.atomic
def user_deactivate(*, acting_user: User, user: User) -> User:
    """Stop an account from logging in. Accounts are never deleted: the audit log and the
    decisions they took must keep pointing at them."""
    _require_administer(acting_user, user.unit)
    if user.pk == acting_user.pk:
        raise ValidationError(_("You cannot deactivate your own account."))
    if user.is_active:
        user.is_active = False
        with acting_as(acting_user):
            user.save(update_fields=["is_active"])
    api_token_end(user=user)  # so that reactivating the account does not revive it
    return user


@transaction.atomic
def role_grant(*, acting_user: User, user: User, unit: Unit, kind: str) -> Role:
    """Give `user` a role at `unit`; only at units the acting administrator manages, so
    nobody can grant access above their own unit."""
    _require_administer(acting_user, unit)
    if kind not in Role.Kind.values:
        raise ValidationError({"kind": _("Unknown role.")})
    if not user.is_active:
        raise ValidationError(_("This account is deactivated."))
    if Role.objects.active().filter(user=user, unit=unit, kind=kind).exists():
        raise ValidationError(_("The account already holds this role at this unit."))
    with acting_as(acting_user):
        role = Role.objects.create(user=user, unit=unit, kind=kind, granted_by=acting_user)
    return role


@transaction.atomic
def role_revoke(*, acting_user: User, role: Role) -> Role:
    """End a role. The row stays, with who revoked it and when."""
    _require_administer(acting_user, role.unit)
    if role.revoked_at is None:
        role.revoked_at = timezone.now()
        role.revoked_by = acting_user
        with acting_as(acting_user):
            role.save(update_fields=["revoked_at", "revoked_by"])
    return role


# -- API tokens ------------------------------------------------------------------------------
# One token per account (DRF's Token). It lasts API_TOKEN_TTL_DAYS from when it was issued, and
# ends earlier when the password changes (User.save), at logout, when the account is
# deactivated, or when an administrator revokes it.


@transaction.atomic
def api_token_issue(*, user: User) -> Token:
    """The account's token while it is valid, else a new one (after expiry or revocation)."""
    token = Token.objects.select_for_update().filter(user=user).first()
    if token is not None and not api_token_expired(token):
        return token
    if token is not None:
        token.delete()
    # get_or_create: two logins at once both find no token; one creates it, the other gets it.
    return Token.objects.get_or_create(user=user)[0]


def api_token_end(*, user: User) -> bool:
    """End the account's token, if it has one (logout, deactivation). True if one ended."""
    deleted, _rows = Token.objects.filter(user=user).delete()
    return bool(deleted)


@transaction.atomic
def api_token_revoke(*, acting_user: User, user: User) -> bool:
    """An administrator ends an account's API token (a lost laptop, a leaked script), recorded
    in the account's history. True if there was one."""
    _require_administer(acting_user, user.unit)
    if not api_token_end(user=user):
        return False
    LogEntry.objects.log_create(
        user,
        action=LogEntry.Action.UPDATE,
        changes={"api_token": ["active", "revoked"]},
        actor=acting_user,
    )
    return True
