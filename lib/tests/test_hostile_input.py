"""Hostile uploads (issue 11, item 4): every one is refused quickly, with a clear Vietnamese
message, and nothing is saved; what slips past the gate is stopped by the sandbox; a job whose
worker died is marked failed and can be run again.

The files are built in the test (lib/tests/hostile_files.py): a 95 MB document.xml in a
0.4 MB .docx, 1 GB of sheet XML in a 4 MB .xlsx, billion laughs in both, a sheet of 200,001
rows, polyglots, a zip of 5,000 members. The pages are opened in Vietnamese (the default).
"""

from __future__ import annotations

import datetime
import io
import os
import shutil
import signal
import tempfile
import time
import zipfile
from pathlib import Path
from unittest import mock

from auditlog.models import LogEntry
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.test import SimpleTestCase, override_settings
from django.urls import reverse
from django.utils import timezone, translation
from django_tasks import task

from campaigns.models import MemberPledge
from campaigns.services.registrations import registration_start
from campaigns.tests.factories_registrations import PlanTestCase
from imports import jobs
from imports.models import ImportJob, PlanImport, UploadJob
from imports.plans.extract import PlanFileError
from imports.plans.services import _read_in_sandbox
from imports.tests.rosters import member_rows, write_csv
from lib import sandbox, uploads
from lib.tabular.readers import ImportFileError, _rows_for_sandbox, open_rows, read_rows
from lib.testing import BaseTestCase
from lib.tests import hostile_files as hostile
from org.models import Member
from reports.services.reports import evidence_check

FAST = 5.0  # seconds: generous for a loaded CI machine; the gate answers in well under one
ZIP_BOMB = "bom nén"
XML_DECLARATIONS = "khai báo XML (DOCTYPE hoặc ENTITY)"
TWO_FORMATS = "đồng thời mang hai định dạng"


@task()
def noop() -> None:
    """A task that does nothing: what matters is that a worker starts it."""


class Timer:
    def __enter__(self) -> Timer:
        self.start = time.monotonic()
        return self

    def __exit__(self, *exc) -> None:
        self.seconds = time.monotonic() - self.start


class MediaMixin:
    """Uploads go to a directory of the test's own."""

    def setUp(self) -> None:
        super().setUp()
        self.media = Path(tempfile.mkdtemp(prefix="thidua-hostile-test-"))
        self.addCleanup(shutil.rmtree, self.media, ignore_errors=True)
        media = override_settings(MEDIA_ROOT=self.media)
        media.enable()
        self.addCleanup(media.disable)


class HostileUploadTestCase(MediaMixin, BaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.login(self.alice)
        self.members = Member.objects.count()

    def post(self, url: str, name: str, data: bytes, **fields):
        with Timer() as timer:
            response = self.client.post(url, {**fields, "file": SimpleUploadedFile(name, data)})
        self.assertLess(timer.seconds, FAST, f"{name} took {timer.seconds:.1f} s")
        return response

    def roster(self, name: str, data: bytes):
        return self.post(reverse("imports:job-create"), name, data, unit="QT.DH")

    def plan(self, name: str, data: bytes):
        return self.post(reverse("imports:plan-import"), name, data, unit="QT.DH")

    def assertRefused(self, response, fragment: str) -> None:
        """Refused on the form, in Vietnamese, with nothing stored or queued."""
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, fragment)
        self.assertFalse(ImportJob.objects.exists())
        self.assertFalse(UploadJob.objects.exists())
        self.assertFalse(PlanImport.objects.exists())
        self.assertEqual(Member.objects.count(), self.members)


