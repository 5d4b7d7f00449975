"""The seed plan in the demo data: the 2021 emulation plan of the Quảng Trị federation, entered
field by field from the signed document, with what units did under it (deliveries, derived
plans, registrations, a cluster covenant, pilot models, a contest entry).

Rows are written directly (no services), in a fixed order, so the demo is the same everywhere."""

import datetime

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from campaigns.models import (
    Cluster,
    ClusterHead,
    ClusterMember,
    ContestEntry,
    Covenant,
    CovenantClause,
    CovenantSignature,
    Duty,
    MemberPledge,
    Movement,
    Phase,
    PilotModel,
    Plan,
    PlanDelivery,
    PlanMovement,
    Pledge,
    Registration,
    Target,
)
from campaigns.services.plans import launch_create
from lib.text import fold
from org import tree
from org.models import Member, MemberStatus, Unit, UnitKind, UnitLevel

YEAR = 2021
PLACE = "Quảng Trị"
ISSUED_ON = datetime.date(2021, 2, 22)
TITLE = "Tổ chức phong trào thi đua trong đoàn viên, CNVCLĐ và các cấp công đoàn năm 2021"
THEME = "Tận dụng cơ hội, vượt mọi khó khăn, nỗ lực phấn đấu, đưa nghị quyết của Đảng vào cuộc sống"
SIGNER = ("TM. BAN THƯỜNG VỤ", "PHÓ CHỦ TỊCH", "Nguyễn Thị Thu Hà")
# (name, launched by, kept by the confederation?) in the order the plan names them (2.2, 2.3).
MOVEMENTS = [
    ("Lao động giỏi, Lao động sáng tạo", "Tổng LĐLĐ Việt Nam", True),
    ("Giỏi việc nước, đảm việc nhà", "Tổng LĐLĐ Việt Nam", True),
    ("Xanh - Sạch - Đẹp, Bảo đảm ATVSLĐ", "Tổng LĐLĐ Việt Nam", True),
    ("Đổi mới, sáng tạo, hiệu quả trong hoạt động của tổ chức công đoàn", "Tổng LĐLĐ Việt Nam", True),
    ("Tham mưu giỏi, phục vụ tốt", "Tổng LĐLĐ Việt Nam", True),
    ("Cán bộ, công chức, viên chức nói không với tiêu cực", "Tổng LĐLĐ Việt Nam", True),
    ("Cả nước chung sức xây dựng nông thôn mới", "Thủ tướng Chính phủ", False),
    ("Cả nước chung tay vì người nghèo, không để ai bị bỏ lại phía sau", "Thủ tướng Chính phủ", False),
    ("Doanh nghiệp Việt Nam hội nhập và phát triển", "Thủ tướng Chính phủ", False),
    ("Cán bộ, công chức, viên chức thi đua thực hiện văn hoá công sở", "UBND tỉnh Quảng Trị", False),
]
PHASES = [
    ("Đợt 1", datetime.date(2021, 2, 22), datetime.date(2021, 6, 30)),
    ("Đợt 2", datetime.date(2021, 7, 1), datetime.date(2021, 12, 31)),
]
DUTY_PROVINCE_LABEL = "Liên đoàn Lao động tỉnh"
DUTY_UPPER_GRASSROOTS_LABEL = "Công đoàn cấp trên trực tiếp cơ sở và công đoàn cơ sở"
PILOT_TARGET = "ít nhất 01 mô hình điểm"
REGISTRATION_TARGET = "đăng ký thi đua"

