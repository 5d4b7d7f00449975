"""The public verification page: no login, only the listed facts, "revoked" when it was, a
friendly 404 for unknown codes, typed codes normalised, and a rate limit per client address."""

from __future__ import annotations

from django.core.cache import cache
from django.test import override_settings
from django.urls import reverse

from awards.tests import factories_certificates as fc
from awards.views import verify as verify_views
from lib.testing import BaseTestCase, EnglishMixin


class VerifyTests(EnglishMixin, BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.decision = fc.issued_decision(
            unit=cls.dongha,
            award_code="bang-khen-ldld-tinh",
            members=[cls.ha],
            number="160/QĐ-LĐLĐ",
            position_title="Tổ trưởng chuyên môn",
            achievement="Đã có thành tích xuất sắc trong công tác riêng tư",
        )
        cls.record = cls.decision.records.get()
        cls.url = reverse("verify", args=[cls.record.verify_code])

    def setUp(self) -> None:
        super().setUp()
        cache.clear()  # the rate limit counts in the cache
        self.addCleanup(cache.clear)

    def test_it_shows_the_listed_facts_without_login(self):
        response = self.client.get(self.url)
        self.assertEqual(response.status_code, 200)
        for expected in (
            "Nguyễn Thị Thu Hà",
            "Bằng khen của LĐLĐ tỉnh",
            "160/QĐ-LĐLĐ",
            "25/12/2025",
            "2025",
            "LĐLĐ thành phố Đông Hà",
            "genuine and valid",
        ):
            self.assertContains(response, expected)
        self.assertNotContains(response, "REVOKED")

    def test_it_shows_nothing_else(self):
        response = self.client.get(self.url)
        for secret in (
            self.ha.cccd,
            "01/05/1980",
            "1980-05-01",
            "1980",
            self.school.code,
            self.dongha.code,
            self.school.name,  # the recipient's unit is not on the page
            "Tổ trưởng chuyên môn",
            "công tác riêng tư",
            reverse("org:member-detail", args=[self.ha.pk]),
            reverse("org:unit-detail", args=[self.school.pk]),
            "Nguyễn Văn Ký",  # the signer
        ):
            self.assertNotContains(response, secret)
        self.assertNotContains(response, f'data-member="{self.ha.pk}"')
        details = response.content.decode().split('data-testid="verify-details"')[1].split("</dl>")[0]
        self.assertEqual(details.count("<dt"), 5)  # recipient, award, year, decision, issuer

    def test_it_is_not_indexed_and_not_cached(self):
        response = self.client.get(self.url)
        self.assertContains(response, '<meta name="robots" content="noindex, nofollow">')
        self.assertEqual(response["X-Robots-Tag"], "noindex, nofollow")
        self.assertIn("no-cache", response["Cache-Control"])

    def test_it_takes_one_query(self):
        with self.assertNumQueries(1):
            self.client.get(self.url)

    def test_a_revoked_award_says_so_with_the_revoking_decision(self):
        fc.revoke(self.record, number="12/QĐ-LĐLĐ")
        response = self.client.get(self.url)
        self.assertContains(response, "REVOKED")
        self.assertContains(response, "12/QĐ-LĐLĐ")
        self.assertContains(response, "03/02/2026")
        self.assertNotContains(response, "genuine and valid")

    def test_an_unknown_code_gives_a_friendly_404(self):
        response = self.client.get(reverse("verify", args=["ABCDE23456"]))
        self.assertContains(response, "No certificate has the code ABCDE23456", status_code=404)
        self.assertContains(response, 'data-testid="verify-form"', status_code=404)
        malformed = self.client.get(reverse("verify", args=["not-a-code<script>"]))
        self.assertEqual(malformed.status_code, 404)
        self.assertNotContains(malformed, "<script>", status_code=404)

    def test_a_typed_code_is_normalised(self):
        code = self.record.verify_code
        typed = f"{code[:5].lower()}-{code[5:].lower()}"
        self.assertContains(self.client.get(reverse("verify", args=[typed])), "Nguyễn Thị Thu Hà")

    def test_the_form_sends_the_reader_to_the_code_page(self):
        code = self.record.verify_code
        response = self.client.get(reverse("verify-form"), {"code": f" {code[:3].lower()} {code[3:]} "})
        self.assertRedirects(response, self.url)
        empty = self.client.get(reverse("verify-form"))
        self.assertContains(empty, 'data-testid="verify-form"')
        self.assertContains(empty, '<meta name="robots" content="noindex, nofollow">')
        blank = self.client.get(reverse("verify-form"), {"code": " - "})
        self.assertContains(blank, "Type the code printed under the QR code.")

    def test_only_get_is_allowed(self):
        self.assertEqual(self.client.post(self.url).status_code, 405)

    @override_settings(AWARDS_VERIFY_RATE_LIMIT=(3, 600))
    def test_lookups_past_the_limit_get_429_per_client_address(self):
        unknown = reverse("verify", args=["ABCDE23456"])
        self.assertEqual(self.client.get(unknown).status_code, 404)
        self.assertEqual(self.client.get(unknown).status_code, 404)
        self.assertEqual(self.client.get(self.url).status_code, 200)
        response = self.client.get(self.url)  # even a real code, once over the limit
        self.assertContains(response, "Too many certificates were looked up", status_code=429)
        self.assertEqual(response["Retry-After"], "600")
        self.assertNotContains(response, "Nguyễn Thị Thu Hà", status_code=429)
        other = self.client.get(self.url, REMOTE_ADDR="203.0.113.9")
        self.assertEqual(other.status_code, 200)

    @override_settings(AWARDS_VERIFY_RATE_LIMIT=verify_views.DEFAULT_LIMIT)
    def test_the_default_limit_is_thirty_lookups(self):
        self.assertEqual(verify_views.DEFAULT_LIMIT, (30, 600))
        unknown = reverse("verify", args=["ABCDE23456"])
        codes = [self.client.get(unknown).status_code for _i in range(31)]
        self.assertEqual(codes[:30], [404] * 30)
        self.assertEqual(codes[30], 429)
