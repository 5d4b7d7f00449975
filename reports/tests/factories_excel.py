"""A published form with one indicator of each kind, a request to Đông Hà's two grassroots
unions, and a plan with content items, a movement and pilot models (direct model rows)."""

import datetime

from campaigns.models import Movement, PilotModel, Plan, PlanMovement
from lib.testing import BaseTestCase
from lib.text import fold
from reports.models import (
    FormRule,
    FormVersion,
    Indicator,
    ReportForm,
    ReportRequest,
    RequestRecipient,
    Section,
)


def make_plan(unit, *, year: int = 2021) -> Plan:
    plan = Plan.objects.create(
        unit=unit,
        status=Plan.Status.ISSUED,
        year=year,
        number="15/KH-LĐLĐ",
        place="Đông Hà",
        issued_on=datetime.date(year, 2, 22),
        title=f"Kế hoạch tổ chức phong trào thi đua năm {year}",
        contents=[
            {"number": "2.1", "text": "Đẩy mạnh phong trào Lao động giỏi, Lao động sáng tạo."},
            {"number": "2.2", "text": "Chăm lo đời sống đoàn viên khó khăn."},
        ],
    )
    name = "Xanh - Sạch - Đẹp, bảo đảm an toàn vệ sinh lao động"
    movement = Movement.objects.create(unit=unit, name=name, name_folded=fold(name))
    PlanMovement.objects.create(plan=plan, movement=movement, position=1)
    return plan


def make_form(unit, *, plan: Plan | None = None, code: str = "SK1") -> FormVersion:
    form = ReportForm.objects.create(
        unit=unit, code=code, name="Kết quả phong trào thi đua", plan=plan, year=2021
    )
    version = FormVersion.objects.create(form=form, number=1, status=FormVersion.Status.PUBLISHED)
    s1 = Section.objects.create(version=version, title="Phong trào thi đua", position=1)
    s2 = Section.objects.create(version=version, title="Chăm lo đoàn viên", position=2)
    spec = [
        (s1, "registered", "Số đoàn viên đăng ký thi đua", "integer", "người", {"required": True}),
        (s1, "pilot_models", "Số mô hình điểm", "integer", "mô hình", {}),
        (s1, "initiative_value", "Giá trị làm lợi của sáng kiến", "money", "đồng", {}),
        (s1, "rate", "Tỷ lệ đoàn viên tham gia", "percent", "%", {"rollup": "max"}),
        (s1, "has_club", "Có câu lạc bộ sáng tạo", "boolean", "", {"rollup": "count_yes"}),
        (s2, "helped", "Số đoàn viên được hỗ trợ", "integer", "người", {"max_value": 499}),
        (s2, "helped_amount", "Số tiền hỗ trợ", "money", "đồng", {}),
        (s2, "total", "Tổng số lượt", "integer", "lượt", {"formula": "registered + helped"}),
        (s2, "note", "Ghi chú", "text", "", {"rollup": "none"}),
    ]
    for i, (section, code_, label, kind, uom, extra) in enumerate(spec):
        Indicator.objects.create(
            version=version,
            section=section,
            code=code_,
            label=label,
            kind=kind,
            unit_of_measure=uom,
            position=i,
            **extra,
        )
    FormRule.objects.create(
        version=version,
        expression="pilot_models <= registered",
        message="Pilot models cannot exceed registrations.",
    )
    return version


def make_request(
    version: FormVersion, unit, recipients, *, period: str = "Sơ kết đợt 1 năm 2021"
) -> ReportRequest:
    request = ReportRequest.objects.create(
        version=version,
        unit=unit,
        title="Báo cáo sơ kết đợt 1",
        period=period,
        due_on=datetime.date(2021, 7, 15),
    )
    for r in recipients:
        RequestRecipient.objects.create(request=request, unit=r)
    return request


def make_pilot(plan: Plan, unit, name: str) -> PilotModel:
    movement = plan.plan_movements.first().movement
    return PilotModel.objects.create(
        plan=plan, unit=unit, movement=movement, name=name, status=PilotModel.Status.COMPLETED
    )


class DongHaRequestTestCase(BaseTestCase):
    """Đông Hà's plan, a form of it and a request to its two grassroots unions: the stage of the
    Excel round-trip and review-paper tests."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.plan = make_plan(cls.dongha)
        cls.version = make_form(cls.dongha, plan=cls.plan)
        cls.req = make_request(cls.version, cls.dongha, [cls.school, cls.factory])