class ZipBombTests(HostileUploadTestCase):
    def test_a_docx_bomb_is_refused_on_the_plan_page(self):
        data = hostile.docx_bomb()
        self.assertLess(len(data), 512 * 1024)
        self.assertRefused(self.plan("ke-hoach.docx", data), ZIP_BOMB)

    def test_an_xlsx_bomb_is_refused_on_the_roster_page(self):
        data = hostile.xlsx_bomb()
        self.assertLess(len(data), 5 * 1024 * 1024)
        self.assertRefused(self.roster("danh-sach.xlsx", data), ZIP_BOMB)

    def test_the_xlsx_bomb_is_refused_on_every_sheet_upload(self):
        data = hostile.xlsx_bomb(256 * hostile.MB)
        self.assertRefused(
            self.post(reverse("awards:register-import"), "so.xlsx", data, unit=self.dongha.pk), ZIP_BOMB
        )

    def test_a_zip_of_thousands_of_members_is_refused(self):
        self.assertRefused(
            self.roster("danh-sach.xlsx", hostile.zip_of_many(5000)),
            "quá nhiều thành phần (5009; tối đa 1000)",
        )

    def test_a_zip_inflating_past_the_kinds_limit_is_refused_even_at_a_plain_ratio(self):
        """A bomb of ordinary compression: its unpacked size alone gives it away."""
        with self.assertRaises(uploads.UploadRefused) as ctx:
            uploads.check_bytes(hostile.docx_bomb(45 * hostile.MB), kind="plan", name="k.docx")
        self.assertEqual(ctx.exception.reason, "zip")


class BillionLaughsTests(HostileUploadTestCase):
    def test_billion_laughs_in_an_xlsx_is_refused(self):
        self.assertRefused(self.roster("danh-sach.xlsx", hostile.xlsx_laughs()), XML_DECLARATIONS)

    def test_billion_laughs_in_a_docx_is_refused(self):
        self.assertRefused(self.plan("ke-hoach.docx", hostile.docx_laughs()), XML_DECLARATIONS)

    def test_a_declaration_hidden_after_a_long_prolog_is_refused(self):
        comment = b"<!--" + b"x" * 70_000 + b"-->"
        sheet = b'<?xml version="1.0"?>' + comment + hostile.LAUGHS.split(b"?>", 1)[1] + b"<worksheet/>"
        data = hostile.zip_bytes(hostile._replace(hostile._plain_xlsx(), "xl/worksheets/sheet1.xml", sheet))
        with self.assertRaises(uploads.UploadRefused) as ctx:
            uploads.check_bytes(data, kind="sheet", name="a.xlsx")
        self.assertEqual(ctx.exception.reason, "xml")
        self.assertEqual(uploads.xml_prolog(sheet[: uploads.XML_PROLOG_BYTES]), "unknown")
        self.assertEqual(
            uploads.xml_prolog(b'<?xml version="1.0"?>\n<!-- c --><!DOCTYPE x []><x/>'), "declaration"
        )
        self.assertEqual(uploads.xml_prolog(b'\xef\xbb\xbf<?xml version="1.0"?>\r\n<worksheet/>'), "ok")
        self.assertEqual(uploads.xml_prolog("<?xml version='1.0'?><w/>".encode("utf-16")), "ok")


class RowLimitTests(HostileUploadTestCase):
    def test_a_sheet_of_200_001_rows_is_over_the_default_limit(self):
        data = hostile.xlsx_rows(200_001)
        self.assertRefused(self.roster("danh-sach.xlsx", data), "Trang tính có hơn 200.000 dòng")

    @override_settings(IMPORT_MAX_ROWS=1000)
    def test_the_limit_is_a_setting_and_the_worker_counts_too(self):
        """A CSV is counted by the sandboxed reader: the job fails, nothing is saved."""
        path = write_csv(self.media / "dai.csv", member_rows(1000))  # 1,001 rows with the header
        response = self.post(reverse("imports:job-create"), "dai.csv", path.read_bytes(), unit="QT.DH")
        self.assertEqual(response.status_code, 302)
        job = ImportJob.objects.get()
        self.assertEqual(job.status, ImportJob.Status.FAILED)
        self.assertIn("Trang tính có hơn 1.000 dòng", job.message)
        self.assertEqual(Member.objects.count(), self.members)
        path = write_csv(self.media / "vua.csv", member_rows(999))
        response = self.post(reverse("imports:job-create"), "vua.csv", path.read_bytes(), unit="QT.DH")
        self.assertEqual(ImportJob.objects.latest("pk").status, ImportJob.Status.SUCCEEDED)
        self.assertEqual(Member.objects.count(), self.members + 999)