PREAMBLE = "Năm 2021 là năm đầu tiên thực hiện Nghị quyết Đại hội Đảng toàn quốc lần thứ XIII, tổ chức bầu cử đại biểu Quốc hội khóa XV và Hội đồng nhân dân các cấp nhiệm kỳ 2021-2026, năm khởi đầu của kế hoạch phát triển kinh tế-xã hội giai đoạn 2021-2025. Phát huy những thành tích đã đạt được, tiếp tục tập trung nguồn lực, tích cực tham gia khắc phục khó khăn, thiệt hại do thiên tai, dịch bệnh gây ra; góp phần ổn định việc làm, không ngừng nâng cao đời sống cho đoàn viên, CNVCLĐ, thúc đẩy sản xuất, kinh doanh phát triển, xây dựng hệ thống chính trị vững mạnh, Ban Thường vụ LĐLĐ tỉnh xây dựng kế hoạch tổ chức phong trào thi đua yêu nước trong đoàn viên, CNVCLĐ và các cấp công đoàn tỉnh Quảng Trị năm 2021 với các nội dung cụ thể như sau:"
PURPOSES = [
    "Động viên cán bộ, đoàn viên, CNVCLĐ ra sức thi đua lao động giỏi, lao động sáng tạo, phấn đấu hoàn thành "
    "và hoàn thành vượt mức các mục tiêu, nhiệm vụ phát triển kinh tế xã hội năm 2021.",
    "Tiếp tục đổi mới, sáng tạo, nâng cao chất lượng, hiệu quả phong trào thi đua yêu nước trong đoàn viên, "
    "CNVCLĐ và hoạt động công đoàn. Kịp thời phát hiện, bồi dưỡng, tôn vinh, khen thưởng, tuyên truyền, nêu "
    "gương các điển hình tiên tiến tiêu biểu, các mô hình mới, cách làm hay nhằm nhân rộng, tạo sự lan tỏa "
    "trong các cơ quan, đơn vị, địa phương, ngành; chú trọng tổ chức phong trào thi đua ở khu vực doanh nghiệp "
    "ngoài nhà nước.",
    "Tổ chức phong trào thi đua yêu nước gắn với việc đại diện, chăm lo, bảo vệ quyền và lợi ích hợp pháp, "
    "chính đáng của đoàn viên, người lao động và triển khai thực hiện Nghị quyết Đại hội Đảng các cấp.",
]
CONTENTS = [
    {
        "number": "2.1",
        "text": "Vận động đoàn viên, CNVCLĐ ra sức thi đua phát huy sáng kiến, sáng tạo, cải tiến kỹ thuật, đổi "
        "mới quy trình làm việc, đẩy mạnh nghiên cứu, ứng dụng khoa học, công nghệ; thực hành tiết kiệm, "
        "chống lãng phí, cải cách hành chính; đồng hành cùng với doanh nghiệp vượt khó, thúc đẩy tăng năng "
        "suất lao động và hiệu quả công tác, đảm bảo việc làm, thu nhập cho người lao động, góp phần thực "
        "hiện tốt các nhiệm vụ được giao và chỉ tiêu kinh tế-xã hội của ngành, địa phương và tỉnh Quảng "
        "Trị.",
    },
    {
        "number": "2.2",
        "text": "Đẩy mạnh các phong trào thi đua, cuộc vận động do Tổng LĐLĐ Việt Nam phát động, trọng tâm là các "
        "phong trào: “Lao động giỏi, Lao động sáng tạo”; “Giỏi việc nước, đảm việc nhà”; “Xanh - Sạch - "
        "Đẹp, Bảo đảm ATVSLĐ”; “Đổi mới, sáng tạo, hiệu quả trong hoạt động của tổ chức công đoàn”; “Tham "
        "mưu giỏi, phục vụ tốt”, cuộc vận động “Cán bộ, công chức, viên chức nói không với tiêu cực” gắn "
        "với chủ đề hoạt động công đoàn năm 2021: “Nâng cao chất lượng đội ngũ cán bộ công đoàn cơ sở”.",
    },
    {
        "number": "2.3",
        "text": "Tiếp tục đẩy mạnh việc học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh; tích cực "
        "tham gia có hiệu quả các phong trào thi đua do Thủ tướng Chính phủ và UBND tỉnh phát động: “Cả "
        "nước chung sức xây dựng nông thôn mới”; “Cả nước chung tay vì người nghèo, không để ai bị bỏ lại "
        "phía sau”; “Doanh nghiệp Việt Nam hội nhập và phát triển”; “Cán bộ, công chức, viên chức thi đua "
        "thực hiện văn hoá công sở”...",
    },
    {
        "number": "2.4",
        "text": "Tập trung tổ chức triển khai thực hiện có hiệu quả nghị quyết đại hội đảng các cấp, Nghị quyết "
        "Đại hội Đảng bộ tỉnh lần thứ XVII, Nghị quyết Đại hội Đảng toàn quốc lần thứ XIII; phương hướng, "
        "nhiệm vụ trọng tâm của Đại hội Thi đua yêu nước toàn quốc lần thứ X và công tác thi đua, khen "
        "thưởng trong CNVCLĐ toàn quốc giai đoạn 2020 - 2025.",
    },
    {
        "number": "2.5",
        "text": "Nâng cao hiệu quả các hoạt động chăm lo lợi ích và phúc lợi cho đoàn viên, người lao động, quan "
        "tâm hỗ trợ kịp thời các trường hợp đoàn viên, CNVCLĐ có hoàn cảnh khó khăn, thiệt hại do thiên "
        "tai, dịch bệnh.",
    },
]
PHASE_1 = "Tuyên truyền, học tập quán triệt và xây dựng chương trình hành động của địa phương, ngành, cơ quan, đơn vị thực hiện nghị quyết đại hội đảng các cấp, Nghị quyết Đại hội Đảng bộ tỉnh lần thứ XVII, Nghị quyết Đại hội Đảng toàn quốc lần thứ XIII; tuyên truyền, quán triệt kết quả, phương hướng, nhiệm vụ của Đại hội Thi đua yêu nước toàn quốc lần thứ X-năm 2020."
PHASE_2 = "Quyết tâm, nỗ lực đưa nghị quyết đại hội đảng các cấp, Nghị quyết Đại hội Đảng bộ tỉnh lần thứ XVII và Nghị quyết Đại hội Đảng toàn quốc lần thứ XIII vào cuộc sống. Thi đua hoàn thành toàn diện và vượt mức kế hoạch, nhiệm vụ năm 2021."
DUTY_PROVINCE = [
    "Xây dựng kế hoạch, tổ chức triển khai phong trào thi đua trong các cấp công đoàn toàn tỉnh.",
    "Phối hợp với Ban Thi đua - Khen thưởng tỉnh tổ chức triển khai, tập huấn về công tác thi đua khen thưởng "
    "cho khu vực doanh nghiệp.",
    "Ban hành kế hoạch tổ chức biểu dương gia đình CNVCLĐ tiêu biểu giai đoạn 2016-2020 từ cấp cơ sở đến cấp "
    "LĐLĐ tỉnh nhân dịp kỷ niệm 20 năm Ngày gia đình Việt Nam (28/6/2001-28/6/2021).",
    "Chỉ đạo, hướng dẫn, hỗ trợ đoàn viên, CNVCLĐ hưởng ứng tham gia Hội thi Sáng tạo kỹ thuật tỉnh Quảng Trị "
    "lần thứ 9 (2020-2021).",
    "Tuyên truyền Nghị quyết Đại hội Đảng bộ tỉnh lần thứ XVII và Nghị quyết Đại hội Đảng toàn quốc lần thứ "
    "XIII; tuyên truyền về bầu cử Quốc hội khóa XV và Hội đồng nhân dân các cấp nhiệm kỳ 2021-2026 trên Trang "
    "thông tin điện tử, Facebook Công đoàn Quảng Trị.",
    "Tuyên truyền những kết quả đạt được của phong trào thi đua trong CNVCLĐ và các cấp công đoàn, các mô hình "
    "mới, cách làm hay, gương điển hình tiến.",
    "Tổ chức sơ kết, tổng kết việc thực hiện phong trào và báo cáo Tổng Liên đoàn.",
]
DUTY_UPPER_GRASSROOTS = [
    "Căn cứ nghị quyết đại hội đảng các cấp; kế hoạch tổ chức phong trào thi đua của LĐLĐ tỉnh và điều kiện "
    "thực tế của địa phương, ngành, đơn vị để báo cáo cấp ủy, chủ động phối hợp chuyên môn đồng cấp xây dựng "
    "chương trình, kế hoạch, đồng thời tổ chức phát động, ký kết giao ước, đăng ký thi đua; hướng dẫn triển "
    "khai phong trào thi đua đến các công đoàn cơ sở và toàn thể cán bộ, đoàn viên cấp mình với nội dung thiết "
    "thực, cụ thể và biện pháp thực hiện rõ ràng, có tính khả thi.",
    "Tiếp tục thực hiện hiệu quả nhiệm vụ phòng, chống dịch Covid-19, khắc phục hậu quả thiên tai, dịch bệnh; "
    "thúc đẩy năng suất lao động, hiệu quả công tác gắn với mục tiêu hoàn thành nhiệm vụ sản xuất kinh doanh, "
    "công tác cải cách hành chính và nâng cao hiệu lực quản lý nhà nước.",
    "Mỗi LĐLĐ huyện, thị xã, thành phố, công đoàn ngành, Công đoàn Viên chức tỉnh xây dựng được ít nhất 01 mô "
    "hình điểm về các phong trào thi đua trong CNVCLĐ và hoạt động công đoàn; có đề tài, giải pháp tham dự Hội "
    "thi Sáng tạo kỹ thuật tỉnh Quảng Trị lần thứ 9.",
    "Tổ chức sơ kết, tổng kết, biểu dương điển hình tiên tiến theo chỉ đạo của LĐLĐ tỉnh.",
]
CLOSING = "Trong quá trình tổ chức thực hiện, các cấp công đoàn thường xuyên thông tin, báo cáo kết quả tổ chức phong trào thi đua về LĐLĐ tỉnh (qua Ban Công tác cơ sở) để kịp thời tuyên truyền, biểu dương, làm cơ sở cho công tác khen thưởng./."
RECIPIENTS = [
    "- Tổng LĐLĐ Việt Nam (Ban CSKTXH và TĐKT);",
    "- Tỉnh ủy, UBND, UBMTTQVN tỉnh;",
    "- Ban Thi đua-Khen thưởng tỉnh;",
    "- Thường trực, các ban LĐLĐ tỉnh;",
    "- Các LĐLĐ huyện, thị xã, thành phố; công đoàn ngành, CĐVC tỉnh; công đoàn khối trực thuộc trung ương;",
    "- Lưu: VT, CTCS.",
]

