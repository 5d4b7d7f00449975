"""Round pages: the list (own and ancestors' rounds), opening one, its page, closing it."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from awards.models import Round
from awards.tests import factories as f
from awards.tests import factories_nominations as fn
from lib.testing import BaseTestCase, EnglishMixin


class RoundViewTestCase(EnglishMixin, BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        fn.officers(cls)
        cls.qt_round = f.make_round(
            cls.quangtri, 2025, ("bang-khen-ldld-tinh", "giay-khen"), name="Khen thưởng QT 2025"
        )
        cls.dh_round = f.make_round(cls.dongha, 2025, ("giay-khen",), name="Khen thưởng Đông Hà 2025")
        cls.qb_round = f.make_round(cls.quangbinh, 2025, ("giay-khen",), name="Khen thưởng QB 2025")


class RoundListTests(RoundViewTestCase):
    def test_it_shows_the_users_and_their_ancestors_rounds(self):
        self.login(self.sam)
        response = self.client.get(reverse("awards:round-list"))
        names = [r.name for r in response.context["page"]]
        self.assertEqual(sorted(names), ["Khen thưởng QT 2025", "Khen thưởng Đông Hà 2025"])
        self.login(self.charlie)
        names = [r.name for r in self.client.get(reverse("awards:round-list")).context["page"]]
        self.assertEqual(names, ["Khen thưởng QB 2025"])

    def test_it_filters_and_counts_queries_once_per_page(self):
        self.login(self.alice)

        def count() -> int:
            with CaptureQueriesContext(connection) as ctx:
                self.assertEqual(
                    self.client.get(reverse("awards:round-list"), {"year": "2025"}).status_code, 200
                )
            return len(ctx.captured_queries)

        before = count()
        for i in range(5):
            f.make_round(self.dongha, 2025, ("giay-khen", "cstd-co-so"), name=f"Đợt {i}")
        self.assertEqual(count(), before)
        response = self.client.get(reverse("awards:round-list"), {"q": "Đợt 3", "status": "open"})
        self.assertEqual([r.name for r in response.context["page"]], ["Đợt 3"])


class RoundCreateViewTests(RoundViewTestCase):
    def test_an_officer_opens_a_round(self):
        self.login(self.quinn)
        response = self.client.get(reverse("awards:round-create"))
        self.assertEqual(response.status_code, 200)
        response = self.client.post(
            reverse("awards:round-create"),
            {
                "unit": self.quangtri.pk,
                "name": "Chuyên đề ATVSLĐ 2025",
                "year": "2025",
                "kind": "theme",
                "theme": "Xanh - Sạch - Đẹp",
                "awards": [f.award("bang-khen-ldld-tinh").pk],
                "deadline": "15/12/2025",
            },
        )
        rnd = Round.objects.get(name="Chuyên đề ATVSLĐ 2025")
        self.assertRedirects(response, reverse("awards:round-detail", args=[rnd.pk]))
        self.assertEqual((rnd.theme, rnd.deadline.day, rnd.created_by), ("Xanh - Sạch - Đẹp", 15, self.quinn))

    def test_a_viewer_cannot_and_an_outsider_cannot_name_another_unit(self):
        self.login(self.bob)
        self.assertEqual(self.client.get(reverse("awards:round-create")).status_code, 403)
        self.login(self.charlie)
        response = self.client.post(
            reverse("awards:round-create"),
            {
                "unit": self.dongha.pk,
                "name": "x",
                "year": "2025",
                "kind": "year",
                "awards": [f.award("giay-khen").pk],
            },
        )
        self.assertEqual(response.status_code, 404)
        self.assertFalse(Round.objects.filter(name="x").exists())

    def test_errors_are_shown(self):
        self.login(self.quinn)
        response = self.client.post(
            reverse("awards:round-create"),
            {"unit": self.quangtri.pk, "name": "T", "year": "2025", "kind": "theme"},
        )
        self.assertEqual(response.status_code, 200)
        self.assertTrue(response.context["form"].errors)


class RoundDetailTests(RoundViewTestCase):
    def test_a_lower_unit_sees_an_ancestors_round_and_may_propose(self):
        self.login(self.sam)
        response = self.client.get(reverse("awards:round-detail", args=[self.qt_round.pk]))
        self.assertEqual(response.status_code, 200)
        self.assertTrue(response.context["can_propose"])
        self.assertFalse(response.context["can_close"])
        self.assertContains(response, "Bằng khen của LĐLĐ tỉnh")

    def test_it_lists_only_the_users_subtrees_nominations(self):
        fn.proposal(self.qt_round, f.award("giay-khen"), self.school, self.sam, members=[self.ha])
        other = f.make_round(self.root, 2025, ("giay-khen",))
        fn.proposal(other, f.award("giay-khen"), self.port, self.charlie, members=[self.lan])
        fn.proposal(other, f.award("giay-khen"), self.factory, self.alice, members=[self.duc])
        self.login(self.charlie)
        response = self.client.get(reverse("awards:round-detail", args=[other.pk]))
        self.assertEqual([n.unit for n in response.context["page"]], [self.port])
        self.assertNotContains(response, "Công ty May Đông Hà")

    def test_charlie_gets_404_and_bob_cannot_close(self):
        self.login(self.charlie)
        self.assertEqual(
            self.client.get(reverse("awards:round-detail", args=[self.dh_round.pk])).status_code, 404
        )
        self.assertEqual(
            self.client.post(reverse("awards:round-close", args=[self.dh_round.pk])).status_code, 404
        )
        self.login(self.bob)
        self.assertEqual(
            self.client.post(reverse("awards:round-close", args=[self.dh_round.pk])).status_code, 403
        )
        self.login(self.sam)  # sees Đông Hà's round, may not close it
        self.assertEqual(
            self.client.post(reverse("awards:round-close", args=[self.dh_round.pk])).status_code, 403
        )

    def test_the_opening_unit_closes_it(self):
        self.login(self.alice)
        response = self.client.post(reverse("awards:round-close", args=[self.dh_round.pk]))
        self.assertRedirects(response, reverse("awards:round-detail", args=[self.dh_round.pk]))
        self.dh_round.refresh_from_db()
        self.assertEqual(self.dh_round.status, Round.Status.CLOSED)
        response = self.client.get(reverse("awards:nomination-create", args=[self.dh_round.pk]))
        self.assertRedirects(response, reverse("awards:round-detail", args=[self.dh_round.pk]))
