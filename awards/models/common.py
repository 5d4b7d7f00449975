"""What every part of the awards models shares: recipient kinds and the random codes."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

USER = settings.AUTH_USER_MODEL

# Without 0/O/1/I/L: a code read off paper and typed back in stays unambiguous.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 10


def new_notice_token() -> str:
    return secrets.token_urlsafe(24)  # 32 characters


def new_verify_code() -> str:
    """A random public code for a certificate (31^10 ≈ 8·10^14: not guessable, not sequential)."""
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


class RecipientKind(models.TextChoices):
    MEMBER = "member", _("Union member")
    PERSON = "person", _("Person")
    FAMILY = "family", _("Family")
    UNION_GROUP = "union_group", _("Union group")
    GRASSROOTS = "grassroots", _("Grassroots union")
    COLLECTIVE = "collective", _("Collective")


PERSON_KINDS = (RecipientKind.MEMBER, RecipientKind.PERSON, RecipientKind.FAMILY)
COLLECTIVE_KINDS = (RecipientKind.UNION_GROUP, RecipientKind.GRASSROOTS, RecipientKind.COLLECTIVE)
