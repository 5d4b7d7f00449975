"""Test data for registration and covenant tests: an issued Quảng Trị plan built from model rows."""

import datetime

from accounts.models import Role
from campaigns.models import Duty, Movement, Phase, Plan, PlanMovement, Target
from lib.testing import BaseTestCase, make_user
from org.models import UnitLevel


class PlanTestCase(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.mv_good = Movement.objects.create(
            unit=cls.quangtri,
            name="Lao động giỏi, Lao động sáng tạo",
            name_folded="lao dong gioi lao dong sang tao",
        )
        cls.mv_home = Movement.objects.create(
            unit=cls.quangtri, name="Giỏi việc nước, đảm việc nhà", name_folded="gioi viec nuoc dam viec nha"
        )
        cls.plan = Plan.objects.create(
            unit=cls.quangtri,
            status=Plan.Status.ISSUED,
            year=2021,
            number="25/KH-LĐLĐ",
            title="Kế hoạch tổ chức phong trào thi đua năm 2021",
        )
        PlanMovement.objects.create(plan=cls.plan, movement=cls.mv_good, position=0)
        PlanMovement.objects.create(plan=cls.plan, movement=cls.mv_home, position=1)
        Phase.objects.create(
            plan=cls.plan, name="Đợt 1", start=datetime.date(2021, 1, 1), end=datetime.date(2021, 6, 30)
        )
        duty = Duty.objects.create(plan=cls.plan, level=Duty.Level.UPPER, items=["Xây dựng mô hình điểm"])
        cls.target = Target.objects.create(
            plan=cls.plan,
            duty=duty,
            text="ít nhất 01 mô hình điểm",
            kind=Target.Kind.PILOT_MODEL,
            count=1,
            unit_level=UnitLevel.UPPER,
        )
        cls.draft_plan = Plan.objects.create(unit=cls.quangtri, year=2021, title="Bản nháp")
        # An officer at the school only (a member unit's writer for covenant tests).
        cls.dora = make_user(
            "dora", cls.school, Role.Kind.OFFICER, full_name="Dora", email="dora@example.org"
        )
        cls.alice.email = "alice@example.org"
        cls.alice.save(update_fields=["email"])