# District federations that issue their own plans from the province's, and their numbers.
DERIVED = [
    ("QT.DH", "12/KH-LĐLĐ", datetime.date(2021, 3, 5), "Đông Hà"),
    ("QT.VL", "08/KH-LĐLĐ", datetime.date(2021, 3, 10), "Vĩnh Linh"),
    ("QT.GL", "05/KH-LĐLĐ", datetime.date(2021, 3, 12), "Gio Linh"),
]
CLUSTER_MEMBERS = ["QT.DH", "QT.TX", "QT.VL", "QT.GL"]  # Cụm thi đua số 1; QT.GL has not signed yet
PILOT_MODELS = [
    ("QT.DH", "Mô hình \u201cBữa cơm công đoàn\u201d tại doanh nghiệp", PilotModel.Status.COMPLETED, 0),
    ("QT.VL", "Mô hình \u201cNhà văn hóa công nhân\u201d khu công nghiệp", PilotModel.Status.IN_PROGRESS, 2),
    ("QT.GL", "Mô hình \u201cPhiên chợ nghĩa tình\u201d cho đoàn viên", PilotModel.Status.IN_PROGRESS, 7),
    ("QT.HH", "Mô hình \u201cCông đoàn cơ sở vững mạnh\u201d vùng biên giới", PilotModel.Status.PLANNED, 4),
]
MEMBER_TITLES = ["Lao động tiên tiến", "Chiến sĩ thi đua cơ sở", "Giỏi việc nước, đảm việc nhà"]
KEEP_FREE_CODE = "QT.DH.001"  # the cdcs.demo account's union registers by itself in the demo


