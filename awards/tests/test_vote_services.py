from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError

from accounts.models import Role
from awards.models import BallotCast, BallotTally, CouncilMember, Meeting, Nominee, Vote
from awards.services import councils as services
from awards.tests import factories_councils as fc
from lib.testing import BaseTestCase, EnglishMixin, make_user


class PassRuleTests(BaseTestCase):
    def test_half_is_not_more_than_half(self):
        rules = {"pass_percent": "50.00", "pass_strictly_more": True}
        self.assertFalse(services.passes(yes=5, of=10, rules=rules))
        self.assertTrue(services.passes(yes=6, of=10, rules=rules))

    def test_seventy_percent_at_least_includes_seventy(self):
        rules = {"pass_percent": "70", "pass_strictly_more": False}
        self.assertTrue(services.passes(yes=7, of=10, rules=rules))
        self.assertFalse(services.passes(yes=6, of=10, rules=rules))
        self.assertFalse(services.passes(yes=7, of=10, rules={**rules, "pass_strictly_more": True}))

    def test_no_voters_never_passes(self):
        self.assertFalse(
            services.passes(yes=0, of=0, rules={"pass_percent": "0", "pass_strictly_more": False})
        )

    def test_thirds_are_exact(self):
        # 2/3 = 66.66…% is below 66.67 and above 66.66: no rounding either way.
        self.assertFalse(
            services.passes(yes=2, of=3, rules={"pass_percent": "66.67", "pass_strictly_more": False})
        )
        self.assertTrue(
            services.passes(yes=2, of=3, rules={"pass_percent": "66.66", "pass_strictly_more": True})
        )


