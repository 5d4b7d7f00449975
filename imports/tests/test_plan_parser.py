"""The plan reader on text: the seed (issue 7's expected fields), plans of other shapes with their
whole JSON, dates in every usual form, and the normalisation of text pulled out of a PDF."""

import datetime
import json
import unicodedata
from pathlib import Path

from django.test import SimpleTestCase

from imports.plans.dates import find_date_line, find_period
from imports.plans.extract import extract_text
from imports.plans.parser import FIELDS, parse
from imports.plans.text import text_doc
from imports.tests.seed_plan import SEED_MOVEMENTS

SAMPLES = Path(__file__).parent / "plan_samples"
# A copy of ../shared/seeds/000_2765d991153aa27f.txt, byte for byte.
SEED = SAMPLES / "seed_000.txt"


def read(name: str) -> dict:
    return parse(text_doc((SAMPLES / name).read_text(encoding="utf-8")))


def seed_text() -> str:
    return SEED.read_text(encoding="utf-8")


class SeedPlanTests(SimpleTestCase):
    """Issue 7: the seed, text pulled out of a PDF with its header partly lost."""

    @classmethod
    def setUpClass(cls) -> None:
        super().setUpClass()
        cls.result = parse(text_doc(seed_text()))
        cls.data = cls.result.as_json()

    def test_it_has_exactly_the_keys_of_the_issue(self):
        self.assertEqual(list(self.data), FIELDS)
        self.assertEqual(set(self.data["signer"]), {"authority", "title", "name"})
        json.dumps(self.data, ensure_ascii=False)

    def test_header_fields(self):
        d = self.data
        self.assertEqual(d["date"], "2021-02-22")
        self.assertEqual(d["place"], "Quảng Trị")
        self.assertEqual(d["year"], 2021)
        self.assertIsNone(d["number"])
        self.assertEqual(
            d["title"], "Tổ chức phong trào thi đua trong đoàn viên, CNVCLĐ và các cấp công đoàn năm 2021"
        )

    def test_the_issuer_is_read_from_the_body_when_the_header_is_lost(self):
        self.assertEqual(self.data["issuer"], "Liên đoàn Lao động tỉnh Quảng Trị")
        self.assertIn("from_body", self.result.flags["issuer"])

    def test_the_missing_number_is_flagged_not_invented(self):
        self.assertEqual(self.result.flags["number"], ["missing"])

    def test_purposes_theme_and_contents(self):
        d = self.data
        self.assertEqual(len(d["purposes"]), 3)
        self.assertTrue(d["purposes"][0].startswith("Động viên cán bộ, đoàn viên, CNVCLĐ ra sức thi đua"))
        self.assertTrue(d["purposes"][2].endswith("triển khai thực hiện Nghị quyết Đại hội Đảng các cấp."))
        self.assertEqual(
            d["theme"],
            "Tận dụng cơ hội, vượt mọi khó khăn, nỗ lực phấn đấu, đưa nghị quyết của Đảng vào cuộc sống",
        )
        self.assertEqual([c["number"] for c in d["contents"]], ["2.1", "2.2", "2.3", "2.4", "2.5"])
        self.assertTrue(d["contents"][4]["text"].endswith("thiệt hại do thiên tai, dịch bệnh."))

    def test_broken_lines_are_one_sentence(self):
        first = self.data["contents"][0]["text"]
        self.assertIn("đẩy mạnh nghiên cứu, ứng dụng khoa học, công nghệ; thực hành tiết kiệm", first)
        self.assertNotIn("\n", first)

    def test_movements_are_the_quoted_names_in_order_without_the_theme(self):
        self.assertEqual(self.data["movements"], SEED_MOVEMENTS)

    def test_phases(self):
        phases = self.data["phases"]
        self.assertEqual(
            [(p["name"], p["start"], p["end"]) for p in phases],
            [("Đợt 1", "2021-02-22", "2021-06-30"), ("Đợt 2", "2021-07-01", "2021-12-31")],
        )
        self.assertTrue(phases[0]["purpose"].startswith("Tuyên truyền, học tập quán triệt"))
        self.assertTrue(
            phases[1]["purpose"].endswith(
                "Thi đua hoàn thành toàn diện và vượt mức kế hoạch, nhiệm vụ năm 2021."
            )
        )

    def test_duties_of_the_two_levels(self):
        duties = self.data["duties"]
        self.assertEqual(
            [d["level"] for d in duties],
            ["Liên đoàn Lao động tỉnh", "Công đoàn cấp trên trực tiếp cơ sở và công đoàn cơ sở"],
        )
        self.assertEqual([len(d["items"]) for d in duties], [7, 4])
        self.assertEqual(
            duties[0]["items"][0],
            "Xây dựng kế hoạch, tổ chức triển khai phong trào thi đua trong các cấp công đoàn toàn tỉnh.",
        )
        self.assertEqual(self.result.extra["duty_kinds"], ["issuer", "upper_grassroots"])
        # The closing paragraph after the last dash item is not a duty.
        self.assertTrue(self.result.extra["closing"].startswith("Trong quá trình tổ chức thực hiện"))

    def test_the_target(self):
        self.assertEqual(
            self.data["targets"],
            [
                {
                    "text": "ít nhất 01 mô hình điểm",
                    "count": 1,
                    "level": "Công đoàn cấp trên trực tiếp cơ sở và công đoàn cơ sở",
                }
            ],
        )
        self.assertEqual(self.result.extra["target_kinds"], ["pilot_model"])
        self.assertEqual(self.result.extra["target_unit_levels"], [2])  # "Mỗi LĐLĐ huyện, …"

    def test_recipients_and_signer(self):
        self.assertEqual(
            self.data["recipients"],
            [
                "Tổng LĐLĐ Việt Nam (Ban CSKTXH và TĐKT)",
                "Tỉnh ủy, UBND, UBMTTQVN tỉnh",
                "Ban Thi đua-Khen thưởng tỉnh",
                "Thường trực, các ban LĐLĐ tỉnh",
                "Các LĐLĐ huyện, thị xã, thành phố; công đoàn ngành, CĐVC tỉnh; công đoàn khối trực thuộc trung ương",
                "Lưu: VT, CTCS",
            ],
        )
        self.assertEqual(
            self.data["signer"],
            {"authority": "TM. BAN THƯỜNG VỤ", "title": "PHÓ CHỦ TỊCH", "name": "Nguyễn Thị Thu Hà"},
        )

    def test_every_found_field_points_at_its_source(self):
        text = text_doc(seed_text()).text
        spans = self.result.spans
        self.assertEqual(text[slice(*spans["date"][0])], "ngày 22 tháng 02 năm 2021")
        self.assertEqual(text[slice(*spans["place"][0])], "Quảng Trị")
        self.assertEqual(text[slice(*spans["theme"][0])], self.data["theme"])
        self.assertEqual(text[slice(*spans["signer.name"][0])], "Nguyễn Thị Thu Hà")
        self.assertEqual(text[slice(*spans["targets"][0])], "ít nhất 01 mô hình điểm")
        self.assertEqual([text[s:e] for s, e in spans["movements"]], self.data["movements"])
        self.assertEqual(len(spans["purposes"]), 3)
        self.assertEqual(len(spans["phases"]), 2)