def _at(date: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(date, datetime.time(9, 0)))


@transaction.atomic
def load_campaign_demo(*, province: Unit, officer: User) -> Plan:
    """The seed plan as an issued plan of `province` (Quảng Trị), and what its units did."""
    root = Unit.objects.get_first_root_node()
    movements = _movements(root=root, province=province)
    plan = _seed_plan(province=province, officer=officer, movements=movements)
    units = {u.code: u for u in Unit.objects.filter(tree.subtree_q(province, levels=1))}
    children = sorted((u for u in units.values() if u.depth == province.depth + 1), key=lambda u: u.code)
    PlanDelivery.objects.bulk_create(
        PlanDelivery(
            plan=plan,
            unit=u,
            opened_at=_at(ISSUED_ON + datetime.timedelta(days=1 + i % 5)) if i % 3 else None,
            opened_by=None,
        )
        for i, u in enumerate(children)
    )
    for code, number, date, place in DERIVED:
        _derived_plan(plan, units[code], number=number, date=date, place=place, officer=officer)
    _registrations(plan=plan, province=province, officer=officer, movements=movements)
    _covenant(plan=plan, province=province, units=units, officer=officer, movements=movements)
    for i, (code, name, status, movement) in enumerate(PILOT_MODELS):
        PilotModel.objects.create(
            plan=plan,
            unit=units[code],
            movement=movements[movement],
            name=name,
            description=f"Triển khai theo Kế hoạch năm {YEAR} của LĐLĐ tỉnh.",
            status=status,
            started_on=datetime.date(2021, 4, 1 + i),
            created_by=officer,
        )
    grassroots = Unit.objects.filter(tree.subtree_q(units["QT.DH"]), kind=UnitKind.GRASSROOTS).order_by(
        "code"
    )
    entry_unit = grassroots.exclude(code=KEEP_FREE_CODE).first() or units["QT.DH"]
    ContestEntry.objects.create(
        plan=plan,
        unit=entry_unit,
        title="Giải pháp tiết kiệm điện năng trong dây chuyền may",
        authors="Trần Văn Đức, Lê Thị Hoa",
        submitted_on=datetime.date(2021, 9, 15),
        created_by=officer,
    )
    return plan


