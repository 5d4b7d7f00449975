"""Plans, registrations and covenants as direct model rows on lib.testing's small tree."""

import datetime

from django.utils import timezone

from campaigns.models import (
    Cluster,
    ClusterHead,
    ClusterMember,
    Covenant,
    CovenantClause,
    CovenantSignature,
    Duty,
    MemberPledge,
    Movement,
    Phase,
    Plan,
    PlanMovement,
    Pledge,
    Registration,
    Target,
)
from lib.text import fold
from org.models import UnitLevel


def make_movement(unit, name: str) -> Movement:
    return Movement.objects.create(unit=unit, name=name, name_folded=fold(name))


def make_plan(
    unit, *, status=Plan.Status.ISSUED, year: int = 2021, number: str = "15/KH-LĐLĐ", **extra
) -> Plan:
    """A plan with two phases, two duties, a target per kind measured, a movement."""
    plan = Plan.objects.create(
        unit=unit,
        status=status,
        year=year,
        number=number,
        place="Quảng Trị",
        issued_on=datetime.date(year, 2, 22),
        title=f"Tổ chức phong trào thi đua năm {year}",
        preamble="Lời mở đầu của kế hoạch.",
        purposes=["Mục đích thứ nhất.", "Yêu cầu thứ hai."],
        theme="Chủ đề thi đua của năm",
        contents=[{"number": "2.1", "text": "Nội dung một."}, {"number": "2.2", "text": "Nội dung hai."}],
        closing="Lời kết./.",
        recipients=["- Tổng LĐLĐ Việt Nam;", "- Lưu: VT."],
        signer_authority="TM. BAN THƯỜNG VỤ",
        signer_title="PHÓ CHỦ TỊCH",
        signer_name="Nguyễn Thị Thu Hà",
        **extra,
    )
    movement = make_movement(unit, f"Lao động giỏi {year} {plan.pk}")
    PlanMovement.objects.create(plan=plan, movement=movement, position=1)
    add_phases(
        plan,
        ("Đợt 1", datetime.date(year, 2, 22), datetime.date(year, 6, 30), "Tuyên truyền."),
        ("Đợt 2", datetime.date(year, 7, 1), datetime.date(year, 12, 31), "Về đích."),
    )
    Duty.objects.create(
        plan=plan,
        level=Duty.Level.ISSUER,
        level_label="Liên đoàn Lao động tỉnh",
        items=["Xây dựng kế hoạch.", "Tổ chức sơ kết."],
        position=1,
    )
    below = Duty.objects.create(
        plan=plan,
        level=Duty.Level.UPPER_AND_GRASSROOTS,
        level_label="Công đoàn cấp trên trực tiếp cơ sở và công đoàn cơ sở",
        items=["Xây dựng được ít nhất 01 mô hình điểm."],
        position=2,
    )
    add_targets(
        plan,
        ("ít nhất 01 mô hình điểm", Target.Kind.PILOT_MODEL, 1, UnitLevel.UPPER),
        ("mỗi công đoàn cơ sở đăng ký thi đua", Target.Kind.REGISTRATION, 1, UnitLevel.GRASSROOTS),
        duty=below,
    )
    return plan


def add_phases(plan: Plan, *phases: tuple) -> list[Phase]:
    """The plan's phases, each (name, start, end, purpose), numbered in the order given."""
    return [
        Phase.objects.create(plan=plan, name=name, start=start, end=end, purpose=purpose, position=position)
        for position, (name, start, end, purpose) in enumerate(phases, start=1)
    ]


def add_targets(plan: Plan, *targets: tuple, duty: Duty | None = None) -> list[Target]:
    """The plan's targets, each (text, kind, count, unit level), numbered in the order given."""
    return [
        Target.objects.create(
            plan=plan, duty=duty, text=text, kind=kind, count=count, unit_level=level, position=position
        )
        for position, (text, kind, count, level) in enumerate(targets, start=1)
    ]


def make_registration(plan: Plan, unit, *, members=(), submitted: bool = True) -> Registration:
    registration = Registration.objects.create(
        plan=plan,
        unit=unit,
        status=Registration.Status.SUBMITTED if submitted else Registration.Status.DRAFT,
        submitted_at=timezone.now() if submitted else None,
    )
    Pledge.objects.create(registration=registration, text="Đăng ký thi đua đúng hạn", count=1, position=1)
    for member in members:
        MemberPledge.objects.create(registration=registration, member=member, title="Lao động tiên tiến")
    return registration


def make_covenant(plan: Plan, *, defined_by, members, signed) -> Covenant:
    cluster = Cluster.objects.create(unit=defined_by, name="Cụm thi đua số 1")
    for unit in members:
        ClusterMember.objects.create(cluster=cluster, unit=unit)
    ClusterHead.objects.create(cluster=cluster, year=plan.year, unit=members[0])
    covenant = Covenant.objects.create(
        cluster=cluster,
        plan=plan,
        year=plan.year,
        title="Giao ước thi đua năm",
        place="Đông Hà",
        signed_on=datetime.date(plan.year, 3, 20),
        status=Covenant.Status.OPEN,
    )
    CovenantClause.objects.create(covenant=covenant, text="Xây dựng ít nhất 01 mô hình điểm.", position=1)
    for unit in signed:
        CovenantSignature.objects.create(
            covenant=covenant, unit=unit, signer_name=f"Chủ tịch {unit.code}", signer_title="Chủ tịch"
        )
    return covenant
