"""Campaign papers as `OfficialDoc`: a plan, a unit's registration, a cluster's covenant.

The text of these papers is Vietnamese by law (Decree 30), so it is written here as such,
not translated. Each mapper reads its related rows in a fixed number of queries."""

from django.db.models import Prefetch

from campaigns.models import (
    ClusterHead,
    ClusterMember,
    Covenant,
    CovenantSignature,
    Duty,
    MemberPledge,
    Plan,
    Registration,
)
from documents.official import Block, OfficialDoc, Signer, number_line, place_date
from org.models import Unit, UnitKind

BOARD_AUTHORITIES = {"BAN THƯỜNG VỤ", "BAN CHẤP HÀNH"}


def unit_heading_name(unit: Unit) -> str:
    """'LĐLĐ TỈNH QUẢNG TRỊ': the short name when there is one, in capitals."""
    return (unit.short_name or unit.name).upper()


def issuing_bodies(unit: Unit, *, authority: str = "") -> tuple[str, str]:
    """(parent body, issuing body) for the left header.

    A paper signed on behalf of a board ("TM. BAN THƯỜNG VỤ") is issued by that board of the
    unit; otherwise the unit issues it under its parent (the confederation is under no one)."""
    board = authority.upper().removeprefix("TM.").strip()
    if board in BOARD_AUTHORITIES:
        return unit_heading_name(unit), board
    if unit.kind == UnitKind.CONFEDERATION or unit.is_root():
        return "CÔNG ĐOÀN VIỆT NAM", unit_heading_name(unit)
    return unit_heading_name(unit.get_parent()), unit_heading_name(unit)


def _plan_reference(plan: Plan) -> str:
    number = f" số {plan.number}" if plan.number else ""
    dated = ""
    if plan.issued_on:
        dated = f" ngày {plan.issued_on:%d/%m/%Y}"
    return f"Kế hoạch{number}{dated} của {plan.unit.name} về {plan.title[:1].lower()}{plan.title[1:]}"


def plan_stem(plan: Plan) -> str:
    """The file name (without extension) a plan's paper is downloaded under."""
    number = plan.number.replace("/", "-") if plan.number else str(plan.pk)
    return f"Kế hoạch thi đua {plan.year} {number}"


