"""The register in a real browser (Debian Chromium through Playwright): an officer imports a
small old register, finds a name typed without accents, and reads the statistics and charts."""

import pytest

from accounts.models import Role
from awards.defaults import load_default_awards
from awards.models import AwardRecord
from awards.tests.factories_register import xlsx
from lib.testing import TreeMixin, make_user
from lib.testing_browser import login
from org.models import Sex
from org.services.members import member_create

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ROWS = [
    [
        "Họ và tên",
        "Tên tập thể",
        "Số CCCD",
        "Giới tính",
        "Đơn vị",
        "Danh hiệu / Hình thức khen thưởng",
        "Năm",
    ],
    ["Nguyễn Thị Thu Hà", None, "045190000001", "Nữ", "QT.DH.001", "Chiến sĩ thi đua cơ sở", 2021],
    ["Trần Văn Đức", None, "045090000002", "Nam", "QT.DH.002", "giay khen", 2022],
    [None, "Công đoàn Trường THPT Lê Lợi", None, None, "QT.DH.001", "Công đoàn cơ sở vững mạnh", 2022],
]


class Cast(TreeMixin):
    """lib.testing's tree, outside a TestCase."""


def test_import_search_and_statistics(page, tmp_path):
    load_default_awards()  # a transactional test may run after another one emptied the catalogue
    Cast.build_tree()
    make_user("alice", Cast.dongha, Role.Kind.OFFICER, full_name="Alice")
    member_create(unit=Cast.school, full_name="Nguyễn Thị Thu Hà", sex=Sex.FEMALE, cccd="045190000001")
    member_create(unit=Cast.factory, full_name="Trần Văn Đức", sex=Sex.MALE, cccd="045090000002")
    register = tmp_path / "so-khen-thuong-cu.xlsx"
    register.write_bytes(xlsx(ROWS, title_rows=2))
    base = page.base_url

    # 1. The officer imports the old register into her district.
    login(page, "alice")
    page.goto(f"{base}/awards/register/")
    page.click("[data-testid=register-nav-import]")
    page.wait_for_selector("[data-testid=register-import-form]")
    page.select_option("select[name=unit]", str(Cast.dongha.pk))
    page.set_input_files("[data-testid=register-import-file]", str(register))
    page.click("[data-testid=register-import-submit]")
    page.wait_for_url("**/awards/register/?unit=QT.DH")
    assert page.locator(".alert-success").count() == 1
    assert AwardRecord.objects.count() == 3
    assert AwardRecord.objects.filter(member__isnull=False).count() == 2

    # 2. She finds Hà by typing her name without accents.
    page.fill("[data-testid=register-search]", "nguyen thi thu ha")
    page.wait_for_function("document.querySelectorAll('[data-testid=register-row]').length === 1")
    row = page.locator("[data-testid=register-row]")
    assert "Nguyễn Thị Thu Hà" in row.inner_text()
    assert "Chiến sĩ thi đua cơ sở" in row.inner_text()
    assert "q=nguyen" in page.url  # the search is in the address, for going back
    row.locator("[data-testid=register-person-link]").click()
    page.wait_for_selector("[data-testid=register-person-name]")
    assert page.locator("[data-testid=register-row]").count() == 1

    # 3. She reads the statistics, drawn as charts.
    page.goto(f"{base}/awards/register/")
    page.click("[data-testid=register-nav-stats]")
    page.wait_for_selector("[data-testid=stats-year]")
    assert page.inner_text("[data-testid=stats-year-total]") == "3"
    page.wait_for_function("document.getElementById('chart-year').chart !== undefined")
    labels = page.evaluate("document.getElementById('chart-year').chart.data.labels")
    assert labels == ["2021", "2022"]
    persons = page.evaluate("document.getElementById('chart-year').chart.data.datasets[0].data")
    assert persons == [1, 1]
    assert page.evaluate("document.getElementById('chart-sex').chart.data.datasets[0].data") == [1, 1]