def _movements(*, root: Unit, province: Unit) -> list[Movement]:
    out = []
    for name, launched_by, national in MOVEMENTS:
        movement, _ = Movement.objects.get_or_create(
            unit=root if national else province,
            name_folded=fold(name),
            defaults={"name": name, "launched_by": launched_by},
        )
        out.append(movement)
    return out


def _seed_plan(*, province: Unit, officer: User, movements: list[Movement]) -> Plan:
    authority, title, name = SIGNER
    plan = Plan.objects.create(
        unit=province,
        status=Plan.Status.ISSUED,
        year=YEAR,
        number="",
        place=PLACE,
        issued_on=ISSUED_ON,
        title=TITLE,
        preamble=PREAMBLE,
        purposes=PURPOSES,
        theme=THEME,
        contents=CONTENTS,
        closing=CLOSING,
        recipients=RECIPIENTS,
        signer_authority=authority,
        signer_title=title,
        signer_name=name,
        created_by=officer,
        issued_by=officer,
        issued_at=_at(ISSUED_ON),
    )
    PlanMovement.objects.bulk_create(
        PlanMovement(plan=plan, movement=m, position=i) for i, m in enumerate(movements, start=1)
    )
    _phases(plan, [PHASE_1, PHASE_2])
    Duty.objects.create(
        plan=plan, level=Duty.Level.ISSUER, level_label=DUTY_PROVINCE_LABEL, items=DUTY_PROVINCE, position=1
    )
    below = Duty.objects.create(
        plan=plan,
        level=Duty.Level.UPPER_AND_GRASSROOTS,
        level_label=DUTY_UPPER_GRASSROOTS_LABEL,
        items=DUTY_UPPER_GRASSROOTS,
        position=2,
    )
    _target(below, PILOT_TARGET, Target.Kind.PILOT_MODEL, UnitLevel.UPPER, position=1)
    _target(below, REGISTRATION_TARGET, Target.Kind.REGISTRATION, UnitLevel.GRASSROOTS, position=2)
    return plan


def _target(duty: Duty, text: str, kind: str, level: int, *, position: int) -> Target:
    """One counted target of a plan's duty: a single item each unit at `level` must produce."""
    return Target.objects.create(
        plan=duty.plan, duty=duty, text=text, kind=kind, count=1, unit_level=level, position=position
    )


def _phases(plan: Plan, purposes: list[str]) -> None:
    Phase.objects.bulk_create(
        Phase(plan=plan, name=name, start=start, end=end, purpose=purpose, position=i)
        for i, ((name, start, end), purpose) in enumerate(zip(PHASES, purposes, strict=True), start=1)
    )


