"""Plan import pages: upload or paste, the side-by-side check, saving the draft, who may do it."""

from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import SimpleTestCase
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from campaigns.models import Movement, Plan
from campaigns.services.plans import movement_create
from imports.forms import PlanDraftForm, PlanUploadForm, draft_post_data
from imports.models import PlanImport
from imports.plans import services
from imports.plans.highlight import highlight
from imports.tests.plan_samples import builders
from lib.testing import BaseTestCase, EnglishMixin

SAMPLES = Path(__file__).parent / "plan_samples"
SEED = (SAMPLES / "seed_000.txt").read_bytes()


def upload(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data)


class PlanImportTestCase(EnglishMixin, BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        # The province keeps one of the seed's movements, spelled in other case and without accents.
        cls.known = movement_create(
            unit=cls.quangtri, name="LAO DONG GIOI, LAO DONG SANG TAO", created_by=None
        )

    def import_seed(self, user=None) -> PlanImport:
        return services.plan_import_create(
            unit=self.dongha, uploaded_by=user or self.alice, data=SEED, name="seed.txt"
        )

    def post_data(self, plan_import: PlanImport, **overrides) -> dict:
        """What the page sends when the officer changes nothing (or only `overrides`)."""
        catalogue = Movement.objects.filter(pk=self.known.pk)
        found, new = services.match_movements(
            names=plan_import.parsed["data"]["movements"], catalogue=catalogue
        )
        initial = services.draft_initial(plan_import=plan_import)
        data = draft_post_data(
            initial=PlanDraftForm.initial_from(initial["fields"], found),
            formsets={
                "phases": initial["phases"],
                "duties": initial["duties"],
                "targets": initial["targets"],
            },
            add_movements=new,
        )
        data.update(overrides)
        return data


class UploadTests(PlanImportTestCase):
    def test_the_upload_page_offers_only_units_the_user_may_change(self):
        self.login(self.alice)
        response = self.client.get(reverse("imports:plan-import"))
        self.assertEqual(response.status_code, 200)
        codes = [u.code for u in response.context["form"].fields["unit"].queryset]
        self.assertEqual(codes, ["QT.DH", "QT.DH.001", "QT.DH.002"])
        self.assertEqual(response.context["form"].initial["unit"], self.dongha)

    def test_a_viewer_is_refused(self):
        self.login(self.bob)
        self.assertEqual(self.client.get(reverse("imports:plan-import")).status_code, 403)
        response = self.client.post(reverse("imports:plan-import"), {"unit": "QT.DH", "text": SEED.decode()})
        self.assertEqual(response.status_code, 403)
        self.assertFalse(PlanImport.objects.exists())

    def test_anonymous_users_are_sent_to_login(self):
        response = self.client.get(reverse("imports:plan-import"))
        self.assertEqual(response.status_code, 302)
        self.assertIn("/accounts/login/", response["Location"])

    def test_uploading_a_file_opens_the_side_by_side_page_and_saves_no_plan(self):
        self.login(self.alice)
        response = self.client.post(
            reverse("imports:plan-import"),
            {"unit": "QT.DH", "file": upload("ke-hoach.txt", SEED)},
            follow=True,
        )
        plan_import = PlanImport.objects.get()
        self.assertRedirects(response, reverse("imports:plan-import-detail", args=[plan_import.pk]))
        self.assertEqual((plan_import.unit, plan_import.uploaded_by), (self.dongha, self.alice))
        self.assertEqual(plan_import.source_kind, "txt")
        self.assertEqual(plan_import.parsed["data"]["date"], "2021-02-22")
        self.assertFalse(Plan.objects.exists())

    def test_the_import_is_audited_without_its_text(self):
        from auditlog.models import LogEntry

        plan_import = self.import_seed()
        entry = LogEntry.objects.get_for_object(plan_import).get()
        self.assertEqual(entry.actor, self.alice)
        self.assertEqual(entry.additional_data, {"unit_id": self.dongha.pk})
        self.assertIn("source_name", entry.changes_dict)
        self.assertNotIn("source_text", entry.changes_dict)
        self.assertNotIn("parsed", entry.changes_dict)

    def test_pasting_the_text(self):
        self.login(self.alice)
        response = self.client.post(
            reverse("imports:plan-import"), {"unit": "QT.DH", "text": SEED.decode()}, follow=True
        )
        plan_import = PlanImport.objects.get()
        self.assertRedirects(response, reverse("imports:plan-import-detail", args=[plan_import.pk]))
        self.assertEqual(plan_import.source_kind, "paste")

    def test_a_word_file(self):
        self.login(self.alice)
        self.client.post(
            reverse("imports:plan-import"), {"unit": "QT.DH", "file": upload("kh.docx", builders.plan_docx())}
        )
        self.assertEqual(PlanImport.objects.get().parsed["data"]["number"], "07/KH-CĐVC")

    def test_another_units_code_is_refused(self):
        self.login(self.alice)
        response = self.client.post(reverse("imports:plan-import"), {"unit": "QB", "text": SEED.decode()})
        self.assertEqual(response.status_code, 200)
        self.assertIn("unit", response.context["form"].errors)
        self.assertFalse(PlanImport.objects.exists())

    def test_bad_files_give_a_message_and_create_nothing(self):
        self.login(self.alice)
        cases = [
            ("ke-hoach.txt", b"", "empty"),
            ("scan.pdf", builders.scanned_pdf(), "no text layer"),
            ("ke-hoach.docx", builders.zip_not_docx(), "not a Word document"),
            (
                "thong-bao.txt",
                "Kính gửi: Ban Giám đốc\nThông báo nghỉ lễ.".encode(),
                "does not look like a plan",
            ),
            ("bang.xlsx", b"PK\x03\x04", "Word (.docx)"),
        ]
        for name, data, message in cases:
            with self.subTest(name=name):
                response = self.client.post(
                    reverse("imports:plan-import"), {"unit": "QT.DH", "file": upload(name, data)}, follow=True
                )
                self.assertEqual(response.status_code, 200)
                self.assertEqual(response.request["PATH_INFO"], reverse("imports:plan-import"))
                self.assertContains(response, message)
        self.assertFalse(PlanImport.objects.exists())

    def test_a_file_of_50_mb_is_refused_before_it_is_read(self):
        class Unreadable(SimpleUploadedFile):
            def read(self, *args, **kwargs):
                raise AssertionError("a refused file must not be read")

        big = Unreadable("ke-hoach.pdf", b"%PDF-")
        big.size = 50 * 1024 * 1024
        form = PlanUploadForm({"unit": "QT.DH"}, {"file": big}, user=self.alice)
        self.assertFalse(form.is_valid())
        self.assertIn("too large", form.errors["file"][0])

    def test_a_file_and_a_text_together_or_neither(self):
        self.login(self.alice)
        for data in ({"unit": "QT.DH"}, {"unit": "QT.DH", "text": "x", "file": upload("a.txt", SEED)}):
            response = self.client.post(reverse("imports:plan-import"), data)
            self.assertEqual(response.status_code, 200)
            self.assertTrue(response.context["form"].non_field_errors())
        self.assertFalse(PlanImport.objects.exists())


class SideBySideTests(PlanImportTestCase):
    def test_the_source_is_shown_with_each_field_marked(self):
        plan_import = self.import_seed()
        self.login(self.alice)
        response = self.client.get(reverse("imports:plan-import-detail", args=[plan_import.pk]))
        self.assertEqual(response.status_code, 200)
        html = response.content.decode()
        self.assertIn('data-testid="plan-source"', html)
        self.assertIn(
            '<mark class="src" data-fields="date" id="src-date-0">ngày 22 tháng 02 năm 2021</mark>', html
        )
        self.assertIn('id="src-signer-name-0">Nguyễn Thị Thu Hà</mark>', html)
        self.assertIn('id="src-theme-0">Tận dụng cơ hội', html)
        # A movement inside a content item is marked as both.
        self.assertIn(
            'data-fields="contents movements" id="src-movements-0">Lao động giỏi, Lao động sáng tạo</mark>',
            html,
        )
        # The draft, filled in.
        form = response.context["form"]
        self.assertEqual(
            form["title"].value(),
            "Tổ chức phong trào thi đua trong đoàn viên, CNVCLĐ và các cấp công đoàn năm 2021",
        )
        self.assertEqual(form["issued_on"].value().isoformat(), "2021-02-22")
        self.assertEqual(response.context["phases"].initial[0]["name"], "Đợt 1")

    def test_missing_and_unsure_fields_say_check_this(self):
        plan_import = self.import_seed()
        self.login(self.alice)
        response = self.client.get(reverse("imports:plan-import-detail", args=[plan_import.pk]))
        self.assertContains(response, 'data-testid="check-number"')
        self.assertContains(response, "Not found in the text: fill it in.")
        self.assertContains(response, 'data-testid="check-issuer"')  # read from the body, and not Đông Hà
        self.assertNotContains(response, 'data-testid="check-title"')
        self.assertNotContains(response, 'data-testid="check-issued_on"')

    def test_movements_are_matched_to_the_catalogue_and_new_ones_offered(self):
        plan_import = self.import_seed()
        self.login(self.alice)
        response = self.client.get(reverse("imports:plan-import-detail", args=[plan_import.pk]))
        form = response.context["form"]
        self.assertEqual(form.initial["movements"], [self.known.pk])
        new = [name for name, _label in form.fields["add_movements"].choices]
        self.assertEqual(len(new), 9)
        self.assertNotIn("Lao động giỏi, Lao động sáng tạo", new)
        self.assertEqual(form.initial["add_movements"], new)
        found = response.context["found_movements"]
        self.assertEqual([m["in_catalogue"] for m in found], [True] + [False] * 9)

    def test_charlie_gets_404_and_bob_403(self):
        plan_import = self.import_seed()
        url = reverse("imports:plan-import-detail", args=[plan_import.pk])
        self.login(self.charlie)
        self.assertEqual(self.client.get(url).status_code, 404)
        self.assertEqual(self.client.post(url, self.post_data(plan_import)).status_code, 404)
        self.login(self.bob)
        self.assertEqual(self.client.get(url).status_code, 403)
        self.assertEqual(self.client.post(url, self.post_data(plan_import)).status_code, 403)
        self.assertFalse(Plan.objects.exists())

    def test_the_page_survives_odd_text(self):
        self.login(self.alice)
        odd = 'KẾ HOẠCH\n\n“ ” " « I. II. 1. - + Đợt 1: từ nay đến 31/02 Nơi nhận: TM. \n\x00\x07 <script>x</script>'
        response = self.client.post(
            reverse("imports:plan-import"), {"unit": "QT.DH", "text": odd}, follow=True
        )
        # The side-by-side page when it reads as a plan, else the upload page with the reason.
        self.assertEqual(response.status_code, 200)
        self.assertNotIn("<script>x</script>", response.content.decode())


class SaveDraftTests(PlanImportTestCase):
    def test_saving_creates_a_draft_through_the_services(self):
        plan_import = self.import_seed()
        self.login(self.alice)
        url = reverse("imports:plan-import-detail", args=[plan_import.pk])
        response = self.client.post(url, self.post_data(plan_import, number="45/KH-LĐLĐ"))
        plan = Plan.objects.get()
        self.assertRedirects(response, reverse("campaigns:plan-detail", args=[plan.pk]))
        self.assertEqual(
            (plan.status, plan.unit, plan.created_by), (Plan.Status.DRAFT, self.dongha, self.alice)
        )
        self.assertEqual(plan.number, "45/KH-LĐLĐ")
        self.assertEqual(
            (plan.year, plan.place, plan.issued_on.isoformat()), (2021, "Quảng Trị", "2021-02-22")
        )
        self.assertEqual(
            plan.theme,
            "Tận dụng cơ hội, vượt mọi khó khăn, nỗ lực phấn đấu, đưa nghị quyết của Đảng vào cuộc sống",
        )
        self.assertEqual(len(plan.purposes), 3)
        self.assertEqual([c["number"] for c in plan.contents], ["2.1", "2.2", "2.3", "2.4", "2.5"])
        self.assertEqual(len(plan.recipients), 6)
        self.assertEqual(plan.recipients[0], "- Tổng LĐLĐ Việt Nam (Ban CSKTXH và TĐKT);")
        self.assertEqual(
            (plan.signer_authority, plan.signer_title, plan.signer_name),
            ("TM. BAN THƯỜNG VỤ", "PHÓ CHỦ TỊCH", "Nguyễn Thị Thu Hà"),
        )
        self.assertTrue(plan.closing.startswith("Trong quá trình tổ chức thực hiện"))
        self.assertEqual(
            [(p.name, p.start.isoformat(), p.end.isoformat()) for p in plan.phases.all()],
            [("Đợt 1", "2021-02-22", "2021-06-30"), ("Đợt 2", "2021-07-01", "2021-12-31")],
        )
        self.assertEqual(
            [(d.level, d.level_label, len(d.items)) for d in plan.duties.all()],
            [
                ("issuer", "Liên đoàn Lao động tỉnh", 7),
                ("upper_grassroots", "Công đoàn cấp trên trực tiếp cơ sở và công đoàn cơ sở", 4),
            ],
        )
        target = plan.targets.get()
        self.assertEqual(
            (target.text, target.count, target.kind, target.unit_level),
            ("ít nhất 01 mô hình điểm", 1, "pilot_model", 2),
        )
        self.assertEqual(target.duty, plan.duties.all()[1])
        # One movement from the province's catalogue, nine new ones added to Đông Hà's.
        names = [pm.movement.name for pm in plan.plan_movements.select_related("movement")]
        self.assertEqual(len(names), 10)
        self.assertEqual(names[0], self.known.name)
        self.assertEqual(Movement.objects.filter(unit=self.dongha).count(), 9)
        plan_import.refresh_from_db()
        self.assertEqual((plan_import.plan, plan_import.saved_by), (plan, self.alice))
        # The draft is among the campaigns, and nothing was issued.
        listing = self.client.get(reverse("campaigns:plan-list"))
        self.assertContains(listing, plan.title)
        self.assertFalse(plan.deliveries.exists())

    def test_the_officer_may_leave_new_movements_out(self):
        plan_import = self.import_seed()
        self.login(self.alice)
        data = self.post_data(plan_import)
        data["add_movements"] = data["add_movements"][:1]
        self.client.post(reverse("imports:plan-import-detail", args=[plan_import.pk]), data)
        plan = Plan.objects.get()
        self.assertEqual(plan.plan_movements.count(), 2)
        self.assertEqual(Movement.objects.filter(unit=self.dongha).count(), 1)

    def test_a_refused_draft_saves_nothing(self):
        plan_import = self.import_seed()
        self.login(self.alice)
        # A phase outside the plan's year: the campaigns service refuses the whole draft.
        data = self.post_data(plan_import, **{"phases-1-end": "31/01/2022"})
        response = self.client.post(reverse("imports:plan-import-detail", args=[plan_import.pk]), data)
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "falls outside the plan")
        self.assertFalse(Plan.objects.exists())
        self.assertFalse(Movement.objects.filter(unit=self.dongha).exists())
        plan_import.refresh_from_db()
        self.assertIsNone(plan_import.plan)

    def test_a_phase_without_dates_must_be_completed(self):
        text = (
            "KẾ HOẠCH\nThi đua năm 2022\nI. MỤC ĐÍCH, YÊU CẦU\n1. Động viên.\n"
            "II. THỜI GIAN THI ĐUA\nĐợt 1: Đến 30/6/2022: phát động.\n"
        )
        plan_import = services.plan_import_create(unit=self.dongha, uploaded_by=self.alice, text=text)
        self.login(self.alice)
        url = reverse("imports:plan-import-detail", args=[plan_import.pk])
        page = self.client.get(url)
        self.assertContains(page, "Start date not found.")
        response = self.client.post(url, self.post_data(plan_import))
        self.assertEqual(response.status_code, 200)
        self.assertFalse(Plan.objects.exists())
        response = self.client.post(url, self.post_data(plan_import, **{"phases-0-start": "01/03/2022"}))
        self.assertEqual(Plan.objects.get().phases.get().start.isoformat(), "2022-03-01")

    def test_it_is_saved_once(self):
        plan_import = self.import_seed()
        self.login(self.alice)
        url = reverse("imports:plan-import-detail", args=[plan_import.pk])
        self.client.post(url, self.post_data(plan_import))
        response = self.client.post(url, self.post_data(plan_import))
        plan = Plan.objects.get()
        self.assertRedirects(response, reverse("campaigns:plan-detail", args=[plan.pk]))
        page = self.client.get(url)
        self.assertContains(page, 'data-testid="plan-import-saved"')
        self.assertNotContains(page, 'data-testid="plan-draft-form"')


