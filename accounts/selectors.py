"""Reads of accounts and roles for the administrators' pages."""

import datetime

from auditlog.models import LogEntry
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone
from rest_framework.authtoken.models import Token

from accounts.models import Role, User
from accounts.scoping import scoped_users
from lib.audit import audit_for_object, change_rows
from lib.text import fold, tokens

AUDIT_LIMIT = 200


def user_list(*, user: User, q: str = "") -> QuerySet[User]:
    """Accounts the administrator `user` manages, with their active roles, optionally searched."""
    users = scoped_users(User.objects.select_related("unit"), user=user)
    users = user_search(users, q)
    return users.prefetch_related(
        Prefetch(
            "roles",
            queryset=Role.objects.active().select_related("unit").order_by("id"),
            to_attr="active_roles",
        )
    ).order_by("username")


def user_search(queryset: QuerySet[User], q: str) -> QuerySet[User]:
    """Accounts whose username or full name has a word starting with each word of `q`,
    ignoring accents.

    Users carry no folded name column, so the fold runs in Python over (id, username, name)
    of the administrator's accounts: a few thousand at most even for a province."""
    toks = tokens(q)
    if not toks:
        return queryset
    matched = []
    for pk, username, full_name in queryset.values_list("pk", "username", "full_name"):
        words = fold(f"{username} {full_name}").split(" ")
        if all(any(w.startswith(t) for w in words) for t in toks):
            matched.append(pk)
    return queryset.filter(pk__in=matched)


def user_roles(*, user: User) -> list[Role]:
    """All roles of an account, active first, with the granting and revoking users."""
    return list(
        Role.objects.filter(user=user)
        .select_related("unit", "granted_by", "revoked_by")
        .order_by("revoked_at", "-granted_at", "-id")
    )


def user_audit(*, user: User, roles: list[Role]) -> list[LogEntry]:
    """Recorded changes of an account and of its roles, newest first, each with `.rows`."""
    role_ct = ContentType.objects.get_for_model(Role)
    entries = audit_for_object(user) | LogEntry.objects.filter(
        Q(content_type=role_ct, object_pk__in=[str(r.pk) for r in roles])
    )
    entries = list(
        entries.select_related("actor", "content_type").order_by("-timestamp", "-id")[:AUDIT_LIMIT]
    )
    for entry in entries:
        entry.rows = change_rows(entry)
    return entries


def api_token_expires(token: Token) -> datetime.datetime:
    return token.created + datetime.timedelta(days=settings.API_TOKEN_TTL_DAYS)


def api_token_expired(token: Token) -> bool:
    return timezone.now() >= api_token_expires(token)


def api_token_of(*, user: User) -> Token | None:
    """The account's API token with `.expires` and `.expired`, or None (never shown: only its dates)."""
    token = Token.objects.filter(user=user).first()
    if token is not None:
        token.expires = api_token_expires(token)
        token.expired = api_token_expired(token)
    return token