def _derived_plan(
    parent: Plan, unit: Unit, *, number: str, date: datetime.date, place: str, officer: User
) -> Plan:
    """A district federation's own plan built from the province's (same theme, its own duties)."""
    plan = Plan.objects.create(
        unit=unit,
        parent_plan=parent,
        status=Plan.Status.ISSUED,
        year=YEAR,
        number=number,
        place=place,
        issued_on=date,
        title=TITLE.replace("các cấp công đoàn", "công đoàn cơ sở"),
        preamble=f"Thực hiện Kế hoạch ngày {ISSUED_ON:%d/%m/%Y} của Ban Thường vụ LĐLĐ tỉnh Quảng Trị, "
        f"Ban Thường vụ {unit.short_name or unit.name} xây dựng kế hoạch như sau:",
        purposes=PURPOSES[:2],
        theme=THEME,
        contents=CONTENTS[:3],
        closing=CLOSING.replace("LĐLĐ tỉnh", unit.short_name or unit.name),
        recipients=["- LĐLĐ tỉnh Quảng Trị (b/c);", "- Các công đoàn cơ sở trực thuộc;", "- Lưu: VT."],
        signer_authority="TM. BAN THƯỜNG VỤ",
        signer_title="CHỦ TỊCH",
        signer_name="",
        created_by=officer,
        issued_by=officer,
        issued_at=_at(date),
    )
    PlanMovement.objects.bulk_create(
        PlanMovement(plan=plan, movement=pm.movement, position=pm.position)
        for pm in parent.plan_movements.select_related("movement")[:6]
    )
    _phases(plan, [PHASE_1, PHASE_2])
    duty = Duty.objects.create(
        plan=plan,
        level=Duty.Level.GRASSROOTS,
        level_label="Công đoàn cơ sở",
        items=[DUTY_UPPER_GRASSROOTS[0], "Tổ chức đăng ký thi đua trước ngày 31/3/2021."],
        position=1,
    )
    _target(duty, REGISTRATION_TARGET, Target.Kind.REGISTRATION, UnitLevel.GRASSROOTS, position=1)
    return plan


def _registrations(*, plan: Plan, province: Unit, officer: User, movements: list[Movement]) -> None:
    """Submitted registrations for about a third of the grassroots unions of three districts."""
    target = plan.targets.get(kind=Target.Kind.REGISTRATION)
    candidates = (
        Unit.objects.filter(
            tree.subtree_q(province), kind=UnitKind.GRASSROOTS, code__regex=r"^QT\.(DH|VL|CL)\."
        )
        .exclude(code=KEEP_FREE_CODE)
        .order_by("code")
    )
    chosen = [u for i, u in enumerate(candidates) if i % 3 == 0]
    members = {}
    for m in Member.objects.filter(unit__in=chosen, status=MemberStatus.ACTIVE).order_by("unit_id", "id"):
        members.setdefault(m.unit_id, []).append(m)
    for i, unit in enumerate(chosen):
        submitted = datetime.date(2021, 3, 15) + datetime.timedelta(days=i % 20)
        registration = Registration.objects.create(
            plan=plan,
            unit=unit,
            status=Registration.Status.SUBMITTED,
            created_by=officer,
            submitted_by=officer,
            submitted_at=_at(submitted),
        )
        Pledge.objects.bulk_create(
            [
                Pledge(
                    registration=registration,
                    target=target,
                    text="Đăng ký thi đua đầy đủ, đúng thời hạn",
                    count=1,
                    position=1,
                ),
                Pledge(
                    registration=registration,
                    movement=movements[0],
                    text="Có sáng kiến, cải tiến kỹ thuật được công nhận",
                    count=1 + i % 3,
                    position=2,
                ),
                Pledge(
                    registration=registration,
                    movement=movements[1],
                    text="Đạt danh hiệu \u201cGiỏi việc nước, đảm việc nhà\u201d",
                    count=2 + i % 4,
                    position=3,
                ),
            ]
        )
        MemberPledge.objects.bulk_create(
            MemberPledge(
                registration=registration,
                member=m,
                title=MEMBER_TITLES[j % len(MEMBER_TITLES)],
                movement=movements[1] if j % len(MEMBER_TITLES) == 2 else None,
            )
            for j, m in enumerate(members.get(unit.pk, [])[:4])
        )


