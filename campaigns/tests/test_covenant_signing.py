import datetime

from django.urls import reverse

from accounts.models import Role
from campaigns.models import Cluster, ClusterHead, Covenant, CovenantClause, CovenantSignature
from campaigns.services.covenants import cluster_create
from campaigns.tests.factories_registrations import PlanTestCase
from lib.audit import audit_for_object
from lib.testing import EnglishMixin, make_user
from org.models import UnitKind
from org.services.units import unit_create


def two_school_cluster(cast, name: str = "Cụm", **extra) -> Cluster:
    """Alice's cluster of Đông Hà's two grassroots unions (`cast` is the test or its class)."""
    return cluster_create(
        unit=cast.dongha,
        name=name,
        kind="cluster",
        members=[cast.school, cast.factory],
        created_by=cast.alice,
        **extra,
    )


class ClusterTests(EnglishMixin, PlanTestCase):
    def test_alice_defines_a_cluster_of_peer_units(self):
        self.login(self.alice)
        r = self.client.post(
            reverse("campaigns:cluster-create"),
            {"name": "Cụm thi đua số 1", "kind": "cluster", "members": [self.school.pk, self.factory.pk]},
        )
        cluster = Cluster.objects.get()
        self.assertRedirects(r, reverse("campaigns:cluster-detail", args=[cluster.pk]))
        self.assertEqual(cluster.unit, self.dongha)
        self.assertEqual(set(cluster.members.values_list("pk", flat=True)), {self.school.pk, self.factory.pk})
        self.assertEqual(ClusterHead.objects.get().unit, self.school)

    def test_members_must_be_peers(self):
        self.login(self.pat)
        r = self.client.post(
            reverse("campaigns:cluster-create"),
            {"name": "Cụm lệch", "kind": "cluster", "members": [self.dongha.pk, self.school.pk]},
        )
        self.assertEqual(r.status_code, 200)
        self.assertContains(r, "must be peers")
        self.assertFalse(Cluster.objects.exists())

    def test_the_head_rotates_in_member_order(self):
        cluster = two_school_cluster(self, head=self.school, year=2021)
        self.login(self.alice)
        url = reverse("campaigns:cluster-rotate", args=[cluster.pk])
        self.client.post(url)
        self.client.post(url)
        self.assertEqual(
            list(cluster.heads.order_by("year").values_list("year", "unit_id")),
            [(2021, self.school.pk), (2022, self.factory.pk), (2023, self.school.pk)],
        )

    def test_editing_members_keeps_who_left(self):
        cluster = two_school_cluster(self)
        third = unit_create(parent=self.dongha, code="QT.DH.003", name="CĐCS 3", kind=UnitKind.GRASSROOTS)
        self.login(self.alice)
        self.client.post(
            reverse("campaigns:cluster-edit", args=[cluster.pk]),
            {"name": "Cụm mới", "kind": "bloc", "members": [self.school.pk, third.pk]},
        )
        cluster.refresh_from_db()
        self.assertEqual((cluster.name, cluster.kind), ("Cụm mới", "bloc"))
        self.assertEqual(cluster.memberships.get(unit=self.factory).left_on, datetime.date.today())
        self.assertEqual(
            set(cluster.memberships.filter(left_on__isnull=True).values_list("unit_id", flat=True)),
            {self.school.pk, third.pk},
        )

    def test_charlie_gets_404_and_bob_403(self):
        cluster = two_school_cluster(self)
        self.login(self.charlie)
        self.assertEqual(
            self.client.get(reverse("campaigns:cluster-detail", args=[cluster.pk])).status_code, 404
        )
        self.assertEqual(
            self.client.get(reverse("campaigns:cluster-edit", args=[cluster.pk])).status_code, 404
        )
        self.assertNotContains(self.client.get(reverse("campaigns:cluster-list")), "Cụm")
        self.login(self.bob)
        self.assertEqual(
            self.client.get(reverse("campaigns:cluster-detail", args=[cluster.pk])).status_code, 200
        )
        self.assertEqual(
            self.client.get(reverse("campaigns:cluster-edit", args=[cluster.pk])).status_code, 403
        )

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.pat = make_user("pat", cls.quangtri, Role.Kind.OFFICER)