def plan_paper(plan: Plan) -> OfficialDoc:
    """The plan in the order of the seed: opening, I. purposes, II. contents, III. phases,
    IV. duties and targets, closing."""
    plan = (
        Plan.objects.select_related("unit")
        .prefetch_related(
            "phases",
            "plan_movements__movement",
            Prefetch("duties", queryset=Duty.objects.prefetch_related("targets")),
        )
        .get(pk=plan.pk)
    )
    blocks: list[Block] = []
    if plan.preamble:
        blocks += [Block("paragraph", p) for p in _paragraphs(plan.preamble)]
    roman = iter(["I", "II", "III", "IV", "V", "VI", "VII"])
    if plan.purposes:
        blocks.append(Block("heading", f"{next(roman)}. MỤC ĐÍCH, YÊU CẦU"))
        blocks += [Block("paragraph", f"{i}. {text}") for i, text in enumerate(plan.purposes, start=1)]
    # Movements the content items already name (as the seed's 2.2 and 2.3 do) are not repeated.
    named = " ".join(item.get("text", "") for item in plan.contents)
    movements = [pm.movement.name for pm in plan.plan_movements.all() if pm.movement.name not in named]
    if plan.theme or plan.contents or movements:
        blocks.append(Block("heading", f"{next(roman)}. NỘI DUNG THI ĐUA"))
        n = 0
        if plan.theme:
            n += 1
            blocks.append(Block("paragraph", f"{n}. Chủ đề thi đua:", bold=True))
            blocks.append(Block("paragraph", f"\u201c{plan.theme}\u201d.", bold=True, italic=True))
        if plan.contents:
            n += 1
            blocks.append(Block("paragraph", f"{n}. Nội dung thi đua:", bold=True))
            for item in plan.contents:
                number = item.get("number", "")
                blocks.append(
                    Block("paragraph", f"{number}. {item.get('text', '')}" if number else item["text"])
                )
        if movements:
            n += 1
            blocks.append(Block("paragraph", f"{n}. Các phong trào thi đua, cuộc vận động:", bold=True))
            blocks += [Block("item", f"\u201c{name}\u201d.") for name in movements]
    phases = list(plan.phases.all())
    if phases:
        blocks.append(Block("heading", f"{next(roman)}. THỜI GIAN VÀ MỐC CÁC ĐỢT THI ĐUA"))
        blocks.append(
            Block(
                "paragraph",
                f"Phong trào thi đua năm {plan.year} được tổ chức thành {len(phases)} đợt như sau:",
            )
        )
        for phase in phases:
            purpose = f": {phase.purpose}" if phase.purpose else "."
            blocks.append(
                Block(
                    "paragraph",
                    f"{phase.name}: Từ ngày {phase.start:%d/%m/%Y} đến {phase.end:%d/%m/%Y}{purpose}",
                )
            )
    duties = list(plan.duties.all())
    if duties:
        blocks.append(Block("heading", f"{next(roman)}. TỔ CHỨC THỰC HIỆN"))
        for i, duty in enumerate(duties, start=1):
            label = duty.level_label or duty.get_level_display()
            blocks.append(Block("paragraph", f"{i}. {label}", bold=True))
            blocks += [Block("item", item) for item in duty.items]
            for target in duty.targets.all():
                if not any(target.text in item for item in duty.items):
                    blocks.append(Block("item", f"Chỉ tiêu: {target.text} (tối thiểu {target.count:02d})."))
    if plan.reporting:
        blocks += [Block("paragraph", p) for p in _paragraphs(plan.reporting)]
    if plan.closing:
        blocks += [Block("paragraph", p) for p in _paragraphs(plan.closing)]
    parent, issuer = issuing_bodies(plan.unit, authority=plan.signer_authority)
    return OfficialDoc(
        parent_body=parent,
        issuing_body=issuer,
        number=number_line(plan.number, placeholder="/KH"),
        place_date=place_date(plan.place, plan.issued_on),
        kind="KẾ HOẠCH",
        title=plan.title,
        blocks=blocks,
        recipients=list(plan.recipients),
        signer=Signer(plan.signer_authority, plan.signer_title, plan.signer_name),
    )


def registration_paper(registration: Registration) -> OfficialDoc:
    """A unit's registration: its collective pledges, then its members' pledges as a table."""
    registration = (
        Registration.objects.select_related("unit", "plan__unit", "submitted_by")
        .prefetch_related(
            "pledges__movement",
            Prefetch(
                "member_pledges",
                queryset=MemberPledge.objects.select_related("member", "movement").order_by(
                    "member__name_folded", "member_id", "id"
                ),
            ),
        )
        .get(pk=registration.pk)
    )
    plan, unit = registration.plan, registration.unit
    blocks = [
        Block("paragraph", f"Căn cứ {_plan_reference(plan)};"),
        Block("paragraph", f"{unit.name} đăng ký thi đua năm {plan.year} như sau:"),
        Block("heading", "I. ĐĂNG KÝ TẬP THỂ"),
    ]
    pledges = list(registration.pledges.all())
    for i, pledge in enumerate(pledges, start=1):
        count = f" (số lượng: {pledge.count})" if pledge.count is not None else ""
        movement = f" – phong trào \u201c{pledge.movement.name}\u201d" if pledge.movement else ""
        blocks.append(Block("paragraph", f"{i}. {pledge.text}{count}{movement}."))
    if not pledges:
        blocks.append(Block("paragraph", "(Chưa có nội dung đăng ký tập thể.)", italic=True))
    blocks.append(Block("heading", "II. ĐĂNG KÝ CÁ NHÂN"))
    rows = [["STT", "Họ và tên", "Danh hiệu đăng ký", "Phong trào", "Ghi chú"]]
    for i, mp in enumerate(registration.member_pledges.all(), start=1):
        rows.append([str(i), mp.member.full_name, mp.title, mp.movement.name if mp.movement else "", mp.note])
    if len(rows) > 1:
        blocks.append(Block("table", rows=rows))
    else:
        blocks.append(Block("paragraph", "(Chưa có đăng ký cá nhân.)", italic=True))
    if registration.note:
        blocks += [Block("paragraph", p) for p in _paragraphs(registration.note)]
    date = registration.submitted_at.date() if registration.submitted_at else None
    parent, issuer = issuing_bodies(unit)
    return OfficialDoc(
        parent_body=parent,
        issuing_body=issuer,
        number=number_line("", placeholder="/ĐK"),
        place_date=place_date(plan.place, date),
        kind=f"BẢN ĐĂNG KÝ THI ĐUA NĂM {plan.year}",
        title=f"Thực hiện {plan.title[:1].lower()}{plan.title[1:]}",
        blocks=blocks,
        recipients=[f"- {plan.unit.short_name or plan.unit.name} (để báo cáo);", "- Lưu: VT."],
        signer=Signer("TM. BAN CHẤP HÀNH", "CHỦ TỊCH", ""),
    )


