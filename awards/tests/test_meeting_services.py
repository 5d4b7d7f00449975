from django.core.exceptions import PermissionDenied, ValidationError

from awards.models import BallotTally, CouncilMember, Nomination, Recusal
from awards.selectors import councils as selectors
from awards.services import councils as services
from awards.tests import factories as f
from awards.tests import factories_councils as fc
from lib.testing import BaseTestCase, EnglishMixin


class DecidingUnitTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.rnd = f.make_round(cls.quangtri, 2025)

    def test_it_is_the_ancestor_at_the_awards_deciding_level(self):
        upper = f.make_nomination(self.rnd, "giay-khen", self.school)  # decided at the upper level
        province = f.make_nomination(self.rnd, "cstd-cap-tinh", self.school)
        self.assertEqual(selectors.deciding_unit(nomination=upper), self.dongha)
        self.assertEqual(selectors.deciding_unit(nomination=province), self.quangtri)

    def test_it_is_the_proposer_itself_when_decided_outside_the_union(self):
        outside = f.make_nomination(self.rnd, "cstd-co-so", self.school)
        self.assertEqual(selectors.deciding_unit(nomination=outside), self.school)

    def test_the_province_of_a_unit(self):
        self.assertEqual(selectors.province_of(self.school), self.quangtri)
        self.assertEqual(selectors.province_of(self.quangtri), self.quangtri)
        self.assertIsNone(selectors.province_of(self.root))


