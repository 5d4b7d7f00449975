from django.urls import reverse

from api.tests.base import ApiTestCase
from org.models import MemberStatus, Sex
from org.services.members import member_create

LIST = reverse("api-member-list")


def detail(member) -> str:
    return reverse("api-member-detail", args=[member.pk])


class MemberListTests(ApiTestCase):
    def names(self, params: dict | None = None) -> list[str]:
        return [m["full_name"] for m in self.get_json(LIST, params)["results"]]

    def test_it_lists_the_callers_members(self):
        self.auth(self.alice)
        self.assertEqual(self.names(), ["Nguyễn Thị Thu Hà", "Trần Văn Đức"])

    def test_it_returns_every_documented_field(self):
        self.auth(self.alice)
        row = self.get_json(LIST, {"q": "ha"})["results"][0]
        self.assertEqual(
            row,
            {
                "id": self.ha.pk,
                "full_name": "Nguyễn Thị Thu Hà",
                "date_of_birth": "1980-05-01",
                "sex": "female",
                "cccd": "045190000001",
                "phone": "",
                "position": "",
                "ethnicity": "",
                "joined_on": None,
                "card_number": "",
                "unit": self.school.pk,
                "unit_code": "QT.DH.001",
                "unit_name": "Công đoàn Trường THPT Lê Lợi",
                "status": "active",
            },
        )

    def test_charlies_list_never_contains_alices_members(self):
        self.auth(self.charlie)
        self.assertEqual(self.names(), ["Lê Thị Lan"])
        self.assertEqual(self.names({"q": "nguyen thi thu ha"}), [])
        self.assertEqual(self.names({"q": "045190000001"}), [])

    def test_unit_filter_includes_the_subtree(self):
        self.auth(self.alice)
        self.assertEqual(self.names({"unit": self.dongha.pk}), ["Nguyễn Thị Thu Hà", "Trần Văn Đức"])
        self.assertEqual(self.names({"unit": self.factory.pk}), ["Trần Văn Đức"])

    def test_a_unit_outside_scope_answers_404(self):
        self.auth(self.charlie)
        for unit in (self.dongha.pk, self.school.pk, self.root.pk, 999999, "x"):
            self.get_json(LIST, {"unit": unit}, status=404)

    def test_it_searches_without_accents(self):
        self.auth(self.alice)
        for q in ("nguyen thi thu ha", "Nguyen Thi Thu Ha", "NGUYỄN THỊ THU HÀ", "thu ha"):
            self.assertEqual(self.names({"q": q}), ["Nguyễn Thị Thu Hà"], q)
        self.assertEqual(self.names({"q": "duc"}), ["Trần Văn Đức"])
        self.assertEqual(self.names({"q": "0450900"}), ["Trần Văn Đức"])

    def test_it_filters_by_status(self):
        member_create(unit=self.school, full_name="Hoàng Văn Nam", sex=Sex.MALE, status=MemberStatus.LEFT)
        self.auth(self.alice)
        self.assertEqual(self.names({"status": "left"}), ["Hoàng Văn Nam"])
        self.assertEqual(self.names({"status": "active", "unit": self.school.pk}), ["Nguyễn Thị Thu Hà"])
        self.get_json(LIST, {"status": "gone"}, status=400)

    def test_it_runs_the_same_queries_for_3_and_30_members(self):
        member_create(unit=self.port, full_name="Võ Văn An", sex=Sex.MALE)
        member_create(unit=self.donghoi, full_name="Võ Văn Bình", sex=Sex.MALE)
        self.auth(self.charlie)
        self.get_json(LIST)
        with self.assertNumQueries(4):  # token, roles, count, page (units joined)
            self.assertEqual(self.get_json(LIST)["count"], 3)
        for i in range(27):
            member_create(
                unit=self.port if i % 2 else self.donghoi, full_name=f"Đặng Văn Số {i}", sex=Sex.MALE
            )
        with self.assertNumQueries(4):
            data = self.get_json(LIST)
        self.assertEqual(len(data["results"]), 30)


class MemberDetailTests(ApiTestCase):
    def test_it_returns_the_member(self):
        self.auth(self.bob)
        data = self.get_json(detail(self.duc))
        self.assertEqual((data["full_name"], data["unit_code"]), ("Trần Văn Đức", "QT.DH.002"))

    def test_charlie_gets_404_on_alices_members(self):
        self.auth(self.charlie)
        for member in (self.ha, self.duc):
            self.get_json(detail(member), status=404)

    def test_a_missing_member_answers_404(self):
        self.auth(self.alice)
        self.get_json(reverse("api-member-detail", args=[999999]), status=404)
