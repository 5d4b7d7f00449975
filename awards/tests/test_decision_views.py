from io import BytesIO

import pypdfium2 as pdfium
from django.urls import reverse
from docx import Document

from accounts.models import User
from awards.models import AwardRecord, Decision, DecisionLine
from awards.services import decisions as services
from awards.tests.test_decision_services import SIGNED, DecisionCase, sign
from lib.downloads import DOCX, PDF


class DecisionPageTests(DecisionCase):
    def test_the_list_runs_in_constant_queries_and_is_scoped(self):
        self.issued()
        self.login(self.alice)
        url = reverse("awards:decision-list")
        with self.assertNumQueries(6) as first:
            response = self.client.get(url)
        self.assertContains(response, "12/QĐ-LĐLĐ")
        for year in range(2015, 2020):
            d = services.decision_create(unit=self.school, award=self.award, year=year, created_by=self.alice)
            services.decision_line_add(decision=d, member=self.ha, added_by=self.alice)
        with self.assertNumQueries(len(first.captured_queries)):
            response = self.client.get(url)
        self.assertEqual(len(response.context["page"].object_list), 6)
        self.assertEqual(len(self.client.get(url, {"status": "issued"}).context["page"].object_list), 1)
        self.login(self.charlie)
        self.assertNotContains(self.client.get(url), "12/QĐ-LĐLĐ")

    def test_an_officer_drafts_edits_and_issues_from_a_meeting(self):
        meeting = self.voted_meeting()
        self.login(self.alice)
        response = self.client.post(
            reverse("awards:decision-from-meeting", args=[meeting.pk]), {"award": self.award.pk}
        )
        decision = Decision.objects.get()
        self.assertRedirects(response, reverse("awards:decision-edit", args=[decision.pk]))
        page = self.client.get(reverse("awards:decision-edit", args=[decision.pk]))
        self.assertContains(page, "Give the decision its number.")
        data = {
            "number": "15/QĐ-LĐLĐ",
            "place": "Đông Hà",
            "signed_on": "28/12/2025",
            "year": "2025",
            "title": decision.title,
            "grounds": "Căn cứ Điều lệ Công đoàn Việt Nam;",
            "reason": "Xét đề nghị của Hội đồng;",
            "signer_authority": "TM. BAN THƯỜNG VỤ",
            "signer_title": "CHỦ TỊCH",
            "signer_name": "Nguyễn Văn Ký",
            "recipients_copy": "- Như Điều 3;\n- Lưu: VT.",
        }
        response = self.client.post(reverse("awards:decision-edit", args=[decision.pk]), data)
        self.assertRedirects(response, reverse("awards:decision-edit", args=[decision.pk]))
        decision.refresh_from_db()
        self.assertEqual(
            (decision.signed_on, decision.recipients_copy), (SIGNED, ["- Như Điều 3;", "- Lưu: VT."])
        )
        response = self.client.post(reverse("awards:decision-issue", args=[decision.pk]))
        self.assertRedirects(response, reverse("awards:decision-detail", args=[decision.pk]))
        page = self.client.get(reverse("awards:decision-detail", args=[decision.pk]))
        self.assertContains(page, self.ha.full_name)
        self.assertEqual(AwardRecord.objects.get().decision, decision)

    def test_an_officer_builds_a_decision_by_hand(self):
        self.login(self.alice)
        response = self.client.post(
            reverse("awards:decision-create"),
            {"unit": self.dongha.pk, "award": self.award.pk, "year": "2025", "title": ""},
        )
        decision = Decision.objects.get()
        self.assertRedirects(response, reverse("awards:decision-edit", args=[decision.pk]))
        self.assertEqual(decision.title, f"khen thưởng {self.award.name} năm 2025")
        page = self.client.get(reverse("awards:decision-edit", args=[decision.pk]), {"q": "tran van duc"})
        self.assertEqual(page.context["members"], [self.duc])
        page = self.client.get(reverse("awards:decision-edit", args=[decision.pk]), {"q": "le loi"})
        self.assertEqual(page.context["units"], [self.school])
        add = reverse("awards:decision-line-add", args=[decision.pk])
        self.client.post(add, {"member": self.duc.pk})
        self.client.post(add, {"unit": self.school.pk})
        self.client.post(add, {"member": self.lan.pk})  # another province: not found in scope
        self.assertEqual(
            list(decision.lines.values_list("name", flat=True)), [self.duc.full_name, self.school.name]
        )
        line = decision.lines.get(member=self.duc)
        self.client.post(
            reverse("awards:decision-line-update", args=[decision.pk, line.pk]),
            {"name": "Trần Văn Đức", "position_title": "Công nhân", "achievement": "Hoàn thành xuất sắc"},
        )
        line.refresh_from_db()
        self.assertEqual(line.position_title, "Công nhân")
        self.client.post(reverse("awards:decision-line-remove", args=[decision.pk, line.pk]))
        self.assertEqual(decision.lines.count(), 1)

    def test_the_edit_page_of_an_issued_decision_is_refused(self):
        decision = self.issued()
        line = decision.lines.get()
        self.login(self.alice)
        url = reverse("awards:decision-edit", args=[decision.pk])
        detail = reverse("awards:decision-detail", args=[decision.pk])
        self.assertRedirects(self.client.get(url), detail)
        response = self.client.post(url, {"number": "99/QĐ", "year": "2020", "title": "Khác"}, follow=True)
        self.assertContains(response, "An issued decision cannot be changed")
        for name, args, data in (
            ("awards:decision-line-add", [decision.pk], {"member": self.duc.pk}),
            ("awards:decision-line-update", [decision.pk, line.pk], {"name": "Khác"}),
            ("awards:decision-line-remove", [decision.pk, line.pk], {}),
            ("awards:decision-issue", [decision.pk], {}),
            ("awards:decision-discard", [decision.pk], {}),
        ):
            self.assertRedirects(self.client.post(reverse(name, args=args), data), detail)
        decision.refresh_from_db()
        self.assertEqual(
            (decision.number, decision.year, decision.title[:10]), ("12/QĐ-LĐLĐ", 2025, "khen thưởn")
        )
        self.assertEqual(list(decision.lines.values_list("name", flat=True)), [self.ha.full_name])
        self.assertNotContains(self.client.get(detail), 'data-testid="decision-edit"')

    def test_corrections_are_drafted_from_the_decision_page_and_shown_both_ways(self):
        decision = self.issued()
        record = AwardRecord.objects.get()
        self.login(self.alice)
        response = self.client.post(
            reverse("awards:decision-correct", args=[decision.pk]), {"kind": "revoke", "records": [record.pk]}
        )
        revoking = Decision.objects.get(kind=Decision.Kind.REVOKE)
        self.assertRedirects(response, reverse("awards:decision-edit", args=[revoking.pk]))
        sign(revoking, self.alice, number="40/QĐ-LĐLĐ")
        self.client.post(reverse("awards:decision-issue", args=[revoking.pk]))
        record.refresh_from_db()
        self.assertEqual(record.revoked_by, revoking)
        original = self.client.get(reverse("awards:decision-detail", args=[decision.pk]))
        self.assertContains(original, "40/QĐ-LĐLĐ")
        self.assertContains(original, 'data-testid="decision-corrections"')
        correcting = self.client.get(reverse("awards:decision-detail", args=[revoking.pk]))
        self.assertContains(correcting, 'data-testid="decision-amends"')
        self.assertContains(correcting, 'data-testid="decision-revoked"')

    def test_the_paper_as_docx_and_pdf(self):
        decision = self.issued()
        self.login(self.bob)
        response = self.client.get(reverse("awards:decision-docx", args=[decision.pk]))
        self.assertEqual(response["Content-Type"], DOCX)
        self.assertIn("attachment", response["Content-Disposition"])
        document = Document(BytesIO(response.content))
        text = "\n".join(p.text for p in document.paragraphs)
        cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
        for expected in (
            "QUYẾT ĐỊNH",
            "Về việc khen thưởng",
            "BAN THƯỜNG VỤ LĐLĐ THÀNH PHỐ ĐÔNG HÀ",
            "Căn cứ Luật Thi đua, khen thưởng",
            "QUYẾT ĐỊNH:",
            "Điều 1. Tặng Giấy khen",
            "Điều 2.",
            "Điều 3.",
        ):
            self.assertIn(expected, text)
        self.assertIn(self.ha.full_name, cells)
        self.assertTrue(any("Số: 12/QĐ-LĐLĐ" in c for c in cells))
        self.assertTrue(any("Nguyễn Văn Ký" in c for c in cells))
        self.assertTrue(any("Nơi nhận" in c for c in cells))
        centred = next(p for p in document.paragraphs if p.text == "QUYẾT ĐỊNH:")
        self.assertEqual(centred.alignment, 1)
        response = self.client.get(reverse("awards:decision-pdf", args=[decision.pk]))
        self.assertEqual(response["Content-Type"], PDF)
        pdf = pdfium.PdfDocument(response.content)
        text = pdf[0].get_textpage().get_text_range()
        # Every Vietnamese letter is in the embedded font (Liberation Serif 1.07 would drop ư, ộ…).
        for expected in (
            "QUYẾT ĐỊNH:",
            "BAN THƯỜNG VỤ LĐLĐ THÀNH PHỐ ĐÔNG HÀ",
            "Nguyễn Thị Thu Hà",
            "Điều 1. Tặng",
        ):
            self.assertIn(expected, text)

    def test_charlie_gets_404_and_bob_403_on_writes(self):
        decision = self.issued()
        draft = services.decision_create(unit=self.dongha, award=self.award, year=2025, created_by=self.alice)
        line = DecisionLine.objects.create(
            decision=draft, recipient_kind="member", member=self.duc, unit=self.factory, name="Đức"
        )
        meeting = decision.meeting
        self.login(self.charlie)
        for name, args in (
            ("awards:decision-detail", [decision.pk]),
            ("awards:decision-docx", [decision.pk]),
            ("awards:decision-pdf", [draft.pk]),
            ("awards:decision-edit", [draft.pk]),
        ):
            self.assertEqual(self.client.get(reverse(name, args=args)).status_code, 404, name)
        writes = (
            ("awards:decision-edit", [draft.pk]),
            ("awards:decision-line-add", [draft.pk]),
            ("awards:decision-line-update", [draft.pk, line.pk]),
            ("awards:decision-line-remove", [draft.pk, line.pk]),
            ("awards:decision-issue", [draft.pk]),
            ("awards:decision-discard", [draft.pk]),
            ("awards:decision-correct", [decision.pk]),
            ("awards:decision-from-meeting", [meeting.pk]),
        )
        for name, args in writes:
            self.assertEqual(
                self.client.post(reverse(name, args=args), {"name": "X", "member": self.duc.pk}).status_code,
                404,
                name,
            )
        self.login(self.bob)
        self.assertEqual(self.client.get(reverse("awards:decision-detail", args=[draft.pk])).status_code, 200)
        self.assertEqual(self.client.get(reverse("awards:decision-create")).status_code, 403)
        for name, args in writes:
            self.assertEqual(
                self.client.post(reverse(name, args=args), {"name": "X", "member": self.duc.pk}).status_code,
                403,
                name,
            )
        self.assertEqual(list(draft.lines.values_list("name", flat=True)), ["Đức"])
        self.assertEqual(Decision.objects.count(), 2)


