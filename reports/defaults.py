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