def covenant_paper(covenant: Covenant) -> OfficialDoc:
    """A cluster's covenant: its clauses, who signed and who has not signed yet."""
    covenant = (
        Covenant.objects.select_related("cluster__unit", "plan__unit")
        .prefetch_related(
            "clauses",
            Prefetch(
                "signatures", queryset=CovenantSignature.objects.select_related("unit").order_by("signed_at")
            ),
        )
        .get(pk=covenant.pk)
    )
    cluster, plan = covenant.cluster, covenant.plan
    members = [
        m.unit
        for m in ClusterMember.objects.filter(cluster=cluster, left_on__isnull=True)
        .select_related("unit")
        .order_by("unit__name")
    ]
    head = ClusterHead.objects.filter(cluster=cluster, year=covenant.year).select_related("unit").first()
    signatures = list(covenant.signatures.all())
    signed_ids = {s.unit_id for s in signatures}
    blocks = [
        Block("paragraph", f"Căn cứ {_plan_reference(plan)};"),
        Block(
            "paragraph",
            f"Các đơn vị thuộc {cluster.name} thống nhất ký kết giao ước thi đua năm "
            f"{covenant.year} với các nội dung sau:",
        ),
        Block("heading", "I. NỘI DUNG GIAO ƯỚC"),
    ]
    blocks += [Block("paragraph", f"{i}. {c.text}") for i, c in enumerate(covenant.clauses.all(), start=1)]
    blocks.append(Block("heading", "II. CÁC ĐƠN VỊ KÝ GIAO ƯỚC"))
    rows = [["STT", "Đơn vị", "Người ký", "Chức vụ", "Ngày ký"]]
    for i, s in enumerate(signatures, start=1):
        rows.append([str(i), s.unit.name, s.signer_name, s.signer_title, f"{s.signed_at:%d/%m/%Y}"])
    if len(rows) > 1:
        blocks.append(Block("table", rows=rows))
    not_signed = [u.name for u in members if u.pk not in signed_ids]
    if not_signed:
        blocks.append(Block("paragraph", "Đơn vị chưa ký:", bold=True))
        blocks += [Block("item", name) for name in not_signed]
    else:
        blocks.append(Block("paragraph", "Tất cả các đơn vị trong cụm đã ký giao ước.", italic=True))
    parent = unit_heading_name(cluster.unit)
    return OfficialDoc(
        parent_body=parent,
        issuing_body=cluster.name.upper(),
        number=number_line("", placeholder="/GƯ"),
        place_date=place_date(covenant.place, covenant.signed_on),
        kind="GIAO ƯỚC THI ĐUA",
        title=covenant.title,
        blocks=blocks,
        recipients=[
            f"- {cluster.unit.short_name or cluster.unit.name} (để báo cáo);",
            "- Các đơn vị trong cụm;",
            "- Lưu: VT.",
        ],
        signer=Signer("TM. CỤM THI ĐUA", "ĐƠN VỊ CỤM TRƯỞNG", head.unit.name if head else ""),
    )


def _paragraphs(text: str) -> list[str]:
    return [p.strip() for p in text.replace("\r\n", "\n").split("\n") if p.strip()]
