"""Emulation clusters (cụm, khối) with their yearly head, and the covenants their units sign."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from campaigns.models import (
    Cluster,
    ClusterHead,
    ClusterMember,
    Covenant,
    CovenantClause,
    CovenantSignature,
    Movement,
    Plan,
    Target,
)
from lib.text import clean
from org import tree
from org.models import Unit
from org.services.units import acting_as

if TYPE_CHECKING:
    from accounts.models import User


@dataclass
class ClauseLine:
    movement: Movement | None
    target: Target | None
    text: str


def _check_members(*, unit: Unit, members: list[Unit]) -> None:
    if len(members) < 2:
        raise ValidationError(_("A cluster needs at least two member units."), code="too_few")
    if any(not tree.is_descendant(m, unit) or m.pk == unit.pk for m in members):
        raise ValidationError(
            _("Member units must be below the unit that defines the cluster."), code="outside"
        )
    if len({m.depth for m in members}) > 1:
        raise ValidationError(
            _("Member units of a cluster must be peers (of the same level)."), code="not_peers"
        )


def cluster_members(*, cluster: Cluster) -> list[Unit]:
    """Current member units, in the order they joined (the head rotates in this order)."""
    return [
        m.unit for m in cluster.memberships.filter(left_on__isnull=True).select_related("unit").order_by("id")
    ]


@transaction.atomic
def cluster_create(
    *,
    unit: Unit,
    name: str,
    kind: str,
    members: Iterable[Unit],
    head: Unit | None = None,
    year: int | None = None,
    created_by: User | None,
) -> Cluster:
    """Define a cluster of peer units of `unit`'s subtree, optionally with this year's head."""
    members = list(dict.fromkeys(members))
    _check_members(unit=unit, members=members)
    with acting_as(created_by):
        cluster = Cluster.objects.create(unit=unit, name=clean(name), kind=kind)
        today = timezone.localdate()
        for m in members:
            ClusterMember.objects.create(cluster=cluster, unit=m, joined_on=today)
        if head is not None:
            cluster_head_set(cluster=cluster, year=year or today.year, unit=head, set_by=created_by)
    return cluster


@transaction.atomic
def cluster_update(
    *, cluster: Cluster, name: str, kind: str, members: Iterable[Unit], updated_by: User | None
) -> Cluster:
    """Rename the cluster and change its members; units that leave keep their history (left_on)."""
    members = list(dict.fromkeys(members))
    _check_members(unit=cluster.unit, members=members)
    today = timezone.localdate()
    with acting_as(updated_by):
        if (cluster.name, cluster.kind) != (clean(name), kind):
            cluster.name, cluster.kind = clean(name), kind
            cluster.save(update_fields=["name", "kind"])
        current = {m.unit_id: m for m in cluster.memberships.filter(left_on__isnull=True)}
        wanted = {m.pk for m in members}
        for unit_id, membership in current.items():
            if unit_id not in wanted:
                membership.left_on = today
                membership.save(update_fields=["left_on"])
        for m in members:
            if m.pk not in current:
                ClusterMember.objects.create(cluster=cluster, unit=m, joined_on=today)
    return cluster


@transaction.atomic
def cluster_head_set(*, cluster: Cluster, year: int, unit: Unit, set_by: User | None) -> ClusterHead:
    """Make `unit` (a current member) the cluster head for `year`."""
    if not cluster.memberships.filter(unit=unit, left_on__isnull=True).exists():
        raise ValidationError(_("The cluster head must be one of its member units."), code="not_member")
    with acting_as(set_by):
        head, created = ClusterHead.objects.get_or_create(cluster=cluster, year=year, defaults={"unit": unit})
        if not created and head.unit_id != unit.pk:
            head.unit = unit
            head.save(update_fields=["unit"])
    return head


@transaction.atomic
def cluster_head_rotate(*, cluster: Cluster, rotated_by: User | None) -> ClusterHead:
    """Next year's head: the member after the latest head, in joining order (wrapping round)."""
    members = cluster_members(cluster=cluster)
    if not members:
        raise ValidationError(_("The cluster has no member units."), code="empty")
    latest = cluster.heads.order_by("-year").first()
    if latest is None:
        return cluster_head_set(
            cluster=cluster, year=timezone.localdate().year, unit=members[0], set_by=rotated_by
        )
    ids = [m.pk for m in members]
    nxt = members[(ids.index(latest.unit_id) + 1) % len(members)] if latest.unit_id in ids else members[0]
    return cluster_head_set(cluster=cluster, year=latest.year + 1, unit=nxt, set_by=rotated_by)


