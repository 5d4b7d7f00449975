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
        cls.hoa = member_create(
            unit=cls.hospital, full_name="Hoàng Thị Hoa", sex=Sex.FEMALE, cccd="045190000011"
        )
        cls.minh = member_create(
            unit=cls.hospital, full_name="Phạm Văn Minh", sex=Sex.MALE, cccd="045090000012"
        )
        cls.tuan = member_create(unit=cls.cement, full_name="Võ Văn Tuấn", sex=Sex.MALE, cccd="044090000013")
        cls.mai = member_create(
            unit=cls.cement, full_name="Đặng Thị Mai", sex=Sex.FEMALE, cccd="044190000014"
        )
        cls.qt_staff = member_create(
            unit=cls.quangtri, full_name="Lê Quang Trung", sex=Sex.MALE, cccd="045090000015"
        )
        cls.qb_staff = member_create(
            unit=cls.quangbinh, full_name="Nguyễn Thị Bình", sex=Sex.FEMALE, cccd="044190000016"
        )
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
