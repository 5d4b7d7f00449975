"""GET /api/campaigns/…: fields, scoping, target progress, registrations, the .docx."""

from io import BytesIO

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from docx import Document

from accounts.models import Role
from api.tests.base import ApiTestCase
from campaigns.models import PilotModel, Plan
from campaigns.tests.factories_documents import make_plan, make_registration
from lib.testing import make_unit, make_user
from org.models import UnitKind

LIST = reverse("api-campaign-list")


def detail(plan) -> str:
    return reverse("api-campaign-detail", args=[plan.pk])


def targets(plan) -> str:
    return reverse("api-campaign-targets", args=[plan.pk])


def registrations(plan) -> str:
    return reverse("api-campaign-registrations", args=[plan.pk])


def document(plan) -> str:
    return reverse("api-campaign-document", args=[plan.pk])


class CampaignApiTestCase(ApiTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.cdcs = make_user("cdcs", cls.school, Role.Kind.OFFICER)
        cls.plan = make_plan(cls.quangtri)
        cls.draft = make_plan(cls.quangtri, status=Plan.Status.DRAFT, number="")
        cls.old = make_plan(cls.quangtri, year=2020, number="3/KH-LĐLĐ")
        cls.district_plan = make_plan(cls.dongha, number="12/KH-LĐLĐ", parent_plan=cls.plan)
        cls.qb_plan = make_plan(cls.quangbinh, number="9/KH-LĐLĐ")
        cls.school_reg = make_registration(cls.plan, cls.school, members=[cls.ha])
        cls.factory_reg = make_registration(cls.plan, cls.factory, submitted=False)
        PilotModel.objects.create(
            plan=cls.plan, unit=cls.dongha, name="Bữa cơm công đoàn", status=PilotModel.Status.IN_PROGRESS
        )

    def ids(self, params: dict | None = None) -> list[int]:
        return [p["id"] for p in self.get_json(LIST, params)["results"]]


class CampaignListTests(CampaignApiTestCase):
    def test_a_district_sees_its_own_plans_and_the_issued_plans_above(self):
        self.auth(self.alice)
        self.assertEqual(self.ids(), [self.district_plan.pk, self.plan.pk, self.old.pk])

    def test_the_province_sees_its_drafts(self):
        self.auth(make_user("tinh", self.quangtri, Role.Kind.VIEWER))
        self.assertIn(self.draft.pk, self.ids())

    def test_charlies_list_holds_nothing_of_quang_tri(self):
        self.auth(self.charlie)
        self.assertEqual(self.ids(), [self.qb_plan.pk])

    def test_it_filters_by_year(self):
        self.auth(self.alice)
        self.assertEqual(self.ids({"year": 2020}), [self.old.pk])
        self.get_json(LIST, {"year": "abc"}, status=400)

    def test_unit_filter_gives_the_plans_the_unit_works_under(self):
        self.auth(self.alice)
        self.assertEqual(
            self.ids({"unit": self.school.pk}), [self.district_plan.pk, self.plan.pk, self.old.pk]
        )
        self.assertEqual(
            self.ids({"unit": self.dongha.pk, "year": 2021}), [self.district_plan.pk, self.plan.pk]
        )
        admin = make_user("tinh", self.quangtri, Role.Kind.OFFICER)
        self.auth(admin)
        # The province's own draft counts for the province, but not as a plan "above" the school.
        self.assertIn(self.draft.pk, self.ids({"unit": self.quangtri.pk}))
        self.assertNotIn(self.draft.pk, self.ids({"unit": self.school.pk}))
        self.assertNotIn(self.qb_plan.pk, self.ids({"unit": self.school.pk}))

    def test_a_unit_outside_scope_answers_404(self):
        self.auth(self.charlie)
        for unit in (self.dongha.pk, self.quangtri.pk, 999999, "x"):
            self.get_json(LIST, {"unit": unit}, status=404)

    def test_it_does_a_bounded_number_of_queries(self):
        self.auth(self.alice)
        with CaptureQueriesContext(connection) as few:
            self.assertEqual(len(self.ids({"year": 2020})), 1)
        self.assertLessEqual(len(few), 9)  # token, roles, count, plans, 4 prefetches (+ savepoints)
        with self.assertNumQueries(len(few)):
            self.assertEqual(len(self.ids()), 3)
        for i in range(5):
            make_plan(self.dongha, number=f"{20 + i}/KH")
        with self.assertNumQueries(len(few)):
            self.assertEqual(len(self.ids()), 8)


class CampaignDetailTests(CampaignApiTestCase):
    def test_it_returns_every_documented_field(self):
        self.auth(self.cdcs)
        data = self.get_json(detail(self.plan))
        duties = list(self.plan.duties.all())
        targets_ = list(self.plan.targets.all())
        self.assertEqual(
            data,
            {
                "id": self.plan.pk,
                "number": "15/KH-LĐLĐ",
                "place": "Quảng Trị",
                "date": "2021-02-22",
                "title": "Tổ chức phong trào thi đua năm 2021",
                "year": 2021,
                "theme": "Chủ đề thi đua của năm",
                "preamble": "Lời mở đầu của kế hoạch.",
                "purposes": ["Mục đích thứ nhất.", "Yêu cầu thứ hai."],
                "contents": [
                    {"number": "2.1", "text": "Nội dung một."},
                    {"number": "2.2", "text": "Nội dung hai."},
                ],
                "movements": [self.plan.plan_movements.get().movement.name],
                "phases": [
                    {"name": "Đợt 1", "start": "2021-02-22", "end": "2021-06-30", "purpose": "Tuyên truyền."},
                    {"name": "Đợt 2", "start": "2021-07-01", "end": "2021-12-31", "purpose": "Về đích."},
                ],
                "duties": [
                    {
                        "level": "Liên đoàn Lao động tỉnh",
                        "level_code": "issuer",
                        "text": "Xây dựng kế hoạch.\nTổ chức sơ kết.",
                        "items": ["Xây dựng kế hoạch.", "Tổ chức sơ kết."],
                        "targets": [],
                    },
                    {
                        "level": "Công đoàn cấp trên trực tiếp cơ sở và công đoàn cơ sở",
                        "level_code": "upper_grassroots",
                        "text": "Xây dựng được ít nhất 01 mô hình điểm.",
                        "items": ["Xây dựng được ít nhất 01 mô hình điểm."],
                        "targets": [
                            {
                                "id": targets_[0].pk,
                                "text": "ít nhất 01 mô hình điểm",
                                "count": 1,
                                "kind": "pilot_model",
                                "unit_level": 2,
                            },
                            {
                                "id": targets_[1].pk,
                                "text": "mỗi công đoàn cơ sở đăng ký thi đua",
                                "count": 1,
                                "kind": "registration",
                                "unit_level": 3,
                            },
                        ],
                    },
                ],
                "closing": "Lời kết./.",
                "recipients": ["- Tổng LĐLĐ Việt Nam;", "- Lưu: VT."],
                "signer": {
                    "authority": "TM. BAN THƯỜNG VỤ",
                    "title": "PHÓ CHỦ TỊCH",
                    "name": "Nguyễn Thị Thu Hà",
                },
                "status": "issued",
                "version": 1,
                "unit": self.quangtri.pk,
                "unit_code": "QT",
                "unit_name": "Liên đoàn Lao động tỉnh Quảng Trị",
                "parent_plan": None,
            },
        )
        self.assertEqual(len(duties), 2)

    def test_a_derived_plan_names_its_parent(self):
        self.auth(self.alice)
        self.assertEqual(self.get_json(detail(self.district_plan))["parent_plan"], self.plan.pk)

    def test_a_grassroots_union_cannot_read_the_provinces_draft(self):
        self.auth(self.cdcs)
        self.get_json(detail(self.draft), status=404)

    def test_charlie_gets_404(self):
        self.auth(self.charlie)
        for plan in (self.plan, self.draft, self.district_plan):
            self.get_json(detail(plan), status=404)
            self.get_json(targets(plan), status=404)
            self.get_json(registrations(plan), status=404)
            self.assertEqual(self.client.get(document(plan)).status_code, 404)

    def test_it_requires_a_token(self):
        self.assertEqual(self.client.get(detail(self.plan)).status_code, 401)


class CampaignTargetsTests(CampaignApiTestCase):
    def progress(self, data: dict) -> dict[str, tuple[int, int]]:
        return {t["kind"]: (t["applicable"], t["met"]) for t in data["targets"]}

    def test_it_rolls_up_for_the_callers_subtree(self):
        self.auth(self.alice)
        data = self.get_json(targets(self.plan))
        self.assertEqual(data["unit"], self.dongha.pk)
        # Đông Hà is the one upper-level union and has a pilot model; 1 of its 2 grassroots
        # unions has submitted (the factory's registration is a draft).
        self.assertEqual(self.progress(data), {"pilot_model": (1, 1), "registration": (2, 1)})
        row = data["targets"][1]
        self.assertEqual(
            set(row),
            {
                "id",
                "text",
                "kind",
                "count",
                "unit_level",
                "unit_level_name",
                "computed",
                "applicable",
                "met",
                "percent",
            },
        )
        self.assertEqual(row["percent"], 50)

    def test_the_province_sees_its_whole_subtree_and_can_narrow_it(self):
        self.auth(make_user("tinh", self.quangtri, Role.Kind.VIEWER))
        data = self.get_json(targets(self.plan))
        self.assertEqual(data["unit"], self.quangtri.pk)
        self.assertEqual(self.progress(data), {"pilot_model": (1, 1), "registration": (2, 1)})
        data = self.get_json(targets(self.plan), {"unit": self.factory.pk})
        self.assertEqual(self.progress(data), {"pilot_model": (0, 0), "registration": (1, 0)})

    def test_a_grassroots_union_sees_only_itself(self):
        self.auth(self.cdcs)
        self.assertEqual(
            self.progress(self.get_json(targets(self.plan))), {"pilot_model": (0, 0), "registration": (1, 1)}
        )
        self.get_json(targets(self.plan), {"unit": self.factory.pk}, status=404)


class CampaignRegistrationsTests(CampaignApiTestCase):
    def units(self, user, params: dict | None = None) -> list[str]:
        self.auth(user)
        return [r["unit_code"] for r in self.get_json(registrations(self.plan), params)["results"]]

    def test_it_lists_the_registrations_of_the_callers_subtree_only(self):
        self.assertEqual(self.units(self.alice), ["QT.DH.001", "QT.DH.002"])
        self.assertEqual(self.units(self.cdcs), ["QT.DH.001"])
        self.assertEqual(self.units(self.alice, {"status": "submitted"}), ["QT.DH.001"])

    def test_it_returns_every_documented_field(self):
        self.auth(self.cdcs)
        row = self.get_json(registrations(self.plan))["results"][0]
        self.assertEqual(
            row,
            {
                "id": self.school_reg.pk,
                "unit": self.school.pk,
                "unit_code": "QT.DH.001",
                "unit_name": "Công đoàn Trường THPT Lê Lợi",
                "status": "submitted",
                "submitted_at": row["submitted_at"],
                "pledges": [
                    {"text": "Đăng ký thi đua đúng hạn", "count": 1, "movement": None, "target": None}
                ],
                "member_pledges": 1,
            },
        )
        self.assertTrue(row["submitted_at"])

    def test_a_bad_status_is_refused(self):
        self.auth(self.alice)
        self.get_json(registrations(self.plan), {"status": "maybe"}, status=400)

    def test_it_does_a_bounded_number_of_queries(self):
        self.auth(self.alice)
        with CaptureQueriesContext(connection) as two:
            self.assertEqual(len(self.units(self.alice)), 2)
        for code in ("QT.DH.003", "QT.DH.004", "QT.DH.005"):
            unit = make_unit(self.dongha, code, f"Công đoàn {code}", UnitKind.GRASSROOTS)
            make_registration(self.plan, unit)
        with self.assertNumQueries(len(two)):
            self.assertEqual(len(self.units(self.alice)), 5)


class CampaignDocumentTests(CampaignApiTestCase):
    def test_it_serves_the_plan_as_docx(self):
        self.auth(self.cdcs)
        r = self.client.get(document(self.plan))
        self.assertEqual(r.status_code, 200)
        self.assertEqual(
            r["Content-Type"], "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
        )
        self.assertTrue(
            r["Content-Disposition"].startswith('attachment; filename="Ke-hoach-thi-dua-2021-15-KH-LDLD')
        )
        doc = Document(BytesIO(r.content))
        header = doc.tables[0].rows[0].cells[1]
        self.assertEqual(header.paragraphs[0].text, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")

    def test_a_draft_above_is_404(self):
        self.auth(self.cdcs)
        self.assertEqual(self.client.get(document(self.draft)).status_code, 404)