class PolyglotTests(HostileUploadTestCase):
    def test_a_pdf_with_a_zip_inside_is_refused_as_a_plan_and_as_a_roster(self):
        data = hostile.pdf_with_zip()
        self.assertRefused(self.plan("ke-hoach.pdf", data), TWO_FORMATS)
        self.assertRefused(self.roster("danh-sach.xlsx", data), TWO_FORMATS)

    def test_a_zip_whose_first_kilobyte_holds_a_pdf_is_refused(self):
        """A PDF stored (not deflated) as the first member: PDF readers find its header too."""
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w") as zf:
            zf.writestr("a.pdf", hostile.PDF, compress_type=zipfile.ZIP_STORED)
            for name, content in hostile._plain_xlsx():
                zf.writestr(name, content, compress_type=zipfile.ZIP_DEFLATED)
        with self.assertRaises(uploads.UploadRefused) as ctx:
            uploads.check_bytes(out.getvalue(), kind="sheet", name="a.xlsx")
        self.assertEqual(ctx.exception.reason, "polyglot")

    def test_data_after_the_end_of_a_zip_is_refused(self):
        with self.assertRaises(uploads.UploadRefused) as ctx:
            uploads.check_bytes(hostile.xlsx_rows(3) + hostile.PDF, kind="sheet", name="a.xlsx")
        self.assertEqual(ctx.exception.reason, "polyglot")

    def test_an_xlsx_that_is_really_a_web_page_or_a_csv_is_refused(self):
        self.assertRefused(self.roster("danh-sach.xlsx", hostile.html_table()), "trang web (HTML)")
        self.assertRefused(self.roster("danh-sach.xls", hostile.html_table()), "trang web (HTML)")
        self.assertRefused(self.roster("danh-sach.xlsx", hostile.csv_text()), "không phải là bảng tính")

    def test_a_picture_with_a_zip_appended_is_refused_as_evidence(self):
        upload = SimpleUploadedFile("anh.png", hostile.png_with_zip())
        with translation.override("vi"):
            self.assertIn(TWO_FORMATS, evidence_check(upload)[0])
        upload = SimpleUploadedFile("minh-chung.pdf", hostile.pdf_with_zip())
        with translation.override("vi"):
            self.assertIn(TWO_FORMATS, evidence_check(upload)[0])

    def test_the_same_files_as_what_they_claim_are_accepted(self):
        """The control: an honest CSV, PDF and picture pass."""
        self.assertEqual(uploads.check_bytes(hostile.csv_text(), kind="sheet", name="ds.csv"), "text")
        self.assertEqual(uploads.check_bytes(hostile.PDF, kind="evidence", name="a.pdf"), "pdf")
        self.assertEqual(uploads.check_bytes(hostile.xlsx_rows(10), kind="sheet", name="ds.xlsx"), "xlsx")


