"""Issue 6 items 4 and 5 in a real browser (Debian Chromium through Playwright): Đông Hà's
officer opens a council meeting on the nominations sent to it, enters each member's ballot,
closes the vote, drafts the decision from the meeting, fills in number, date and signer, issues
it and sees its recipients."""

import pytest

from accounts.models import Role
from awards.defaults import load_default_awards
from awards.models import AwardRecord, Decision, Meeting, Nomination, Nominee
from awards.tests import factories_councils as fc
from lib.testing import TreeMixin, make_user
from lib.testing_browser import login
from org.models import Sex
from org.services.members import member_create

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


class Stage(TreeMixin):
    pass


def enter_ballot(page, meeting: Meeting, seat, votes: dict) -> None:
    page.goto(f"{page.base_url}/awards/councils/meetings/{meeting.pk}/vote/{seat.pk}/")
    for nominee, choice in votes.items():
        page.click(f"label[for=vote-{nominee.pk}-{choice}]")
    page.click("[data-testid=ballot-submit]")
    page.wait_for_selector("[data-testid=meeting-results]")


def test_meeting_vote_close_and_issue_the_decision(page):
    load_default_awards()
    t = Stage
    t.build_tree()
    t.alice = make_user("alice", t.dongha, Role.Kind.OFFICER, full_name="Alice")
    t.ha = member_create(unit=t.school, full_name="Nguyễn Thị Thu Hà", sex=Sex.FEMALE, cccd="045190000001")
    t.duc = member_create(unit=t.factory, full_name="Trần Văn Đức", sex=Sex.MALE, cccd="045090000002")
    for unit in (t.dongha, t.school, t.factory):
        unit.refresh_from_db()
    fc.build(t)
    page.on("dialog", lambda dialog: dialog.accept())
    base = page.base_url

    # 1. The officer opens a meeting on the two nominations waiting for the council.
    login(page, "alice")
    page.goto(f"{base}/awards/councils/")
    page.click(f"text={t.council.name}")
    page.click("[data-testid=meeting-create]")
    page.wait_for_selector("[data-testid=meeting-create-form]")
    assert page.locator("[data-testid=meeting-nominations] input[type=checkbox]:checked").count() == 2
    page.fill("input[name=held_on]", "20/12/2025")
    page.fill("input[name=place]", "Hội trường LĐLĐ thành phố Đông Hà")
    page.click("[data-testid=meeting-create-submit]")
    page.wait_for_selector("[data-testid=meeting-results]")
    meeting = Meeting.objects.get()
    recusals = page.inner_text("[data-testid=meeting-recusals]")
    assert "Phạm Văn Cường" in recusals and "Hoàng Thị Dung" in recusals

    # 2. The secretary enters each present member's ballot (Cường and Dung are recused on their own units).
    enter_ballot(page, meeting, t.an, {t.nominee_ha: "yes", t.nominee_duc: "yes"})
    enter_ballot(page, meeting, t.binh, {t.nominee_ha: "yes", t.nominee_duc: "no"})
    page.goto(f"{base}/awards/councils/meetings/{meeting.pk}/vote/{t.cuong.pk}/")
    assert page.locator("[data-testid=ballot-recused]").count() == 1
    enter_ballot(page, meeting, t.cuong, {t.nominee_duc: "no"})
    enter_ballot(page, meeting, t.dung, {t.nominee_ha: "abstain"})

    # 3. Closing the vote: Hà passes with 2 of 3, Đức fails with 1 of 3.
    page.click("[data-testid=meeting-close]")
    page.wait_for_selector("[data-testid=decision-from-meeting]")
    t.nominee_ha.refresh_from_db()
    t.nominee_duc.refresh_from_db()
    assert (t.nominee_ha.status, t.nominee_ha.votes_yes, t.nominee_ha.votes_of) == (
        Nominee.Status.PASSED,
        2,
        3,
    )
    assert t.nominee_duc.status == Nominee.Status.FAILED
    with page.expect_download() as download:
        page.click("[data-testid=meeting-minutes]")
    assert download.value.suggested_filename.endswith(".docx")

    # 4. The draft decision from the meeting, with its number, date and signer.
    page.click("[data-testid=decision-from-meeting]")
    page.wait_for_selector("[data-testid=decision-form]")
    decision = Decision.objects.get()
    assert page.locator("[data-testid=decision-edit-line]").count() == 1
    page.fill("input[name=number]", "125/QĐ-LĐLĐ")
    page.fill("input[name=place]", "Đông Hà")
    page.fill("input[name=signed_on]", "28/12/2025")
    page.fill("input[name=signer_authority]", "TM. BAN THƯỜNG VỤ")
    page.fill("input[name=signer_title]", "CHỦ TỊCH")
    page.fill("input[name=signer_name]", "Lê Văn Ký")
    page.click("[data-testid=decision-save]")
    page.wait_for_selector("[data-testid=decision-issue]:not([disabled])")

    # 5. Issued: the page lists the recipient and the register has its line.
    page.click("[data-testid=decision-issue]")
    page.wait_for_selector("[data-testid=decision-records]")
    assert "Nguyễn Thị Thu Hà" in page.inner_text("[data-testid=decision-lines]")
    assert "Trần Văn Đức" not in page.inner_text("[data-testid=decision-lines]")
    assert page.locator("[data-testid=decision-edit]").count() == 0
    decision.refresh_from_db()
    assert decision.is_issued and decision.number == "125/QĐ-LĐLĐ"
    record = AwardRecord.objects.get()
    assert (record.member_id, record.decision_id, record.province_id) == (t.ha.pk, decision.pk, t.quangtri.pk)
    t.nom_school.refresh_from_db()
    assert t.nom_school.status == Nomination.Status.DECIDED

    # 6. Its edit page is refused from now on.
    page.goto(f"{base}/awards/decisions/{decision.pk}/edit/")
    page.wait_for_selector("[data-testid=decision-records]")
    assert page.url.endswith(f"/awards/decisions/{decision.pk}/")