def clause_lines(*, plan: Plan) -> list[ClauseLine]:
    """A clause editor prefilled with one clause per plan movement and target."""
    lines = [
        ClauseLine(
            movement=pm.movement,
            target=None,
            text=_("Take part actively in the movement “%(name)s”.") % {"name": pm.movement.name},
        )
        for pm in plan.plan_movements.select_related("movement")
    ]
    lines += [ClauseLine(movement=None, target=t, text=t.text) for t in plan.targets.all()]
    return lines


@transaction.atomic
def covenant_create(
    *,
    cluster: Cluster,
    plan: Plan,
    title: str,
    place: str = "",
    year: int | None = None,
    clauses: Iterable[ClauseLine],
    created_by: User | None,
) -> Covenant:
    """A draft covenant of the cluster under an issued plan, its clauses tied to the plan."""
    if plan.status != Plan.Status.ISSUED:
        raise ValidationError(_("A covenant can only be made under an issued plan."), code="not_issued")
    if Covenant.objects.filter(cluster=cluster, plan=plan).exists():
        raise ValidationError(_("This cluster already has a covenant under this plan."), code="duplicate")
    movements = set(plan.plan_movements.values_list("movement_id", flat=True))
    targets = set(plan.targets.values_list("pk", flat=True))
    lines = [c for c in clauses if clean(c.text)]
    if not lines:
        raise ValidationError(_("Write at least one clause."), code="no_clauses")
    for c in lines:
        if (c.target is not None and c.target.pk not in targets) or (
            c.target is None and (c.movement is None or c.movement.pk not in movements)
        ):
            raise ValidationError(_("Each clause must be tied to one of the plan's movements or targets."))
    with acting_as(created_by):
        covenant = Covenant.objects.create(
            cluster=cluster,
            plan=plan,
            year=year or plan.year,
            title=clean(title),
            place=clean(place),
            created_by=created_by,
        )
        for position, c in enumerate(lines):
            CovenantClause.objects.create(
                covenant=covenant,
                text=c.text.strip(),
                movement=c.movement if c.target is None else None,
                target=c.target,
                position=position,
            )
    return covenant


@transaction.atomic
def covenant_open(*, covenant: Covenant, opened_by: User | None) -> Covenant:
    """Open a draft covenant for signing."""
    if covenant.status != Covenant.Status.DRAFT:
        raise ValidationError(_("Only a draft covenant can be opened for signing."), code="not_draft")
    with acting_as(opened_by):
        covenant.status = Covenant.Status.OPEN
        covenant.save(update_fields=["status"])
    return covenant


@transaction.atomic
def covenant_sign(
    *, covenant: Covenant, unit: Unit, signer_name: str, signer_title: str = "", recorded_by: User | None
) -> CovenantSignature:
    """Record one member unit's signature; the covenant is SIGNED once every member has signed."""
    covenant = Covenant.objects.select_for_update().get(pk=covenant.pk)
    if covenant.status != Covenant.Status.OPEN:
        raise ValidationError(_("This covenant is not open for signing."), code="not_open")
    members = {m.pk for m in cluster_members(cluster=covenant.cluster)}
    if unit.pk not in members:
        raise ValidationError(_("Only a member unit of the cluster can sign."), code="not_member")
    if not clean(signer_name):
        raise ValidationError(_("Enter the name of the person signing."), code="no_name")
    if covenant.signatures.filter(unit=unit).exists():
        raise ValidationError(_("This unit has already signed."), code="signed")
    with acting_as(recorded_by):
        signature = CovenantSignature.objects.create(
            covenant=covenant,
            unit=unit,
            signer_name=clean(signer_name),
            signer_title=clean(signer_title),
            recorded_by=recorded_by,
        )
        signed = set(covenant.signatures.values_list("unit_id", flat=True))
        if members <= signed:
            covenant.status = Covenant.Status.SIGNED
            covenant.signed_on = timezone.localdate()
            covenant.save(update_fields=["status", "signed_on"])
    return signature
