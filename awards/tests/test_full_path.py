"""The whole life of an award, across every part: the eligible list → a grassroots union's
nomination → review up the tree → the province council's secret ballot (a passing and a failing
share, recusals) → the decision → the certificate, whose text and QR code lead to the public
verify page → a revoking decision → the verify page says "revoked"."""

import datetime
import io

import pypdfium2
import zxingcpp
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from accounts.models import Role
from awards.models import AwardRecord, Decision, ImmutableError, Nomination, Nominee
from awards.selectors import eligibility as el
from awards.services import councils, decisions, nominations
from awards.services.certificates import certificate_pdf
from awards.tests import factories as f
from lib.testing import BaseTestCase, EnglishMixin, make_user
from org.models import Sex, UnitLevel
from org.services.members import member_create

YEAR = 2025


def pdf_text_and_qr(data: bytes) -> tuple[str, list[str]]:
    pdf = pypdfium2.PdfDocument(io.BytesIO(data))
    page = pdf[0]
    text = page.get_textpage().get_text_range()
    image = page.render(scale=200 / 72).to_pil()
    return text, [r.text for r in zxingcpp.read_barcodes(image)]


class FullPathTest(EnglishMixin, BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.tinh = make_user("tinh", cls.quangtri, Role.Kind.OFFICER, full_name="Tỉnh")
        cls.cdcs = make_user("cdcs", cls.school, Role.Kind.OFFICER, full_name="CĐCS")
        cls.minh = member_create(
            unit=cls.school, full_name="Phạm Văn Minh", sex=Sex.MALE, cccd="045090000010"
        )
        for y in (2023, 2024, 2025):
            f.record("cstd-co-so", y, member=cls.ha)
        f.initiative(year=2024, level=UnitLevel.PROVINCE, member=cls.ha)
        f.record("cstd-co-so", 2025, member=cls.minh)  # one year only: not eligible
        cls.award = f.award("cstd-cap-tinh")  # decided by the province, secret ballot, at least 80 %

    def test_from_eligible_list_to_revoked_certificate(self):
        # 1. Who is eligible in the province: Hà, not Minh.
        self.assertEqual(
            list(el.eligible_members(award=self.award, unit=self.quangtri, year=YEAR)), [self.ha]
        )

        # 2. The school proposes both; Minh only with a written ground.
        rnd = nominations.round_create(
            unit=self.quangtri,
            name="Khen thưởng năm 2025",
            year=YEAR,
            kind="year",
            awards=[self.award],
            created_by=self.tinh,
        )
        nom = nominations.nomination_create(
            round=rnd, award=self.award, unit=self.school, created_by=self.cdcs
        )
        ha = nominations.nominee_add(nomination=nom, added_by=self.cdcs, member=self.ha)
        self.assertTrue(ha.eligible)
        with self.assertRaises((ValidationError, PermissionDenied, Http404)):
            nominations.nominee_add(nomination=nom, added_by=self.cdcs, member=self.lan)  # another province
        minh = nominations.nominee_add(
            nomination=nom,
            added_by=self.cdcs,
            member=self.minh,
            override_ground="Sáng kiến đặc biệt năm 2025",
        )
        self.assertFalse(minh.eligible)
        nominations.nomination_update(nomination=nom, updated_by=self.cdcs, minutes_number="01/BB-HĐTĐKT")
        nominations.nomination_submit(nomination=nom, submitted_by=self.cdcs)

        # 3. Up the tree: Đông Hà forwards, the province sends it to its council.
        nom.refresh_from_db()
        self.assertEqual(nom.at_unit, self.dongha)
        nominations.nomination_forward(nomination=nom, by=self.alice, comment="Đồng ý")
        nominations.nomination_to_council(nomination=nom, by=self.tinh)
        nom.refresh_from_db()
        self.assertEqual(nom.status, Nomination.Status.AT_COUNCIL)

        # 4. The council: C works at Đông Hà (recused on the school's nominees), E is Minh himself.
        council = f.make_council(
            self.quangtri,
            [
                ("A Chủ tịch", self.quangtri, None),
                ("B Phó", self.quangtri, None),
                ("C Đông Hà", self.dongha, None),
                ("D Uỷ viên", self.quangtri, None),
                ("E Minh", self.quangtri, self.minh),
            ],
        )
        seats = {s.full_name[0]: s for s in council.seats.all()}
        meeting = councils.meeting_open(
            council=council,
            round=rnd,
            held_on=datetime.date(2025, 12, 20),
            nominations=[nom],
            present=list(seats.values()),
            created_by=self.tinh,
        )
        recused = {(r.seat.full_name[0], r.nominee_id) for r in meeting.recusals.select_related("seat")}
        self.assertEqual(recused, {("C", ha.pk), ("C", minh.pk), ("E", minh.pk)})
        with self.assertRaises(ValidationError):
            councils.vote_cast(meeting=meeting, nominee=ha, seat=seats["C"], choice="yes", by=self.tinh)
        for s in "ABDE":
            councils.vote_cast(meeting=meeting, nominee=ha, seat=seats[s], choice="yes", by=self.tinh)
        for s, choice in (("A", "yes"), ("B", "yes"), ("D", "no")):
            councils.vote_cast(meeting=meeting, nominee=minh, seat=seats[s], choice=choice, by=self.tinh)
        with self.assertRaises(ValidationError):  # twice
            councils.vote_cast(meeting=meeting, nominee=minh, seat=seats["A"], choice="no", by=self.tinh)
        councils.meeting_close(meeting=meeting, closed_by=self.tinh)
        ha.refresh_from_db()
        minh.refresh_from_db()
        self.assertEqual((ha.status, ha.votes_yes, ha.votes_of), (Nominee.Status.PASSED, 4, 4))
        self.assertEqual(
            (minh.status, minh.votes_yes, minh.votes_of), (Nominee.Status.FAILED, 2, 3)
        )  # 67 % < 80 %
        with self.assertRaises(ValidationError):  # after closing
            councils.vote_cast(meeting=meeting, nominee=minh, seat=seats["E"], choice="yes", by=self.tinh)

        # 5. The decision: only Hà; issued, it is frozen.
        decision = decisions.decision_from_meeting(meeting=meeting, award=self.award, created_by=self.tinh)
        self.assertEqual([line.member for line in decision.lines.all()], [self.ha])
        decisions.decision_update(
            decision=decision,
            updated_by=self.tinh,
            number="125/QĐ-LĐLĐ",
            signed_on=datetime.date(2025, 12, 26),
            place="Quảng Trị",
            signer_authority="TM. BAN THƯỜNG VỤ",
            signer_title="CHỦ TỊCH",
            signer_name="Lê Văn Ký",
        )
        decisions.decision_issue(decision=decision, issued_by=self.tinh)
        record = AwardRecord.objects.get(decision=decision)
        self.assertEqual((record.member, record.year, record.province), (self.ha, YEAR, self.quangtri))
        decision.refresh_from_db()
        decision.title = "sửa"
        with self.assertRaises(ImmutableError):
            decision.save()

        # 6. The certificate: its text, and a QR code leading to the verify page.
        text, codes = pdf_text_and_qr(certificate_pdf(record=record, base_url="http://testserver"))
        self.assertIn("Nguyễn Thị Thu Hà", text)
        self.assertIn(record.verify_code, text)
        self.assertIn("125/QĐ-LĐLĐ", text)
        url = f"http://testserver/verify/{record.verify_code}/"
        self.assertEqual(codes, [url])
        self.client.logout()
        self.client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        page = self.client.get(url)
        self.assertContains(page, "Nguyễn Thị Thu Hà")
        self.assertContains(page, "Chiến sĩ thi đua cấp tỉnh")
        self.assertNotContains(page, "045190000001")  # no CCCD on a public page
        self.assertNotContains(page, "REVOKED")

        # 7. A revoking decision: the register and the verify page say so.
        revoke = decisions.decision_correct(
            decision=decision, kind="revoke", records=[record], created_by=self.tinh
        )
        decisions.decision_update(
            decision=revoke,
            updated_by=self.tinh,
            number="130/QĐ-LĐLĐ",
            signed_on=datetime.date(2026, 3, 1),
            signer_name="Lê Văn Ký",
            reason="Phát hiện sai sót trong hồ sơ",
        )
        decisions.decision_issue(decision=revoke, issued_by=self.tinh)
        record.refresh_from_db()
        self.assertEqual((record.status, record.revoked_by_id), (AwardRecord.Status.REVOKED, revoke.pk))
        self.assertEqual(Decision.objects.get(pk=decision.pk).status, Decision.Status.ISSUED)  # untouched
        page = self.client.get(url)
        self.assertContains(page, "REVOKED")
        self.assertContains(page, "130/QĐ-LĐLĐ")
