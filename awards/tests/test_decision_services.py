import datetime

from django.core.exceptions import PermissionDenied, ValidationError

from awards.models import (
    AwardRecord,
    Decision,
    DecisionLine,
    ImmutableError,
    Nomination,
    NominationStep,
    Nominee,
    RecipientKind,
)
from awards.services import councils as council_services
from awards.services import decisions as services
from awards.tests import factories as f
from awards.tests import factories_councils as fc
from lib.testing import BaseTestCase, EnglishMixin
from org.models import UnitLevel

SIGNED = datetime.date(2025, 12, 28)


def sign(decision: Decision, user, number: str = "12/QĐ-LĐLĐ") -> Decision:
    return services.decision_update(
        decision=decision,
        updated_by=user,
        number=number,
        signed_on=SIGNED,
        place="Đông Hà",
        signer_authority="TM. BAN THƯỜNG VỤ",
        signer_title="CHỦ TỊCH",
        signer_name="Nguyễn Văn Ký",
    )


class DecisionCase(EnglishMixin, BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        fc.build(cls)
        cls.award = f.award("giay-khen")

    def voted_meeting(self):
        """Hà passes (2 of 3), Đức fails (1 of 3)."""
        meeting = fc.open_meeting(self)
        for seat, choice in ((self.an, "yes"), (self.binh, "yes"), (self.dung, "no")):
            fc.vote(self, meeting, self.nominee_ha, seat, choice)
        for seat, choice in ((self.an, "yes"), (self.binh, "no"), (self.cuong, "no")):
            fc.vote(self, meeting, self.nominee_duc, seat, choice)
        return council_services.meeting_close(meeting=meeting, closed_by=self.alice)

    def issued(self):
        meeting = self.voted_meeting()
        decision = services.decision_from_meeting(meeting=meeting, award=self.award, created_by=self.alice)
        sign(decision, self.alice)
        return services.decision_issue(decision=decision, issued_by=self.alice)


class DecisionFromMeetingTests(DecisionCase):
    def test_it_drafts_one_line_per_passed_nominee(self):
        meeting = self.voted_meeting()
        decision = services.decision_from_meeting(meeting=meeting, award=self.award, created_by=self.alice)
        self.assertEqual(decision.status, Decision.Status.DRAFT)
        self.assertEqual(
            (decision.unit, decision.round, decision.meeting, decision.year),
            (self.dongha, self.award_round, meeting, 2025),
        )
        line = decision.lines.get()
        self.assertEqual(
            (line.nominee, line.member, line.unit, line.name),
            (self.nominee_ha, self.ha, self.school, self.ha.full_name),
        )
        self.assertIn("Căn cứ", decision.grounds)

    def test_a_nominee_goes_on_one_decision_only(self):
        meeting = self.voted_meeting()
        services.decision_from_meeting(meeting=meeting, award=self.award, created_by=self.alice)
        with self.assertRaisesMessage(ValidationError, "already on a decision"):
            services.decision_from_meeting(meeting=meeting, award=self.award, created_by=self.alice)

    def test_an_open_meeting_has_no_decision_yet(self):
        meeting = fc.open_meeting(self)
        with self.assertRaisesMessage(ValidationError, "Close the meeting"):
            services.decision_from_meeting(meeting=meeting, award=self.award, created_by=self.alice)

    def test_viewers_cannot_draft(self):
        meeting = self.voted_meeting()
        with self.assertRaises(PermissionDenied):
            services.decision_from_meeting(meeting=meeting, award=self.award, created_by=self.bob)


class DecisionIssueTests(DecisionCase):
    def test_issuing_writes_the_register(self):
        decision = self.issued()
        line = decision.lines.get()
        record = AwardRecord.objects.get()
        expected = {
            "award": self.award,
            "year": 2025,
            "recipient_kind": RecipientKind.MEMBER,
            "member": self.ha,
            "unit": self.school,
            "name": "Nguyễn Thị Thu Hà",
            "name_folded": "nguyen thi thu ha",
            "unit_name": self.school.name,
            "sex": "female",
            "sector": "public_service",
            "province": self.quangtri,
            "issuer": self.dongha,
            "issuer_name": self.dongha.name,
            "issuer_level": UnitLevel.UPPER,
            "decision": decision,
            "line": line,
            "decision_number": "12/QĐ-LĐLĐ",
            "decided_on": SIGNED,
            "source": AwardRecord.Source.DECISION,
            "status": AwardRecord.Status.VALID,
            "created_by": self.alice,
        }
        self.assertEqual({k: getattr(record, k) for k in expected}, expected)
        self.assertEqual(len(record.verify_code), 10)
        decision.refresh_from_db()
        self.assertEqual((decision.status, decision.issued_by), (Decision.Status.ISSUED, self.alice))
        self.assertIsNotNone(decision.issued_at)

    def test_issuing_awards_nominees_and_decides_the_meetings_lists(self):
        self.issued()
        self.nominee_ha.refresh_from_db()
        self.nominee_duc.refresh_from_db()
        self.assertEqual(self.nominee_ha.status, Nominee.Status.AWARDED)
        self.assertEqual(self.nominee_duc.status, Nominee.Status.FAILED)
        for nomination in (self.nom_school, self.nom_factory):
            nomination.refresh_from_db()
            self.assertEqual(nomination.status, Nomination.Status.DECIDED)
            step = NominationStep.objects.get(nomination=nomination, action=NominationStep.Action.DECIDE)
            self.assertEqual((step.from_unit, step.by), (self.dongha, self.alice))
            self.assertIn("12/QĐ-LĐLĐ", step.comment)

    def test_number_date_and_signer_are_required(self):
        meeting = self.voted_meeting()
        decision = services.decision_from_meeting(meeting=meeting, award=self.award, created_by=self.alice)
        with self.assertRaises(ValidationError) as ctx:
            services.decision_issue(decision=decision, issued_by=self.alice)
        self.assertEqual(len(ctx.exception.messages), 3)
        self.assertFalse(AwardRecord.objects.exists())
        decision.refresh_from_db()
        self.assertEqual(decision.status, Decision.Status.DRAFT)

    def test_a_number_is_used_once_per_unit(self):
        self.issued()
        other = services.decision_create(unit=self.dongha, award=self.award, year=2025, created_by=self.alice)
        services.decision_line_add(decision=other, member=self.duc, added_by=self.alice)
        sign(other, self.alice)
        with self.assertRaisesMessage(ValidationError, "already issued a decision numbered"):
            services.decision_issue(decision=other, issued_by=self.alice)

    def test_issuing_twice_is_refused(self):
        decision = self.issued()
        with self.assertRaises(ValidationError):
            services.decision_issue(decision=decision, issued_by=self.alice)
        self.assertEqual(AwardRecord.objects.count(), 1)

    def test_a_decision_by_hand_lists_members_and_collectives_of_the_subtree(self):
        decision = services.decision_create(
            unit=self.dongha, award=self.award, year=2024, created_by=self.alice
        )
        services.decision_line_add(decision=decision, member=self.duc, added_by=self.alice)
        services.decision_line_add(decision=decision, unit=self.school, added_by=self.alice)
        with self.assertRaisesMessage(ValidationError, "already on the decision"):
            services.decision_line_add(decision=decision, member=self.duc, added_by=self.alice)
        with self.assertRaisesMessage(ValidationError, "under the issuing unit"):
            services.decision_line_add(decision=decision, member=self.lan, added_by=self.alice)
        sign(decision, self.alice)
        services.decision_issue(decision=decision, issued_by=self.alice)
        records = {r.name: r for r in AwardRecord.objects.filter(decision=decision)}
        self.assertEqual(records[self.school.name].recipient_kind, RecipientKind.COLLECTIVE)
        self.assertIsNone(records[self.school.name].member)
        self.assertEqual(records[self.duc.full_name].sector, "non_state")
        self.assertEqual(records[self.duc.full_name].year, 2024)

    def test_an_award_for_persons_only_refuses_a_collective(self):
        decision = services.decision_create(
            unit=self.dongha, award=f.award("doan-vien-xuat-sac"), year=2025, created_by=self.alice
        )
        with self.assertRaisesMessage(ValidationError, "not given to collectives"):
            services.decision_line_add(decision=decision, unit=self.school, added_by=self.alice)

    def test_a_draft_can_be_discarded_but_not_an_issued_one(self):
        draft = services.decision_create(unit=self.dongha, award=self.award, year=2025, created_by=self.alice)
        services.decision_line_add(decision=draft, member=self.duc, added_by=self.alice)
        services.decision_discard(decision=draft, discarded_by=self.alice)
        self.assertFalse(Decision.objects.filter(pk=draft.pk).exists())
        issued = self.issued()
        with self.assertRaises(ValidationError):
            services.decision_discard(decision=issued, discarded_by=self.alice)


class ImmutabilityTests(DecisionCase):
    def test_an_issued_decision_refuses_save_update_and_delete(self):
        decision = self.issued()
        decision.title = "Sửa lén"
        with self.assertRaises(ImmutableError):
            decision.save()
        with self.assertRaises(ImmutableError):
            Decision.objects.filter(pk=decision.pk).update(title="Sửa lén")
        with self.assertRaises(ImmutableError):
            Decision.objects.filter(pk=decision.pk).delete()
        with self.assertRaises(ImmutableError):
            decision.delete()
        decision.refresh_from_db()
        self.assertNotEqual(decision.title, "Sửa lén")

    def test_its_lines_refuse_save_update_and_delete(self):
        decision = self.issued()
        line = decision.lines.get()
        line.name = "Tên khác"
        with self.assertRaises(ImmutableError):
            line.save()
        with self.assertRaises(ImmutableError):
            DecisionLine.objects.filter(decision=decision).update(name="Tên khác")
        with self.assertRaises(ImmutableError):
            DecisionLine.objects.filter(decision=decision).delete()
        with self.assertRaises(ImmutableError):
            line.delete()
        with self.assertRaises(ImmutableError):
            DecisionLine.objects.create(
                decision=decision, recipient_kind="member", unit=self.school, name="Thêm"
            )
        self.assertEqual(decision.lines.get().name, self.ha.full_name)

    def test_the_services_refuse_to_change_it(self):
        decision = self.issued()
        line = decision.lines.get()
        calls = [
            lambda: services.decision_update(decision=decision, updated_by=self.alice, title="Khác"),
            lambda: services.decision_line_add(decision=decision, member=self.duc, added_by=self.alice),
            lambda: services.decision_line_update(
                decision=decision, line=line, updated_by=self.alice, name="Khác"
            ),
            lambda: services.decision_line_remove(decision=decision, line=line, removed_by=self.alice),
        ]
        for call in calls:
            with self.assertRaisesMessage(ValidationError, "issued decision cannot be changed"):
                call()


class CorrectionTests(DecisionCase):
    def test_a_revoking_decision_revokes_the_record(self):
        decision = self.issued()
        record = AwardRecord.objects.get()
        revoking = services.decision_correct(
            decision=decision, kind=Decision.Kind.REVOKE, records=[record], created_by=self.alice
        )
        self.assertEqual((revoking.kind, revoking.amends, revoking.status), ("revoke", decision, "draft"))
        self.assertEqual(revoking.lines.get().corrects, record)
        sign(revoking, self.alice, number="20/QĐ-LĐLĐ")
        services.decision_issue(decision=revoking, issued_by=self.alice)
        record.refresh_from_db()
        self.assertEqual((record.status, record.revoked_by), (AwardRecord.Status.REVOKED, revoking))
        self.assertEqual(AwardRecord.objects.count(), 1)
        self.assertEqual(list(decision.corrections.all()), [revoking])

    def test_an_amending_decision_replaces_a_misspelt_name(self):
        meeting = self.voted_meeting()
        decision = services.decision_from_meeting(meeting=meeting, award=self.award, created_by=self.alice)
        line = decision.lines.get()
        services.decision_line_update(
            decision=decision, line=line, updated_by=self.alice, name="Nguyễn Thi Thu Ha"
        )
        sign(decision, self.alice)
        services.decision_issue(decision=decision, issued_by=self.alice)
        old = AwardRecord.objects.get()
        self.assertEqual(old.name, "Nguyễn Thi Thu Ha")

        amending = services.decision_correct(
            decision=decision, kind=Decision.Kind.AMEND, records=[old], created_by=self.alice
        )
        self.assertEqual(amending.signer_name, "Nguyễn Văn Ký")
        amend_line = amending.lines.get()
        services.decision_line_update(
            decision=amending,
            line=amend_line,
            updated_by=self.alice,
            name="Nguyễn Thị Thu Hà",
            position_title="Giáo viên",
        )
        sign(amending, self.alice, number="21/QĐ-LĐLĐ")
        services.decision_issue(decision=amending, issued_by=self.alice)
        old.refresh_from_db()
        new = AwardRecord.objects.exclude(pk=old.pk).get()
        self.assertEqual((old.status, old.revoked_by), (AwardRecord.Status.REVOKED, amending))
        self.assertEqual(
            (new.name, new.name_folded, new.position_title, new.status),
            ("Nguyễn Thị Thu Hà", "nguyen thi thu ha", "Giáo viên", AwardRecord.Status.VALID),
        )
        self.assertEqual(
            (new.award, new.year, new.member, new.unit, new.province),
            (old.award, 2025, self.ha, self.school, self.quangtri),
        )
        self.assertEqual((new.decision, new.line, new.decision_number), (amending, amend_line, "21/QĐ-LĐLĐ"))
        self.assertNotEqual(new.verify_code, old.verify_code)

    def test_only_valid_records_of_an_issued_decision_can_be_corrected(self):
        decision = self.issued()
        record = AwardRecord.objects.get()
        other = f.record("giay-khen", 2024, member=self.duc)
        with self.assertRaises(ValidationError):
            services.decision_correct(
                decision=decision, kind="revoke", records=[other], created_by=self.alice
            )
        draft = services.decision_create(unit=self.dongha, award=self.award, year=2025, created_by=self.alice)
        with self.assertRaises(ValidationError):
            services.decision_correct(decision=draft, kind="revoke", records=[record], created_by=self.alice)
        with self.assertRaises(ValidationError):
            services.decision_correct(
                decision=decision, kind="delete", records=[record], created_by=self.alice
            )
        with self.assertRaises(PermissionDenied):
            services.decision_correct(decision=decision, kind="revoke", records=[record], created_by=self.bob)

    def test_a_record_revoked_meanwhile_blocks_a_second_correction(self):
        decision = self.issued()
        record = AwardRecord.objects.get()
        first = services.decision_correct(
            decision=decision, kind="revoke", records=[record], created_by=self.alice
        )
        second = services.decision_correct(
            decision=decision, kind="revoke", records=[record], created_by=self.alice
        )
        sign(first, self.alice, number="30/QĐ")
        services.decision_issue(decision=first, issued_by=self.alice)
        sign(second, self.alice, number="31/QĐ")
        with self.assertRaisesMessage(ValidationError, "already revoked"):
            services.decision_issue(decision=second, issued_by=self.alice)