class SizeAndPictureTests(HostileUploadTestCase):
    @override_settings(IMPORT_MAX_UPLOAD_BYTES=1024 * 1024)
    def test_a_file_over_the_size_limit_is_refused(self):
        data = hostile.csv_text() * (1024 * 1024 // len(hostile.csv_text()) + 1)
        self.assertRefused(self.roster("danh-sach.csv", data), "Tệp lớn hơn 1,0")
        with self.assertRaises(uploads.UploadRefused) as ctx:
            uploads.check_bytes(data, kind="sheet", name="danh-sach.csv")
        self.assertEqual(ctx.exception.reason, "size")

    def test_a_picture_bomb_is_refused(self):
        data = hostile.png_bomb()
        with translation.override("vi"), Timer() as timer:
            errors = evidence_check(SimpleUploadedFile("anh.png", data))
        self.assertLess(timer.seconds, FAST)
        self.assertIn("Ảnh quá lớn (900 triệu điểm ảnh", errors[0])


class CommandTests(HostileUploadTestCase):
    def test_the_import_commands_pass_the_gate_too(self):
        bomb, plan = self.media / "bomb.xlsx", self.media / "ke-hoach.docx"
        bomb.write_bytes(hostile.xlsx_bomb())
        plan.write_bytes(hostile.docx_bomb())
        for command, path, options in (
            ("import_members", bomb, {"unit": "QT.DH"}),
            ("import_award_register", bomb, {"unit": "QT.DH"}),
            ("import_plan", plan, {"unit": "QT.DH"}),
        ):
            with self.subTest(command), Timer() as timer, self.assertRaisesMessage(CommandError, ZIP_BOMB):
                call_command(command, str(path), **options)
            self.assertLess(timer.seconds, FAST)
        self.assertEqual(Member.objects.count(), self.members)
        self.assertFalse(PlanImport.objects.exists())


class WebRequestTests(HostileUploadTestCase):
    @override_settings(TASKS={"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}})
    def test_the_web_request_checks_and_stores_but_never_parses(self):
        with mock.patch.object(sandbox, "_Child", side_effect=AssertionError("parsed in the request")):
            response = self.plan("ke-hoach.docx", hostile.zip_bytes(hostile._plain_docx()))
        job = UploadJob.objects.get()
        self.assertRedirects(
            response, reverse("imports:upload-job", args=[job.pk]), fetch_redirect_response=False
        )
        self.assertEqual(job.status, UploadJob.Status.QUEUED)
        self.assertFalse(PlanImport.objects.exists())
        page = self.client.get(reverse("imports:upload-job", args=[job.pk]))
        self.assertContains(page, 'hx-get="{}"'.format(reverse("imports:upload-job-progress", args=[job.pk])))


class PastTheGateTests(SimpleTestCase):
    """What the gate would refuse, read without it: the sandbox and the parsers still hold."""

    databases = "__all__"  # the sandbox's child must refuse queries: the wrappers are checked

    def setUp(self) -> None:
        tmp = tempfile.TemporaryDirectory()
        self.addCleanup(tmp.cleanup)
        self.dir = Path(tmp.name)

    def test_the_xlsx_bomb_is_stopped_by_the_sandbox(self):
        path = self.dir / "bomb.xlsx"
        path.write_bytes(hostile.xlsx_bomb())
        limits = sandbox.Limits(cpu_seconds=2, memory_mb=512, wall_seconds=60)
        with Timer() as timer, self.assertRaises(sandbox.SandboxLimit):
            with sandbox.stream(_rows_for_sandbox, path, None, 10**9, limits=limits) as rows:
                for _row in rows:
                    pass
        self.assertLess(timer.seconds, 60)

    def test_the_docx_bomb_is_stopped_by_the_sandbox(self):
        limits = sandbox.Limits(cpu_seconds=3, memory_mb=256, wall_seconds=60)
        with Timer() as timer, self.assertRaises((sandbox.SandboxError, PlanFileError)):
            sandbox.call(
                _read_in_sandbox,
                hostile.docx_bomb(),
                "k.docx",
                None,
                limits=limits,
                expected=(PlanFileError,),
            )
        self.assertLess(timer.seconds, 60)

    def test_billion_laughs_expand_nothing_in_the_parsers(self):
        path = self.dir / "laughs.xlsx"
        path.write_bytes(hostile.xlsx_laughs())
        with Timer() as timer, self.assertRaises(ImportFileError):  # defusedxml under openpyxl
            with read_rows(path) as source:
                list(source.rows)
        self.assertLess(timer.seconds, FAST)
        with Timer() as timer:  # python-docx's lxml parser does not resolve entities
            try:
                text = _read_in_sandbox(hostile.docx_laughs(), "k.docx", None)["text"]
            except PlanFileError:
                text = ""
        self.assertLess(timer.seconds, FAST)
        self.assertNotIn("lollol", text)

    def test_the_gate_is_also_passed_by_the_readers_the_worker_uses(self):
        path = self.dir / "bomb.xlsx"
        path.write_bytes(hostile.xlsx_bomb())
        with translation.override("vi"), self.assertRaises(ImportFileError) as ctx:
            with open_rows(path, "bomb.xlsx"):
                pass
        self.assertIn(ZIP_BOMB, str(ctx.exception))


class SandboxTests(SimpleTestCase):
    databases = "__all__"
    LIMITS = sandbox.Limits(cpu_seconds=1, memory_mb=128, wall_seconds=30)

    def test_memory_cpu_and_time_are_limited(self):
        def hog():
            chunks = []
            while True:
                chunks.append(bytearray(16 * 1024 * 1024))

        def spin():
            while True:
                pass

        def sleep():
            time.sleep(60)

        for func, limit in ((hog, "memory"), (spin, "cpu")):
            with self.subTest(limit), self.assertRaises(sandbox.SandboxLimit) as ctx:
                sandbox.call(func, limits=self.LIMITS)
            self.assertEqual(ctx.exception.limit, limit)
        with Timer() as timer, self.assertRaises(sandbox.SandboxLimit) as ctx:
            sandbox.call(sleep, limits=sandbox.Limits(cpu_seconds=5, memory_mb=128, wall_seconds=0.5))
        self.assertEqual(ctx.exception.limit, "wall")
        self.assertLess(timer.seconds, FAST)

    def test_the_child_has_no_database_and_cannot_send_objects(self):
        from org.models import Unit

        with self.assertRaises(sandbox.SandboxError):
            sandbox.call(lambda: Unit.objects.count())
        with self.assertRaises(sandbox.SandboxError):
            sandbox.call(lambda: Path("/etc/passwd"))  # a class outside the allow-list
        with self.assertRaises(sandbox.SandboxError):  # a child that dies without a word
            sandbox.call(os._exit, 7)
        value = {"rows": [(1, ["a", 2.5, None, datetime.date(2020, 1, 2)])]}
        self.assertEqual(sandbox.call(lambda: value), value)

    def test_expected_errors_keep_their_class_and_message(self):
        def refuse():
            raise ImportFileError("Tệp bị hỏng")

        with self.assertRaisesMessage(ImportFileError, "Tệp bị hỏng"):
            sandbox.call(refuse, expected=(ImportFileError,))


class DeadWorkerTests(MediaMixin, PlanTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.login(self.alice)
        path = write_csv(self.media / "ds.csv", member_rows(3))
        self.job = ImportJob.objects.create(
            unit=self.dongha,
            created_by=self.alice,
            file=SimpleUploadedFile("ds.csv", path.read_bytes()),
            original_filename="ds.csv",
            language="vi",
            status=ImportJob.Status.RUNNING,
            started_at=timezone.now(),
        )

    def heartbeat_age(self) -> float:
        return time.time() - jobs.heartbeat_path(self.job).stat().st_mtime

    def test_a_killed_worker_leaves_a_job_that_is_marked_failed_and_can_run_again(self):
        pid = os.fork()
        if pid == 0:  # the "worker": beats, until it is killed mid-job (no database used here)
            try:
                with jobs.heartbeat(self.job, interval=0.05):
                    time.sleep(60)
            finally:
                os._exit(0)
        try:
            deadline = time.monotonic() + FAST
            while not jobs.heartbeat_path(self.job).exists() and time.monotonic() < deadline:
                time.sleep(0.05)
            time.sleep(0.3)
            self.assertLess(self.heartbeat_age(), 0.3)  # alive: beating
        finally:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
        time.sleep(0.5)
        self.assertGreater(self.heartbeat_age(), 0.4)  # dead: the heartbeat stopped with it

        with override_settings(IMPORT_JOB_STALE_SECONDS=0.3):
            page = self.client.get(reverse("imports:job-detail", args=[self.job.pk]))
        self.job.refresh_from_db()
        self.assertEqual(self.job.status, ImportJob.Status.FAILED)
        self.assertContains(page, "tiến trình chạy nền xử lý tệp đã kết thúc trước khi xong")
        self.assertContains(page, 'data-testid="import-rerun"')
        entry = LogEntry.objects.get_for_object(self.job).get()
        self.assertEqual((entry.actor, entry.changes_dict["status"]), (None, ["running", "failed"]))

        self.login(self.bob)  # a viewer may not run it again
        self.assertEqual(self.client.post(reverse("imports:job-rerun", args=[self.job.pk])).status_code, 403)
        self.login(self.alice)
        response = self.client.post(reverse("imports:job-rerun", args=[self.job.pk]))
        self.assertRedirects(response, reverse("imports:job-detail", args=[self.job.pk]))
        self.job.refresh_from_db()
        self.assertEqual(
            (self.job.status, self.job.added, self.job.message), (ImportJob.Status.SUCCEEDED, 3, "")
        )
        # the rerun is recorded as alice's status change; the import itself then adds one bulk
        # entry for the members it wrote (lib.audit.audit_bulk), the newest of the job's entries
        entries = list(LogEntry.objects.get_for_object(self.job).order_by("pk"))
        rerun = [e for e in entries if e.changes_dict.get("status") == ["failed", "queued"]]
        self.assertEqual([e.actor for e in rerun], [self.alice])
        self.assertIn("bulk", entries[-1].additional_data)

    def test_a_running_job_with_a_fresh_heartbeat_is_left_alone(self):
        with jobs.heartbeat(self.job), override_settings(IMPORT_JOB_STALE_SECONDS=60):
            self.client.get(reverse("imports:job-detail", args=[self.job.pk]))
        self.job.refresh_from_db()
        self.assertEqual(self.job.status, ImportJob.Status.RUNNING)

    def test_an_upload_job_left_running_is_failed_when_a_worker_starts_and_can_run_again(self):
        registration = registration_start(plan=self.plan, unit=self.dongha, created_by=self.alice)
        back = reverse("campaigns:pledge-import", args=[registration.pk])
        job = UploadJob.objects.create(
            kind=UploadJob.Kind.PLEDGES,
            unit=self.dongha,
            created_by=self.alice,
            file=SimpleUploadedFile(
                "ds.csv",
                "Họ và tên,Số CCCD,Danh hiệu đăng ký\nNguyễn Thị Thu Hà,045190000001,Lao động giỏi\n".encode(),
            ),
            original_filename="ds.csv",
            params={"registration": registration.pk, "back": back},
            status=UploadJob.Status.RUNNING,
            started_at=timezone.now() - datetime.timedelta(minutes=10),
        )
        noop.enqueue()  # a worker starting any task first fails the jobs of dead workers
        job.refresh_from_db()
        self.assertEqual(job.status, UploadJob.Status.FAILED)
        response = self.client.get(reverse("imports:upload-job", args=[job.pk]), follow=True)
        self.assertEqual(response.request["PATH_INFO"], back)
        self.assertContains(response, 'data-testid="upload-job-rerun"')
        response = self.client.post(reverse("imports:upload-job-rerun", args=[job.pk]), follow=True)
        self.assertRedirects(response, reverse("campaigns:registration-detail", args=[registration.pk]))
        self.assertEqual(MemberPledge.objects.get().member, self.ha)
