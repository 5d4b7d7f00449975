"""The default report forms for the seed's phases (sơ kết đợt 1, tổng kết năm)."""

from __future__ import annotations

from lib.text import fold
from reports.models import FormVersion, ReportForm
from reports.services.forms import form_create, form_publish, form_version_save

SECTIONS = [
    {"title": "I. Tổ chức phong trào thi đua"},
    {"title": "II. Kết quả các phong trào"},
    {"title": "III. Chăm lo đời sống đoàn viên"},
    {"title": "IV. Đánh giá chung"},
]


def _ind(section, code, label, kind="integer", uom="", rollup="sum", **extra) -> dict:
    return {
        "section": section,
        "code": code,
        "label": label,
        "kind": kind,
        "unit_of_measure": uom,
        "rollup": rollup,
        **extra,
    }


INDICATORS = [
    _ind(1, "units_registered", "Số CĐCS đã đăng ký thi đua", uom="đơn vị"),
    _ind(1, "members_registered", "Số đoàn viên đăng ký thi đua", uom="người", at_most_members=True),
    _ind(
        1,
        "participation_rate",
        "Tỷ lệ đoàn viên tham gia phong trào",
        kind="percent",
        uom="%",
        rollup="weighted_avg",
    ),
    _ind(1, "review_held", "Đã tổ chức sơ kết", kind="boolean", rollup="count_yes"),
    _ind(2, "pilot_models", "Số mô hình điểm đã xây dựng", uom="mô hình"),
    _ind(2, "good_practices", "Số cách làm hay, điển hình tiên tiến", uom="cách làm"),
    _ind(2, "initiatives", "Số sáng kiến, cải tiến kỹ thuật", uom="sáng kiến"),
    _ind(2, "initiative_value", "Giá trị làm lợi từ sáng kiến", kind="money", uom="đồng"),
    _ind(2, "contest_entries", "Số lượt tham gia hội thi", uom="lượt"),
    _ind(
        3,
        "helped_members",
        "Số đoàn viên có hoàn cảnh khó khăn được hỗ trợ",
        uom="người",
        at_most_members=True,
    ),
    _ind(3, "helped_women", "Trong đó: nữ", uom="người"),
    _ind(3, "support_amount", "Số tiền hỗ trợ", kind="money", uom="đồng"),
    _ind(
        3,
        "support_per_person",
        "Bình quân hỗ trợ mỗi người",
        kind="money",
        uom="đồng",
        rollup="none",
        formula="support_amount / helped_members",
    ),
    _ind(3, "exemplary_families", "Số gia đình công nhân viên chức lao động tiêu biểu", uom="gia đình"),
    _ind(4, "assessment", "Đánh giá chung", kind="text", rollup="none"),
]

# What each default figure reports on in the seed's plan: (content item, movement name). Set only
# when the form has a plan that has that item / movement.
GOOD_WORKER = "Lao động giỏi, Lao động sáng tạo"
LINKS = {
    "initiatives": ("2.1", ""),
    "initiative_value": ("2.1", ""),
    "units_registered": ("2.2", GOOD_WORKER),
    "members_registered": ("2.2", GOOD_WORKER),
    "pilot_models": ("2.2", GOOD_WORKER),
    "helped_members": ("2.5", ""),
    "support_amount": ("2.5", ""),
}


def linked_indicators(plan) -> list[dict]:
    """INDICATORS with their plan content item and movement, for a form made under `plan`."""
    if plan is None:
        return INDICATORS
    items = {str(c.get("number", "")).strip().rstrip(".") for c in plan.contents or []}
    movements = {fold(pm.movement.name): pm.movement for pm in plan.plan_movements.select_related("movement")}
    out = []
    for ind in INDICATORS:
        number, movement = LINKS.get(ind["code"], ("", ""))
        out.append(
            {
                **ind,
                "content_number": number if number in items else "",
                "movement": movements.get(fold(movement)) if movement else None,
            }
        )
    return out


RULES = [
    {
        "expression": "helped_women <= helped_members",
        "message": "Số nữ được hỗ trợ không được lớn hơn tổng số đoàn viên được hỗ trợ.",
    },
    {
        "expression": "units_registered >= 0 and members_registered >= 0",
        "message": "Số liệu đăng ký không được âm.",
    },
]

FORMS = [
    ("SK-DOT1", "Báo cáo sơ kết phong trào thi đua đợt 1"),
    ("TK-NAM", "Báo cáo tổng kết phong trào thi đua năm"),
]


