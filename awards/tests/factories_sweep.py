"""Alice's awards records for the scope sweep (lib/tests/test_scope_sweep.py): one of each kind
of object an awards URL can point at, all inside Đông Hà's subtree, plus charlie's own."""

from __future__ import annotations

import datetime

from awards.models import (
    Award,
    AwardCondition,
    AwardQuota,
    AwardRecord,
    BlankLayout,
    CertificateBatch,
    CouncilMember,
    Decision,
    DecisionLine,
    Meeting,
    Nomination,
    NominationFile,
    NoticeComment,
    PublicNotice,
)
from awards.tests import factories as f
from lib.text import fold

SECRET_AWARD = "Giấy khen riêng của Đông Hà"
SECRET_GROUND = "Lý do đề nghị riêng của Đông Hà"
SECRET_COMMENT = "Ý kiến riêng về trường Lê Lợi"
SECRET_DECISION_NUMBER = "88/QĐ-LĐLĐĐH"
NOTICE_TOKEN = "thong-bao-cong-khai-dong-ha-2025"
VERIFY_CODE = "SWEEP23456"


def build(t, *, media_file) -> None:
    """Set attributes on the test class `t` (which has the lib.testing cast)."""
    t.own_award = Award.objects.create(
        unit=t.dongha,
        code="giay-khen-dong-ha",
        name=SECRET_AWARD,
        name_folded=fold(SECRET_AWARD),
        kind=Award.Kind.FORM,
        recipient_kinds=["member", "collective"],
        proposer_levels=[3],
        decider_level=2,
    )
    t.own_condition = AwardCondition.objects.create(
        award=t.own_award, kind=AwardCondition.Kind.MANUAL, text="Hoàn thành xuất sắc nhiệm vụ"
    )
    t.own_quota = AwardQuota.objects.create(award=t.own_award, scope=AwardQuota.Scope.ISSUER_YEAR, limit=10)
    t.initiative = f.initiative(year=2025, member=t.ha)
    t.service_period = f.service(t.ha, datetime.date(2010, 1, 1))
    t.award_round = f.make_round(t.dongha, 2025, ("giay-khen", "giay-khen-dong-ha"))
    t.nomination = f.make_nomination(
        t.award_round,
        "giay-khen",
        t.school,
        members=[t.ha],
        status=Nomination.Status.SUBMITTED,
        note=SECRET_GROUND,
    )
    t.nomination.at_unit = t.dongha
    t.nomination.minutes_number = "03/BB-HĐTĐKT"
    t.nomination.minutes_file = media_file("awards/minutes/bien-ban.pdf")
    t.nomination.save(update_fields=["at_unit", "minutes_number", "minutes_file"])
    t.draft_nomination = f.make_nomination(t.award_round, "giay-khen", t.factory, members=[t.duc])
    t.nominee = t.nomination.nominees.get()
    t.draft_nominee = t.draft_nomination.nominees.get()
    t.nomination_file = NominationFile.objects.create(
        nomination=t.nomination,
        nominee=t.nominee,
        file=media_file("awards/evidence/minh-chung.pdf"),
        name="minh-chung.pdf",
    )
    t.council = f.make_council(t.dongha, [("Trần Chủ Tịch", t.dongha, None), ("Lê Uỷ Viên", t.school, None)])
    t.seat = t.council.seats.order_by("id").first()
    t.meeting = Meeting.objects.create(
        council=t.council, round=t.award_round, held_on=datetime.date(2025, 12, 20)
    )
    t.meeting.nominations.set([t.nomination])
    t.meeting.present.set(CouncilMember.objects.filter(council=t.council))
    t.closed_meeting = Meeting.objects.create(
        council=t.council,
        round=t.award_round,
        held_on=datetime.date(2025, 12, 1),
        status=Meeting.Status.CLOSED,
    )
    giay_khen = f.award("giay-khen")
    t.draft_decision = Decision.objects.create(
        unit=t.dongha, award=giay_khen, year=2025, title="Khen thưởng năm 2025 (dự thảo)", round=t.award_round
    )
    t.draft_line = DecisionLine.objects.create(
        decision=t.draft_decision, recipient_kind="member", member=t.duc, unit=t.factory, name=t.duc.full_name
    )
    t.decision = Decision.objects.create(
        unit=t.dongha,
        award=giay_khen,
        year=2025,
        title="Khen thưởng năm 2025",
        number=SECRET_DECISION_NUMBER,
        signed_on=datetime.date(2025, 12, 25),
        signer_name="Nguyễn Văn Ký",
        round=t.award_round,
    )
    line = DecisionLine.objects.create(
        decision=t.decision, recipient_kind="member", member=t.ha, unit=t.school, name=t.ha.full_name
    )
    t.award_record = f.record(
        "giay-khen",
        2025,
        member=t.ha,
        decision=t.decision,
        line=line,
        source=AwardRecord.Source.DECISION,
        issuer=t.dongha,
        issuer_name=t.dongha.name,
        decision_number=SECRET_DECISION_NUMBER,
        verify_code=VERIFY_CODE,
    )
    t.decision.status = Decision.Status.ISSUED
    t.decision.save()
    t.unit_record = f.record("giay-khen", 2024, unit=t.school)
    t.batch = CertificateBatch.objects.create(
        decision=t.decision,
        unit=t.dongha,
        total=1,
        done=1,
        status=CertificateBatch.Status.DONE,
        file=media_file("awards/certificates/bang-khen.pdf"),
    )
    t.blank_layout = BlankLayout.objects.create(unit=t.dongha, name="Phôi giấy khen Đông Hà")
    t.notice = PublicNotice.objects.create(
        round=t.award_round,
        award=giay_khen,
        unit=t.dongha,
        opens_on=datetime.date(2025, 12, 1),
        closes_on=datetime.date(2099, 12, 31),
        token=NOTICE_TOKEN,
    )
    t.notice.nominees.set([t.nominee])
    t.notice_comment = NoticeComment.objects.create(
        notice=t.notice, nominee=t.nominee, author_name="Người dân", contact="0900000000", text=SECRET_COMMENT
    )
    # charlie's own (Quảng Bình) counterparts, for requests naming alice's objects from his pages
    t.qb_round = f.make_round(t.quangbinh, 2025, ("giay-khen",))
    t.qb_nomination = f.make_nomination(t.qb_round, "giay-khen", t.port, members=[t.lan])
    t.qb_council = f.make_council(t.quangbinh, [("Phan Chủ Tịch", t.quangbinh, None)])
