"""The seed plan round-trips: the demo campaign equals the seed's text, and so do its papers."""

import datetime
from io import BytesIO, StringIO

from django.core.management import call_command
from django.test import TestCase
from django.urls import reverse
from docx import Document
from docx.oxml.ns import qn
from rest_framework.authtoken.models import Token

from accounts.models import User
from campaigns.models import (
    Cluster,
    Covenant,
    Duty,
    LaunchEvent,
    PilotModel,
    Plan,
    PlanDelivery,
    Registration,
    Target,
)
from campaigns.papers import plan_paper
from demo import campaigns as demo
from documents.docx import build_docx
from documents.pdf import build_pdf
from imports.tests.seed_plan import SEED_MOVEMENTS
from org.models import Unit, UnitLevel
from reports.models import ScoreChange
from reports.services.scoring import cluster_ranking


class DemoCampaignTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        call_command("load_demo", members=200, stdout=StringIO())
        cls.province = Unit.objects.get(code="QT")
        cls.plan = Plan.objects.get(unit=cls.province, year=2021, parent_plan__isnull=True)
        cls.docx = Document(BytesIO(build_docx(plan_paper(cls.plan))))

    def test_the_seed_plan_is_an_issued_plan_of_the_province(self):
        plan = self.plan
        self.assertEqual(plan.status, Plan.Status.ISSUED)
        self.assertEqual((plan.year, plan.number, plan.place), (2021, "", "Quảng Trị"))
        self.assertEqual(plan.issued_on, datetime.date(2021, 2, 22))
        self.assertEqual(
            plan.title, "Tổ chức phong trào thi đua trong đoàn viên, CNVCLĐ và các cấp công đoàn năm 2021"
        )
        self.assertEqual(
            plan.theme,
            "Tận dụng cơ hội, vượt mọi khó khăn, nỗ lực phấn đấu, đưa nghị quyết của Đảng vào cuộc sống",
        )
        self.assertTrue(plan.preamble.startswith("Năm 2021 là năm đầu tiên thực hiện Nghị quyết"))
        self.assertTrue(plan.preamble.endswith("với các nội dung cụ thể như sau:"))
        self.assertNotIn("\n", plan.preamble)
        self.assertNotIn("  ", plan.preamble)  # the line breaks of the PDF are undone
        self.assertEqual(len(plan.purposes), 3)
        self.assertTrue(plan.purposes[2].endswith("triển khai thực hiện Nghị quyết Đại hội Đảng các cấp."))
        self.assertEqual([c["number"] for c in plan.contents], ["2.1", "2.2", "2.3", "2.4", "2.5"])
        self.assertIn("“Giỏi việc nước, đảm việc nhà”", plan.contents[1]["text"])

    def test_its_phases_are_the_seeds(self):
        phases = [(p.name, p.start, p.end) for p in self.plan.phases.all()]
        self.assertEqual(
            phases,
            [
                ("Đợt 1", datetime.date(2021, 2, 22), datetime.date(2021, 6, 30)),
                ("Đợt 2", datetime.date(2021, 7, 1), datetime.date(2021, 12, 31)),
            ],
        )
        self.assertTrue(self.plan.phases.get(name="Đợt 2").purpose.startswith("Quyết tâm, nỗ lực"))

    def test_it_runs_the_ten_movements_of_the_seed_in_order(self):
        names = [pm.movement.name for pm in self.plan.plan_movements.select_related("movement")]
        self.assertEqual(names, SEED_MOVEMENTS)

    def test_it_has_the_duties_of_both_levels_and_the_pilot_model_target(self):
        duties = list(self.plan.duties.all())
        self.assertEqual(
            [(d.level, d.level_label, len(d.items)) for d in duties],
            [
                (Duty.Level.ISSUER, "Liên đoàn Lao động tỉnh", 7),
                (Duty.Level.UPPER_AND_GRASSROOTS, "Công đoàn cấp trên trực tiếp cơ sở và công đoàn cơ sở", 4),
            ],
        )
        pilot = self.plan.targets.get(kind=Target.Kind.PILOT_MODEL)
        self.assertEqual(
            (pilot.text, pilot.count, pilot.unit_level), ("ít nhất 01 mô hình điểm", 1, UnitLevel.UPPER)
        )
        self.assertEqual(pilot.duty, duties[1])
        self.assertIn("ít nhất 01 mô hình điểm", duties[1].items[2])
        registration = self.plan.targets.get(kind=Target.Kind.REGISTRATION)
        self.assertEqual((registration.count, registration.unit_level), (1, UnitLevel.GRASSROOTS))

    def test_recipients_and_signer_are_the_seeds(self):
        self.assertEqual(len(self.plan.recipients), 6)
        self.assertEqual(self.plan.recipients[0], "- Tổng LĐLĐ Việt Nam (Ban CSKTXH và TĐKT);")
        self.assertEqual(self.plan.recipients[-1], "- Lưu: VT, CTCS.")
        self.assertEqual(
            (self.plan.signer_authority, self.plan.signer_title, self.plan.signer_name),
            ("TM. BAN THƯỜNG VỤ", "PHÓ CHỦ TỊCH", "Nguyễn Thị Thu Hà"),
        )

    def test_what_units_did_under_it_is_there_too(self):
        children = Unit.objects.filter(path__startswith=self.province.path, depth=self.province.depth + 1)
        self.assertEqual(PlanDelivery.objects.filter(plan=self.plan).count(), children.count())
        derived = Plan.objects.filter(parent_plan=self.plan, status=Plan.Status.ISSUED)
        self.assertEqual(sorted(derived.values_list("unit__code", flat=True)), ["QT.DH", "QT.GL", "QT.VL"])
        registrations = Registration.objects.filter(plan=self.plan, status=Registration.Status.SUBMITTED)
        self.assertGreater(registrations.count(), 3)
        self.assertFalse(registrations.filter(unit__code=demo.KEEP_FREE_CODE).exists())
        self.assertTrue(registrations.filter(member_pledges__isnull=False).exists())
        covenant = Covenant.objects.get(plan=self.plan)
        self.assertEqual(covenant.signatures.count(), 3)
        self.assertEqual(covenant.cluster.memberships.count(), 4)
        statuses = set(PilotModel.objects.filter(plan=self.plan).values_list("status", flat=True))
        self.assertTrue({PilotModel.Status.IN_PROGRESS, PilotModel.Status.COMPLETED} <= statuses)
        self.assertEqual(self.plan.contest_entries.count(), 1)

    def test_the_seed_plan_and_a_derived_plan_have_launch_events(self):
        launch = LaunchEvent.objects.get(plan=self.plan)
        self.assertEqual(
            (launch.unit, launch.held_on, launch.place, launch.participants),
            (self.province, datetime.date(2021, 3, 5), "Hội trường LĐLĐ tỉnh Quảng Trị", 250),
        )
        self.assertTrue(launch.description)
        self.assertTrue(LaunchEvent.objects.filter(plan__parent_plan=self.plan, unit__code="QT.DH").exists())

    def test_the_demo_cluster_has_a_ranking_for_2021(self):
        cluster = Cluster.objects.get(unit=self.province, name="Cụm thi đua số 1")
        ranking = cluster_ranking(cluster=cluster, year=2021)
        self.assertEqual(len(ranking), cluster.memberships.count())
        ranks = [rank for _sheet, _total, rank in ranking]
        self.assertEqual(ranks[0], 1)
        self.assertEqual(ranks, sorted(ranks))
        totals = [total for _sheet, total, _rank in ranking]
        self.assertEqual(totals, sorted(totals, reverse=True))
        self.assertGreater(totals[-1], 0)
        self.assertTrue(ScoreChange.objects.filter(score__sheet__cluster=cluster).exclude(reason="").exists())

    def test_the_demo_ranking_page_and_api_show_the_cluster(self):
        cluster = Cluster.objects.get(unit=self.province, name="Cụm thi đua số 1")
        self.client.force_login(User.objects.get(username="tinh.quangtri"))
        r = self.client.get(reverse("reports:ranking", args=[cluster.pk]), {"year": 2021})
        self.assertEqual(r.status_code, 200)
        self.assertContains(r, "Liên đoàn Lao động thành phố Đông Hà")
        self.assertEqual(len(r.context["rows"]), 4)
        self.assertEqual(len(r.context["chart"]["totals"]), 4)
        token, _created = Token.objects.get_or_create(user=User.objects.get(username="tinh.quangtri"))
        r = self.client.get(
            "/api/rankings/", {"cluster": cluster.pk, "year": 2021}, HTTP_AUTHORIZATION=f"Token {token.key}"
        )
        self.assertEqual(r.status_code, 200)
        self.assertEqual([row["rank"] for row in r.json()][0], 1)
        self.assertEqual(len(r.json()), 4)

    def test_its_docx_has_the_header_in_a_table(self):
        header = self.docx.tables[0].rows[0].cells
        left = [p.text for p in header[0].paragraphs if p.text]
        right = [p.text for p in header[1].paragraphs if p.text]
        self.assertEqual(left[:2], ["LĐLĐ TỈNH QUẢNG TRỊ", "BAN THƯỜNG VỤ"])
        self.assertTrue(left[2].startswith("Số:"))
        self.assertEqual(
            right,
            [
                "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
                "Độc lập - Tự do - Hạnh phúc",
                "Quảng Trị, ngày 22 tháng 02 năm 2021",
            ],
        )
        date_run = next(p for p in header[1].paragraphs if p.text.startswith("Quảng Trị")).runs[0]
        self.assertTrue(date_run.italic)

    def test_its_docx_body_follows_the_seed(self):
        body = [p.text for p in self.docx.paragraphs if p.text]
        self.assertEqual(body[0], "KẾ HOẠCH")
        self.assertEqual(body[1], self.plan.title)
        headings = [t for t in body if t[:3] in ("I. ", "II.", "III", "IV.")]
        self.assertEqual(
            headings,
            [
                "I. MỤC ĐÍCH, YÊU CẦU",
                "II. NỘI DUNG THI ĐUA",
                "III. THỜI GIAN VÀ MỐC CÁC ĐỢT THI ĐUA",
                "IV. TỔ CHỨC THỰC HIỆN",
            ],
        )
        self.assertIn(f"“{self.plan.theme}”.", body)
        self.assertTrue(
            any(t.startswith("Đợt 1: Từ ngày 22/02/2021 đến 30/06/2021: Tuyên truyền") for t in body)
        )
        self.assertTrue(any(t.startswith("2.5. Nâng cao hiệu quả") for t in body))
        # The movements are named inside 2.2 and 2.3 already: no list of them is added.
        self.assertFalse(any("Các phong trào thi đua, cuộc vận động" in t for t in body))
        self.assertIn("1. Liên đoàn Lao động tỉnh", body)
        self.assertTrue(any("ít nhất 01 mô hình điểm" in t for t in body))
        self.assertTrue(body[-1].startswith("Trong quá trình tổ chức thực hiện"))

    def test_its_docx_ends_with_recipients_and_signature_in_a_table(self):
        footer = self.docx.tables[-1].rows[0].cells
        left = [p.text for p in footer[0].paragraphs if p.text]
        right = [p.text for p in footer[1].paragraphs if p.text]
        self.assertEqual(left, ["Nơi nhận:", *self.plan.recipients])
        self.assertEqual(right, ["TM. BAN THƯỜNG VỤ", "PHÓ CHỦ TỊCH", "Nguyễn Thị Thu Hà"])
        name = next(p for p in footer[1].paragraphs if p.text == "Nguyễn Thị Thu Hà").runs[0]
        self.assertTrue(name.bold)
        label = footer[0].paragraphs[0].runs[0]
        self.assertTrue(label.bold and label.italic)

    def test_its_docx_is_set_in_times_new_roman(self):
        runs = [r for p in self.docx.paragraphs for r in p.runs]
        runs += [r for t in self.docx.tables for c in t._cells for p in c.paragraphs for r in p.runs]
        self.assertGreater(len(runs), 50)
        for run in runs:
            fonts = run._element.rPr.find(qn("w:rFonts"))
            for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
                self.assertEqual(fonts.get(qn(attr)), "Times New Roman")
        self.assertEqual(self.docx.styles["Normal"].font.name, "Times New Roman")
        section = self.docx.sections[0]
        self.assertEqual((round(section.page_width.mm), round(section.page_height.mm)), (210, 297))
        self.assertEqual((round(section.left_margin.mm), round(section.right_margin.mm)), (30, 15))

    def test_its_pdf_embeds_a_font(self):
        pdf = build_pdf(plan_paper(self.plan))
        self.assertTrue(pdf.startswith(b"%PDF"))
        self.assertIn(b"/FontFile2", pdf)  # an embedded TrueType font
        self.assertGreater(len(pdf), 20_000)