class OtherShapesTests(SimpleTestCase):
    """Plans written differently from the seed, each with its whole expected JSON."""

    maxDiff = None

    def test_a_grassroots_unions_plan(self):
        result = read("grassroots_le_loi.txt")
        self.assertEqual(
            result.as_json(),
            {
                "issuer": "Công đoàn Trường THPT Lê Lợi",
                "number": "05/KH-CĐCS",
                "place": "Đông Hà",
                "date": "2023-03-15",
                "title": "Tổ chức phong trào thi đua trong đoàn viên, người lao động nhà trường năm 2023",
                "year": 2023,
                "purposes": [
                    "Động viên đoàn viên, người lao động thi đua dạy tốt, học tốt, hoàn thành xuất sắc nhiệm vụ năm học.",
                    "Phát hiện, biểu dương những tập thể, cá nhân tiêu biểu để nhân rộng trong nhà trường.",
                    "Phong trào thi đua được tổ chức thiết thực, tránh hình thức, phù hợp với điều kiện của nhà trường.",
                ],
                "theme": None,
                "contents": [
                    {
                        "number": "1",
                        "text": "Thi đua thực hiện tốt nhiệm vụ dạy và học, đổi mới phương pháp giảng dạy, "
                        "ứng dụng công nghệ thông tin trong giảng dạy.",
                    },
                    {
                        "number": "2",
                        "text": "Hưởng ứng phong trào thi đua “Giỏi việc nước, đảm việc nhà” và cuộc vận động "
                        "“Mỗi thầy cô giáo là một tấm gương đạo đức, tự học và sáng tạo”.",
                    },
                    {
                        "number": "3",
                        "text": "Chăm lo đời sống, bảo vệ quyền và lợi ích hợp pháp, chính đáng của đoàn viên, "
                        "người lao động.",
                    },
                ],
                "movements": [
                    "Giỏi việc nước, đảm việc nhà",
                    "Mỗi thầy cô giáo là một tấm gương đạo đức, tự học và sáng tạo",
                ],
                "phases": [
                    {
                        "name": "Đợt 1",
                        "start": "2023-03-15",
                        "end": "2023-04-30",
                        "purpose": "thi đua chào mừng ngày Giải phóng miền Nam, thống nhất đất nước.",
                    },
                    {
                        "name": "Đợt 2",
                        "start": "2023-05-01",
                        "end": "2023-08-31",
                        "purpose": "thi đua hoàn thành nhiệm vụ năm học.",
                    },
                ],
                "duties": [
                    {
                        "level": "Ban Chấp hành công đoàn cơ sở",
                        "items": [
                            "Phối hợp với chuyên môn phát động phong trào thi đua trong nhà trường.",
                            "Tổng hợp kết quả, đề xuất khen thưởng.",
                        ],
                    },
                    {
                        "level": "Các tổ công đoàn",
                        "items": [
                            "Mỗi tổ công đoàn đăng ký ít nhất 02 sáng kiến kinh nghiệm trong năm.",
                            "Tổ chức cho đoàn viên đăng ký thi đua.",
                        ],
                    },
                ],
                "targets": [
                    {"text": "ít nhất 02 sáng kiến kinh nghiệm", "count": 2, "level": "Các tổ công đoàn"}
                ],
                "recipients": [
                    "Công đoàn Giáo dục tỉnh (b/c)",
                    "Chi bộ, Ban Giám hiệu",
                    "Các tổ công đoàn",
                    "Lưu: VT",
                ],
                "signer": {"authority": "TM. BAN CHẤP HÀNH", "title": "CHỦ TỊCH", "name": "Trần Thị Mai"},
            },
        )
        # No "Chủ đề" in this plan: the theme is empty and flagged, not made up.
        self.assertEqual(result.flags["theme"], ["missing"])
        self.assertEqual(result.flags["issuer"], ["case_guessed"])  # "TRƯỜNG" could be "trường"
        self.assertEqual(result.extra["duty_kinds"], ["issuer", "grassroots"])
        self.assertEqual(result.extra["target_unit_levels"], [4])  # per union group

    def test_a_district_plan_with_phases_in_months_and_quarters(self):
        result = read("district_cam_lo.txt")
        self.assertEqual(
            result.as_json(),
            {
                "issuer": "Liên đoàn Lao động huyện Cam Lộ",
                "number": "12/KH-LĐLĐ",
                "place": "Cam Lộ",
                "date": "2022-01-05",
                "title": "Phát động phong trào thi đua lao động giỏi, lao động sáng tạo trong công nhân, viên chức, "
                "lao động huyện Cam Lộ năm 2022",
                "year": 2022,
                "purposes": [
                    "Khơi dậy tinh thần lao động sáng tạo của công nhân, viên chức, lao động, góp phần hoàn thành "
                    "các chỉ tiêu kinh tế - xã hội của huyện năm 2022.",
                    "Các cấp công đoàn tổ chức phong trào thi đua gắn với nhiệm vụ chính trị của cơ quan, đơn vị, "
                    "doanh nghiệp.",
                ],
                "theme": "Đoàn kết, sáng tạo, vượt khó, hoàn thành thắng lợi nhiệm vụ năm 2022",
                "contents": [
                    {
                        "number": "2.1",
                        "text": "Đẩy mạnh phong trào “Lao động giỏi, lao động sáng tạo” trong công nhân, viên chức, "
                        "lao động; khuyến khích sáng kiến, cải tiến kỹ thuật.",
                    },
                    {
                        "number": "2.2",
                        "text": "Tiếp tục thực hiện phong trào “Xanh - Sạch - Đẹp, Bảo đảm an toàn vệ sinh lao động” "
                        "tại các doanh nghiệp trên địa bàn.",
                    },
                ],
                "movements": [
                    "Lao động giỏi, lao động sáng tạo",
                    "Xanh - Sạch - Đẹp, Bảo đảm an toàn vệ sinh lao động",
                ],
                "phases": [
                    {
                        "name": "Đợt 1",
                        "start": "2022-01-01",
                        "end": "2022-06-30",
                        "purpose": "tập trung phát động, đăng ký thi đua.",
                    },
                    {
                        "name": "Đợt 2",
                        "start": "2022-07-01",
                        "end": "2022-09-30",
                        "purpose": "thi đua lập thành tích chào mừng ngày Quốc khánh 2/9.",
                    },
                    {
                        "name": "Đợt 3",
                        "start": "2022-10-01",
                        "end": "2022-12-31",
                        "purpose": "thi đua hoàn thành chỉ tiêu năm.",
                    },
                ],
                "duties": [
                    {
                        "level": "Ban Thường vụ LĐLĐ huyện",
                        "items": [
                            "Xây dựng kế hoạch, hướng dẫn các công đoàn cơ sở tổ chức phong trào.",
                            "Sơ kết, tổng kết, khen thưởng kịp thời.",
                        ],
                    },
                    {
                        "level": "Các công đoàn cơ sở trực thuộc",
                        "items": [
                            "Mỗi công đoàn cơ sở khu vực doanh nghiệp có tối thiểu 01 công trình, phần việc chào mừng.",
                            "Tổ chức cho đoàn viên đăng ký thi đua.",
                        ],
                    },
                ],
                "targets": [
                    {"text": "tối thiểu 01 công trình", "count": 1, "level": "Các công đoàn cơ sở trực thuộc"}
                ],
                "recipients": ["LĐLĐ tỉnh (b/c)", "Thường trực Huyện ủy", "Các CĐCS trực thuộc", "Lưu: VT"],
                "signer": {"authority": "KT. CHỦ TỊCH", "title": "PHÓ CHỦ TỊCH", "name": "Lê Văn Nam"},
            },
        )
        self.assertEqual(result.flags, {})
        self.assertEqual(result.extra["duty_kinds"], ["issuer", "grassroots"])

    def test_a_plan_with_no_phases(self):
        result = read("no_phases_thang_cong_nhan.txt")
        self.assertEqual(
            result.as_json(),
            {
                "issuer": "Liên đoàn Lao động tỉnh Quảng Trị",
                "number": "30/KH-LĐLĐ",
                "place": "Quảng Trị",
                "date": "2024-04-10",
                "title": "Tổ chức các hoạt động Tháng Công nhân năm 2024",
                "year": 2024,
                "purposes": [
                    "Tuyên truyền sâu rộng ý nghĩa Tháng Công nhân trong đoàn viên, người lao động.",
                    "Các hoạt động được tổ chức thiết thực, hiệu quả, tiết kiệm.",
                ],
                "theme": None,
                "contents": [
                    {
                        "number": "1",
                        "text": "Tổ chức thăm, tặng quà đoàn viên, người lao động có hoàn cảnh khó khăn.",
                    },
                    {
                        "number": "2",
                        "text": "Tổ chức đối thoại giữa người sử dụng lao động và người lao động.",
                    },
                ],
                "movements": [],
                "phases": [],
                "duties": [
                    {
                        "level": "Các ban LĐLĐ tỉnh",
                        "items": ["Tham mưu tổ chức các hoạt động theo kế hoạch."],
                    },
                    {
                        "level": "Các LĐLĐ huyện, thị xã, thành phố, công đoàn ngành",
                        "items": [
                            "Xây dựng kế hoạch cụ thể, báo cáo kết quả về LĐLĐ tỉnh trước ngày 31/5/2024."
                        ],
                    },
                ],
                "targets": [],
                "recipients": ["Tổng LĐLĐ Việt Nam (b/c)", "Lưu: VT"],
                "signer": {
                    "authority": "TM. BAN THƯỜNG VỤ",
                    "title": "CHỦ TỊCH",
                    "name": "Nguyễn Đăng Quang",
                },
            },
        )
        self.assertEqual(result.flags, {"theme": ["missing"], "phases": ["missing"]})

    def test_text_laid_out_in_two_columns_as_pdf_tools_give_it(self):
        """Header and footer columns side by side on one line, "a)" content items."""
        result = read("two_column_layout.txt")
        self.assertEqual(
            result.as_json(),
            {
                "issuer": "Liên đoàn Lao động tỉnh Quảng Trị",
                "number": "45/KH-LĐLĐ",
                "place": "Quảng Trị",
                "date": "2021-02-22",
                "title": "Tổ chức phong trào thi đua năm 2021",
                "year": 2021,
                "purposes": ["Động viên đoàn viên thi đua."],
                "theme": "Đoàn kết, sáng tạo",
                "contents": [
                    {"number": "a", "text": "Đẩy mạnh phong trào “Lao động giỏi”."},
                    {"number": "b", "text": "Thực hiện cuộc vận động “Mỗi đoàn viên một sáng kiến”."},
                ],
                "movements": ["Lao động giỏi", "Mỗi đoàn viên một sáng kiến"],
                "phases": [],
                "duties": [
                    {
                        "level": "Các LĐLĐ huyện, thị xã, thành phố",
                        "items": ["Mỗi đơn vị có tối thiểu 02 công trình chào mừng."],
                    }
                ],
                "targets": [
                    {
                        "text": "tối thiểu 02 công trình chào mừng",
                        "count": 2,
                        "level": "Các LĐLĐ huyện, thị xã, thành phố",
                    }
                ],
                "recipients": ["Như trên", "Lưu: VT"],
                "signer": {"authority": "TM. BAN THƯỜNG VỤ", "title": "CHỦ TỊCH", "name": "Lê Văn Hùng"},
            },
        )
        self.assertEqual(result.extra["duty_kinds"], ["upper"])

    def test_a_plan_without_header_number_or_signature_leaves_them_empty(self):
        text = (
            "KẾ HOẠCH\nThi đua chào mừng Đại hội Công đoàn tỉnh\n"
            "I. MỤC ĐÍCH, YÊU CẦU\n1. Lập thành tích chào mừng Đại hội.\n"
            "II. TỔ CHỨC THỰC HIỆN\n- Các công đoàn cơ sở đăng ký công trình chào mừng.\n"
        )
        result = parse(text_doc(text))
        data = result.as_json()
        self.assertEqual(data["title"], "Thi đua chào mừng Đại hội Công đoàn tỉnh")
        for key in ("issuer", "number", "place", "date", "year", "theme"):
            self.assertIsNone(data[key], key)
            self.assertEqual(result.flags[key], ["missing"], key)
        self.assertEqual(data["signer"], {"authority": None, "title": None, "name": None})
        self.assertEqual(
            data["duties"], [{"level": None, "items": ["Các công đoàn cơ sở đăng ký công trình chào mừng."]}]
        )
        self.assertEqual(result.flags["duties.0"], ["level_missing"])

    def test_a_blank_date_and_number_of_an_unsigned_draft_are_flagged(self):
        text = (
            "LĐLĐ TỈNH QUẢNG TRỊ\nBAN THƯỜNG VỤ\nSố:      /KH-LĐLĐ\n"
            "Quảng Trị, ngày      tháng 3 năm 2025\nKẾ HOẠCH\nThi đua năm 2025\n"
            "I. MỤC ĐÍCH, YÊU CẦU\n1. Động viên đoàn viên.\nII. NỘI DUNG THI ĐUA\n1. Thi đua lao động giỏi.\n"
        )
        result = parse(text_doc(text))
        self.assertIsNone(result.data["number"])
        self.assertIsNone(result.data["date"])
        self.assertEqual(result.flags["number"], ["blank_in_source"])
        self.assertEqual(result.flags["date"], ["blank_in_source"])
        self.assertEqual(result.data["year"], 2025)
        self.assertEqual(result.data["issuer"], "Liên đoàn Lao động tỉnh Quảng Trị")

    def test_a_phase_without_a_start_keeps_it_empty(self):
        text = (
            "KẾ HOẠCH\nThi đua năm 2022\nI. MỤC ĐÍCH, YÊU CẦU\n1. Động viên.\n"
            "II. THỜI GIAN THI ĐUA\nĐợt 1: Đến 30/6/2022: phát động.\nĐợt 2: Quý IV/2022: tổng kết.\n"
        )
        result = parse(text_doc(text))
        self.assertEqual(
            [(p["name"], p["start"], p["end"]) for p in result.data["phases"]],
            [("Đợt 1", None, "2022-06-30"), ("Đợt 2", "2022-10-01", "2022-12-31")],
        )
        self.assertEqual(result.flags["phases.0"], ["start_missing"])
        self.assertNotIn("phases.1", result.flags)

    def test_text_that_is_not_a_plan_is_recognised(self):
        letter = "Kính gửi: Ban Giám đốc\nCông ty xin thông báo lịch nghỉ lễ 30/4 và 1/5 như sau: nghỉ từ ngày 29/4 đến 1/5."
        self.assertFalse(parse(text_doc(letter)).is_plan)
        roster = "Họ và tên,Giới tính,Số CCCD\nNguyễn Văn A,Nam,045090000001\n"
        self.assertFalse(parse(text_doc(roster)).is_plan)


