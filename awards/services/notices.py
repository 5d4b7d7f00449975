"""Public notice of the nominees for a high honour before the council meets: the deciding level
publishes the list for a set number of days, anyone may comment, officers moderate and answer.

A comment's contact details are for the officers only; the public page shows accepted comments
with their answers and nothing that identifies a nominee beyond name, unit and achievements."""

from __future__ import annotations

import datetime
import secrets

from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.scoping import can_write
from awards.models import Award, Nomination, Nominee, NoticeComment, PublicNotice, Round
from awards.selectors.nominations import deciding_units_for
from lib.text import clean
from org.models import Unit
from org.services.units import acting_as

COMMENT_LIMIT = 5  # comments per hour from one address
COMMENT_WINDOW = 3600
MAX_TEXT = 5000


def publishable_nominees(*, round: Round, award: Award, unit: Unit) -> list[Nominee]:  # noqa: A002
    """Nominees of the round's lists for `award` that `unit` decides and that are submitted to
    it or already before its council."""
    nominations = Nomination.objects.filter(
        round=round,
        award=award,
        at_unit=unit,
        status__in=[Nomination.Status.SUBMITTED, Nomination.Status.AT_COUNCIL],
    ).select_related("award", "unit")
    deciders = deciding_units_for(nominations)
    ids = [n.pk for n in nominations if deciders[n.pk].pk == unit.pk]
    return list(
        Nominee.objects.filter(nomination_id__in=ids, status=Nominee.Status.PROPOSED)
        .select_related("unit")
        .order_by("nomination_id", "position", "id")
    )


@transaction.atomic
def notice_publish(
    *,
    round: Round,  # noqa: A002
    award: Award,
    unit: Unit,
    opens_on: datetime.date,
    created_by,
    nominees: list[Nominee] | None = None,
) -> PublicNotice:
    """Publish the list for comment from `opens_on` for the award's notice period."""
    if not can_write(user=created_by, unit=unit):
        raise PermissionDenied
    if award.public_notice_days <= 0:
        raise ValidationError(_("“%(award)s” has no period of public notice.") % {"award": award.name})
    available = publishable_nominees(round=round, award=award, unit=unit)
    if nominees is not None:
        allowed = {n.pk for n in available}
        if any(n.pk not in allowed for n in nominees):
            raise ValidationError(_("Only nominees of lists submitted to this level can be published."))
        available = list(nominees)
    if not available:
        raise ValidationError(_("No nominee waits at this level for this award."))
    with acting_as(created_by):
        notice = PublicNotice.objects.create(
            round=round,
            award=award,
            unit=unit,
            opens_on=opens_on,
            closes_on=opens_on + datetime.timedelta(days=award.public_notice_days),
            created_by=created_by,
            # 24 random bytes: 32 URL-safe characters, the column's length (the model's default
            # token_urlsafe() gives 43, which PostgreSQL refuses).
            token=secrets.token_urlsafe(24),
        )
        notice.nominees.set(available)
    return notice


def notice_is_open(notice: PublicNotice, *, today: datetime.date | None = None) -> bool:
    today = today or timezone.localdate()
    return notice.opens_on <= today <= notice.closes_on


def rate_limited(*, key: str, limit: int = COMMENT_LIMIT) -> bool:
    """Whether `key` (an address) has used up its comments of the current window."""
    return (cache.get(f"awards:notice-comment:{key}") or 0) >= limit


def rate_count(*, key: str, window: int = COMMENT_WINDOW) -> None:
    """Count one comment against `key` for `window` seconds from the first."""
    name = f"awards:notice-comment:{key}"
    cache.add(name, 0, window)
    try:
        cache.incr(name)
    except ValueError:  # expired between add and incr
        cache.set(name, 1, window)


@transaction.atomic
def notice_comment_add(
    *,
    notice: PublicNotice,
    author_name: str,
    text: str,
    contact: str = "",
    nominee: Nominee | None = None,
    today: datetime.date | None = None,
) -> NoticeComment:
    """A comment from the public, held for moderation."""
    today = today or timezone.localdate()
    errors = []
    if today < notice.opens_on:
        errors.append(
            _("The notice opens for comments on %(date)s.") % {"date": notice.opens_on.strftime("%d/%m/%Y")}
        )
    elif today > notice.closes_on:
        errors.append(
            _("The period for comments ended on %(date)s.") % {"date": notice.closes_on.strftime("%d/%m/%Y")}
        )
    author_name, contact, text = clean(author_name), clean(contact), (text or "").strip()
    if not author_name:
        errors.append(_("Write your name."))
    if not text:
        errors.append(_("Write your comment."))
    elif len(text) > MAX_TEXT:
        errors.append(_("The comment is too long (at most %(n)s characters).") % {"n": MAX_TEXT})
    if nominee is not None and not notice.nominees.filter(pk=nominee.pk).exists():
        errors.append(_("The nominee is not on this list."))
    if errors:
        raise ValidationError(errors)
    return NoticeComment.objects.create(
        notice=notice, nominee=nominee, author_name=author_name[:150], contact=contact[:150], text=text
    )


@transaction.atomic
def notice_comment_moderate(*, comment: NoticeComment, by, accept: bool, answer: str = "") -> NoticeComment:
    """Accept (published with its answer) or reject a comment; it stays in the dossier either way."""
    if not can_write(user=by, unit=comment.notice.unit):
        raise PermissionDenied
    answer = (answer or "").strip()
    if accept and not answer:
        raise ValidationError(_("An accepted comment is published with its answer: write the answer."))
    comment.status = NoticeComment.Status.ACCEPTED if accept else NoticeComment.Status.REJECTED
    comment.answer = answer
    comment.moderated_by = by
    comment.moderated_at = timezone.now()
    with acting_as(by):
        comment.save(update_fields=["status", "answer", "moderated_by", "moderated_at"])
    return comment
