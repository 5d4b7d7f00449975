"""The demo accounts (README lists them): a provincial officer and administrator, a grassroots
union's officer, and a superuser, all with `settings.DEMO_PASSWORD`."""

from django.conf import settings

from accounts.models import Role, User
from accounts.services import role_grant
from demo.org import CDCS_DEMO_CODE
from org.models import Unit

# (username, what the account is), in the order the loader prints them.
DEMO_ACCOUNTS = [
    ("tinh.quangtri", "officer + administrator of"),
    ("cdcs.demo", "officer of grassroots union"),
    ("admin", "superuser, sees everything from"),
]


def load_accounts_demo() -> None:
    """Create the three demo accounts and their roles."""
    password = settings.DEMO_PASSWORD
    quangtri = Unit.objects.get(code="QT")
    school = Unit.objects.get(code=CDCS_DEMO_CODE)
    admin = User.objects.create_superuser(
        username="admin",
        password=password,
        email="admin@localhost",
        full_name="Quản trị hệ thống",
        unit=Unit.objects.get_first_root_node(),
    )
    officer = User.objects.create_user(
        username="tinh.quangtri", password=password, unit=quangtri, full_name="Trần Văn Bình"
    )
    # Granted by the superuser, through the same service an administrator uses.
    role_grant(acting_user=admin, user=officer, unit=quangtri, kind=Role.Kind.OFFICER)
    role_grant(acting_user=admin, user=officer, unit=quangtri, kind=Role.Kind.ADMIN)
    cdcs = User.objects.create_user(
        username="cdcs.demo", password=password, unit=school, full_name="Lê Thị Mai"
    )
    role_grant(acting_user=admin, user=cdcs, unit=school, kind=Role.Kind.OFFICER)