class OpenBallotTests(EnglishMixin, BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        fc.build(cls)

    def _vote_and_close(self):
        meeting = fc.open_meeting(self)
        # Hà: Cường (school) is recused, so 3 vote: 2 agree -> 66.7 %.
        fc.vote(self, meeting, self.nominee_ha, self.an, "yes")
        fc.vote(self, meeting, self.nominee_ha, self.binh, "yes")
        fc.vote(self, meeting, self.nominee_ha, self.dung, "no")
        # Đức: Dung (factory) is recused: 1 agree of 3.
        fc.vote(self, meeting, self.nominee_duc, self.an, "yes")
        fc.vote(self, meeting, self.nominee_duc, self.binh, "no")
        fc.vote(self, meeting, self.nominee_duc, self.cuong, "abstain")
        services.meeting_close(meeting=meeting, closed_by=self.alice)
        self.nominee_ha.refresh_from_db()
        self.nominee_duc.refresh_from_db()
        return meeting

    def test_it_passes_more_than_half_and_fails_a_third(self):
        meeting = self._vote_and_close()
        ha, duc = self.nominee_ha, self.nominee_duc
        self.assertEqual((ha.votes_yes, ha.votes_no, ha.votes_abstain, ha.votes_of), (2, 1, 0, 3))
        self.assertEqual(ha.status, Nominee.Status.PASSED)
        self.assertEqual((duc.votes_yes, duc.votes_no, duc.votes_abstain, duc.votes_of), (1, 1, 1, 3))
        self.assertEqual(duc.status, Nominee.Status.FAILED)
        meeting.refresh_from_db()
        self.assertEqual(meeting.status, Meeting.Status.CLOSED)
        self.assertIsNotNone(meeting.closed_at)
        self.assertEqual(Vote.objects.filter(meeting=meeting).count(), 6)

    def test_the_same_votes_fail_a_seventy_percent_rule(self):
        fc.set_rules(self.nom_school, pass_percent="70.00", pass_strictly_more=False)
        self._vote_and_close()
        self.assertEqual(self.nominee_ha.status, Nominee.Status.FAILED)

    def test_exactly_half_fails_strictly_more_but_passes_at_least(self):
        fc.set_rules(self.nom_factory, pass_percent="50", pass_strictly_more=False)
        meeting = fc.open_meeting(self, present=[self.an, self.binh])
        for nominee in (self.nominee_ha, self.nominee_duc):
            fc.vote(self, meeting, nominee, self.an, "yes")
            fc.vote(self, meeting, nominee, self.binh, "no")
        services.meeting_close(meeting=meeting, closed_by=self.alice)
        self.nominee_ha.refresh_from_db()
        self.nominee_duc.refresh_from_db()
        self.assertEqual((self.nominee_ha.votes_of, self.nominee_ha.status), (2, Nominee.Status.FAILED))
        self.assertEqual((self.nominee_duc.votes_of, self.nominee_duc.status), (2, Nominee.Status.PASSED))

    def test_missing_votes_count_against(self):
        meeting = fc.open_meeting(self)
        fc.vote(self, meeting, self.nominee_ha, self.an, "yes")
        services.meeting_close(meeting=meeting, closed_by=self.alice)
        self.nominee_ha.refresh_from_db()
        self.assertEqual((self.nominee_ha.votes_yes, self.nominee_ha.votes_of), (1, 3))
        self.assertEqual(self.nominee_ha.status, Nominee.Status.FAILED)

    def test_a_second_vote_is_refused(self):
        meeting = fc.open_meeting(self)
        fc.vote(self, meeting, self.nominee_ha, self.an, "yes")
        with self.assertRaisesMessage(ValidationError, "already voted"):
            fc.vote(self, meeting, self.nominee_ha, self.an, "no")
        self.assertEqual(list(Vote.objects.values_list("choice", flat=True)), ["yes"])

    def test_a_vote_after_closing_is_refused(self):
        meeting = fc.open_meeting(self)
        services.meeting_close(meeting=meeting, closed_by=self.alice)
        with self.assertRaisesMessage(ValidationError, "closed"):
            fc.vote(self, meeting, self.nominee_ha, self.an, "yes")
        self.assertFalse(Vote.objects.exists())

    def test_closing_twice_is_refused(self):
        meeting = fc.open_meeting(self)
        services.meeting_close(meeting=meeting, closed_by=self.alice)
        with self.assertRaises(ValidationError):
            services.meeting_close(meeting=meeting, closed_by=self.alice)

    def test_a_recused_seat_cannot_vote_on_its_own_unit(self):
        meeting = fc.open_meeting(self)
        with self.assertRaisesMessage(ValidationError, "recused"):
            fc.vote(self, meeting, self.nominee_ha, self.cuong, "yes")
        self.assertFalse(Vote.objects.exists())

    def test_a_seat_cannot_vote_on_itself(self):
        # Hà herself sits on the council, working at the district federation (no unit conflict).
        seat = CouncilMember.objects.create(
            council=self.council, full_name="Hà", unit=self.dongha, member=self.ha
        )
        meeting = fc.open_meeting(self, present=[self.an, self.binh, seat])
        with self.assertRaisesMessage(ValidationError, "recused"):
            fc.vote(self, meeting, self.nominee_ha, seat, "yes")
        fc.vote(self, meeting, self.nominee_duc, seat, "yes")
        services.meeting_close(meeting=meeting, closed_by=self.alice)
        self.nominee_ha.refresh_from_db()
        self.assertEqual(self.nominee_ha.votes_of, 2)

    def test_an_absent_seat_cannot_vote(self):
        meeting = fc.open_meeting(self, present=[self.an, self.binh])
        with self.assertRaisesMessage(ValidationError, "not present"):
            fc.vote(self, meeting, self.nominee_duc, self.cuong, "yes")

    def test_a_nominee_not_before_the_meeting_cannot_be_voted_on(self):
        meeting = fc.open_meeting(self, nominations=[self.nom_school])
        with self.assertRaisesMessage(ValidationError, "not before the meeting"):
            fc.vote(self, meeting, self.nominee_duc, self.an, "yes")

    def test_an_unknown_choice_is_refused(self):
        meeting = fc.open_meeting(self)
        with self.assertRaises(ValidationError):
            fc.vote(self, meeting, self.nominee_ha, self.an, "maybe")

    def test_a_seat_holder_votes_for_themselves_only(self):
        an_user = make_user("an", self.dongha, None)
        self.an.user = an_user
        self.an.save(update_fields=["user"])
        meeting = fc.open_meeting(self)
        fc.vote(self, meeting, self.nominee_ha, self.an, "yes", by=an_user)
        with self.assertRaises(PermissionDenied):
            fc.vote(self, meeting, self.nominee_ha, self.binh, "yes", by=an_user)
        self.assertEqual(Vote.objects.get().seat, self.an)

    def test_viewers_and_other_provinces_cannot_enter_ballots(self):
        meeting = fc.open_meeting(self)
        for user in (self.bob, self.charlie):
            with self.assertRaises(PermissionDenied):
                fc.vote(self, meeting, self.nominee_ha, self.an, "yes", by=user)
        self.assertFalse(Vote.objects.exists())

    def test_an_officer_above_may_enter_ballots(self):
        province = make_user("paula", self.quangtri, Role.Kind.OFFICER)
        meeting = fc.open_meeting(self)
        fc.vote(self, meeting, self.nominee_ha, self.an, "yes", by=province)
        self.assertEqual(Vote.objects.count(), 1)

    def test_a_whole_ballot_is_refused_when_one_vote_is(self):
        meeting = fc.open_meeting(self)
        with self.assertRaises(ValidationError):
            services.ballot_cast(
                meeting=meeting,
                seat=self.cuong,
                choices={self.nominee_duc: "yes", self.nominee_ha: "yes"},
                by=self.alice,
            )
        self.assertFalse(Vote.objects.exists())
        services.ballot_cast(
            meeting=meeting, seat=self.cuong, choices={self.nominee_duc: "yes"}, by=self.alice
        )
        self.assertEqual(Vote.objects.count(), 1)


class SecretBallotTests(EnglishMixin, BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        fc.build(cls)
        fc.set_rules(cls.nom_school, secret_ballot=True)

    def test_it_stores_only_that_a_seat_voted_and_the_counts(self):
        meeting = fc.open_meeting(self)
        fc.vote(self, meeting, self.nominee_ha, self.an, "yes")
        fc.vote(self, meeting, self.nominee_ha, self.binh, "no")
        fc.vote(self, meeting, self.nominee_ha, self.dung, "yes")
        # No open-ballot row; the ballots hold seats but no choice; the tally holds counts but no seat.
        self.assertFalse(Vote.objects.filter(nominee=self.nominee_ha).exists())
        self.assertEqual(
            {f.name for f in BallotCast._meta.concrete_fields}, {"id", "meeting", "nominee", "seat"}
        )
        self.assertNotIn("seat", {f.name for f in BallotTally._meta.concrete_fields})
        self.assertEqual(
            set(BallotCast.objects.filter(meeting=meeting).values_list("seat_id", flat=True)),
            {self.an.pk, self.binh.pk, self.dung.pk},
        )
        tally = BallotTally.objects.get(meeting=meeting, nominee=self.nominee_ha)
        self.assertEqual((tally.yes, tally.no, tally.abstain), (2, 1, 0))
        # Nothing about these tables reaches the audit log.
        types = ContentType.objects.get_for_models(Vote, BallotCast, BallotTally).values()
        self.assertFalse(LogEntry.objects.filter(content_type__in=types).exists())

    def test_the_secret_result_is_computed_from_the_counts(self):
        meeting = fc.open_meeting(self)
        fc.vote(self, meeting, self.nominee_ha, self.an, "yes")
        fc.vote(self, meeting, self.nominee_ha, self.binh, "yes")
        fc.vote(self, meeting, self.nominee_ha, self.dung, "abstain")
        services.meeting_close(meeting=meeting, closed_by=self.alice)
        self.nominee_ha.refresh_from_db()
        self.assertEqual(
            (self.nominee_ha.votes_yes, self.nominee_ha.votes_abstain, self.nominee_ha.votes_of), (2, 1, 3)
        )
        self.assertEqual(self.nominee_ha.status, Nominee.Status.PASSED)

    def test_a_second_secret_vote_is_refused_and_not_counted(self):
        meeting = fc.open_meeting(self)
        fc.vote(self, meeting, self.nominee_ha, self.an, "yes")
        with self.assertRaisesMessage(ValidationError, "already voted"):
            fc.vote(self, meeting, self.nominee_ha, self.an, "no")
        tally = BallotTally.objects.get(meeting=meeting, nominee=self.nominee_ha)
        self.assertEqual((tally.yes, tally.no), (1, 0))
        self.assertEqual(BallotCast.objects.count(), 1)

    def test_a_secret_vote_after_closing_is_refused(self):
        meeting = fc.open_meeting(self)
        services.meeting_close(meeting=meeting, closed_by=self.alice)
        with self.assertRaises(ValidationError):
            fc.vote(self, meeting, self.nominee_ha, self.an, "yes")
        self.assertFalse(BallotCast.objects.exists())
