from io import BytesIO

from django.urls import reverse
from docx import Document

from accounts.models import Role
from awards.models import BallotCast, BallotTally, Council, CouncilMember, Meeting, Nominee, Vote
from awards.services import councils as services
from awards.tests import factories as f
from awards.tests import factories_councils as fc
from lib.downloads import DOCX
from lib.testing import BaseTestCase, EnglishMixin, make_user


class CouncilPageTests(EnglishMixin, BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        fc.build(cls)

    def test_the_list_shows_councils_in_scope_in_constant_queries(self):
        self.login(self.alice)
        url = reverse("awards:council-list")
        with self.assertNumQueries(7) as first:
            response = self.client.get(url)
        self.assertContains(response, self.council.name)
        for i in range(5):
            f.make_council(self.school, [(f"Người {i}", self.school, None)])
        with self.assertNumQueries(len(first.captured_queries)):
            response = self.client.get(url)
        self.assertEqual(len(response.context["page"].object_list), 6)
        self.login(self.charlie)
        self.assertNotContains(self.client.get(url), self.council.name)

    def test_an_officer_creates_a_council(self):
        self.login(self.alice)
        self.assertEqual(self.client.get(reverse("awards:council-create")).status_code, 200)
        response = self.client.post(
            reverse("awards:council-create"), {"unit": self.dongha.pk, "name": "HĐ mới"}
        )
        council = Council.objects.get(name="HĐ mới")
        self.assertRedirects(response, reverse("awards:council-detail", args=[council.pk]))

    def test_a_viewer_cannot_create_a_council(self):
        self.login(self.bob)
        self.assertEqual(self.client.get(reverse("awards:council-create")).status_code, 403)
        self.assertEqual(
            self.client.post(
                reverse("awards:council-create"), {"unit": self.dongha.pk, "name": "X"}
            ).status_code,
            403,
        )

    def test_an_officer_adds_a_seat_found_by_a_name_without_accents(self):
        self.login(self.alice)
        url = reverse("awards:council-detail", args=[self.council.pk])
        response = self.client.get(url, {"q": "thu ha"})
        self.assertEqual(list(response.context["results"]), [self.ha])
        response = self.client.get(url, {"q": "thu ha", "member": self.ha.pk})
        self.assertEqual(response.context["seat_form"].initial["unit"], self.school)
        account = make_user("ha.user", self.school, None)
        response = self.client.post(
            reverse("awards:seat-add", args=[self.council.pk]),
            {
                "member": self.ha.pk,
                "full_name": "",
                "title": "Giáo viên",
                "role": "member",
                "unit": self.school.pk,
                "username": "ha.user",
            },
        )
        self.assertRedirects(response, url)
        seat = self.council.seats.get(member=self.ha)
        self.assertEqual(
            (seat.full_name, seat.unit, seat.user, seat.title),
            (self.ha.full_name, self.school, account, "Giáo viên"),
        )

    def test_a_seat_form_with_errors_is_shown_again(self):
        self.login(self.alice)
        response = self.client.post(
            reverse("awards:seat-add", args=[self.council.pk]), {"role": "member", "username": "nobody"}
        )
        self.assertEqual(response.status_code, 400)
        self.assertContains(response, "No active account", status_code=400)

    def test_a_member_of_another_province_cannot_be_chosen(self):
        self.login(self.alice)
        response = self.client.post(
            reverse("awards:seat-add", args=[self.council.pk]),
            {"member": self.lan.pk, "full_name": "Lan", "role": "member"},
        )
        self.assertEqual(response.status_code, 400)
        self.assertFalse(self.council.seats.filter(full_name="Lan").exists())

    def test_an_officer_removes_a_seat(self):
        self.login(self.alice)
        response = self.client.post(reverse("awards:seat-deactivate", args=[self.dung.pk]))
        self.assertRedirects(response, reverse("awards:council-detail", args=[self.council.pk]))
        self.dung.refresh_from_db()
        self.assertFalse(self.dung.is_active)

    def test_charlie_gets_404_and_bob_403_on_writes(self):
        self.login(self.charlie)
        for name, args in (
            ("awards:council-detail", [self.council.pk]),
            ("awards:meeting-create", [self.council.pk]),
            ("awards:seat-add", [self.council.pk]),
            ("awards:seat-deactivate", [self.an.pk]),
        ):
            self.assertEqual(self.client.post(reverse(name, args=args)).status_code, 404, name)
        self.login(self.bob)
        self.assertEqual(
            self.client.get(reverse("awards:council-detail", args=[self.council.pk])).status_code, 200
        )
        for name, args in (
            ("awards:meeting-create", [self.council.pk]),
            ("awards:seat-add", [self.council.pk]),
            ("awards:seat-deactivate", [self.an.pk]),
        ):
            self.assertEqual(self.client.post(reverse(name, args=args)).status_code, 403, name)
        self.assertTrue(CouncilMember.objects.get(pk=self.an.pk).is_active)


class MeetingPageTests(EnglishMixin, BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        fc.build(cls)

    def test_an_officer_opens_a_meeting_with_the_waiting_nominations(self):
        self.login(self.alice)
        url = reverse("awards:meeting-create", args=[self.council.pk])
        response = self.client.get(url)
        self.assertEqual(response.context["chosen"], self.award_round)
        self.assertEqual(
            {n.pk for n in response.context["nominations"]}, {self.nom_school.pk, self.nom_factory.pk}
        )
        response = self.client.post(
            url,
            {
                "round": self.award_round.pk,
                "held_on": "20/12/2025",
                "place": "Hội trường",
                "nominations": [self.nom_school.pk, self.nom_factory.pk],
                "present": [self.an.pk, self.binh.pk, self.cuong.pk],
            },
        )
        meeting = Meeting.objects.get()
        self.assertRedirects(response, reverse("awards:meeting-detail", args=[meeting.pk]))
        self.assertEqual(meeting.held_on.isoformat(), "2025-12-20")
        self.assertEqual(meeting.present.count(), 3)

    def test_the_ballot_page_records_a_seats_votes(self):
        meeting = fc.open_meeting(self)
        self.login(self.alice)
        url = reverse("awards:meeting-vote", args=[meeting.pk, self.an.pk])
        self.assertContains(self.client.get(url), self.ha.full_name)
        response = self.client.post(
            url, {f"vote-{self.nominee_ha.pk}": "yes", f"vote-{self.nominee_duc.pk}": "no"}
        )
        self.assertRedirects(response, reverse("awards:meeting-detail", args=[meeting.pk]))
        self.assertEqual(
            set(Vote.objects.values_list("nominee_id", "choice")),
            {(self.nominee_ha.pk, "yes"), (self.nominee_duc.pk, "no")},
        )
        # A second ballot for the same seat is refused and changes nothing.
        response = self.client.post(url, {f"vote-{self.nominee_ha.pk}": "no"}, follow=True)
        self.assertContains(response, "already voted")
        self.assertEqual(Vote.objects.count(), 2)

    def test_a_recused_seats_tampered_ballot_is_refused(self):
        meeting = fc.open_meeting(self)
        self.login(self.alice)
        url = reverse("awards:meeting-vote", args=[meeting.pk, self.cuong.pk])
        self.assertContains(self.client.get(url), "works at the nominee")
        response = self.client.post(url, {f"vote-{self.nominee_ha.pk}": "yes"}, follow=True)
        self.assertContains(response, "recused")
        self.assertFalse(Vote.objects.exists())

    def test_a_seat_holder_opens_only_their_own_ballot(self):
        an_user = make_user("an", self.school, Role.Kind.VIEWER)  # reads the school only
        self.an.user = an_user
        self.an.save(update_fields=["user"])
        meeting = fc.open_meeting(self)
        self.login(an_user)
        self.assertContains(self.client.get(reverse("awards:council-list")), "Your ballots")
        url = reverse("awards:meeting-vote", args=[meeting.pk, self.an.pk])
        self.assertEqual(self.client.get(url).status_code, 200)
        response = self.client.post(url, {f"vote-{self.nominee_ha.pk}": "yes"})
        self.assertRedirects(response, url)
        self.assertEqual(Vote.objects.get().seat, self.an)
        self.assertEqual(
            self.client.get(reverse("awards:meeting-vote", args=[meeting.pk, self.binh.pk])).status_code, 404
        )
        self.assertEqual(
            self.client.get(reverse("awards:meeting-detail", args=[meeting.pk])).status_code, 404
        )

    def test_closing_shows_the_results_and_votes_after_close_are_refused(self):
        meeting = fc.open_meeting(self)
        fc.vote(self, meeting, self.nominee_ha, self.an, "yes")
        fc.vote(self, meeting, self.nominee_ha, self.binh, "yes")
        self.login(self.alice)
        response = self.client.post(reverse("awards:meeting-close", args=[meeting.pk]))
        self.assertRedirects(response, reverse("awards:meeting-detail", args=[meeting.pk]))
        response = self.client.get(reverse("awards:meeting-detail", args=[meeting.pk]))
        self.assertContains(response, "Passed the council")
        self.assertContains(response, "Draft the decision")
        response = self.client.post(
            reverse("awards:meeting-vote", args=[meeting.pk, self.dung.pk]),
            {f"vote-{self.nominee_ha.pk}": "no"},
            follow=True,
        )
        self.assertContains(response, "meeting is closed")
        self.assertEqual(Vote.objects.count(), 2)

    def test_secret_results_show_counts_but_not_who(self):
        fc.set_rules(self.nom_school, secret_ballot=True)
        meeting = fc.open_meeting(self)
        self.login(self.alice)
        self.client.post(
            reverse("awards:meeting-vote", args=[meeting.pk, self.an.pk]),
            {f"vote-{self.nominee_ha.pk}": "no"},
        )
        self.client.post(
            reverse("awards:meeting-vote", args=[meeting.pk, self.binh.pk]),
            {f"vote-{self.nominee_ha.pk}": "yes"},
        )
        self.assertEqual(BallotCast.objects.count(), 2)
        self.assertFalse(Vote.objects.exists())
        tally = BallotTally.objects.get(nominee=self.nominee_ha)
        self.assertEqual((tally.yes, tally.no), (1, 1))
        response = self.client.get(reverse("awards:meeting-detail", args=[meeting.pk]))
        row = next(r for r in response.context["board"]["rows"] if r["nominee"] == self.nominee_ha)
        self.assertEqual((row["votes"], row["cast"]), ([], 2))
        self.assertNotContains(response, 'data-testid="open-votes"')
        ballot = self.client.get(reverse("awards:meeting-vote", args=[meeting.pk, self.an.pk]))
        self.assertEqual(
            next(r for r in ballot.context["rows"] if r["nominee"] == self.nominee_ha)["choice"], ""
        )

    def test_the_meeting_page_runs_in_constant_queries(self):
        meeting = fc.open_meeting(self)
        self.login(self.alice)
        url = reverse("awards:meeting-detail", args=[meeting.pk])
        with self.assertNumQueries(13) as first:
            self.client.get(url)
        extra = f.make_nomination(
            self.award_round, "giay-khen", self.school, members=[self.ha], units=[self.school]
        )
        fc.send_to_council(extra, self.dongha)
        meeting.nominations.add(extra)
        for seat in (self.an, self.binh):
            fc.vote(self, meeting, self.nominee_ha, seat, "yes")
        with self.assertNumQueries(len(first.captured_queries)):
            self.client.get(url)

    def test_attendance_can_change_while_open(self):
        meeting = fc.open_meeting(self)
        self.login(self.alice)
        response = self.client.post(
            reverse("awards:meeting-present", args=[meeting.pk]), {"present": [self.an.pk, self.binh.pk]}
        )
        self.assertRedirects(response, reverse("awards:meeting-detail", args=[meeting.pk]))
        self.assertEqual(meeting.present.count(), 2)
        self.assertFalse(meeting.recusals.exists())

    def test_the_minutes_are_a_docx_with_the_counts(self):
        meeting = fc.open_meeting(self)
        fc.vote(self, meeting, self.nominee_ha, self.an, "yes")
        fc.vote(self, meeting, self.nominee_ha, self.binh, "yes")
        services.meeting_close(meeting=meeting, closed_by=self.alice)
        self.login(self.bob)
        response = self.client.get(reverse("awards:meeting-minutes", args=[meeting.pk]))
        self.assertEqual(response["Content-Type"], DOCX)
        document = Document(BytesIO(response.content))
        text = "\n".join(p.text for p in document.paragraphs)
        cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
        self.assertIn("BIÊN BẢN", text)
        self.assertIn("I. THÀNH PHẦN", text)
        self.assertIn("Phạm Văn Cường đối với Nguyễn Thị Thu Hà", text)
        self.assertIn("biểu quyết công khai", text)
        self.assertIn("2/3", cells)
        self.assertIn("Đạt", cells)
        self.assertIn("Không đạt", cells)
        self.assertIn("THƯ KÝ", cells[-1] + cells[-2])
        self.assertIn("Nguyễn Văn An", cells[-1])

    def test_charlie_gets_404_and_bob_403_on_meeting_writes(self):
        meeting = fc.open_meeting(self)
        self.login(self.charlie)
        for name, args in (
            ("awards:meeting-detail", [meeting.pk]),
            ("awards:meeting-minutes", [meeting.pk]),
            ("awards:meeting-vote", [meeting.pk, self.an.pk]),
            ("awards:meeting-close", [meeting.pk]),
            ("awards:meeting-present", [meeting.pk]),
        ):
            method = (
                self.client.get
                if name in ("awards:meeting-detail", "awards:meeting-minutes")
                else self.client.post
            )
            self.assertEqual(method(reverse(name, args=args)).status_code, 404, name)
        self.login(self.bob)
        self.assertEqual(
            self.client.get(reverse("awards:meeting-detail", args=[meeting.pk])).status_code, 200
        )
        for name, args in (
            ("awards:meeting-vote", [meeting.pk, self.an.pk]),
            ("awards:meeting-close", [meeting.pk]),
            ("awards:meeting-present", [meeting.pk]),
        ):
            self.assertEqual(
                self.client.post(reverse(name, args=args), {f"vote-{self.nominee_ha.pk}": "yes"}).status_code,
                403,
                name,
            )
        meeting.refresh_from_db()
        self.assertEqual(meeting.status, Meeting.Status.OPEN)
        self.assertFalse(Vote.objects.exists())
        self.assertEqual(Nominee.objects.filter(status=Nominee.Status.PROPOSED).count(), 2)
