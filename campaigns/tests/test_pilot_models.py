import io
import shutil
import tempfile

from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse
from PIL import Image

from campaigns.models import ContestEntry, PilotModel, PilotModelPhoto
from campaigns.tests.factories_targets import TargetTestCase

MEDIA = tempfile.mkdtemp(prefix="thidua-pilot-test-")


def png_bytes() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (8, 8), (200, 30, 30)).save(out, format="PNG")
    return out.getvalue()


@override_settings(MEDIA_ROOT=MEDIA)
class PilotModelPageTests(TargetTestCase):
    @classmethod
    def tearDownClass(cls):
        super().tearDownClass()
        shutil.rmtree(MEDIA, ignore_errors=True)

    def test_the_list_shows_the_plans_pilot_models_in_scope(self):
        self.login(self.alice)
        r = self.client.get(reverse("campaigns:pilot-list", args=[self.plan.pk]))
        self.assertEqual(r.status_code, 200)
        self.assertEqual([p.name for p in r.context["pilots"]], ["Trường học hạnh phúc"])
        self.assertTrue(r.context["can_create"])

    def test_the_list_filters_by_status(self):
        self.login(self.dana)
        url = reverse("campaigns:pilot-list", args=[self.plan.pk])
        r = self.client.get(url, {"status": "planned"})
        self.assertEqual([p.name for p in r.context["pilots"]], ["Chỉ mới dự kiến"])
        r = self.client.get(url, {"unit": self.camlo.pk})
        self.assertEqual([p.name for p in r.context["pilots"]], ["Bữa cơm công đoàn"])

    def test_the_list_query_count_is_bounded(self):
        self.login(self.dana)
        url = reverse("campaigns:pilot-list", args=[self.plan.pk])
        self.client.get(url)
        for i in range(5):
            PilotModel.objects.create(plan=self.plan, unit=self.vinhlinh, name=f"M{i}")
        with self.assertNumQueries(9):
            r = self.client.get(url)
        self.assertEqual(len(r.context["pilots"]), 8)

    def test_alice_records_a_pilot_model_and_it_is_audited(self):
        self.login(self.alice)
        r = self.client.post(
            reverse("campaigns:pilot-create", args=[self.plan.pk]),
            {
                "unit": self.factory.pk,
                "name": "Nhà trọ công nhân",
                "status": "in_progress",
                "started_on": "15/03/2025",
                "description": "",
            },
        )
        pilot = PilotModel.objects.get(name="Nhà trọ công nhân")
        self.assertRedirects(r, reverse("campaigns:pilot-detail", args=[pilot.pk]))
        self.assertEqual(pilot.unit, self.factory)
        self.assertEqual(pilot.created_by, self.alice)
        self.assertEqual(str(pilot.started_on), "2025-03-15")
        entry = LogEntry.objects.get(
            content_type=ContentType.objects.get_for_model(PilotModel),
            object_pk=str(pilot.pk),
            action=LogEntry.Action.CREATE,
        )
        self.assertEqual(entry.actor, self.alice)

    def test_alice_cannot_record_for_a_unit_outside_her_subtree(self):
        self.login(self.alice)
        r = self.client.post(
            reverse("campaigns:pilot-create", args=[self.plan.pk]),
            {"unit": self.camlo.pk, "name": "Không được", "status": "planned"},
        )
        self.assertEqual(r.status_code, 200)
        self.assertFalse(PilotModel.objects.filter(name="Không được").exists())

    def test_bob_gets_403_on_writes(self):
        self.login(self.bob)
        self.assertEqual(
            self.client.get(reverse("campaigns:pilot-create", args=[self.plan.pk])).status_code, 403
        )
        r = self.client.post(
            reverse("campaigns:pilot-create", args=[self.plan.pk]),
            {"unit": self.school.pk, "name": "X", "status": "planned"},
        )
        self.assertEqual(r.status_code, 403)
        self.assertEqual(
            self.client.get(reverse("campaigns:pilot-edit", args=[self.pilot.pk])).status_code, 403
        )
        r = self.client.post(reverse("campaigns:pilot-status", args=[self.pilot.pk]), {"status": "completed"})
        self.assertEqual(r.status_code, 403)
        r = self.client.post(
            reverse("campaigns:pilot-photo-add", args=[self.pilot.pk]),
            {"image": SimpleUploadedFile("a.png", png_bytes())},
        )
        self.assertEqual(r.status_code, 403)
        self.assertEqual(
            self.client.get(reverse("campaigns:contest-create", args=[self.plan.pk])).status_code, 403
        )
        self.pilot.refresh_from_db()
        self.assertEqual(self.pilot.status, PilotModel.Status.IN_PROGRESS)
        self.assertEqual(
            self.client.get(reverse("campaigns:pilot-detail", args=[self.pilot.pk])).status_code, 200
        )

    def test_alice_edits_and_changes_status(self):
        self.login(self.alice)
        r = self.client.post(
            reverse("campaigns:pilot-edit", args=[self.pilot.pk]),
            {"name": "Trường học hạnh phúc 2025", "description": "Mô tả"},
        )
        self.assertRedirects(r, reverse("campaigns:pilot-detail", args=[self.pilot.pk]))
        self.client.post(reverse("campaigns:pilot-status", args=[self.pilot.pk]), {"status": "recognised"})
        self.pilot.refresh_from_db()
        self.assertEqual((self.pilot.name, self.pilot.status), ("Trường học hạnh phúc 2025", "recognised"))

    def test_charlie_gets_404(self):
        self.login(self.charlie)
        photo = PilotModelPhoto.objects.create(
            pilot_model=self.pilot, image=SimpleUploadedFile("p.png", png_bytes())
        )
        for name, pk in [
            ("pilot-list", self.plan.pk),
            ("pilot-create", self.plan.pk),
            ("pilot-detail", self.pilot.pk),
            ("pilot-edit", self.pilot.pk),
            ("pilot-photo", photo.pk),
            ("contest-list", self.plan.pk),
            ("contest-create", self.plan.pk),
        ]:
            with self.subTest(name):
                self.assertEqual(self.client.get(reverse(f"campaigns:{name}", args=[pk])).status_code, 404)
        r = self.client.post(reverse("campaigns:pilot-status", args=[self.pilot.pk]), {"status": "completed"})
        self.assertEqual(r.status_code, 404)

    def test_a_photo_is_uploaded_and_served_through_the_scoped_view(self):
        self.login(self.alice)
        r = self.client.post(
            reverse("campaigns:pilot-photo-add", args=[self.pilot.pk]),
            {"image": SimpleUploadedFile("anh.PNG", png_bytes()), "caption": "Khai trương"},
        )
        self.assertRedirects(r, reverse("campaigns:pilot-detail", args=[self.pilot.pk]))
        photo = PilotModelPhoto.objects.get(pilot_model=self.pilot)
        r = self.client.get(reverse("campaigns:pilot-photo", args=[photo.pk]))
        self.assertEqual(r.status_code, 200)
        self.assertEqual(r["Content-Type"], "image/png")
        self.assertEqual(b"".join(r.streaming_content), png_bytes())
        self.login(self.bob)  # read-only in scope may see it
        self.assertEqual(self.client.get(reverse("campaigns:pilot-photo", args=[photo.pk])).status_code, 200)
        page = self.client.get(reverse("campaigns:pilot-detail", args=[self.pilot.pk]))
        self.assertContains(page, reverse("campaigns:pilot-photo", args=[photo.pk]))
        self.assertNotContains(page, "/media/")

    def test_bad_photos_are_rejected(self):
        self.login(self.alice)
        url = reverse("campaigns:pilot-photo-add", args=[self.pilot.pk])
        bad = [
            SimpleUploadedFile("script.txt", png_bytes()),  # wrong extension
            SimpleUploadedFile("fake.png", b"<html>not an image</html>"),  # not an image
            SimpleUploadedFile("big.jpg", b"\xff\xd8" + b"0" * (5 * 1024 * 1024)),  # over 5 MB
        ]
        for upload in bad:
            with self.subTest(upload.name):
                r = self.client.post(url, {"image": upload}, follow=True)
                self.assertEqual(r.status_code, 200)
                self.assertEqual(len([m for m in r.context["messages"] if m.level_tag == "error"]), 1)
        self.assertFalse(PilotModelPhoto.objects.exists())


