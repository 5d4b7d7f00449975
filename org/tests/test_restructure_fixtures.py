"""A larger cast for the restructuring tests (no tests of its own).

Adds to lib.testing's tree: Vĩnh Linh district (Quảng Trị) with one grassroots union,
Bố Trạch district (Quảng Bình) with one grassroots union, a member working directly at each
province's office, and `dana`, an officer at the confederation who may restructure anything.
"""

import datetime

from accounts.models import Role
from lib.testing import BaseTestCase, make_unit, make_user
from org.models import Sex, Unit, UnitKind
from org.selectors.units import unit_rollup
from org.services.members import member_create
from org.services.restructure import units_merge

BEFORE = datetime.date(2025, 6, 30)
MERGER = datetime.date(2025, 7, 1)


class RestructureTestCase(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.vinhlinh = make_unit(cls.quangtri, "QT.VL", "LĐLĐ huyện Vĩnh Linh", UnitKind.DISTRICT)
        cls.hospital = make_unit(
            cls.vinhlinh,
            "QT.VL.001",
            "Công đoàn Bệnh viện Vĩnh Linh",
            UnitKind.GRASSROOTS,
            sector="public_service",
        )
        cls.botrach = make_unit(cls.quangbinh, "QB.BT", "LĐLĐ huyện Bố Trạch", UnitKind.DISTRICT)
        cls.cement = make_unit(
            cls.botrach,
            "QB.BT.001",
            "Công đoàn Nhà máy Xi măng Sông Gianh",
            UnitKind.GRASSROOTS,
            sector="state",
        )
        F, M = Sex.FEMALE, Sex.MALE
        members = [
            member_create(unit=unit, full_name=full_name, sex=sex, cccd=cccd)
            for unit, full_name, sex, cccd in (
                (cls.hospital, "Hoàng Thị Hoa", F, "045190000011"),
                (cls.hospital, "Phạm Văn Minh", M, "045090000012"),
                (cls.cement, "Võ Văn Tuấn", M, "044090000013"),
                (cls.cement, "Đặng Thị Mai", F, "044190000014"),
                (cls.quangtri, "Lê Quang Trung", M, "045090000015"),
                (cls.quangbinh, "Nguyễn Thị Bình", F, "044190000016"),
            )
        ]
        cls.hoa, cls.minh, cls.tuan, cls.mai, cls.qt_staff, cls.qb_staff = members
        cls.dana = make_user("dana", cls.root, Role.Kind.OFFICER, full_name="Dana")
        for obj in (cls.quangtri, cls.quangbinh, cls.dongha, cls.vinhlinh, cls.botrach, cls.donghoi):
            obj.refresh_from_db()

    def fresh(self, unit: Unit) -> Unit:
        return Unit.objects.get(pk=unit.pk)

    def rollup(self, unit: Unit) -> dict:
        return unit_rollup(unit=self.fresh(unit))

    def parent_of(self, unit: Unit) -> Unit:
        return self.fresh(unit).get_parent(update=True)

    def merge_factory_into_school(self, decision_number: str = "12") -> Unit:
        """Alice merges the garment factory's union into the school's on MERGER: the usual first
        step of the tests about what a merged grassroots union leaves behind."""
        return units_merge(
            sources=[self.factory, self.school],
            into=self.school,
            effective_on=MERGER,
            decision_number=decision_number,
            acted_by=self.alice,
        )

    def merge_quangbinh_into_quangtri(self, decision_number: str = "1680", note: str = "") -> Unit:
        """Dana merges the two provinces on MERGER, Quảng Trị surviving (the 2025 merger)."""
        return units_merge(
            sources=[self.quangbinh, self.quangtri],
            into=self.quangtri,
            effective_on=MERGER,
            decision_number=decision_number,
            note=note,
            acted_by=self.dana,
        )