def _covenant(*, plan: Plan, province: Unit, units: dict, officer: User, movements: list[Movement]) -> None:
    cluster = Cluster.objects.create(unit=province, name="Cụm thi đua số 1", kind=Cluster.Kind.CLUSTER)
    ClusterMember.objects.bulk_create(
        ClusterMember(cluster=cluster, unit=units[code], joined_on=datetime.date(2020, 1, 1))
        for code in CLUSTER_MEMBERS
    )
    ClusterHead.objects.create(cluster=cluster, year=YEAR - 1, unit=units["QT.TX"])
    ClusterHead.objects.create(cluster=cluster, year=YEAR, unit=units["QT.DH"])
    covenant = Covenant.objects.create(
        cluster=cluster,
        plan=plan,
        year=YEAR,
        title=f"Giao ước thi đua năm {YEAR} của Cụm thi đua số 1",
        place="Đông Hà",
        signed_on=datetime.date(2021, 3, 20),
        status=Covenant.Status.OPEN,
        created_by=officer,
    )
    pilot = plan.targets.get(kind=Target.Kind.PILOT_MODEL)
    registration = plan.targets.get(kind=Target.Kind.REGISTRATION)
    CovenantClause.objects.bulk_create(
        [
            CovenantClause(
                covenant=covenant,
                target=pilot,
                position=1,
                text="Mỗi đơn vị xây dựng được ít nhất 01 mô hình điểm về các phong trào thi đua.",
            ),
            CovenantClause(
                covenant=covenant,
                target=registration,
                position=2,
                text="100% công đoàn cơ sở trực thuộc đăng ký thi đua trước ngày 31/3/2021.",
            ),
            CovenantClause(
                covenant=covenant,
                movement=movements[0],
                position=3,
                text="Đẩy mạnh phong trào \u201cLao động giỏi, Lao động sáng tạo\u201d; có đề tài, giải pháp "
                "tham dự Hội thi Sáng tạo kỹ thuật tỉnh.",
            ),
            CovenantClause(
                covenant=covenant,
                movement=movements[2],
                position=4,
                text="Thực hiện tốt phong trào \u201cXanh - Sạch - Đẹp, Bảo đảm ATVSLĐ\u201d.",
            ),
        ]
    )
    for code, name in [("QT.DH", "Hoàng Văn Nam"), ("QT.TX", "Phan Thị Hương"), ("QT.VL", "Lê Quang Huy")]:
        CovenantSignature.objects.create(
            covenant=covenant,
            unit=units[code],
            signer_name=name,
            signer_title="Chủ tịch",
            recorded_by=officer,
        )


# Launch ceremonies (lễ phát động): the province's for the seed plan, and Đông Hà's for its own plan.
LAUNCHES = [
    (
        None,
        datetime.date(2021, 3, 5),
        "Hội trường LĐLĐ tỉnh Quảng Trị",
        250,
        "Lễ phát động phong trào thi đua năm 2021 trong đoàn viên, CNVCLĐ và các cấp công đoàn tỉnh; "
        "các LĐLĐ huyện, thị xã, thành phố và công đoàn ngành ký kết giao ước thi đua.",
    ),
    (
        "QT.DH",
        datetime.date(2021, 3, 12),
        "Hội trường LĐLĐ thành phố Đông Hà",
        120,
        "Phát động thi đua năm 2021 đến các công đoàn cơ sở trực thuộc; đăng ký thi đua trước ngày 31/3/2021.",
    ),
]


@transaction.atomic
def load_launch_demo(*, plan: Plan, officer: User) -> None:
    """Launch events for the seed plan and for a district's plan derived from it."""
    for code, held_on, place, participants, description in LAUNCHES:
        target = plan if code is None else Plan.objects.get(parent_plan=plan, unit__code=code)
        launch_create(
            plan=target,
            unit=target.unit,
            held_on=held_on,
            place=place,
            participants=participants,
            description=description,
            created_by=officer,
        )
