"""Who is eligible, in a real browser: a provincial officer lists who may receive "Chiến sĩ thi đua
cấp tỉnh" in their province, downloads the whole list as Excel, and opens one person's page to
read the reason for each condition."""

from __future__ import annotations

import openpyxl
import pytest

from accounts.models import Role
from awards.defaults import load_default_awards
from awards.models import Award
from awards.tests import factories as f
from lib.testing import TreeMixin, make_user
from lib.testing_browser import login
from org.models import Sex, UnitLevel
from org.services.members import member_create

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
YEAR = 2025


class Cast(TreeMixin):
    """The shared test tree, built inside the live-server test's database."""


def test_an_officer_lists_the_eligible_and_reads_the_reasons(page, tmp_path):
    load_default_awards()  # transactional tests flush the catalogue the migration loaded
    Cast.build_tree()
    make_user("tinh.quangtri", Cast.quangtri, Role.Kind.OFFICER, full_name="Cán bộ tỉnh")
    ha = member_create(unit=Cast.school, full_name="Nguyễn Thị Thu Hà", sex=Sex.FEMALE, cccd="045190000001")
    duc = member_create(unit=Cast.factory, full_name="Trần Văn Đức", sex=Sex.MALE, cccd="045090000002")
    lan = member_create(unit=Cast.port, full_name="Lê Thị Lan", sex=Sex.FEMALE, cccd="044190000003")
    for person in (ha, lan):  # Lan is as good, but in another province
        for y in (2023, 2024, 2025):
            f.record("cstd-co-so", y, member=person)
        f.initiative(year=2024, level=UnitLevel.PROVINCE, member=person, title="Máy cắt vải tự động")
    f.record("cstd-co-so", 2023, member=duc)
    f.record("cstd-co-so", 2025, member=duc)  # 2024 is missing: not eligible
    award = Award.objects.get(code="cstd-cap-tinh")
    base = page.base_url

    login(page, "tinh.quangtri")
    page.goto(f"{base}/awards/")
    page.click("[data-testid=awards-part-eligible-list]")
    page.wait_for_selector("[data-testid=eligible-form]")
    page.select_option("#id_award", str(award.pk))
    page.select_option("#id_unit", str(Cast.quangtri.pk))
    page.fill("#id_year", str(YEAR))
    page.click("[data-testid=eligible-show]")
    page.wait_for_selector("[data-testid=eligible-table]")
    rows = page.locator("[data-testid=eligible-row]")
    assert rows.count() == 1
    assert "Nguyễn Thị Thu Hà" in rows.first.inner_text()
    assert page.get_attribute("[data-testid=eligible-count]", "data-count") == "1"
    body = page.inner_text("[data-testid=eligible-table]")
    assert "Trần Văn Đức" not in body and "Lê Thị Lan" not in body

    with page.expect_download() as download:
        page.click("[data-testid=eligible-export]")
    target = tmp_path / download.value.suggested_filename
    download.value.save_as(target)
    assert target.name == f"du-dieu-kien-cstd-cap-tinh-QT-{YEAR}.xlsx"
    sheet = openpyxl.load_workbook(target, read_only=True).active
    people = [row for row in sheet.iter_rows(min_row=4, values_only=True) if row[0]]
    assert [(r[0], r[1], r[5]) for r in people] == [(1, "Nguyễn Thị Thu Hà", Cast.school.name)]

    page.click("[data-testid=eligible-member]")
    page.wait_for_selector("[data-testid=eligibility-board]")
    assert page.inner_text("[data-testid=member-name]") == "Nguyễn Thị Thu Hà"
    verdict = page.locator("[data-testid=verdict-cstd-cap-tinh]")
    assert verdict.get_attribute("data-status") == "eligible"
    reasons = verdict.locator("[data-testid=reason]")
    assert reasons.count() == 2
    assert "2023, 2024, 2025" in reasons.nth(0).inner_text()
    assert "Máy cắt vải tự động" in reasons.nth(1).inner_text()
    assert page.locator("[data-testid=verdict-cstd-toan-quoc]").get_attribute("data-status") == "not_eligible"
    assert page.locator("[data-testid=register-line]").count() == 3