class ContestEntryPageTests(TargetTestCase):
    def test_alice_records_a_contest_entry(self):
        self.login(self.alice)
        r = self.client.post(
            reverse("campaigns:contest-create", args=[self.plan.pk]),
            {
                "unit": self.school.pk,
                "title": "Phần mềm xếp lịch",
                "authors": "Nguyễn Văn A",
                "submitted_on": "01/06/2025",
            },
        )
        self.assertRedirects(r, reverse("campaigns:contest-list", args=[self.plan.pk]))
        r = self.client.get(reverse("campaigns:contest-list", args=[self.plan.pk]))
        self.assertEqual(len(r.context["entries"]), 3)
        self.assertContains(r, "01/06/2025")
        ct = ContentType.objects.get_for_model(ContestEntry)
        self.assertTrue(
            LogEntry.objects.filter(content_type=ct, actor=self.alice, action=LogEntry.Action.CREATE)
        )

    def test_a_closed_plan_takes_no_new_entries(self):
        self.plan.status = self.plan.Status.CLOSED
        self.plan.save(update_fields=["status"])
        self.login(self.alice)
        r = self.client.post(
            reverse("campaigns:contest-create", args=[self.plan.pk]),
            {"unit": self.school.pk, "title": "Muộn"},
        )
        self.assertEqual(r.status_code, 200)
        self.assertContains(r, 'data-testid="form-errors"')