def load_default_forms(*, unit, by=None, year: int | None = None, plan=None) -> list[FormVersion]:
    """Create and publish the default forms for `unit` (skips codes it already has)."""
    phases = list(plan.phases.order_by("position", "id")) if plan is not None else []
    out = []
    for i, (code, name) in enumerate(FORMS):
        existing = ReportForm.objects.filter(unit=unit, code=code).first()
        if existing:
            out.append(existing.versions.order_by("-number").first())
            continue
        form = form_create(
            unit=unit,
            code=code,
            name=name,
            by=by,
            year=year,
            plan=plan,
            phase=phases[0] if phases and i == 0 else None,
            description="Mẫu báo cáo mặc định theo kế hoạch thi đua.",
        )
        version = form.versions.get()
        form_version_save(
            version=version, sections=SECTIONS, indicators=linked_indicators(plan), rules=RULES, by=by
        )
        out.append(form_publish(version=version, by=by))
    return out


def load_report_demo(*, province, officer, plan=None) -> None:
    """Default forms for the province, a request to its grassroots unions, and a few reports."""
    import datetime

    from accounts.models import User
    from org.models import UnitLevel
    from reports.services.reports import report_get_or_create, report_review, report_save
    from reports.services.requests import request_create

    versions = load_default_forms(unit=province, by=officer, year=2021, plan=plan)
    req = request_create(
        version=versions[0],
        unit=province,
        title="Báo cáo sơ kết phong trào thi đua đợt 1 năm 2021",
        period="Sơ kết đợt 1 năm 2021",
        unit_level=UnitLevel.GRASSROOTS,
        due_on=datetime.date(2021, 7, 15),
        by=officer,
    )
    demo_user = User.objects.filter(username="cdcs.demo").first()
    skip = {demo_user.unit_id} if demo_user else set()
    units = [r.unit for r in req.recipient_rows.select_related("unit").order_by("unit__code")[:12]]
    for i, unit in enumerate(u for u in units if u.pk not in skip):
        if i >= 6:
            break
        report = report_get_or_create(request=req, unit=unit)
        raw = {
            "units_registered": "1",
            "members_registered": str(min(unit.member_count, 20 + i)),
            "participation_rate": str(80 + i),
            "review_held": "co" if i % 2 == 0 else "khong",
            "pilot_models": str(i % 3),
            "good_practices": str(1 + i % 2),
            "initiatives": str(i),
            "initiative_value": str(5_000_000 * i),
            "contest_entries": str(3 + i),
            "helped_members": str(min(unit.member_count, 2)),
            "helped_women": str(min(unit.member_count, 1)),
            "support_amount": str(1_000_000 * min(unit.member_count, 2)),
            "exemplary_families": str(i % 2),
            "assessment": "Đơn vị triển khai phong trào nghiêm túc, đạt kết quả tốt.",
        }
        report_save(report=report, raw=raw, by=officer, submit=True)
        if i < 3:
            report_review(report=report, accept=True, comment="", by=officer)


SCORING_TABLE = "Bảng chấm điểm thi đua cụm các LĐLĐ huyện năm 2021"
SCORING_CLUSTER = "Cụm thi đua số 1"
# (code, label, max points, method, rule)
CRITERIA = [
    ("phat-dong", "Tổ chức phát động, đăng ký thi đua", 20, "manual", {}),
    ("tuyen-truyen", "Công tác tuyên truyền", 15, "manual", {}),
    (
        "mo-hinh-diem",
        "Xây dựng được ít nhất 01 mô hình điểm",
        15,
        "threshold",
        {"indicator": "pilot_models", "at_least": 1, "points": 15},
    ),
    (
        "sang-kien",
        "Sáng kiến, cải tiến kỹ thuật (2 điểm mỗi sáng kiến)",
        20,
        "proportional",
        {"indicator": "initiatives", "points_each": 2},
    ),
    ("cham-lo", "Chăm lo đời sống, bảo vệ quyền lợi đoàn viên", 30, "manual", {}),
]
# Each cluster member's year report (pilot models, initiatives) and self-assessed manual points.
SCORING_UNITS = {
    "QT.DH": (1, 9, {"phat-dong": 19, "tuyen-truyen": 14, "cham-lo": 28}),
    "QT.TX": (1, 6, {"phat-dong": 18, "tuyen-truyen": 13, "cham-lo": 27}),
    "QT.VL": (1, 7, {"phat-dong": 18, "tuyen-truyen": 14, "cham-lo": 25}),
    "QT.GL": (0, 4, {"phat-dong": 16, "tuyen-truyen": 12, "cham-lo": 24}),
}
EVIDENCE = {
    "phat-dong": "Kế hoạch và biên bản lễ phát động thi đua năm 2021; 100% CĐCS đăng ký thi đua.",
    "tuyen-truyen": "Tin, bài trên Trang thông tin điện tử và Facebook Công đoàn Quảng Trị.",
    "mo-hinh-diem": "Theo báo cáo tổng kết năm 2021.",
    "sang-kien": "Theo báo cáo tổng kết năm 2021.",
    "cham-lo": "Báo cáo chăm lo Tết, hỗ trợ đoàn viên khó khăn do dịch Covid-19.",
}
REVIEW = ("QT.TX", "tuyen-truyen", 11, "Chưa có tin, bài trên báo, đài của tỉnh; trừ 2 điểm.")


