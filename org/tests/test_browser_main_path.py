"""The foundation's main path in a real browser (Debian Chromium through Playwright):
the province officer logs in, opens the tree, finds a member typed without accents,
and imports a small roster file."""

import pytest
from django.core.management import call_command

from lib.testing_browser import login
from org.models import Member

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ROSTER = (
    "Họ và tên,Ngày sinh,Giới tính,Số CCCD,Số điện thoại,Chức vụ\n"
    "Hoàng Thị Mỹ Duyên,12/03/1990,Nữ,045190123456,0912345678,Giáo viên\n"
    "Đặng Văn Đông,01/11/1985,Nam,045085654321,0987654321,Bảo vệ\n"
)


def test_officer_browses_searches_and_imports(page, tmp_path):
    call_command("load_demo", members=300, verbosity=0)
    base = page.base_url

    login(page, "tinh.quangtri", "thidua2021")  # the demo's password

    # The tree: the officer's province with its district federations and rolled-up counts.
    page.goto(f"{base}/org/units/")
    page.wait_for_selector("[data-testid=unit-child]")
    assert "Liên đoàn Lao động tỉnh Quảng Trị" in page.inner_text("h1")
    codes = page.eval_on_selector_all("[data-testid=unit-child]", "rows => rows.map(r => r.dataset.code)")
    assert len(codes) >= 9
    assert "Quảng Bình" not in page.content()

    # Accent-insensitive member search, live (htmx) as the officer types.
    page.goto(f"{base}/org/members/")
    page.fill("[data-testid=member-search]", "nguyen thi thu ha")
    page.wait_for_selector("[data-testid=member-row]:has-text('Nguyễn Thị Thu Hà')")
    rows = page.locator("[data-testid=member-row]")
    assert rows.count() >= 1
    for text in rows.all_inner_texts():
        assert "Nguyễn Thị Thu Hà" in text

    # Import a small roster into one grassroots union.
    roster = tmp_path / "danh-sach.csv"
    roster.write_text(ROSTER, encoding="utf-8-sig")
    page.goto(f"{base}/imports/")
    page.fill("[data-testid=import-unit]", "QT.DH.001")
    page.set_input_files("[data-testid=import-file]", str(roster))
    page.click("[data-testid=import-submit]")
    page.wait_for_selector("[data-testid=import-job-status][data-status=succeeded]")
    assert page.inner_text("[data-testid=import-added]").strip() == "2"

    member = Member.objects.get(cccd="045190123456")
    assert member.full_name == "Hoàng Thị Mỹ Duyên"
    assert member.unit.code == "QT.DH.001"

    # The imported member is found without accents too.
    page.goto(f"{base}/org/members/?q=dang+van+dong")
    page.wait_for_selector("[data-testid=member-row]:has-text('Đặng Văn Đông')")
