from accounts.models import Role
from lib.testing import BaseTestCase, make_user


class AdminTestCase(BaseTestCase):
    """The shared cast plus administrators: dora at Quảng Trị, erin at Đông Hà; charlie also
    administers Quảng Bình, so his 404s come from scope, not from a missing admin role."""

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.dora = make_user("dora", cls.quangtri, Role.Kind.ADMIN, full_name="Đỗ Thị Đào")
        cls.erin = make_user("erin", cls.dongha, Role.Kind.ADMIN, full_name="Erin")
        Role.objects.create(user=cls.charlie, unit=cls.quangbinh, kind=Role.Kind.ADMIN)
        cls.worker = make_user("cdcs.leloi", cls.school, Role.Kind.OFFICER, full_name="Nguyễn Văn Ánh")