class DateTests(SimpleTestCase):
    def period(self, text, **kwargs):
        p = find_period(text, plan_date=kwargs.get("plan_date"), year=kwargs.get("year"))
        return (p.start, p.end) if p else None

    def test_dates_in_every_usual_form(self):
        d = datetime.date
        self.assertEqual(find_date_line("Quảng Trị, ngày 22 tháng 02 năm 2021").date, d(2021, 2, 22))
        self.assertEqual(find_date_line("Hà Nội, ngày 22/02/2021").date, d(2021, 2, 22))
        self.assertEqual(self.period("Từ ngày 22/02/2021 đến 30-6-2021"), (d(2021, 2, 22), d(2021, 6, 30)))
        self.assertEqual(self.period("từ 1/7 đến 31/12/2021"), (d(2021, 7, 1), d(2021, 12, 31)))
        self.assertEqual(self.period("từ 1/7 đến 30.9", year=2021), (d(2021, 7, 1), d(2021, 9, 30)))
        self.assertEqual(
            self.period("Từ ngày 1 tháng 7 năm 2021 đến ngày 31 tháng 12 năm 2021"),
            (d(2021, 7, 1), d(2021, 12, 31)),
        )

    def test_from_now_starts_on_the_plans_date(self):
        d = datetime.date
        self.assertEqual(
            self.period("Từ nay đến 30/6/2021: tuyên truyền", plan_date=d(2021, 2, 22)),
            (d(2021, 2, 22), d(2021, 6, 30)),
        )
        self.assertEqual(self.period("Từ nay đến 30/6/2021"), (None, d(2021, 6, 30)))

    def test_months_quarters_and_halves(self):
        d = datetime.date
        self.assertEqual(self.period("Từ tháng 9/2021 đến tháng 11/2021"), (d(2021, 9, 1), d(2021, 11, 30)))
        self.assertEqual(self.period("từ tháng 2 đến hết tháng 2/2024"), (d(2024, 2, 1), d(2024, 2, 29)))
        self.assertEqual(
            self.period("Từ nay đến hết quý III", plan_date=d(2021, 3, 1)), (d(2021, 3, 1), d(2021, 9, 30))
        )
        self.assertEqual(self.period("Quý II năm 2022"), (d(2022, 4, 1), d(2022, 6, 30)))
        self.assertEqual(self.period("quý I - quý II/2022"), (d(2022, 1, 1), d(2022, 6, 30)))
        self.assertEqual(self.period("6 tháng cuối năm 2023"), (d(2023, 7, 1), d(2023, 12, 31)))
        self.assertEqual(self.period("từ 01/10 đến cuối năm", year=2023), (d(2023, 10, 1), d(2023, 12, 31)))
        self.assertEqual(self.period("từ 01/12 đến 28/02/2022"), (d(2021, 12, 1), d(2022, 2, 28)))

    def test_impossible_dates_are_not_dates(self):
        self.assertIsNone(find_date_line("ngày 31 tháng 02 năm 2021").date)
        self.assertIsNone(self.period("lần thứ 9 (2020-2021)"))