class CovenantTests(PlanTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.cluster = two_school_cluster(cls, name="Cụm thi đua Đông Hà")
        cls.outsider_unit = unit_create(
            parent=cls.dongha, code="QT.DH.009", name="CĐCS ngoài cụm", kind=UnitKind.GRASSROOTS
        )
        cls.outsider = make_user("omar", cls.outsider_unit, Role.Kind.OFFICER)

    def create_and_open(self):
        self.login(self.alice)
        url = reverse("campaigns:covenant-create", args=[self.cluster.pk])
        r = self.client.get(url, {"plan": self.plan.pk})
        self.assertContains(r, "Lao động giỏi, Lao động sáng tạo")  # prefilled clause per movement
        self.assertContains(r, "ít nhất 01 mô hình điểm")  # and per target
        data = {"plan": self.plan.pk, "title": "Giao ước thi đua 2021", "place": "Đông Hà"}
        data |= {f"clause_{i}": v.initial for i, v in enumerate(r.context["form"].rows()) for v in [v[1]]}
        data["clause_1"] = ""  # leave the second movement out
        r = self.client.post(url, data)
        covenant = Covenant.objects.get()
        self.assertRedirects(r, reverse("campaigns:covenant-detail", args=[covenant.pk]))
        self.client.post(reverse("campaigns:covenant-open", args=[covenant.pk]))
        covenant.refresh_from_db()
        return covenant

    def sign(self, covenant, unit, name="Nguyễn Văn A"):
        return self.client.post(
            reverse("campaigns:covenant-sign", args=[covenant.pk]),
            {"unit": unit.pk, "signer_name": name, "signer_title": "Chủ tịch"},
        )

    def test_clauses_are_tied_to_the_plan(self):
        covenant = self.create_and_open()
        clauses = list(CovenantClause.objects.filter(covenant=covenant).order_by("position"))
        self.assertEqual(
            [(c.movement_id, c.target_id) for c in clauses], [(self.mv_good.pk, None), (None, self.target.pk)]
        )
        self.assertEqual(covenant.status, Covenant.Status.OPEN)

    def test_it_lists_signatories_and_who_has_not_signed_then_becomes_signed(self):
        covenant = self.create_and_open()
        self.login(self.dora)  # the school's officer
        self.sign(covenant, self.school, "Lê Văn Dũng")
        r = self.client.get(reverse("campaigns:covenant-detail", args=[covenant.pk]))
        self.assertEqual([s.unit for s in r.context["signatures"]], [self.school])
        self.assertEqual(r.context["unsigned"], [self.factory])
        self.assertContains(r, "Lê Văn Dũng")
        covenant.refresh_from_db()
        self.assertEqual(covenant.status, Covenant.Status.OPEN)
        self.login(self.alice)
        self.sign(covenant, self.factory)
        covenant.refresh_from_db()
        self.assertEqual(covenant.status, Covenant.Status.SIGNED)
        self.assertEqual(covenant.signed_on, datetime.date.today())
        signature = CovenantSignature.objects.get(unit=self.factory)
        self.assertEqual(signature.recorded_by, self.alice)
        entry = audit_for_object(signature).get()
        self.assertEqual(entry.actor, self.alice)

    def test_a_unit_signs_only_once(self):
        covenant = self.create_and_open()
        self.sign(covenant, self.school, "A")
        self.sign(covenant, self.school, "B")
        self.assertEqual(list(CovenantSignature.objects.values_list("signer_name", flat=True)), ["A"])

    def test_dora_cannot_sign_for_the_factory(self):
        covenant = self.create_and_open()
        self.login(self.dora)
        self.assertEqual(self.sign(covenant, self.factory).status_code, 404)
        self.assertFalse(CovenantSignature.objects.exists())

    def test_a_non_member_cannot_sign(self):
        covenant = self.create_and_open()
        self.login(self.outsider)
        self.assertEqual(self.sign(covenant, self.outsider_unit).status_code, 404)
        self.login(self.alice)  # alice may write the outsider unit, but it is not a member
        self.assertEqual(self.sign(covenant, self.outsider_unit).status_code, 404)
        self.assertFalse(CovenantSignature.objects.exists())

    def test_bob_cannot_sign_or_open(self):
        covenant = self.create_and_open()
        self.login(self.bob)
        self.assertEqual(self.sign(covenant, self.school).status_code, 403)
        self.assertEqual(
            self.client.post(reverse("campaigns:covenant-open", args=[covenant.pk])).status_code, 403
        )
        self.assertFalse(CovenantSignature.objects.exists())

    def test_charlie_gets_404(self):
        covenant = self.create_and_open()
        self.login(self.charlie)
        self.assertEqual(
            self.client.get(reverse("campaigns:covenant-detail", args=[covenant.pk])).status_code, 404
        )
        self.assertEqual(self.sign(covenant, self.school).status_code, 404)
        r = self.client.get(
            reverse("campaigns:covenant-create", args=[self.cluster.pk]), {"plan": self.plan.pk}
        )
        self.assertEqual(r.status_code, 404)

    def test_a_draft_covenant_cannot_be_signed(self):
        self.login(self.alice)
        r = self.client.get(
            reverse("campaigns:covenant-create", args=[self.cluster.pk]), {"plan": self.plan.pk}
        )
        data = {"plan": self.plan.pk, "title": "GƯ", "clause_0": "Điều 1"}
        self.client.post(reverse("campaigns:covenant-create", args=[self.cluster.pk]), data)
        covenant = Covenant.objects.get()
        self.sign(covenant, self.school)
        self.assertFalse(CovenantSignature.objects.exists())
        self.assertEqual(r.status_code, 200)


class ClusterFormTests(PlanTestCase):
    def test_the_form_offers_units_below_the_defining_unit(self):
        self.login(self.alice)
        r = self.client.get(reverse("campaigns:cluster-create"))
        self.assertContains(r, self.school.name)
        self.assertNotContains(r, self.port.name)
