"""Test data for target progress: a plan of Quảng Trị with three targets on a slightly wider tree.

Quảng Trị's upper-level unions: Đông Hà (school, factory), Cam Lộ (one grassroots), Vĩnh Linh
(none), plus a dissolved district that must not count.
Pilot models: school (in progress) -> Đông Hà meets; Cam Lộ itself (completed) -> meets;
Vĩnh Linh only a planned one -> does not. Pilot target: 2 of 3.
Registrations: school submitted, factory draft -> grassroots registration target: 1 of 3.
Contest entries (target: at least 2 per upper-level union): school 1 + factory 1 -> Đông Hà
meets; Cam Lộ 1 -> does not. 1 of 3.
"""

import datetime

from accounts.models import Role
from campaigns.models import ContestEntry, PilotModel, Plan, Registration, Target
from campaigns.tests.factories_documents import add_phases, add_targets
from lib.testing import BaseTestCase, make_unit, make_user
from org.models import UnitKind, UnitLevel, UnitStatus


class TargetTestCase(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.camlo = make_unit(cls.quangtri, "QT.CL", "LĐLĐ huyện Cam Lộ", UnitKind.DISTRICT)
        cls.camlo_gr = make_unit(cls.camlo, "QT.CL.001", "Công đoàn Trường Cam Lộ", UnitKind.GRASSROOTS)
        cls.vinhlinh = make_unit(cls.quangtri, "QT.VL", "LĐLĐ huyện Vĩnh Linh", UnitKind.DISTRICT)
        cls.gone = make_unit(cls.quangtri, "QT.OLD", "LĐLĐ huyện đã giải thể", UnitKind.DISTRICT)
        cls.gone.status = UnitStatus.DISSOLVED
        cls.gone.save(update_fields=["status"])
        for u in (cls.quangtri, cls.dongha, cls.camlo, cls.camlo_gr, cls.vinhlinh, cls.gone):
            u.refresh_from_db()
        cls.dana = make_user("dana", cls.quangtri, Role.Kind.OFFICER, full_name="Dana")

        cls.plan = Plan.objects.create(
            unit=cls.quangtri,
            year=2025,
            title="Kế hoạch thi đua năm 2025",
            number="15/KH-LĐLĐ",
            status=Plan.Status.ISSUED,
            issued_on=datetime.date(2025, 1, 10),
        )
        add_phases(
            cls.plan,
            ("Đợt 1", datetime.date(2025, 1, 1), datetime.date(2025, 4, 30), ""),
            ("Đợt 2", datetime.date(2025, 5, 1), datetime.date(2025, 12, 31), ""),
        )
        K, L = Target.Kind, UnitLevel
        targets = add_targets(
            cls.plan,
            ("Ít nhất 01 mô hình điểm", K.PILOT_MODEL, 1, L.UPPER),
            ("100% CĐCS đăng ký thi đua", K.REGISTRATION, 1, L.GRASSROOTS),
            ("Ít nhất 02 sản phẩm dự thi", K.CONTEST_ENTRY, 2, L.UPPER),
            ("Tổ chức hội nghị", K.OTHER, 1, L.UPPER),
        )
        cls.pilot_target, cls.reg_target, cls.contest_target, cls.other_target = targets
        P = PilotModel.Status
        cls.pilot = PilotModel.objects.create(
            plan=cls.plan, unit=cls.school, name="Trường học hạnh phúc", status=P.IN_PROGRESS
        )
        PilotModel.objects.create(plan=cls.plan, unit=cls.camlo, name="Bữa cơm công đoàn", status=P.COMPLETED)
        PilotModel.objects.create(plan=cls.plan, unit=cls.vinhlinh, name="Chỉ mới dự kiến", status=P.PLANNED)
        # Another province's unit under the same plan must never count for Quảng Trị.
        PilotModel.objects.create(plan=cls.plan, unit=cls.port, name="Ngoài phạm vi", status=P.COMPLETED)
        Registration.objects.create(
            plan=cls.plan,
            unit=cls.school,
            status=Registration.Status.SUBMITTED,
            submitted_at=datetime.datetime(2025, 2, 3, 9, 0, tzinfo=datetime.UTC),
        )
        Registration.objects.create(plan=cls.plan, unit=cls.factory, status=Registration.Status.DRAFT)
        ContestEntry.objects.create(plan=cls.plan, unit=cls.school, title="Máy chấm bài")
        ContestEntry.objects.create(plan=cls.plan, unit=cls.factory, title="Máy cắt vải")
        ContestEntry.objects.create(plan=cls.plan, unit=cls.camlo_gr, title="Bảng điện tử")