class AdminTests(DecisionCase):
    def test_a_superuser_cannot_change_or_delete_an_issued_decision_in_the_admin(self):
        decision = self.issued()
        record = AwardRecord.objects.get()
        root = User.objects.create_superuser("root", "root@example.org", "pw-root-123")
        self.client.force_login(root)
        change = reverse("admin:awards_decision_change", args=[decision.pk])
        self.assertEqual(self.client.get(change).status_code, 200)  # view only
        response = self.client.post(change, {"number": "99/QĐ", "title": "Sửa qua admin", "year": "2000"})
        self.assertEqual(response.status_code, 403)
        self.assertEqual(
            self.client.post(
                reverse("admin:awards_decision_delete", args=[decision.pk]), {"post": "yes"}
            ).status_code,
            403,
        )
        self.assertEqual(self.client.get(reverse("admin:awards_decision_add")).status_code, 403)
        line = decision.lines.get()
        self.assertEqual(
            self.client.post(
                reverse("admin:awards_decisionline_change", args=[line.pk]), {"name": "Khác"}
            ).status_code,
            403,
        )
        self.assertEqual(
            self.client.post(
                reverse("admin:awards_awardrecord_change", args=[record.pk]), {"name": "Khác"}
            ).status_code,
            403,
        )
        changelist = self.client.post(
            reverse("admin:awards_decision_changelist"),
            {"action": "delete_selected", "_selected_action": [decision.pk]},
        )
        self.assertIn(changelist.status_code, (200, 302, 403))
        decision.refresh_from_db()
        self.assertEqual(
            (decision.number, decision.title[:10], decision.year), ("12/QĐ-LĐLĐ", "khen thưởn", 2025)
        )
        self.assertTrue(Decision.objects.filter(pk=decision.pk).exists())
        self.assertEqual(AwardRecord.objects.get().name, record.name)

    def test_every_awards_model_is_in_the_admin(self):
        from django.apps import apps
        from django.contrib import admin

        for model in apps.get_app_config("awards").get_models():
            self.assertTrue(admin.site.is_registered(model), model.__name__)
