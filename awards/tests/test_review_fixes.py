"""Regression tests for defects found in the security review of the awards app."""

import datetime
import io

import openpyxl
from django.core.exceptions import ValidationError
from django.urls import reverse

from awards.models import AwardRecord, Decision, DecisionLine, Nominee
from awards.selectors import councils as selectors
from awards.services import councils as council_services
from awards.services import decisions as services
from awards.tests import factories as f
from awards.tests import factories_councils as fc
from awards.tests.test_decision_services import sign
from lib.testing import BaseTestCase, EnglishMixin
from org.services.members import member_move


class SecretTallyHiddenWhileOpenTests(EnglishMixin, BaseTestCase):
    """A running secret tally, read between two ballots, tells how the second seat voted."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        fc.build(cls)
        fc.set_rules(cls.nom_school, secret_ballot=True)

    def row(self, meeting, nominee):
        board = selectors.meeting_board(meeting=meeting)
        return next(r for r in board["rows"] if r["nominee"] == nominee)

    def test_the_board_hides_secret_counts_until_the_meeting_closes(self):
        meeting = fc.open_meeting(self)
        fc.vote(self, meeting, self.nominee_ha, self.an, "no")
        row = self.row(meeting, self.nominee_ha)
        self.assertEqual((row["cast"], row["counts"]), (1, None))
        # An open ballot on the same meeting still shows its counts as they come in.
        fc.vote(self, meeting, self.nominee_duc, self.an, "yes")
        self.assertEqual(self.row(meeting, self.nominee_duc)["counts"]["yes"], 1)
        self.login(self.alice)
        response = self.client.get(reverse("awards:meeting-detail", args=[meeting.pk]))
        self.assertEqual(response.status_code, 200)
        meeting = council_services.meeting_close(meeting=meeting, closed_by=self.alice)
        counts = self.row(meeting, self.nominee_ha)["counts"]
        self.assertEqual((counts["yes"], counts["no"]), (0, 1))


class OneAwardPerNomineeTests(EnglishMixin, BaseTestCase):
    """Two drafts naming the same nominee (drafted at the same moment) must not both award them."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        fc.build(cls)
        cls.award = f.award("giay-khen")

    def test_the_second_decision_naming_an_awarded_nominee_is_refused(self):
        meeting = fc.open_meeting(self)
        for seat in (self.an, self.binh, self.dung):
            fc.vote(self, meeting, self.nominee_ha, seat, "yes")
        council_services.meeting_close(meeting=meeting, closed_by=self.alice)
        first = services.decision_from_meeting(meeting=meeting, award=self.award, created_by=self.alice)
        # The twin draft a concurrent request would have made (the "already on a decision" check
        # of drafting is not locked).
        twin = services.decision_create(unit=self.dongha, award=self.award, year=2025, created_by=self.alice)
        line = first.lines.get()
        DecisionLine.objects.create(
            decision=twin,
            nominee=self.nominee_ha,
            recipient_kind=line.recipient_kind,
            member=line.member,
            unit=line.unit,
            name=line.name,
            position=1,
        )
        services.decision_issue(decision=sign(first, self.alice), issued_by=self.alice)
        sign(twin, self.alice, number="13/QĐ-LĐLĐ")
        with self.assertRaisesMessage(ValidationError, "already awarded by another decision"):
            services.decision_issue(decision=twin, issued_by=self.alice)
        self.assertEqual(AwardRecord.objects.filter(line__nominee=self.nominee_ha).count(), 1)
        twin.refresh_from_db()
        self.assertEqual(twin.status, Decision.Status.DRAFT)
        self.nominee_ha.refresh_from_db()
        self.assertEqual(self.nominee_ha.status, Nominee.Status.AWARDED)


class ExportKeepsMovedMembersPrivateTests(BaseTestCase):
    """A register line stays where it was given; the person's current CCCD and birth date are
    exported only while the person is in the reader's units."""

    def test_a_member_who_moved_out_keeps_the_line_but_not_the_personal_data(self):
        f.record("giay-khen", 2020, member=self.ha)
        f.record("giay-khen", 2021, member=self.duc)
        member_move(
            member=self.ha, to_unit=self.port, moved_on=datetime.date(2024, 1, 1), reason="Chuyển công tác"
        )
        self.login(self.alice)
        response = self.client.get(reverse("awards:register-export"), {"unit": self.dongha.code})
        self.assertEqual(response.status_code, 200)
        book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
        rows = list(book.worksheets[0].iter_rows(values_only=True))
        text = " ".join(str(c) for row in rows for c in row if c is not None)
        self.assertIn("Nguyễn Thị Thu Hà", text)  # the line given in Đông Hà stays in its register
        self.assertNotIn(self.ha.cccd, text)  # she is in Quảng Bình now: her CCCD is not Alice's to see
        self.assertIn(self.duc.cccd, text)  # Đức is still in Đông Hà


class ServicesCheckTheirCallerTests(BaseTestCase):
    """Services refuse an outsider themselves, not only through the views that call them."""

    def test_only_a_writer_of_the_decisions_unit_queues_its_certificates(self):
        from django.core.exceptions import PermissionDenied

        from awards.services.certificate_batches import batch_create
        from awards.tests.factories_certificates import issued_decision

        decision = issued_decision(unit=self.dongha, members=[self.ha])
        for outsider in (self.charlie, self.bob):
            with self.assertRaises(PermissionDenied):
                batch_create(decision=decision, created_by=outsider)

    def test_only_a_writer_of_the_unit_reads_a_plan_into_it(self):
        from django.core.exceptions import PermissionDenied

        from imports.plans.services import plan_import_create

        for outsider in (self.charlie, self.bob):
            with self.assertRaises(PermissionDenied):
                plan_import_create(unit=self.dongha, uploaded_by=outsider, text="KẾ HOẠCH\nThi đua năm 2025")
