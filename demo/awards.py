"""Awards in the demo: five years of the register for Quảng Trị (so "who is eligible" finds
people), initiatives and years of service, the province's council, last year's round decided
and issued (certificates can be printed and verified), and this year's round with a grassroots
union's proposal waiting at the district. Everything goes through the services."""

from __future__ import annotations

import datetime
import random

from django.db import transaction

from accounts.models import User
from awards.defaults import load_default_awards
from awards.models import Award, AwardRecord, CouncilMember, Initiative, RecipientKind, ServicePeriod
from awards.services import councils, decisions, nominations
from lib.text import fold
from org import tree
from org.models import Member, MemberStatus, Unit, UnitKind, UnitLevel

SEED = 2025
THIS_YEAR = 2025


def award(code: str) -> Award:
    return Award.objects.get(code=code)


def _record(
    code: str, year: int, *, member: Member | None = None, unit: Unit, province: Unit, issuer: Unit
) -> AwardRecord:
    name = member.full_name if member else unit.name
    given = award(code)
    return AwardRecord(
        award=given,
        award_name=given.name,
        year=year,
        recipient_kind=RecipientKind.MEMBER if member else RecipientKind.GRASSROOTS,
        member=member,
        unit=unit,
        name=name,
        name_folded=fold(name),
        unit_name=unit.name,
        sex=member.sex if member else "",
        sector=unit.sector,
        province=province,
        issuer=issuer,
        issuer_name=issuer.name,
        issuer_level=issuer.level,
        decision_number=f"{random.randint(10, 299)}/QĐ-{'LĐLĐ' if issuer.level <= UnitLevel.PROVINCE else 'CĐ'}",
        decided_on=datetime.date(year, 12, 28),
        source=AwardRecord.Source.IMPORT,
    )