class ListTests(PlanImportTestCase):
    def test_the_list_shows_the_units_imports_in_a_fixed_number_of_queries(self):
        self.login(self.alice)
        self.import_seed()
        url = reverse("imports:plan-import-list")
        with CaptureQueriesContext(connection) as one:
            self.client.get(url)
        for _ in range(3):
            self.import_seed()
        with self.assertNumQueries(len(one)):
            response = self.client.get(url)
        self.assertEqual(len(response.context["page"]), 4)
        self.assertContains(response, "Tổ chức phong trào thi đua trong đoàn viên")

    def test_charlie_and_bob_see_none_of_them(self):
        self.import_seed()
        for user in (self.charlie, self.bob):
            self.login(user)
            response = self.client.get(reverse("imports:plan-import-list"))
            self.assertEqual(len(response.context["page"]), 0)


class HighlightTests(SimpleTestCase):
    def test_overlapping_spans_are_marked_once_each_run(self):
        text = "2.2. phong trào “Lao động giỏi” <b>"
        spans = {"contents": [[5, len(text)]], "movements": [[17, 30]], "bad": [[40, 90], ["x", 1]]}
        html = highlight(text, spans)
        self.assertEqual(
            html,
            "2.2. "
            '<mark class="src" data-fields="contents" id="src-contents-0">phong trào “</mark>'
            '<mark class="src" data-fields="contents movements" id="src-movements-0">Lao động giỏi</mark>'
            '<mark class="src" data-fields="contents">” &lt;b&gt;</mark>',
        )

    def test_two_spans_starting_together_keep_both_ids(self):
        html = highlight("Đợt 1: nay", {"phases": [[0, 10]], "duties": [[0, 5]]})
        self.assertIn('id="src-phases-0"', html)
        self.assertIn('id="src-duties-0"', html)
