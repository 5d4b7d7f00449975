"""Nomination pages: proposing, adding nominees by search, the achievement report, evidence,
papers, submitting and reviewing; who may see and do what."""

import io
import shutil
import tempfile
import zipfile
from urllib.parse import quote

from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from awards.models import Nomination, NominationFile, Nominee
from awards.services import nominations as services
from awards.tests import factories as f
from awards.tests import factories_nominations as fn
from lib.testing import BaseTestCase, EnglishMixin

MEDIA = tempfile.mkdtemp(prefix="thidua-nominations-test-")
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF"


def docx_text(content: bytes) -> str:
    from docx import Document

    document = Document(io.BytesIO(content))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts += [c.text for c in row.cells]
    return "\n".join(parts)


@override_settings(MEDIA_ROOT=MEDIA)
class NominationViewTestCase(EnglishMixin, BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        fn.officers(cls)
        cls.rnd = f.make_round(cls.quangtri, 2025, ("bang-khen-ldld-tinh", "giay-khen", "cstd-cap-tinh"))
        cls.submitted = fn.proposal(
            cls.rnd, f.award("bang-khen-ldld-tinh"), cls.school, cls.sam, members=[cls.ha], submit=True
        )
        cls.draft = fn.proposal(
            cls.rnd, f.award("giay-khen"), cls.school, cls.sam, members=[cls.ha], minutes=""
        )

    @classmethod
    def tearDownClass(cls):
        super().tearDownClass()
        shutil.rmtree(MEDIA, ignore_errors=True)

    def url(self, name, obj):
        return reverse(f"awards:{name}", args=[obj.pk])

    def messages(self, response) -> list[str]:
        return [str(m) for m in get_messages(response.wsgi_request)]


class ScopeTests(NominationViewTestCase):
    def test_charlie_of_another_province_gets_404_everywhere(self):
        self.login(self.charlie)
        nominee = self.submitted.nominees.get()
        for name, obj in [
            ("nomination-detail", self.submitted),
            ("nomination-edit", self.draft),
            ("nomination-letter", self.submitted),
            ("nomination-dossier", self.submitted),
            ("nominee-add", self.draft),
            ("nominee-edit", nominee),
            ("nominee-report", nominee),
        ]:
            with self.subTest(name=name):
                self.assertEqual(self.client.get(self.url(name, obj)).status_code, 404)
        for name, obj in [
            ("nomination-submit", self.draft),
            ("nomination-review", self.submitted),
            ("nomination-withdraw", self.submitted),
            ("nominee-remove", nominee),
            ("nomination-file-add", self.draft),
        ]:
            with self.subTest(name=name):
                self.assertEqual(
                    self.client.post(self.url(name, obj), {"action": "return", "comment": "x"}).status_code,
                    404,
                )
        self.submitted.refresh_from_db()
        self.assertEqual(self.submitted.status, Nomination.Status.SUBMITTED)
        self.assertNotIn(self.submitted, self.client.get(reverse("awards:nomination-list")).context["page"])

    def test_bob_the_viewer_reads_but_cannot_write(self):
        self.login(self.bob)
        self.assertEqual(self.client.get(self.url("nomination-detail", self.submitted)).status_code, 200)
        self.assertEqual(
            self.client.get(self.url("nominee-report", self.submitted.nominees.get())).status_code, 200
        )
        for name, obj in [
            ("nomination-edit", self.draft),
            ("nominee-add", self.draft),
            ("nominee-edit", self.draft.nominees.get()),
        ]:
            with self.subTest(name=name):
                self.assertEqual(self.client.get(self.url(name, obj)).status_code, 403)
        for name, obj, data in [
            ("nomination-submit", self.draft, {}),
            ("nomination-review", self.submitted, {"action": "forward"}),
            ("nomination-withdraw", self.submitted, {}),
            ("nominee-remove", self.draft.nominees.get(), {}),
        ]:
            with self.subTest(name=name):
                self.assertEqual(self.client.post(self.url(name, obj), data).status_code, 403)
        self.submitted.refresh_from_db()
        self.assertEqual(self.submitted.at_unit, self.dongha)

    def test_the_parent_level_sees_the_submitted_list_and_reviews_it(self):
        self.login(self.alice)
        response = self.client.get(self.url("nomination-detail", self.submitted))
        self.assertTrue(response.context["can_review"])
        self.assertContains(response, 'data-testid="review-forward"')
        self.assertNotContains(response, 'data-testid="review-council"')
        inbox = self.client.get(reverse("awards:nomination-inbox")).context["page"]
        self.assertEqual(list(inbox), [self.submitted])

    def test_the_school_sees_its_list_but_does_not_review_it(self):
        self.login(self.sam)
        response = self.client.get(self.url("nomination-detail", self.submitted))
        self.assertFalse(response.context["can_review"])
        self.assertEqual(
            self.client.post(
                self.url("nomination-review", self.submitted), {"action": "forward"}
            ).status_code,
            403,
        )
        self.assertEqual(list(self.client.get(reverse("awards:nomination-inbox")).context["page"]), [])

    def test_a_province_officer_sees_the_list_once_forwarded_and_sends_it_to_council(self):
        services.nomination_forward(nomination=self.submitted, by=self.alice)
        self.login(self.quinn)
        self.assertEqual(
            list(self.client.get(reverse("awards:nomination-inbox")).context["page"]), [self.submitted]
        )
        response = self.client.get(self.url("nomination-detail", self.submitted))
        self.assertContains(response, 'data-testid="review-council"')
        response = self.client.post(self.url("nomination-review", self.submitted), {"action": "council"})
        self.assertRedirects(response, self.url("nomination-detail", self.submitted))
        self.submitted.refresh_from_db()
        self.assertEqual(self.submitted.status, Nomination.Status.AT_COUNCIL)


class ProposeTests(NominationViewTestCase):
    def test_a_grassroots_officer_proposes_a_list(self):
        self.login(self.sam)
        url = reverse("awards:nomination-create", args=[self.rnd.pk])
        response = self.client.get(url)
        self.assertEqual(list(response.context["form"].fields["unit"].queryset), [self.school])
        response = self.client.post(
            url, {"award": f.award("cstd-cap-tinh").pk, "unit": self.school.pk, "letter_number": "12/TTr-CĐ"}
        )
        nomination = Nomination.objects.get(award__code="cstd-cap-tinh")
        self.assertRedirects(response, self.url("nominee-add", nomination))
        self.assertEqual((nomination.letter_number, nomination.created_by), ("12/TTr-CĐ", self.sam))

    def test_the_refusal_reason_is_shown(self):
        self.login(self.alice)  # Đông Hà may not propose for Chiến sĩ thi đua cơ sở (grassroots only)
        self.rnd.awards.add(f.award("cstd-co-so"))
        response = self.client.post(
            reverse("awards:nomination-create", args=[self.rnd.pk]),
            {"award": f.award("cstd-co-so").pk, "unit": self.dongha.pk},
        )
        self.assertEqual(response.status_code, 200)
        self.assertIn(
            "is not proposed by units of the level", str(response.context["form"].non_field_errors())
        )

    def test_charlie_cannot_propose_for_alices_unit(self):
        self.login(self.charlie)
        qb_round = f.make_round(self.root, 2025, ("giay-khen",))
        response = self.client.post(
            reverse("awards:nomination-create", args=[qb_round.pk]),
            {"award": f.award("giay-khen").pk, "unit": self.school.pk},
        )
        self.assertEqual(response.status_code, 404)


class NomineeViewTests(NominationViewTestCase):
    def test_search_without_accents_and_add(self):
        nomination = fn.proposal(self.rnd, f.award("cstd-cap-tinh"), self.school, self.sam)
        self.login(self.sam)
        response = self.client.get(self.url("nominee-add", nomination), {"q": "nguyen thi thu"})
        self.assertEqual([m.full_name for m in response.context["members"]], ["Nguyễn Thị Thu Hà"])
        self.assertFalse(response.context["members"][0].eligible)
        response = self.client.post(self.url("nominee-add", nomination), {"member": self.ha.pk})
        nominee = nomination.nominees.get()
        self.assertRedirects(response, self.url("nominee-edit", nominee))
        response = self.client.get(self.url("nominee-edit", nominee))
        self.assertContains(response, "needed 3 years in a row")
        self.assertIn("override_ground", response.context["form"].fields)

    def test_a_member_outside_the_list_units_subtree_is_refused_with_the_reason(self):
        nomination = fn.proposal(self.rnd, f.award("giay-khen"), self.school, self.sam)
        self.login(self.alice)  # Alice sees Đức (factory) but the school cannot propose him
        response = self.client.post(self.url("nominee-add", nomination), {"member": self.duc.pk}, follow=True)
        self.assertIn("is outside Công đoàn Trường THPT Lê Lợi", " ".join(self.messages(response)))
        self.assertFalse(nomination.nominees.exists())
        self.login(self.sam)  # Sam cannot even name him
        self.assertEqual(
            self.client.post(self.url("nominee-add", nomination), {"member": self.duc.pk}).status_code, 404
        )

    def test_collectives_are_picked_from_the_subtree(self):
        nomination = fn.proposal(self.rnd, f.award("giay-khen"), self.dongha, self.alice)
        self.login(self.alice)
        response = self.client.get(self.url("nominee-add", nomination))
        self.assertEqual({u.code for u in response.context["units"]}, {"QT.DH", "QT.DH.001", "QT.DH.002"})
        self.client.post(self.url("nominee-add", nomination), {"unit": self.factory.pk})
        self.assertEqual(nomination.nominees.get().unit, self.factory)

    def test_the_achievement_report_is_saved_and_downloaded(self):
        nominee = self.draft.nominees.get()
        self.login(self.sam)
        data = {
            "name": "Nguyễn Thị Thu Hà",
            "position_title": "Giáo viên",
            "override_ground": "",
            "position": "Tổ trưởng chuyên môn",
            "unit_name": "Trường THPT Lê Lợi",
            "duties": "Giảng dạy môn Toán",
            "achievements": "Năm 2025: 100% học sinh đạt yêu cầu",
            "initiatives": "",
            "titles": "Năm 2024: Lao động tiên tiến",
            "summary": "Giáo viên dạy giỏi cấp tỉnh",
        }
        response = self.client.post(self.url("nominee-edit", nominee), data)
        self.assertEqual(response.status_code, 302)
        nominee.refresh_from_db()
        self.assertEqual(nominee.achievement["summary"], "Giáo viên dạy giỏi cấp tỉnh")
        self.assertEqual(nominee.position_title, "Giáo viên")
        response = self.client.get(self.url("nominee-report", nominee))
        self.assertEqual(
            response["Content-Type"],
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        )
        text = docx_text(response.content)
        for expected in (
            "BÁO CÁO THÀNH TÍCH CÁ NHÂN",
            "Giảng dạy môn Toán",
            "Năm 2024: Lao động tiên tiến",
            "01/05/1980",
        ):
            self.assertIn(expected, text)

    def test_remove(self):
        nominee = self.draft.nominees.get()
        self.login(self.sam)
        self.client.post(self.url("nominee-remove", nominee))
        nominee.refresh_from_db()
        self.assertEqual(nominee.status, Nominee.Status.REMOVED)
        response = self.client.get(self.url("nomination-detail", self.draft))
        self.assertEqual(response.context["nominees"], [])


class PapersAndEvidenceTests(NominationViewTestCase):
    def test_letter_and_dossier(self):
        self.login(self.alice)
        response = self.client.get(self.url("nomination-letter", self.submitted))
        text = docx_text(response.content)
        self.assertIn("TỜ TRÌNH", text)
        self.assertIn("Kính gửi: Ban Thường vụ LĐLĐ thành phố Đông Hà.", text)
        self.assertIn("Nguyễn Thị Thu Hà", text)
        self.assertIn("01/BB-HĐTĐKT", text)
        response = self.client.get(self.url("nomination-dossier", self.submitted))
        with zipfile.ZipFile(io.BytesIO(response.content)) as zf:
            names = zf.namelist()
        self.assertEqual(len(names), 2)
        self.assertTrue(names[0].startswith("00-To-trinh"))

    def test_evidence_is_checked_and_served_in_scope_only(self):
        self.login(self.sam)
        nominee = self.draft.nominees.get()
        upload = SimpleUploadedFile("qd-cong-nhan-sang-kien.pdf", PDF, content_type="application/pdf")
        self.client.post(
            self.url("nomination-file-add", self.draft),
            {"file": upload, "nominee": nominee.pk, "name": "QĐ công nhận sáng kiến"},
        )
        evidence = NominationFile.objects.get()
        self.assertEqual(
            (evidence.nominee, evidence.name, evidence.uploaded_by),
            (nominee, "QĐ công nhận sáng kiến", self.sam),
        )
        bad = SimpleUploadedFile("virus.exe", b"MZ", content_type="application/octet-stream")
        response = self.client.post(self.url("nomination-file-add", self.draft), {"file": bad}, follow=True)
        self.assertIn("Only photos (JPG, PNG, WEBP) and PDF files can be attached.", self.messages(response))
        self.assertEqual(NominationFile.objects.count(), 1)

        self.login(self.bob)
        response = self.client.get(self.url("nomination-file", evidence))
        self.assertEqual(b"".join(response.streaming_content), PDF)
        self.assertIn(quote("QĐ công nhận sáng kiến.pdf"), response["Content-Disposition"])
        self.assertEqual(self.client.post(self.url("nomination-file-remove", evidence)).status_code, 403)
        self.login(self.charlie)
        self.assertEqual(self.client.get(self.url("nomination-file", evidence)).status_code, 404)
        self.login(self.sam)
        self.client.post(self.url("nomination-file-remove", evidence))
        self.assertFalse(NominationFile.objects.exists())

    def test_minutes_upload_and_submit_from_the_page(self):
        self.login(self.sam)
        response = self.client.post(self.url("nomination-submit", self.draft), follow=True)
        self.assertIn("minutes", " ".join(self.messages(response)))
        upload = SimpleUploadedFile("bien-ban.pdf", PDF, content_type="application/pdf")
        self.client.post(
            self.url("nomination-edit", self.draft),
            {"minutes_number": "", "minutes_file": upload, "letter_date": "20/11/2025"},
        )
        self.draft.refresh_from_db()
        self.assertTrue(self.draft.minutes_file)
        self.assertEqual(self.draft.letter_date.month, 11)
        self.assertEqual(self.client.get(self.url("nomination-minutes", self.draft)).status_code, 200)
        self.client.post(self.url("nomination-submit", self.draft))
        self.draft.refresh_from_db()
        self.assertEqual((self.draft.status, self.draft.at_unit), (Nomination.Status.SUBMITTED, self.dongha))


class ReviewViewTests(NominationViewTestCase):
    def test_a_return_needs_a_comment_and_then_goes_back(self):
        self.login(self.alice)
        response = self.client.post(
            self.url("nomination-review", self.submitted), {"action": "return", "comment": ""}, follow=True
        )
        self.assertIn("Write what must be corrected.", self.messages(response))
        self.client.post(
            self.url("nomination-review", self.submitted), {"action": "return", "comment": "Thiếu số liệu"}
        )
        self.submitted.refresh_from_db()
        self.assertEqual(
            (self.submitted.status, self.submitted.at_unit), (Nomination.Status.RETURNED, self.school)
        )
        self.assertContains(self.client.get(self.url("nomination-detail", self.submitted)), "Thiếu số liệu")

    def test_withdraw(self):
        self.login(self.sam)
        self.client.post(self.url("nomination-withdraw", self.submitted))
        self.submitted.refresh_from_db()
        self.assertEqual(self.submitted.status, Nomination.Status.WITHDRAWN)


class QueryCountTests(NominationViewTestCase):
    def count(self, url) -> int:
        with CaptureQueriesContext(connection) as ctx:
            self.assertEqual(self.client.get(url).status_code, 200)
        return len(ctx.captured_queries)

    def test_lists_and_the_dossier_do_not_query_per_row(self):
        self.login(self.alice)
        urls = [
            reverse("awards:nomination-list"),
            reverse("awards:nomination-inbox"),
            reverse("awards:round-detail", args=[self.rnd.pk]),
            self.url("nomination-detail", self.submitted),
        ]
        before = [self.count(u) for u in urls]
        people = [fn.member(self.school, f"Giáo viên {i}") for i in range(4)]
        for person in people:
            fn.proposal(self.rnd, f.award("giay-khen"), self.school, self.sam, members=[person], submit=True)
        services.nomination_return(nomination=self.submitted, by=self.alice, comment="Bổ sung")
        for person in people:
            services.nominee_add(nomination=self.submitted, added_by=self.sam, member=person)
        services.nomination_submit(nomination=self.submitted, submitted_by=self.sam)
        after = [self.count(u) for u in urls]
        self.assertEqual(before, after)
        self.assertLessEqual(max(after), 15)
