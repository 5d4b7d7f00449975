"""Reads for clusters and covenants: what a user may see, signatories and who has not signed."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet

from accounts.scoping import scoped
from campaigns.models import Cluster, ClusterMember, Covenant
from org import tree
from org.models import Unit

if TYPE_CHECKING:
    from accounts.models import User


def _member_cluster_ids(user: User) -> QuerySet:
    return scoped(ClusterMember.objects.filter(left_on__isnull=True), user=user).values("cluster_id")


def clusters_for_user(*, user: User) -> QuerySet[Cluster]:
    """Clusters defined in the user's subtrees, and clusters one of the user's units belongs to."""
    mine = scoped(Cluster.objects.all(), user=user).values("pk")
    return Cluster.objects.filter(Q(pk__in=mine) | Q(pk__in=_member_cluster_ids(user))).select_related("unit")


def covenants_for_user(*, user: User) -> QuerySet[Covenant]:
    clusters = clusters_for_user(user=user).values("pk")
    return Covenant.objects.filter(cluster__in=clusters).select_related("cluster", "cluster__unit", "plan")


def covenant_signatories(*, covenant: Covenant) -> tuple[list, list[Unit]]:
    """(signatures in signing order, member units that have not yet signed), in two queries."""
    signatures = list(covenant.signatures.select_related("unit", "recorded_by").order_by("signed_at", "id"))
    signed = {s.unit_id for s in signatures}
    members = (
        Unit.objects.filter(
            pk__in=ClusterMember.objects.filter(cluster_id=covenant.cluster_id, left_on__isnull=True).values(
                "unit_id"
            )
        )
        .exclude(pk__in=signed)
        .order_by(tree.tree_order())
    )
    return signatures, list(members)
