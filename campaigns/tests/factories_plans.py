"""Plans for tests, built through the services on lib.testing's small tree."""

import datetime

from accounts.models import Role
from campaigns.models import Duty, Plan, Target
from campaigns.services import plans as services
from lib.testing import BaseTestCase, EnglishMixin, make_user
from org.models import UnitKind, UnitLevel
from org.services.units import unit_create

SIGNER = {
    "signer_authority": "TM. BAN THƯỜNG VỤ",
    "signer_title": "PHÓ CHỦ TỊCH",
    "signer_name": "Lê Văn Hùng",
}


def phases_2021() -> list[dict]:
    return [
        {
            "name": "Đợt 1",
            "start": datetime.date(2021, 1, 1),
            "end": datetime.date(2021, 6, 30),
            "purpose": "Chào mừng",
        },
        {
            "name": "Đợt 2",
            "start": datetime.date(2021, 7, 1),
            "end": datetime.date(2021, 12, 31),
            "purpose": "",
        },
    ]


def duties_2021(movement=None) -> list[dict]:
    return [
        {
            "level": Duty.Level.ISSUER,
            "level_label": "Liên đoàn Lao động tỉnh",
            "items": ["Phát động thi đua"],
            "targets": [],
        },
        {
            "level": Duty.Level.UPPER_AND_GRASSROOTS,
            "level_label": "Công đoàn cấp trên trực tiếp cơ sở và CĐCS",
            "items": ["Tổ chức phát động", "Xây dựng mô hình điểm"],
            "targets": [
                {
                    "text": "ít nhất 01 mô hình điểm",
                    "count": 1,
                    "kind": Target.Kind.PILOT_MODEL,
                    "unit_level": UnitLevel.UPPER,
                    "movement": movement,
                },
                {
                    "text": "mọi CĐCS đăng ký thi đua",
                    "count": 1,
                    "kind": Target.Kind.REGISTRATION,
                    "unit_level": UnitLevel.GRASSROOTS,
                    "movement": None,
                },
            ],
        },
    ]


def plan_data(**extra) -> dict:
    return {
        "year": 2021,
        "number": "15/KH-LĐLĐ",
        "place": "Quảng Trị",
        "issued_on": datetime.date(2021, 3, 1),
        "title": "Thi đua lao động giỏi năm 2021",
        "purposes": ["Động viên đoàn viên"],
        "theme": "Đoàn kết, sáng tạo",
        "contents": [{"number": "2.1", "text": "Phong trào Lao động giỏi"}],
        "recipients": ["- Như trên;", "- Lưu: VT."],
        **SIGNER,
        **extra,
    }


def make_plan(*, unit, by, issue: bool = False, deliver_below: bool = False, movements=(), **extra) -> Plan:
    """A complete plan of `unit` (two phases, two duties, two targets), issued when asked."""
    plan = services.plan_create(unit=unit, year=2021, title="Thi đua lao động giỏi năm 2021", created_by=by)
    movement = movements[0] if movements else None
    services.plan_update(
        plan=plan,
        revision=plan.revision,
        updated_by=by,
        data=plan_data(**extra),
        phases=phases_2021(),
        duties=duties_2021(movement),
        movements=list(movements),
    )
    if issue:
        services.plan_issue(plan=plan, issued_by=by, deliver_below=deliver_below)
    plan.refresh_from_db()
    return plan


class ThreeDistrictsTestCase(EnglishMixin, BaseTestCase):
    """Quảng Trị gets two more districts (Cam Lộ, Gio Linh, each with a grassroots union), so that
    the plan of its officer `paula` has three direct units to be delivered to."""

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.paula = make_user("paula", cls.quangtri, Role.Kind.OFFICER, full_name="Paula")
        cls.camlo = unit_create(
            parent=cls.quangtri, code="QT.CL", name="LĐLĐ huyện Cam Lộ", kind=UnitKind.DISTRICT
        )
        cls.camlo_school = unit_create(
            parent=cls.camlo, code="QT.CL.001", name="CĐ Trường THCS Cam Lộ", kind=UnitKind.GRASSROOTS
        )
        cls.giolinh = unit_create(
            parent=cls.quangtri, code="QT.GL", name="LĐLĐ huyện Gio Linh", kind=UnitKind.DISTRICT
        )
        cls.giolinh_school = unit_create(
            parent=cls.giolinh, code="QT.GL.001", name="CĐ Trường THCS Gio Linh", kind=UnitKind.GRASSROOTS
        )
