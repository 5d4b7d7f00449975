"""Certificates in a real browser: the district officer starts a batch for an issued decision,
watches the progress until it is done and downloads the merged PDF; then an anonymous visitor
types the code printed under a certificate's QR code and sees whom it was awarded to."""

from __future__ import annotations

import types
from unittest import mock

import pypdfium2 as pdfium
import pytest

from accounts.models import Role
from awards.models import CertificateBatch
from awards.services.certificate_batches import batch_run
from awards.tests import factories_certificates as fc
from lib.testing import TreeMixin, make_user
from lib.testing_browser import login
from org.models import Sex
from org.services.members import member_create

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return tmp_path


def cast():
    t = types.SimpleNamespace()
    TreeMixin.build_tree.__func__(t)
    t.alice = make_user("alice", t.dongha, Role.Kind.OFFICER, full_name="Alice")
    t.ha = member_create(unit=t.school, full_name="Nguyễn Thị Thu Hà", sex=Sex.FEMALE, cccd="045190000001")
    t.duc = member_create(unit=t.factory, full_name="Trần Văn Đức", sex=Sex.MALE, cccd="045090000002")
    return t


def test_officer_batches_downloads_and_a_visitor_verifies(page, chromium, media):
    t = cast()
    decision = fc.issued_decision(unit=t.dongha, members=[t.ha, t.duc], number="170/QĐ-LĐLĐ")
    code = decision.records.get(member=t.ha).verify_code
    base = page.base_url

    login(page, "alice")

    # The certificates list leads to the decision, which lists both recipients with their codes.
    page.goto(f"{base}/awards/certificates/")
    page.click("[data-testid=certificate-decision-row] a")
    page.wait_for_selector("[data-testid=certificate-batch-form]")
    assert page.locator("[data-testid=certificate-record-row]").count() == 2
    assert code in page.inner_text("[data-testid=certificate-record-table]")

    # Start a merged batch. The worker is held back so the page really polls a queued batch.
    with mock.patch("awards.tasks.certificate_batch_run"):
        page.select_option("[data-testid=batch-format]", "pdf")
        page.click("[data-testid=batch-start]")
        page.wait_for_selector("[data-testid=certificate-batch-status][data-status=queued]")
    assert page.locator("[data-testid=certificate-batch-progress]").count() == 1
    batch = CertificateBatch.objects.get()
    batch_run(batch=batch, base_url=base)  # what the worker does
    page.wait_for_selector("[data-testid=certificate-batch-status][data-status=done]", timeout=10_000)

    with page.expect_download() as info:
        page.click("[data-testid=certificate-batch-download]")
    download = info.value
    assert download.suggested_filename.endswith(".pdf")
    pdf = pdfium.PdfDocument(download.path())
    try:
        assert len(pdf) == 2
        assert "Nguyễn Thị Thu Hà" in pdf[0].get_textpage().get_text_range()
    finally:
        pdf.close()

    # Anyone, without logging in, checks a certificate by the code printed on it.
    visitor = chromium.new_context(locale="vi-VN")
    try:
        public = visitor.new_page()
        public.goto(f"{base}/verify/{code}/")
        assert public.inner_text("[data-testid=verify-name]") == "Nguyễn Thị Thu Hà"
        assert public.locator("[data-testid=verify-valid]").count() == 1
        assert "045190000001" not in public.content()
        public.goto(f"{base}/verify/")
        public.fill("[data-testid=verify-code]", f"{code[:5].lower()}-{code[5:].lower()}")
        public.click("[data-testid=verify-submit]")
        public.wait_for_url(f"{base}/verify/{code}/")
        assert "170/QĐ-LĐLĐ" in public.inner_text("[data-testid=verify-decision]")
    finally:
        visitor.close()
