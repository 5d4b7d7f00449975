"""Issue 7 in a real browser (Debian Chromium through Playwright): upload the seed's text, check
the draft beside its source, correct one field, save the draft and find it among the campaigns."""

from pathlib import Path

import pytest

from accounts.models import Role
from campaigns.models import Plan
from imports.models import PlanImport
from lib.testing import TreeMixin, make_user
from lib.testing_browser import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SEED = Path(__file__).parent / "plan_samples" / "seed_000.txt"


def test_upload_check_correct_and_save_a_plan(page):
    tree = TreeMixin()
    tree.build_tree()
    make_user("alice", tree.quangtri, Role.Kind.OFFICER, full_name="Alice")
    base = page.base_url
    login(page, "alice")

    # 1. From the campaigns list to the import page; upload the seed's text.
    page.goto(f"{base}/campaigns/")
    page.click("[data-testid=plan-import-link]")
    page.wait_for_selector("[data-testid=plan-import-form]")
    page.select_option("select[name=unit]", "QT")
    page.set_input_files("input[name=file]", str(SEED))
    page.click("[data-testid=plan-import-submit]")
    page.wait_for_selector("[data-testid=plan-source]")
    plan_import = PlanImport.objects.get()
    assert page.url.endswith(f"/imports/plans/{plan_import.pk}/")

    # 2. Side by side: the source with its marks, the draft filled in, the number to check.
    assert page.inner_text("#src-date-0") == "ngày 22 tháng 02 năm 2021"
    assert page.inner_text("#src-signer-name-0") == "Nguyễn Thị Thu Hà"
    assert page.is_visible("[data-testid=check-number]")
    assert not page.is_visible("[data-testid=check-title]")
    assert page.input_value("input[name=issued_on]") == "22/02/2021"
    assert page.input_value("input[name=phases-0-start]") == "22/02/2021"
    assert page.input_value("input[name=phases-1-end]") == "31/12/2021"
    assert page.input_value("input[name=signer_authority]") == "TM. BAN THƯỜNG VỤ"
    assert page.locator("[data-testid=new-movement]").count() == 10
    # Focusing a field lights up where it came from.
    page.focus("input[name=theme]")
    assert "active" in page.get_attribute("#src-theme-0", "class")

    # 3. Correct one field, save the draft.
    page.fill("input[name=number]", "45/KH-LĐLĐ")
    page.click("[data-testid=plan-draft-save]")
    page.wait_for_selector("[data-testid=plan-issue]")
    plan = Plan.objects.get()
    assert page.url.endswith(f"/campaigns/{plan.pk}/")
    assert (plan.number, plan.status, plan.unit.code) == ("45/KH-LĐLĐ", Plan.Status.DRAFT, "QT")
    assert plan.phases.count() == 2 and plan.duties.count() == 2 and plan.targets.count() == 1

    # 4. The draft is among the campaigns.
    page.goto(f"{base}/campaigns/")
    row = page.locator("[data-testid=plan-row]", has_text=plan.title)
    assert row.count() == 1
    assert "45/KH-LĐLĐ" in row.inner_text()