@transaction.atomic
def load_awards_demo(*, province: Unit, officer: User, grassroots_officer: User) -> None:
    load_default_awards()  # shipped by a migration; a flushed test database may have lost it
    rng = random.Random(SEED)
    random.seed(SEED)
    members = list(
        Member.objects.filter(tree.subtree_q(province, field="unit"), status=MemberStatus.ACTIVE)
        .select_related("unit")
        .order_by("id")[:3000]
    )
    if not members:
        return
    history = []
    # Five years of titles: Lao động tiên tiến for many, Chiến sĩ thi đua cơ sở for some, often in a row.
    streakers = rng.sample(members, min(40, len(members)))
    for year in range(THIS_YEAR - 4, THIS_YEAR + 1):
        for m in rng.sample(members, len(members) // 8):
            history.append(
                _record("lao-dong-tien-tien", year, member=m, unit=m.unit, province=province, issuer=m.unit)
            )
        for i, m in enumerate(streakers):
            if i < 15 or rng.random() < 0.5:  # the first fifteen hold it every year
                history.append(
                    _record("cstd-co-so", year, member=m, unit=m.unit, province=province, issuer=m.unit)
                )
        for m in rng.sample(members, 12):
            history.append(
                _record(
                    "bang-khen-ldld-tinh", year, member=m, unit=m.unit, province=province, issuer=province
                )
            )
    grassroots = list(Unit.objects.filter(tree.subtree_q(province), kind=UnitKind.GRASSROOTS).order_by("id"))
    for year in range(THIS_YEAR - 2, THIS_YEAR):
        for u in rng.sample(grassroots, len(grassroots) // 3):
            history.append(_record("cdcs-vung-manh", year, unit=u, province=province, issuer=u.get_parent()))
    AwardRecord.objects.bulk_create(history, batch_size=1000)
    Initiative.objects.bulk_create(
        Initiative(
            member=m,
            unit=m.unit,
            title=f"Sáng kiến cải tiến quy trình số {i + 1}",
            year=THIS_YEAR - (i % 3),
            scope_level=UnitLevel.PROVINCE if i < 8 else UnitLevel.GRASSROOTS,
            recognised_by=province.name if i < 8 else m.unit.name,
            value=rng.choice([50, 90, 120, 180]) * 1_000_000,
        )
        for i, m in enumerate(streakers[:25])
    )
    for i, m in enumerate(members[:30]):
        kind = (ServicePeriod.Kind.FULL_TIME, ServicePeriod.Kind.PART_TIME, ServicePeriod.Kind.NON_STATE)[
            i % 3
        ]
        ServicePeriod.objects.create(
            member=m, kind=kind, start=datetime.date(2000 + i % 12, 1, 1), position="Uỷ viên BCH"
        )

    # The province's council, and last year's round decided and issued.
    council = councils.council_create(
        unit=province, name="Hội đồng Thi đua - Khen thưởng LĐLĐ tỉnh", created_by=officer
    )
    for name, title, role in (
        ("Nguyễn Thị Thu Hà", "Phó Chủ tịch LĐLĐ tỉnh", CouncilMember.Role.CHAIR),
        ("Trần Văn Bình", "Trưởng ban Tổ chức", CouncilMember.Role.MEMBER),
        ("Lê Thị Hồng", "Trưởng ban Tuyên giáo", CouncilMember.Role.MEMBER),
        ("Phan Văn Nam", "Chánh Văn phòng", CouncilMember.Role.SECRETARY),
        ("Hoàng Minh Tuấn", "Trưởng ban Chính sách - Pháp luật", CouncilMember.Role.MEMBER),
    ):
        councils.seat_add(
            council=council, full_name=name, title=title, role=role, unit=province, added_by=officer
        )
    bk = award("bang-khen-ldld-tinh")
    past = nominations.round_create(
        unit=province,
        name=f"Khen thưởng năm {THIS_YEAR - 1}",
        year=THIS_YEAR - 1,
        kind="year",
        awards=[bk],
        created_by=officer,
    )
    school = grassroots_officer.unit  # a grassroots union; its members sit in its union groups
    proposer = school
    school_members = list(
        Member.objects.filter(tree.subtree_q(school, field="unit"), status=MemberStatus.ACTIVE)
        .select_related("unit")
        .order_by("id")[:3]
    )
    nom = nominations.nomination_create(round=past, award=bk, unit=proposer, created_by=officer)
    for m in school_members:
        nominations.nominee_add(nomination=nom, added_by=officer, member=m, position_title="Giáo viên")
    nominations.nomination_update(nomination=nom, updated_by=officer, minutes_number="05/BB-HĐTĐKT")
    nominations.nomination_submit(nomination=nom, submitted_by=officer)
    while nom.status == nom.Status.SUBMITTED and nom.at_unit_id != province.pk:
        nominations.nomination_forward(nomination=nom, by=officer, comment="Đồng ý đề nghị")
        nom.refresh_from_db()
    nominations.nomination_to_council(nomination=nom, by=officer)
    seats = list(council.seats.all())
    meeting = councils.meeting_open(
        council=council,
        round=past,
        held_on=datetime.date(THIS_YEAR - 1, 12, 20),
        nominations=[nom],
        present=seats,
        created_by=officer,
        place="Hội trường LĐLĐ tỉnh",
    )
    for nominee in nom.nominees.all():
        for seat in seats:
            if not meeting.recusals.filter(seat=seat, nominee=nominee).exists():
                councils.vote_cast(meeting=meeting, nominee=nominee, seat=seat, choice="yes", by=officer)
    councils.meeting_close(meeting=meeting, closed_by=officer)
    decision = decisions.decision_from_meeting(meeting=meeting, award=bk, created_by=officer)
    decisions.decision_update(
        decision=decision,
        updated_by=officer,
        number="312/QĐ-LĐLĐ",
        signed_on=datetime.date(THIS_YEAR - 1, 12, 28),
        place="Quảng Trị",
        signer_authority="TM. BAN THƯỜNG VỤ",
        signer_title="PHÓ CHỦ TỊCH",
        signer_name="Nguyễn Thị Thu Hà",
    )
    decisions.decision_issue(decision=decision, issued_by=officer)

    # This year's round: the grassroots union's proposal waits at the district for review.
    cstd = award("cstd-cap-tinh")
    current = nominations.round_create(
        unit=province,
        name=f"Khen thưởng năm {THIS_YEAR}",
        year=THIS_YEAR,
        kind="year",
        awards=[bk, cstd, award("giay-khen")],
        created_by=officer,
        deadline=datetime.date(THIS_YEAR, 12, 15),
    )
    draft = nominations.nomination_create(
        round=current, award=bk, unit=proposer, created_by=grassroots_officer
    )
    for m in school_members[:2]:
        nominations.nominee_add(
            nomination=draft, added_by=grassroots_officer, member=m, position_title="Giáo viên"
        )
    nominations.nomination_update(
        nomination=draft, updated_by=grassroots_officer, minutes_number="09/BB-HĐTĐKT"
    )
    nominations.nomination_submit(nomination=draft, submitted_by=grassroots_officer)
