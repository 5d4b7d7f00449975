"""Nominations in a real browser (Debian Chromium through Playwright): a grassroots union's
officer proposes a list in the province's round, adds a member found without accents, writes
the minutes number and submits; Đông Hà forwards it; Quảng Trị sends it to its council."""

import pytest

from accounts.models import Role
from awards.defaults import load_default_awards
from awards.models import Nomination
from awards.tests import factories as f
from lib.testing import TreeMixin, make_user
from lib.testing_browser import login
from org.models import Sex
from org.services.members import member_create

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


class Cast(TreeMixin):
    pass


def second_page(chromium, base: str, contexts: list):
    """Another user's browser; closed by the test before the live server stops (an open
    keep-alive connection would otherwise be closed by the server thread after teardown)."""
    context = chromium.new_context(locale="vi-VN", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(15_000)
    contexts.append(context)
    other = context.new_page()
    other.base_url = base
    return other


def test_propose_submit_forward_and_send_to_council(page, chromium):
    contexts: list = []
    try:
        _path(page, chromium, contexts)
    finally:
        for context in contexts:
            context.close()


def _path(page, chromium, contexts: list) -> None:
    load_default_awards()  # a transactional test may run after another one emptied the catalogue
    Cast.build_tree()
    school, dongha, quangtri = Cast.school, Cast.dongha, Cast.quangtri
    make_user("sam", school, Role.Kind.OFFICER, full_name="Sam")
    make_user("alice", dongha, Role.Kind.OFFICER, full_name="Alice")
    make_user("quinn", quangtri, Role.Kind.OFFICER, full_name="Quinn")
    member_create(unit=school, full_name="Nguyễn Thị Thu Hà", sex=Sex.FEMALE, cccd="045190000001")
    member_create(unit=Cast.factory, full_name="Nguyễn Thị Thu Hằng", sex=Sex.FEMALE)  # not the school's
    rnd = f.make_round(quangtri, 2025, ("bang-khen-ldld-tinh", "giay-khen"), name="Khen thưởng năm 2025")
    award = f.award("bang-khen-ldld-tinh")
    base = page.base_url

    # 1. The school's officer proposes a list in the province's round.
    login(page, "sam")
    page.goto(f"{base}/awards/nominations/rounds/")
    page.click("text=Khen thưởng năm 2025")
    page.click("[data-testid=nomination-create]")
    page.select_option("select[name=award]", str(award.pk))
    page.select_option("select[name=unit]", str(school.pk))
    page.click("[data-testid=nomination-create-submit]")
    page.wait_for_selector("[data-testid=candidate-search]")
    nomination = Nomination.objects.get(round=rnd, unit=school)

    # 2. It finds the member without accents and adds her; only the school's member is offered.
    page.fill("input[name=q]", "nguyen thi thu")
    page.click("[data-testid=candidate-search-submit]")
    page.wait_for_selector("[data-testid=member-candidate]")
    assert page.locator("[data-testid=member-candidate]").count() == 1
    page.click("[data-testid=add-member]")
    page.wait_for_selector("[data-testid=nominee-form]")
    assert "Nguyễn Thị Thu Hà" in page.inner_text("h1")
    page.fill("textarea[name=summary]", "Giáo viên dạy giỏi cấp tỉnh ba năm liền")
    page.click("[data-testid=nominee-save]")
    page.wait_for_selector("[data-testid=nominee-table]")
    assert page.locator("[data-testid=nominee-row]").count() == 1

    # 3. Submitting without the minutes is refused with the reason; with them it goes up.
    page.click("[data-testid=nomination-submit]")
    page.wait_for_selector(".alert-danger")
    nomination.refresh_from_db()
    assert nomination.status == Nomination.Status.DRAFT
    page.click("[data-testid=nomination-edit]")
    page.fill("input[name=minutes_number]", "05/BB-HĐTĐKT")
    page.click("[data-testid=nomination-edit-save]")
    page.wait_for_selector("[data-testid=nomination-submit]")
    page.click("[data-testid=nomination-submit]")
    page.wait_for_selector("[data-testid=nomination-status][data-status=submitted]")
    nomination.refresh_from_db()
    assert (nomination.status, nomination.at_unit) == (Nomination.Status.SUBMITTED, dongha)

    # 4. Đông Hà finds it in its inbox and forwards it to the province.
    district = second_page(chromium, base, contexts)
    login(district, "alice")
    district.goto(f"{base}/awards/nominations/inbox/")
    district.click("[data-testid=nomination-row] a")
    district.fill("textarea[name=comment]", "Đủ điều kiện, đề nghị LĐLĐ tỉnh xét")
    district.click("[data-testid=review-forward]")
    district.wait_for_selector("[data-testid=nomination-steps] >> text=Đủ điều kiện")
    nomination.refresh_from_db()
    assert nomination.at_unit == quangtri

    # 5. The province, the deciding level, sends it to its council.
    province = second_page(chromium, base, contexts)
    login(province, "quinn")
    province.goto(f"{base}/awards/nominations/inbox/")
    province.click("[data-testid=nomination-row] a")
    province.click("[data-testid=review-council]")
    province.wait_for_selector("[data-testid=nomination-status][data-status=at_council]")
    nomination.refresh_from_db()
    assert nomination.status == Nomination.Status.AT_COUNCIL
    assert list(nomination.steps.values_list("action", flat=True)) == ["submit", "forward", "to_council"]
