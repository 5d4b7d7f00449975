"""Registration (đăng ký thi đua): a unit's collective pledges and its members' pledges under a
plan, submission with optimistic locking, and reminders to units that have not registered."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mass_mail
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from accounts.scoping import role_holders
from campaigns.models import MemberPledge, Movement, Plan, Pledge, Registration, Reminder, Target
from lib.text import clean, fold
from org import tree
from org.models import Member, Unit
from org.services.units import acting_as

if TYPE_CHECKING:
    from accounts.models import User


@dataclass
class PledgeLine:
    """One line of the pledge editor: a plan movement or target, and what the unit pledges."""

    movement: Movement | None
    target: Target | None
    text: str
    count: int | None = None


def _in_subtree(unit: Unit, top: Unit) -> bool:
    return tree.is_descendant(unit, top)


def _bump_revision(registration: Registration, revision: int) -> None:
    """Conditional UPDATE: refuse when someone else saved since `revision` was read."""
    updated = Registration.objects.filter(pk=registration.pk, revision=revision).update(
        revision=F("revision") + 1
    )
    if not updated:
        raise ValidationError(
            _("Someone else changed this registration after you opened it. Reload the page and try again."),
            code="stale",
        )
    registration.revision = revision + 1


def _require_draft(registration: Registration) -> None:
    if registration.status != Registration.Status.DRAFT:
        raise ValidationError(
            _("This registration has been submitted. Reopen it before changing it."), code="submitted"
        )


@transaction.atomic
def registration_start(*, plan: Plan, unit: Unit, created_by: User | None) -> Registration:
    """The unit's registration under an issued plan (created once; later calls return it)."""
    if plan.status != Plan.Status.ISSUED:
        raise ValidationError(_("Only an issued plan can be registered for."), code="not_issued")
    plan_unit = Unit.objects.only(tree.key_field()).get(pk=plan.unit_id)
    if not _in_subtree(unit, plan_unit):
        raise ValidationError(_("This unit is not covered by the plan."), code="outside_plan")
    existing = Registration.objects.filter(plan=plan, unit=unit).first()
    if existing is not None:
        return existing
    with acting_as(created_by):
        return Registration.objects.create(plan=plan, unit=unit, created_by=created_by)


def pledge_lines(*, registration: Registration) -> list[PledgeLine]:
    """One line per plan movement and target, filled with the unit's pledge where it has one."""
    plan = registration.plan
    pledges = {(p.movement_id, p.target_id): p for p in registration.pledges.all()}
    lines: list[PledgeLine] = []
    for pm in plan.plan_movements.select_related("movement"):
        p = pledges.get((pm.movement_id, None))
        lines.append(
            PledgeLine(
                movement=pm.movement, target=None, text=p.text if p else "", count=p.count if p else None
            )
        )
    for target in plan.targets.select_related("movement"):
        p = pledges.get((None, target.pk)) or pledges.get((target.movement_id, target.pk))
        lines.append(
            PledgeLine(movement=None, target=target, text=p.text if p else "", count=p.count if p else None)
        )
    return lines


@transaction.atomic
def registration_save(
    *,
    registration: Registration,
    lines: Iterable[PledgeLine],
    note: str,
    revision: int,
    saved_by: User | None,
) -> Registration:
    """Save the collective pledges: a line with text is a pledge, an emptied line removes it."""
    _require_draft(registration)
    _bump_revision(registration, revision)
    plan_movements = set(registration.plan.plan_movements.values_list("movement_id", flat=True))
    plan_targets = set(registration.plan.targets.values_list("pk", flat=True))
    existing = {(p.movement_id, p.target_id): p for p in registration.pledges.all()}
    with acting_as(saved_by):
        for position, line in enumerate(lines):
            movement_id = line.movement.pk if line.movement else None
            target_id = line.target.pk if line.target else None
            if (
                target_id is None
                and movement_id not in plan_movements
                or (target_id is not None and target_id not in plan_targets)
            ):
                raise ValidationError(_("A pledge must be tied to one of the plan's movements or targets."))
            key = (None, target_id) if target_id else (movement_id, None)
            text = clean(line.text)
            pledge = existing.pop(key, None)
            if not text:
                if pledge is not None:
                    pledge.delete()  # a draft line the unit emptied; the audit log keeps it
                continue
            if pledge is None:
                Pledge.objects.create(
                    registration=registration,
                    movement_id=key[0],
                    target_id=key[1],
                    text=text,
                    count=line.count,
                    position=position,
                )
            elif (pledge.text, pledge.count, pledge.position) != (text, line.count, position):
                pledge.text, pledge.count, pledge.position = text, line.count, position
                pledge.save(update_fields=["text", "count", "position"])
        note = clean(note)
        if note != registration.note:
            registration.note = note
            registration.save(update_fields=["note"])
    return registration