class NormalisationTests(SimpleTestCase):
    def test_unicode_is_nfc(self):
        decomposed = unicodedata.normalize(
            "NFD", "KẾ HOẠCH\nThi đua năm 2021\nI. MỤC ĐÍCH, YÊU CẦU\n1. Động viên."
        )
        doc = extract_text(decomposed)
        self.assertEqual(doc.text, unicodedata.normalize("NFC", doc.text))
        self.assertEqual(parse(doc).data["title"], "Thi đua năm 2021")

    def test_pdf_line_breaks_are_undone_and_items_kept(self):
        text = (
            "1. Động viên cán bộ, đoàn viên, CNVCLĐ ra sức thi đua lao động giỏi, lao động  \n\n"
            "sáng tạo, phấn đấu hoàn thành và hoàn thành vượt mức các mục tiêu, nhiệm vụ phát \n\n"
            "triển kinh tế xã hội năm 2021. \n\n"
            " 2. Tiếp tục đổi mới, sáng tạo, nâng cao chất lượng, hiệu quả phong trào thi đua \n\n"
            "yêu nước trong đoàn viên. \n\n"
        )
        self.assertEqual(
            [p.text for p in text_doc(text).paras],
            [
                "1. Động viên cán bộ, đoàn viên, CNVCLĐ ra sức thi đua lao động giỏi, lao động sáng tạo, phấn đấu "
                "hoàn thành và hoàn thành vượt mức các mục tiêu, nhiệm vụ phát triển kinh tế xã hội năm 2021.",
                "2. Tiếp tục đổi mới, sáng tạo, nâng cao chất lượng, hiệu quả phong trào thi đua yêu nước trong "
                "đoàn viên.",
            ],
        )

    def test_quotes_and_spacing(self):
        doc = text_doc(
            'trọng tâm là các phong trào : "Lao động giỏi" ; « Giỏi việc nước » ,cuộc vận động  “Xanh ”'
        )
        self.assertEqual(
            doc.text, "trọng tâm là các phong trào: “Lao động giỏi”; “Giỏi việc nước”, cuộc vận động “Xanh”"
        )

    def test_a_quote_broken_over_two_lines_is_one_name(self):
        text = ' 1. Chủ đề thi đua: \n\n "Tận dụng cơ hội, vượt mọi khó khăn, nỗ lực phấn đấu, đưa nghị quyết của \n\nĐảng vào cuộc sống". \n'
        self.assertEqual(
            text_doc(text).paras[1].text,
            "“Tận dụng cơ hội, vượt mọi khó khăn, nỗ lực phấn đấu, đưa nghị quyết của Đảng vào cuộc sống”.",
        )