class MeetingOpenTests(EnglishMixin, BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        fc.build(cls)
        cls.hong = CouncilMember.objects.create(
            council=cls.council, full_name="Nguyễn Thị Thu Hà", unit=cls.school, member=cls.ha
        )

    def test_it_records_the_meeting_and_computes_recusals(self):
        meeting = fc.open_meeting(self, present=[self.an, self.binh, self.cuong, self.dung, self.hong])
        self.assertEqual(set(meeting.nominations.all()), {self.nom_school, self.nom_factory})
        self.assertEqual(meeting.present.count(), 5)
        recusals = set(Recusal.objects.filter(meeting=meeting).values_list("nominee_id", "seat_id", "reason"))
        self.assertEqual(
            recusals,
            {
                (self.nominee_ha.pk, self.cuong.pk, selectors.RECUSAL_OWN_UNIT),
                (self.nominee_ha.pk, self.hong.pk, selectors.RECUSAL_SELF),
                (self.nominee_duc.pk, self.dung.pk, selectors.RECUSAL_OWN_UNIT),
            },
        )
        # An and Bình work at the council's own unit: no conflict.
        self.assertFalse(Recusal.objects.filter(seat__in=[self.an, self.binh]).exists())

    def test_a_seat_is_recused_on_the_collective_it_works_at(self):
        collective = f.make_nomination(self.award_round, "giay-khen", self.school, units=[self.school])
        fc.send_to_council(collective, self.dongha)
        meeting = fc.open_meeting(self, nominations=[collective])
        nominee = collective.nominees.get()
        self.assertEqual(
            set(Recusal.objects.filter(meeting=meeting).values_list("nominee_id", "seat_id")),
            {(nominee.pk, self.cuong.pk)},
        )

    def test_only_nominations_sent_to_this_council_can_be_put_before_it(self):
        draft = f.make_nomination(self.award_round, "giay-khen", self.school, members=[self.ha])
        province = fc.send_to_council(
            f.make_nomination(self.award_round, "bang-khen-ldld-tinh", self.school, members=[self.ha]),
            self.quangtri,
        )
        for nomination in (draft, province):
            with self.assertRaises(ValidationError):
                fc.open_meeting(self, nominations=[nomination])

    def test_a_nomination_is_considered_once(self):
        fc.open_meeting(self, nominations=[self.nom_school])
        with self.assertRaises(ValidationError):
            fc.open_meeting(self, nominations=[self.nom_school])
        self.assertEqual(
            [n.pk for n in selectors.council_candidates(council=self.council)], [self.nom_factory.pk]
        )

    def test_seats_of_another_council_or_inactive_are_refused(self):
        other = f.make_council(self.dongha, [("Người ngoài", self.dongha, None)]).seats.get()
        self.dung.is_active = False
        self.dung.save(update_fields=["is_active"])
        for seat in (other, self.dung):
            with self.assertRaises(ValidationError):
                fc.open_meeting(self, present=[self.an, seat])

    def test_secret_lists_get_their_tallies_up_front(self):
        fc.set_rules(self.nom_school, secret_ballot=True)
        meeting = fc.open_meeting(self)
        self.assertEqual(
            list(BallotTally.objects.filter(meeting=meeting).values_list("nominee_id", flat=True)),
            [self.nominee_ha.pk],
        )

    def test_viewers_and_other_provinces_cannot_open_meetings(self):
        for user in (self.bob, self.charlie):
            with self.assertRaises(PermissionDenied):
                fc.open_meeting(self, by=user)

    def test_changing_attendance_recomputes_recusals(self):
        meeting = fc.open_meeting(self, present=[self.an, self.binh])
        self.assertFalse(Recusal.objects.filter(meeting=meeting).exists())
        services.meeting_set_present(meeting=meeting, present=[self.an, self.binh, self.cuong], by=self.alice)
        self.assertEqual(
            list(Recusal.objects.filter(meeting=meeting).values_list("seat_id", flat=True)), [self.cuong.pk]
        )

    def test_a_seat_that_voted_cannot_be_marked_absent(self):
        meeting = fc.open_meeting(self)
        fc.vote(self, meeting, self.nominee_ha, self.binh, "yes")
        with self.assertRaisesMessage(ValidationError, "already voted"):
            services.meeting_set_present(meeting=meeting, present=[self.an], by=self.alice)
        self.assertEqual(meeting.present.count(), 4)

    def test_the_board_shows_counts_and_recusals(self):
        meeting = fc.open_meeting(self)
        fc.vote(self, meeting, self.nominee_ha, self.an, "yes")
        board = selectors.meeting_board(meeting=meeting)
        row = next(r for r in board["rows"] if r["nominee"] == self.nominee_ha)
        self.assertEqual((row["cast"], row["of"], row["counts"]["yes"]), (1, 3, 1))
        self.assertEqual([s for s, _reason in row["recusals"]], [self.cuong])
        self.assertEqual(board["missing"], 5)
        self.assertEqual(row["votes"], [(self.an, "yes")])


class CouncilServiceTests(EnglishMixin, BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.council = services.council_create(unit=cls.dongha, name="Hội đồng TĐKT", created_by=cls.alice)

    def test_a_seat_with_a_member_record_takes_the_members_unit(self):
        seat = services.seat_add(council=self.council, full_name="", member=self.ha, added_by=self.alice)
        self.assertEqual((seat.full_name, seat.unit, seat.member), (self.ha.full_name, self.school, self.ha))

    def test_a_member_holds_one_seat(self):
        services.seat_add(council=self.council, full_name="Hà", member=self.ha, added_by=self.alice)
        with self.assertRaisesMessage(ValidationError, "already holds a seat"):
            services.seat_add(council=self.council, full_name="Hà", member=self.ha, added_by=self.alice)

    def test_a_member_or_unit_of_another_province_is_refused(self):
        with self.assertRaises(ValidationError):
            services.seat_add(council=self.council, full_name="Lan", member=self.lan, added_by=self.alice)
        with self.assertRaises(ValidationError):
            services.seat_add(council=self.council, full_name="Lan", unit=self.port, added_by=self.alice)

    def test_a_seat_may_work_above_the_council(self):
        seat = services.seat_add(
            council=self.council, full_name="Tỉnh", unit=self.quangtri, added_by=self.alice
        )
        self.assertEqual(seat.unit, self.quangtri)

    def test_viewers_cannot_add_seats_or_councils(self):
        with self.assertRaises(PermissionDenied):
            services.seat_add(council=self.council, full_name="X", added_by=self.bob)
        with self.assertRaises(PermissionDenied):
            services.council_create(unit=self.dongha, name="Khác", created_by=self.bob)

    def test_a_seat_in_an_open_meeting_stays_until_it_closes(self):
        fc.build(self)
        meeting = fc.open_meeting(self)
        with self.assertRaises(ValidationError):
            services.seat_deactivate(seat=self.an, by=self.alice)
        services.meeting_close(meeting=meeting, closed_by=self.alice)
        services.seat_deactivate(seat=self.an, by=self.alice)
        self.an.refresh_from_db()
        self.assertFalse(self.an.is_active)
        self.assertEqual(self.nom_school.status, Nomination.Status.AT_COUNCIL)
