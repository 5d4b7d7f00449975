"""manage.py import_plan: the JSON of issue 7 on stdout, a draft with --unit, bad files refused."""

import io
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from django.conf import settings
from django.core.management import CommandError, call_command
from django.test import SimpleTestCase

from campaigns.models import Movement, Plan
from imports.models import PlanImport
from imports.plans.parser import FIELDS
from imports.tests.plan_samples import builders
from lib.testing import BaseTestCase, EnglishMixin

SAMPLES = Path(__file__).parent / "plan_samples"
SEED = SAMPLES / "seed_000.txt"


def run(*args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess:
    """The command as a shell runs it (no database needed for --json)."""
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.test", "LANG": "C", "LC_ALL": "C"}
    env.pop("PYTHONIOENCODING", None)
    return subprocess.run(
        [sys.executable, "manage.py", "import_plan", *args],
        cwd=settings.BASE_DIR,
        env=env,
        input=stdin,
        capture_output=True,
        timeout=120,
    )


class JsonOutputTests(SimpleTestCase):
    maxDiff = None

    def test_json_has_exactly_the_issues_keys_as_utf8(self):
        done = run(str(SEED), "--json")
        self.assertEqual(done.returncode, 0, done.stderr)
        text = done.stdout.decode("utf-8")  # UTF-8 even under LANG=C
        self.assertIn("Nguyễn Thị Thu Hà", text)  # not \u escapes
        data = json.loads(text)
        self.assertEqual(list(data), FIELDS)
        self.assertEqual(data["date"], "2021-02-22")
        self.assertIsNone(data["number"])
        self.assertEqual(
            data["phases"][0],
            {**data["phases"][0], "name": "Đợt 1", "start": "2021-02-22", "end": "2021-06-30"},
        )
        self.assertEqual(list(data["contents"][0]), ["number", "text"])
        self.assertEqual(list(data["phases"][0]), ["name", "start", "end", "purpose"])
        self.assertEqual(list(data["duties"][0]), ["level", "items"])
        self.assertEqual(list(data["targets"][0]), ["text", "count", "level"])
        self.assertEqual(list(data["signer"]), ["authority", "title", "name"])

    def test_a_word_file_and_stdin(self):
        with tempfile.NamedTemporaryFile(suffix=".docx") as fh:
            fh.write(builders.plan_docx())
            fh.flush()
            done = run(fh.name, "--json")
        self.assertEqual(done.returncode, 0, done.stderr)
        self.assertEqual(json.loads(done.stdout), builders.EXPECTED)
        done = run("-", "--json", stdin=SEED.read_bytes())
        self.assertEqual(json.loads(done.stdout)["signer"]["name"], "Nguyễn Thị Thu Hà")

    def test_bad_input_exits_1_with_a_message_on_stderr(self):
        with tempfile.TemporaryDirectory() as tmp:
            empty = Path(tmp, "trong.txt")
            empty.write_bytes(b"")
            scan = Path(tmp, "scan.pdf")
            scan.write_bytes(builders.scanned_pdf())
            zipped = Path(tmp, "ke-hoach.docx")
            zipped.write_bytes(builders.zip_not_docx())
            letter = Path(tmp, "thu.txt")
            letter.write_text("Kính gửi: Ban Giám đốc\nThông báo lịch nghỉ lễ.", encoding="utf-8")
            big = Path(tmp, "lon.pdf")
            with big.open("wb") as fh:  # sparse: 60 MB on paper, nothing on disk
                fh.truncate(60 * 1024 * 1024)
            for path in (empty, scan, zipped, letter, big, Path(tmp, "khong-co.txt")):
                with self.subTest(path=path.name):
                    done = run(str(path), "--json")
                    self.assertEqual(done.returncode, 1)
                    self.assertEqual(done.stdout, b"")
                    self.assertIn(path.name, done.stderr.decode("utf-8"))
                    self.assertIn("CommandError", done.stderr.decode("utf-8"))


class DraftCommandTests(EnglishMixin, BaseTestCase):
    def call(self, *args) -> tuple[str, str]:
        out, err = io.StringIO(), io.StringIO()
        call_command("import_plan", *args, stdout=out, stderr=err)
        return out.getvalue(), err.getvalue()

    def test_unit_creates_a_draft_and_prints_its_id(self):
        out, _err = self.call(str(SEED), "--unit", "QT")
        plan = Plan.objects.get()
        self.assertEqual(out.strip(), str(plan.pk))
        self.assertEqual((plan.unit, plan.status, plan.created_by), (self.quangtri, Plan.Status.DRAFT, None))
        self.assertEqual((plan.year, plan.issued_on.isoformat(), plan.number), (2021, "2021-02-22", ""))
        self.assertEqual(plan.phases.count(), 2)
        self.assertEqual(plan.duties.count(), 2)
        self.assertEqual(plan.targets.get().count, 1)
        self.assertEqual(plan.plan_movements.count(), 10)
        self.assertEqual(Movement.objects.filter(unit=self.quangtri).count(), 10)
        self.assertEqual(PlanImport.objects.get().plan, plan)

    def test_a_user_may_be_named_as_author(self):
        self.call(str(SAMPLES / "district_cam_lo.txt"), "--unit", "QT.DH", "--user", "alice")
        plan = Plan.objects.get()
        self.assertEqual((plan.created_by, plan.title[:20]), (self.alice, "Phát động phong trào"))
        self.assertEqual(plan.phases.count(), 3)

    def test_a_phase_without_dates_is_left_out_and_said_so(self):
        with tempfile.NamedTemporaryFile("w", suffix=".txt", encoding="utf-8") as fh:
            fh.write(
                "KẾ HOẠCH\nThi đua năm 2022\nI. MỤC ĐÍCH, YÊU CẦU\n1. Động viên.\nII. THỜI GIAN\nĐợt 1: phát động.\n"
            )
            fh.flush()
            _out, err = self.call(fh.name, "--unit", "QT")
        self.assertIn("Đợt 1", err)
        self.assertFalse(Plan.objects.get().phases.exists())

    def test_bad_input_creates_nothing(self):
        with tempfile.NamedTemporaryFile(suffix=".pdf") as fh:
            fh.write(builders.scanned_pdf())
            fh.flush()
            with self.assertRaisesMessage(CommandError, "no text layer"):
                self.call(fh.name, "--unit", "QT")
        with self.assertRaisesMessage(CommandError, "No unit has the code"):
            self.call(str(SEED), "--unit", "NOPE")
        # Read, but refused by the campaigns services (no year anywhere): nothing kept either.
        with tempfile.NamedTemporaryFile("w", suffix=".txt", encoding="utf-8") as fh:
            fh.write("KẾ HOẠCH\nThi đua chào mừng Đại hội\nI. MỤC ĐÍCH, YÊU CẦU\n1. Động viên.\n")
            fh.flush()
            with self.assertRaisesMessage(CommandError, "No draft was saved"):
                self.call(fh.name, "--unit", "QT")
        self.assertFalse(Plan.objects.exists())
        self.assertFalse(PlanImport.objects.exists())
        self.assertFalse(Movement.objects.exists())

    def test_without_options_it_summarises(self):
        out, _err = self.call(str(SEED))
        self.assertIn("phases: 2", out)
        self.assertIn("number: —", out)
        self.assertFalse(Plan.objects.exists())