def load_scoring_demo(*, province, officer) -> None:
    """The province's published scoring table for its demo cluster, each member's year report and
    score sheet for 2021 (self-assessed, submitted) and one reviewer's change with its reason."""
    import datetime
    from decimal import Decimal

    from campaigns.models import Cluster, ClusterMember
    from reports.services.reports import report_get_or_create, report_save
    from reports.services.requests import request_create
    from reports.services.scoring import (
        score_change,
        scoring_table_create,
        scoring_table_publish,
        scoring_table_update,
        sheet_get_or_create,
        sheet_self_assess,
        sheet_submit,
    )

    cluster = Cluster.objects.get(unit=province, name=SCORING_CLUSTER)
    members = {
        m.unit.code: m.unit
        for m in ClusterMember.objects.filter(cluster=cluster, left_on__isnull=True).select_related("unit")
    }
    year_form = ReportForm.objects.get(unit=province, code="TK-NAM")
    version = year_form.versions.get(status=FormVersion.Status.PUBLISHED)
    req = request_create(
        version=version,
        unit=province,
        title="Báo cáo tổng kết phong trào thi đua năm 2021 của Cụm thi đua số 1",
        period="Tổng kết năm 2021",
        unit_ids=[u.pk for u in members.values()],
        due_on=datetime.date(2021, 12, 15),
        by=officer,
    )
    for code, unit in sorted(members.items()):
        pilots, initiatives, _manual = SCORING_UNITS[code]
        report_save(
            report=report_get_or_create(request=req, unit=unit),
            raw={
                "units_registered": "12",
                "members_registered": str(min(unit.member_count, 150)),
                "participation_rate": "92",
                "review_held": "co",
                "pilot_models": str(pilots),
                "good_practices": "3",
                "initiatives": str(initiatives),
                "initiative_value": str(20_000_000 * initiatives),
                "contest_entries": "5",
                "helped_members": str(min(unit.member_count, 6)),
                "helped_women": str(min(unit.member_count, 3)),
                "support_amount": str(1_500_000 * min(unit.member_count, 6)),
                "exemplary_families": "2",
                "assessment": "Hoàn thành tốt các chỉ tiêu thi đua năm 2021.",
            },
            by=officer,
            submit=True,
        )
    table = scoring_table_create(
        unit=province,
        name=SCORING_TABLE,
        effective_from=datetime.date(2021, 1, 1),
        clusters=[cluster],
        form_version=version,
        tie_break="first_criterion",
        by=officer,
    )
    scoring_table_update(
        table=table,
        name=SCORING_TABLE,
        effective_from=table.effective_from,
        clusters=[cluster],
        form_version=version,
        tie_break=table.tie_break,
        criteria=[
            {"code": c, "label": label, "max_points": Decimal(mx), "method": method, "rule": rule}
            for c, label, mx, method, rule in CRITERIA
        ],
        by=officer,
    )
    table = scoring_table_publish(table=table, by=officer)
    criteria = {c.code: c for c in table.criteria.all()}
    for code, unit in sorted(members.items()):
        manual = SCORING_UNITS[code][2]
        sheet = sheet_get_or_create(table=table, unit=unit, year=2021, cluster=cluster)
        entries = {
            criterion.pk: (Decimal(manual[c]) if c in manual else None, EVIDENCE[c])
            for c, criterion in criteria.items()
        }
        sheet_self_assess(sheet=sheet, entries=entries, by=officer)
        sheet_submit(sheet=sheet, by=officer)
        if code == REVIEW[0]:
            score = sheet.scores.get(criterion=criteria[REVIEW[1]])
            score_change(score=score, new_points=Decimal(REVIEW[2]), reason=REVIEW[3], by=officer)