@transaction.atomic
def registration_submit(*, registration: Registration, submitted_by: User, revision: int) -> Registration:
    """Submit the registration to the upper level; refused if it changed since `revision`."""
    _require_draft(registration)
    if not registration.pledges.exists() and not registration.member_pledges.exists():
        raise ValidationError(_("Add at least one pledge before submitting."), code="empty")
    _bump_revision(registration, revision)
    with acting_as(submitted_by):
        registration.status = Registration.Status.SUBMITTED
        registration.submitted_by = submitted_by
        registration.submitted_at = timezone.now()
        registration.save(update_fields=["status", "submitted_by", "submitted_at"])
    return registration


@transaction.atomic
def registration_reopen(*, registration: Registration, reopened_by: User, revision: int) -> Registration:
    """Put a submitted registration back to draft so the unit can change it."""
    if registration.status != Registration.Status.SUBMITTED:
        raise ValidationError(_("Only a submitted registration can be reopened."), code="not_submitted")
    _bump_revision(registration, revision)
    with acting_as(reopened_by):
        registration.status = Registration.Status.DRAFT
        registration.save(update_fields=["status"])
    return registration


def member_pledge_check(
    *, registration: Registration, member: Member, title: str, movement: Movement | None
) -> list[str]:
    """Why a member pledge cannot be added (empty when it can). Shared with the file import."""
    errors = []
    unit = registration.unit
    if not tree.is_descendant(member.unit, unit):
        errors.append(_("The member does not belong to this unit or the units below it."))
    if not clean(title):
        errors.append(_("The title aimed for is missing."))
    if movement is not None and not registration.plan.plan_movements.filter(movement=movement).exists():
        errors.append(_("The movement is not one of the plan's movements."))
    return errors


@transaction.atomic
def member_pledge_add(
    *,
    registration: Registration,
    member: Member,
    title: str,
    movement: Movement | None = None,
    note: str = "",
    created_by: User | None,
) -> MemberPledge:
    """Register one member's individual pledge."""
    _require_draft(registration)
    errors = member_pledge_check(registration=registration, member=member, title=title, movement=movement)
    if errors:
        raise ValidationError(errors)
    title = clean(title)
    folded = fold(title)
    for other in registration.member_pledges.filter(member=member).values_list("title", flat=True):
        if fold(other) == folded:
            raise ValidationError(_("This member has already pledged this title."), code="duplicate")
    with acting_as(created_by):
        return MemberPledge.objects.create(
            registration=registration, member=member, title=title, movement=movement, note=clean(note)
        )


@transaction.atomic
def member_pledge_remove(*, pledge: MemberPledge, removed_by: User | None) -> None:
    """Take back a member pledge while the registration is a draft (the audit log keeps it)."""
    _require_draft(pledge.registration)
    with acting_as(removed_by):
        pledge.delete()


# Reminders ----------------------------------------------------------------------------------


@transaction.atomic
def reminder_send(
    *, plan: Plan, units: Iterable[Unit], sent_by: User, subject: str = "", message: str = ""
) -> list[Reminder]:
    """Record a reminder for each unit (one bulk insert) and e-mail their officers in the background."""
    units = list(units)
    if not units:
        return []
    subject = subject or _("Reminder: register for “%(title)s”") % {"title": plan.title}
    message = message or _(
        "Your unit has not yet submitted its emulation registration under plan %(number)s “%(title)s”. "
        "Please register in thidua."
    ) % {"number": plan.number, "title": plan.title}
    reminders = Reminder.objects.bulk_create(
        [Reminder(plan=plan, unit=u, subject=subject, message=message, sent_by=sent_by) for u in units]
    )
    ids = [u.pk for u in units]
    transaction.on_commit(
        lambda: send_reminder_emails.enqueue(unit_ids=ids, subject=subject, message=message)
    )
    return reminders


@task()
def send_reminder_emails(*, unit_ids: list[int], subject: str, message: str) -> int:
    """E-mail a reminder to every user holding an active role at the given units."""
    emails = sorted(
        set(
            role_holders(unit_ids=unit_ids)
            .filter(user__is_active=True)
            .exclude(user__email="")
            .values_list("user__email", flat=True)
        )
    )
    if not emails:
        return 0
    sender = settings.DEFAULT_FROM_EMAIL
    return send_mass_mail([(subject, message, sender, [email]) for email in emails], fail_silently=False)
