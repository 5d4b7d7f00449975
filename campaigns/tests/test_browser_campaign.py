"""Issue 4's main path in a real browser (Debian Chromium through Playwright): the province
officer drafts a plan with two phases and a target and issues it; a grassroots officer
registers; the province dashboard counts the registration."""

import pytest
from django.conf import settings
from django.core.management import call_command

from campaigns.models import Plan, Registration
from lib.testing_browser import login
from org.models import Unit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_plan_issue_register_and_dashboard(page, chromium):
    call_command("load_demo", members=100, verbosity=0)
    base = page.base_url
    province = Unit.objects.get(code="QT")

    # 1. The province officer drafts a plan.
    login(page, "tinh.quangtri", settings.DEMO_PASSWORD)
    page.goto(f"{base}/campaigns/new/")
    page.select_option("select[name=unit]", str(province.pk))
    page.fill("input[name=year]", "2026")
    page.fill("input[name=title]", "Kế hoạch thi đua thử nghiệm năm 2026")
    page.click("[data-testid=plan-create-submit]")
    page.wait_for_selector("[data-testid=plan-form]")
    plan = Plan.objects.get(title="Kế hoạch thi đua thử nghiệm năm 2026")

    page.fill("input[name=number]", "99/KH-LĐLĐ")
    page.fill("input[name=place]", "Quảng Trị")
    page.fill("input[name=issued_on]", "05/01/2026")
    page.fill("input[name=theme]", "Đoàn kết, sáng tạo")
    page.fill("input[name=signer_authority]", "TM. BAN THƯỜNG VỤ")
    page.fill("input[name=signer_title]", "CHỦ TỊCH")
    page.fill("input[name=signer_name]", "Nguyễn Văn A")
    page.fill("input[name=phases-0-name]", "Đợt 1")
    page.fill("input[name=phases-0-start]", "05/01/2026")
    page.fill("input[name=phases-0-end]", "30/06/2026")
    page.click("[data-testid=add-phases]")
    page.fill("input[name=phases-1-name]", "Đợt 2")
    page.fill("input[name=phases-1-start]", "01/07/2026")
    page.fill("input[name=phases-1-end]", "31/12/2026")
    page.select_option("select[name=duties-0-level]", "grassroots")
    page.fill("textarea[name=duties-0-items]", "Đăng ký thi đua trước ngày 31/3/2026")
    page.fill("input[name=targets-0-text]", "Mọi công đoàn cơ sở đăng ký thi đua")
    page.fill("input[name=targets-0-count]", "1")
    page.select_option("select[name=targets-0-kind]", "registration")
    page.select_option("select[name=targets-0-unit_level]", "3")
    page.click("[data-testid=plan-save]")
    page.wait_for_selector("[data-testid=plan-issue]")
    plan.refresh_from_db()
    assert plan.phases.count() == 2 and plan.targets.count() == 1

    # 2. It issues the plan to every unit below it.
    page.check("input[name=deliver_below]")
    page.click("[data-testid=plan-issue]")
    page.wait_for_selector("[data-testid=plan-delivery]")
    plan.refresh_from_db()
    assert plan.status == Plan.Status.ISSUED

    # 3. The grassroots officer registers and submits.
    context = chromium.new_context(locale="vi-VN")
    other = context.new_page()
    other.base_url = base
    login(other, "cdcs.demo", settings.DEMO_PASSWORD)
    other.goto(f"{base}/campaigns/plans/{plan.pk}/register/")
    other.click("[data-testid=registration-start-submit]")
    other.wait_for_selector("[data-testid=registration-edit-form]")
    other.fill("[data-testid=pledge-text-0]", "Đăng ký thi đua hoàn thành xuất sắc nhiệm vụ")
    other.fill("[data-testid=pledge-count-0]", "1")
    other.click("[data-testid=registration-save]")
    other.wait_for_selector("[data-testid=registration-submit]")
    other.click("[data-testid=registration-submit]")
    other.wait_for_selector("[data-testid=registration-reopen]")
    context.close()
    registration = Registration.objects.get(plan=plan)
    assert registration.unit.code == "QT.DH.001"
    assert registration.status == Registration.Status.SUBMITTED

    # 4. The province dashboard counts it.
    page.goto(f"{base}/campaigns/plans/{plan.pk}/dashboard/")
    count = page.inner_text("[data-testid=registration-count]")
    assert count.split("/")[0].strip() == "1"
    assert "1 /" in page.inner_text("[data-testid=target-figures]") or "1 " in page.inner_text(
        "[data-testid=target-figures]"
    )
