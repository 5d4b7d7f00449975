"""Issue 5's report path in a real browser: a grassroots officer fills and submits the sơ kết
report; the province returns it with a comment; it is corrected, resubmitted and accepted; the
province roll-up follows each step."""

import datetime

import pytest
from django.conf import settings
from django.core.management import call_command

from accounts.models import User
from lib.testing_browser import login
from org.models import Unit
from org.selectors.units import unit_rollup
from reports.models import FormVersion, Report
from reports.services.requests import request_create

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_fill_return_correct_accept_and_rollup(page, chromium):
    call_command("load_demo", members=100, verbosity=0)
    base = page.base_url
    province = Unit.objects.get(code="QT")
    officer = User.objects.get(username="tinh.quangtri")
    grassroots = User.objects.get(username="cdcs.demo").unit
    version = FormVersion.objects.get(form__unit=province, form__code="SK-DOT1", status="published")
    req = request_create(
        version=version,
        unit=province,
        title="Báo cáo sơ kết thử nghiệm",
        due_on=datetime.date.today() + datetime.timedelta(days=2),
        unit_ids=[grassroots.pk],
        by=officer,
    )
    rollup_url = f"{base}/reports/requests/{req.pk}/rollup/"

    # 1. The grassroots officer finds the due report (due soon) and fills it; a rule error first.
    context = chromium.new_context(locale="vi-VN", viewport={"width": 390, "height": 844})  # a phone
    context.set_default_timeout(15_000)
    unit_page = context.new_page()
    unit_page.base_url = base
    login(unit_page, "cdcs.demo", settings.DEMO_PASSWORD)
    unit_page.goto(f"{base}/reports/mine/")
    item = unit_page.locator(f'[data-testid="due-{req.pk}-{grassroots.code}"]')
    assert item.locator("[data-testid=badge-soon]").count() == 1
    item.click()
    unit_page.wait_for_selector("[data-testid=report-form]")
    unit_page.fill("#f-pilot_models", "2")
    helped = min(unit_rollup(unit=grassroots)["members"], 3)  # "at most the unit's members"
    assert helped >= 1
    unit_page.fill("#f-helped_members", str(helped))
    unit_page.fill("#f-helped_women", str(helped + 1))
    unit_page.fill("#f-support_amount", "3.000.000")
    unit_page.select_option("#f-review_held", "co")
    unit_page.fill("#f-assessment", "Triển khai tốt.")
    unit_page.click("[data-testid=report-submit]")
    unit_page.wait_for_selector("[data-testid=rule-error]")
    assert not Report.objects.filter(request=req).exists()
    unit_page.fill("#f-helped_women", "0")
    unit_page.click("[data-testid=report-submit]")
    unit_page.wait_for_selector("[data-testid=report-status][data-status=submitted]")
    per_person = f"{3_000_000 // helped:,}".replace(",", ".")
    assert per_person in unit_page.inner_text("[data-testid=value-support_per_person]")

    # 2. The province sees it in the roll-up, then returns it with a comment.
    login(page, "tinh.quangtri", settings.DEMO_PASSWORD)
    page.goto(rollup_url)
    assert page.inner_text("[data-testid=count-submitted]").strip() == "1"
    assert "2" in page.inner_text("[data-testid=figure-pilot_models]")
    report = Report.objects.get(request=req)
    page.goto(f"{base}/reports/{report.pk}/")
    page.fill("#id_comment", "Số mô hình điểm chưa đúng, đề nghị kiểm tra lại.")
    page.click("[data-testid=review-return]")
    page.wait_for_selector("[data-testid=report-status][data-status=returned]")
    page.goto(rollup_url)
    assert page.inner_text("[data-testid=count-submitted]").strip() == "0"

    # 3. The unit corrects and resubmits (version 2).
    unit_page.goto(f"{base}/reports/mine/")
    unit_page.locator(f'[data-testid="due-{req.pk}-{grassroots.code}"]').click()
    assert "Số mô hình điểm chưa đúng" in unit_page.inner_text("[data-testid=return-comment]")
    unit_page.fill("#f-pilot_models", "3")
    unit_page.click("[data-testid=report-submit]")
    unit_page.wait_for_selector("[data-testid=report-status][data-status=submitted]")
    report.refresh_from_db()
    assert list(report.versions.values_list("number", flat=True)) == [2, 1]

    # 4. The province sees the change and accepts; the roll-up shows the corrected figure.
    page.goto(f"{base}/reports/{report.pk}/")
    assert "3" in page.inner_text("[data-testid=report-diff]")
    page.click("[data-testid=review-accept]")
    page.wait_for_selector("[data-testid=report-status][data-status=accepted]")
    page.goto(rollup_url)
    assert page.inner_text("[data-testid=count-accepted]").strip() == "1"
    assert "3" in page.inner_text("[data-testid=figure-pilot_models]")
    page.goto(f"{base}/reports/requests/{req.pk}/")
    assert page.inner_text("[data-testid=count-accepted]").strip() == "1"
    context.close()
