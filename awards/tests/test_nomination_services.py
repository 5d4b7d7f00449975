"""Nomination services: who may propose what, each reason a nominee or a submission is refused,
and the path up the tree with a return and a resubmission."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError

from awards.models import Nomination, NominationStep, Nominee, RecipientKind, Round
from awards.services import nominations as services
from awards.tests import factories as f
from awards.tests import factories_nominations as fn
from lib.testing import BaseTestCase, EnglishMixin


class NominationServiceTestCase(EnglishMixin, BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        fn.officers(cls)
        cls.rnd = f.make_round(
            cls.quangtri,
            2025,
            ("bang-khen-ldld-tinh", "cstd-cap-tinh", "ky-niem-chuong", "giay-khen", "cstd-co-so"),
        )

    def messages_of(self, ctx) -> list[str]:
        return ctx.exception.messages


class RoundCreateTests(NominationServiceTestCase):
    def create(self, **given) -> Round:
        """round_create with a plain yearly round of Quảng Trị for whatever the test leaves out."""
        fields = dict(
            unit=self.quangtri,
            name="x",
            year=2025,
            kind=Round.Kind.YEAR,
            awards=[f.award("giay-khen")],
            created_by=self.quinn,
        )
        return services.round_create(**{**fields, **given})

    def test_it_opens_a_round_with_its_awards(self):
        rnd = self.create(
            name="  Khen thưởng   năm 2025 ",
            awards=[f.award("bang-khen-ldld-tinh")],
            deadline=datetime.date(2025, 12, 15),
        )
        self.assertEqual(rnd.name, "Khen thưởng năm 2025")
        self.assertEqual(list(rnd.awards.values_list("code", flat=True)), ["bang-khen-ldld-tinh"])

    def test_it_refuses_a_theme_round_without_theme_and_awards(self):
        with self.assertRaises(ValidationError) as ctx:
            self.create(name="Chuyên đề", kind=Round.Kind.THEME, awards=[])
        self.assertEqual(len(self.messages_of(ctx)), 2)

    def test_it_refuses_another_provinces_officer(self):
        with self.assertRaises(PermissionDenied):
            self.create(created_by=self.charlie)

    def test_it_links_a_plan_phase_of_a_unit_above(self):
        from campaigns.tests.factories_plans import make_plan

        plan = make_plan(unit=self.quangtri, by=self.quinn, issue=True)
        phase = plan.phases.first()
        rnd = self.create(
            unit=self.dongha,
            name="Sơ kết đợt 1",
            year=2021,
            kind=Round.Kind.PHASE,
            created_by=self.alice,
            phase=phase,
        )
        self.assertEqual((rnd.plan, rnd.phase), (plan, phase))
        with self.assertRaises(ValidationError):
            self.create(
                unit=self.quangbinh, year=2021, kind=Round.Kind.PHASE, created_by=self.charlie, plan=plan
            )

    def test_close(self):
        services.round_close(round=self.rnd, closed_by=self.quinn)
        self.rnd.refresh_from_db()
        self.assertEqual(self.rnd.status, Round.Status.CLOSED)
        with self.assertRaises(ValidationError):
            services.nomination_create(
                round=self.rnd, award=f.award("giay-khen"), unit=self.school, created_by=self.sam
            )


class NominationCreateTests(NominationServiceTestCase):
    def test_it_keeps_a_snapshot_of_the_rules(self):
        award = f.award("cstd-cap-tinh")
        nomination = services.nomination_create(
            round=self.rnd, award=award, unit=self.school, created_by=self.sam
        )
        award.pass_percent = 50
        award.save()
        nomination.refresh_from_db()
        self.assertEqual(nomination.rules["pass_percent"], "80.00")
        self.assertEqual(nomination.status, Nomination.Status.DRAFT)
        self.assertEqual(nomination.at_unit, self.school)

    def test_it_refuses_a_unit_of_a_level_that_does_not_propose_the_award(self):
        # Chiến sĩ thi đua cơ sở is proposed by grassroots unions only.
        with self.assertRaises(ValidationError) as ctx:
            services.nomination_create(
                round=self.rnd, award=f.award("cstd-co-so"), unit=self.dongha, created_by=self.alice
            )
        self.assertIn("not proposed by units of the level", self.messages_of(ctx)[0])

    def test_it_refuses_an_award_not_in_the_round_and_a_unit_outside_it(self):
        qb_round = f.make_round(self.quangbinh, 2025, ("giay-khen",))
        with self.assertRaises(ValidationError) as ctx:
            services.nomination_create(
                round=qb_round, award=f.award("bang-khen-ldld-tinh"), unit=self.school, created_by=self.sam
            )
        self.assertEqual(len(self.messages_of(ctx)), 2)

    def test_it_requires_writing_for_the_unit(self):
        with self.assertRaises(PermissionDenied):
            services.nomination_create(
                round=self.rnd, award=f.award("giay-khen"), unit=self.school, created_by=self.bob
            )


class NomineeAddTests(NominationServiceTestCase):
    def setUp(self):
        super().setUp()
        self.nomination = services.nomination_create(
            round=self.rnd, award=f.award("cstd-cap-tinh"), unit=self.school, created_by=self.sam
        )

    def test_an_eligible_member_is_added_with_the_verdict_and_a_prefilled_report(self):
        for y in (2023, 2024, 2025):
            f.record("cstd-co-so", y, member=self.ha, issuer_name="Trường THPT Lê Lợi")
        f.initiative(year=2024, level=1, member=self.ha, value=120_000_000)
        nominee = services.nominee_add(nomination=self.nomination, added_by=self.sam, member=self.ha)
        self.assertTrue(nominee.eligible)
        self.assertEqual(nominee.recipient_kind, RecipientKind.MEMBER)
        self.assertEqual(nominee.unit, self.school)
        self.assertTrue(all(r["ok"] for r in nominee.eligibility))
        self.assertEqual(nominee.achievement["form"], "person")
        self.assertIn("Năm 2024: Chiến sĩ thi đua cơ sở", nominee.achievement["titles"])
        self.assertIn("Sáng kiến cải tiến máy may", nominee.achievement["initiatives"])
        self.assertIn("120.000.000 đồng", nominee.achievement["initiatives"])

    def test_an_ineligible_member_is_flagged_with_reasons(self):
        nominee = services.nominee_add(nomination=self.nomination, added_by=self.sam, member=self.ha)
        self.assertFalse(nominee.eligible)
        self.assertTrue(
            any("needed 3 years in a row" in r["reason"] for r in nominee.eligibility), nominee.eligibility
        )

    def test_a_member_outside_the_proposing_unit_is_refused(self):
        with self.assertRaises(ValidationError) as ctx:
            services.nominee_add(nomination=self.nomination, added_by=self.sam, member=self.duc)
        self.assertIn("is outside Công đoàn Trường THPT Lê Lợi", self.messages_of(ctx)[0])
        with self.assertRaises(ValidationError):
            services.nominee_add(nomination=self.nomination, added_by=self.sam, member=self.lan)

    def test_the_same_person_twice_is_refused_until_removed(self):
        nominee = services.nominee_add(nomination=self.nomination, added_by=self.sam, member=self.ha)
        with self.assertRaises(ValidationError) as ctx:
            services.nominee_add(nomination=self.nomination, added_by=self.sam, member=self.ha)
        self.assertIn("already on this list", self.messages_of(ctx)[0])
        services.nominee_remove(nominee=nominee, removed_by=self.sam)
        again = services.nominee_add(nomination=self.nomination, added_by=self.sam, member=self.ha)
        self.assertEqual(Nominee.objects.filter(nomination=self.nomination).count(), 2)
        self.assertEqual(again.status, Nominee.Status.PROPOSED)

    def test_a_once_in_life_award_already_held_is_refused_outright(self):
        f.record("ky-niem-chuong", 2019, member=self.ha)
        nomination = services.nomination_create(
            round=self.rnd, award=f.award("ky-niem-chuong"), unit=self.school, created_by=self.sam
        )
        with self.assertRaises(ValidationError) as ctx:
            services.nominee_add(
                nomination=nomination, added_by=self.sam, member=self.ha, override_ground="Có đóng góp lớn"
            )
        self.assertIn("given once in a life", self.messages_of(ctx)[0])
        self.assertFalse(nomination.nominees.exists())

    def test_a_collective_is_added_for_an_award_to_collectives_only(self):
        nomination = services.nomination_create(
            round=self.rnd, award=f.award("giay-khen"), unit=self.dongha, created_by=self.alice
        )
        nominee = services.nominee_add(nomination=nomination, added_by=self.alice, unit=self.factory)
        self.assertEqual(
            (nominee.recipient_kind, nominee.name), (RecipientKind.COLLECTIVE, self.factory.name)
        )
        self.assertEqual(nominee.achievement["form"], "collective")
        with self.assertRaises(ValidationError):
            services.nominee_add(
                nomination=self.nomination, added_by=self.sam, unit=self.school
            )  # persons only

    def test_a_collectives_report_is_prefilled_from_its_reports_and_scores(self):
        from reports.models import Report, ScoreSheet
        from reports.tests import factories_scoring as fs

        version = fs.make_form_version(unit=self.dongha)
        request = fs.make_request(version=version, unit=self.dongha)
        fs.make_report(
            request=request,
            unit=self.school,
            values={"pilot_models": 2, "initiatives": "3.5"},
            status=Report.Status.ACCEPTED,
        )
        table = fs.make_table(unit=self.dongha, clusters=[])
        ScoreSheet.objects.create(
            table=table, unit=self.school, year=2024, status=ScoreSheet.Status.FROZEN, total=85, rank=1
        )
        f.record("giay-khen", 2023, unit=self.school, issuer_name="LĐLĐ thành phố Đông Hà")
        nomination = services.nomination_create(
            round=self.rnd, award=f.award("giay-khen"), unit=self.dongha, created_by=self.alice
        )
        nominee = services.nominee_add(nomination=nomination, added_by=self.alice, unit=self.school)
        report = nominee.achievement
        self.assertIn("Theo báo cáo “Tổng kết”:", report["results"])
        self.assertIn("- pilot_models: 2", report["results"])
        self.assertIn("- initiatives: 3,5", report["results"])
        self.assertEqual(report["scores"], "Năm 2024: đạt 85 điểm theo “Bảng chấm điểm CĐCS”, xếp thứ 1")
        self.assertIn("Năm 2023: Giấy khen – LĐLĐ thành phố Đông Hà", report["titles"])

    def test_a_viewer_cannot_add(self):
        with self.assertRaises(PermissionDenied):
            services.nominee_add(nomination=self.nomination, added_by=self.bob, member=self.ha)


class NominationSubmitTests(NominationServiceTestCase):
    def test_missing_minutes_and_ineligible_without_ground_are_refused_together(self):
        nomination = fn.proposal(
            self.rnd, f.award("cstd-cap-tinh"), self.school, self.sam, members=[self.ha], minutes=""
        )
        with self.assertRaises(ValidationError) as ctx:
            services.nomination_submit(nomination=nomination, submitted_by=self.sam)
        reasons = self.messages_of(ctx)
        self.assertEqual(len(reasons), 2, reasons)
        self.assertIn("minutes", reasons[0])
        self.assertIn("Nguyễn Thị Thu Hà is not eligible", reasons[1])
        nomination.refresh_from_db()
        self.assertEqual(nomination.status, Nomination.Status.DRAFT)
        self.assertFalse(nomination.steps.exists())

    def test_an_override_with_a_written_ground_is_accepted(self):
        nomination = fn.proposal(self.rnd, f.award("cstd-cap-tinh"), self.school, self.sam, members=[self.ha])
        nominee = nomination.nominees.get()
        services.nominee_update(
            nominee=nominee, updated_by=self.sam, override_ground="Thành tích đột xuất cứu người"
        )
        nominee.refresh_from_db()
        self.assertEqual(nominee.override_by, self.sam)
        services.nomination_submit(nomination=nomination, submitted_by=self.sam)
        nomination.refresh_from_db()
        self.assertEqual((nomination.status, nomination.at_unit), (Nomination.Status.SUBMITTED, self.dongha))

    def test_a_once_in_life_award_received_since_the_list_was_made_is_refused(self):
        f.service(self.ha, datetime.date(2000, 1, 1))
        nomination = fn.proposal(
            self.rnd, f.award("ky-niem-chuong"), self.school, self.sam, members=[self.ha]
        )
        self.assertTrue(nomination.nominees.get().eligible)
        f.record("ky-niem-chuong", 2025, member=self.ha)
        with self.assertRaises(ValidationError) as ctx:
            services.nomination_submit(nomination=nomination, submitted_by=self.sam)
        self.assertIn("given once in a life", " ".join(self.messages_of(ctx)))
        self.assertFalse(nomination.nominees.get().eligible)  # the new verdict is kept

    def test_an_empty_list_is_refused(self):
        nomination = fn.proposal(self.rnd, f.award("giay-khen"), self.school, self.sam)
        with self.assertRaises(ValidationError) as ctx:
            services.nomination_submit(nomination=nomination, submitted_by=self.sam)
        self.assertEqual(self.messages_of(ctx), ["Add at least one nominee."])

    def test_a_minutes_file_is_enough(self):
        from django.core.files.uploadedfile import SimpleUploadedFile

        nomination = fn.proposal(
            self.rnd, f.award("giay-khen"), self.school, self.sam, members=[self.ha], minutes=""
        )
        upload = SimpleUploadedFile("bien-ban.pdf", b"%PDF-1.4 test", content_type="application/pdf")
        services.nomination_update(nomination=nomination, updated_by=self.sam, minutes_file=upload)
        services.nomination_submit(nomination=nomination, submitted_by=self.sam)
        self.assertEqual(nomination.status, Nomination.Status.SUBMITTED)

    def test_a_minutes_file_that_is_not_a_pdf_is_refused(self):
        from django.core.files.uploadedfile import SimpleUploadedFile

        nomination = fn.proposal(self.rnd, f.award("giay-khen"), self.school, self.sam)
        with self.assertRaises(ValidationError):
            services.nomination_update(
                nomination=nomination,
                updated_by=self.sam,
                minutes_file=SimpleUploadedFile("bb.pdf", b"MZ not a pdf"),
            )


class PathUpTheTreeTests(NominationServiceTestCase):
    def test_school_to_dong_ha_to_quang_tri_with_a_return(self):
        award = f.award("bang-khen-ldld-tinh")  # decided by the provincial federation
        nomination = fn.proposal(self.rnd, award, self.school, self.sam, members=[self.ha])
        self.assertEqual(services.deciding_unit(nomination=nomination), self.quangtri)

        services.nomination_submit(nomination=nomination, submitted_by=self.sam)
        self.assertEqual((nomination.status, nomination.at_unit), (Nomination.Status.SUBMITTED, self.dongha))
        with self.assertRaises(PermissionDenied):  # the school does not review its own list
            services.nomination_forward(nomination=nomination, by=self.sam)
        with self.assertRaises(ValidationError):  # Đông Hà is not the deciding level
            services.nomination_to_council(nomination=nomination, by=self.alice)

        with self.assertRaises(ValidationError):  # a return needs a comment
            services.nomination_return(nomination=nomination, by=self.alice, comment="  ")
        services.nomination_return(nomination=nomination, by=self.alice, comment="Bổ sung biên bản có chữ ký")
        nomination.refresh_from_db()
        self.assertEqual((nomination.status, nomination.at_unit), (Nomination.Status.RETURNED, self.school))

        nominee = nomination.nominees.get()
        services.nominee_update(
            nominee=nominee,
            updated_by=self.sam,
            achievement={"form": "person", "summary": "Giáo viên dạy giỏi"},
        )
        services.nomination_submit(nomination=nomination, submitted_by=self.sam)
        self.assertEqual(nomination.revision, 2)
        services.nomination_forward(nomination=nomination, by=self.alice, comment="Đồng ý")
        nomination.refresh_from_db()
        self.assertEqual(nomination.at_unit, self.quangtri)
        with self.assertRaises(ValidationError):  # the deciding level sends it to the council instead
            services.nomination_forward(nomination=nomination, by=self.quinn)
        with self.assertRaises(PermissionDenied):  # Đông Hà's officer no longer holds it
            services.nomination_to_council(nomination=nomination, by=self.alice)
        services.nomination_to_council(nomination=nomination, by=self.quinn)
        nomination.refresh_from_db()
        self.assertEqual(nomination.status, Nomination.Status.AT_COUNCIL)
        with self.assertRaises(ValidationError):
            services.nomination_withdraw(nomination=nomination, by=self.sam)

        steps = list(nomination.steps.values_list("action", "from_unit__code", "to_unit__code", "comment"))
        A = NominationStep.Action
        self.assertEqual(
            steps,
            [
                (A.SUBMIT, "QT.DH.001", "QT.DH", ""),
                (A.RETURN, "QT.DH", "QT.DH.001", "Bổ sung biên bản có chữ ký"),
                (A.SUBMIT, "QT.DH.001", "QT.DH", ""),
                (A.FORWARD, "QT.DH", "QT", "Đồng ý"),
                (A.TO_COUNCIL, "QT", "QT", ""),
            ],
        )

    def test_an_award_decided_outside_the_union_goes_to_the_proposers_own_council(self):
        # Chiến sĩ thi đua cơ sở: the head of the unit decides; the grassroots council votes.
        f.record("lao-dong-tien-tien", 2025, member=self.ha)
        f.initiative(year=2025, member=self.ha)
        nomination = fn.proposal(self.rnd, f.award("cstd-co-so"), self.school, self.sam, members=[self.ha])
        self.assertEqual(services.deciding_unit(nomination=nomination), self.school)
        services.nomination_submit(nomination=nomination, submitted_by=self.sam)
        self.assertEqual(nomination.at_unit, self.school)
        services.nomination_to_council(nomination=nomination, by=self.sam)
        self.assertEqual(nomination.status, Nomination.Status.AT_COUNCIL)

    def test_the_proposer_withdraws_before_the_council(self):
        nomination = fn.proposal(
            self.rnd, f.award("giay-khen"), self.school, self.sam, members=[self.ha], submit=True
        )
        with self.assertRaises(PermissionDenied):
            services.nomination_withdraw(nomination=nomination, by=self.charlie)
        services.nomination_withdraw(nomination=nomination, by=self.sam, comment="Nộp nhầm")
        nomination.refresh_from_db()
        self.assertEqual((nomination.status, nomination.at_unit), (Nomination.Status.WITHDRAWN, self.school))
        with self.assertRaises(ValidationError):
            services.nomination_forward(nomination=nomination, by=self.alice)

    def test_a_submitted_list_cannot_be_changed(self):
        nomination = fn.proposal(
            self.rnd, f.award("giay-khen"), self.school, self.sam, members=[self.ha], submit=True
        )
        nominee = nomination.nominees.get()
        for call in (
            lambda: services.nominee_add(nomination=nomination, added_by=self.sam, member=self.ha),
            lambda: services.nominee_remove(nominee=nominee, removed_by=self.sam),
            lambda: services.nominee_update(nominee=nominee, updated_by=self.sam, position_title="x"),
            lambda: services.nomination_update(nomination=nomination, updated_by=self.sam, note="x"),
            lambda: services.nomination_submit(nomination=nomination, submitted_by=self.sam),
        ):
            with self.assertRaises(ValidationError):
                call()
