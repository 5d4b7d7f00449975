"""Accent-insensitive search; run on SQLite and on PostgreSQL (DATABASE_URL) - both paths differ."""

from lib.testing import BaseTestCase
from org.models import Member, Sex, Unit
from org.selectors.search import member_search, name_filter, unit_search
from org.services.members import member_create


class MemberSearchTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        # Near misses: share some words with the names searched below, but not all.
        member_create(unit=cls.school, full_name="Nguyễn Văn Hải", sex=Sex.MALE, phone="0912345678")
        member_create(unit=cls.school, full_name="Trần Thị Thu", sex=Sex.FEMALE)
        member_create(unit=cls.factory, full_name="Đỗ Đình Dũng", sex=Sex.MALE, card_number="777123")

    def found(self, q: str) -> set[str]:
        return set(member_search(Member.objects.all(), q).values_list("full_name", flat=True))

    def test_it_finds_a_name_typed_without_accents(self):
        self.assertEqual(self.found("nguyen thi thu ha"), {"Nguyễn Thị Thu Hà"})

    def test_it_ignores_case(self):
        self.assertEqual(self.found("Nguyen Thi Thu Ha"), {"Nguyễn Thị Thu Hà"})

    def test_it_finds_a_name_typed_with_accents_in_capitals(self):
        self.assertEqual(self.found("NGUYỄN THỊ THU HÀ"), {"Nguyễn Thị Thu Hà"})

    def test_d_matches_đ(self):
        self.assertEqual(self.found("tran van duc"), {"Trần Văn Đức"})
        self.assertEqual(self.found("do dinh dung"), {"Đỗ Đình Dũng"})
        self.assertEqual(self.found("ĐỨC"), {"Trần Văn Đức"})

    def test_it_matches_word_prefixes(self):
        self.assertEqual(self.found("thu h"), {"Nguyễn Thị Thu Hà"})
        self.assertEqual(self.found("ngu"), {"Nguyễn Thị Thu Hà", "Nguyễn Văn Hải"})

    def test_words_may_come_in_any_order(self):
        self.assertEqual(self.found("ha nguyen"), {"Nguyễn Thị Thu Hà", "Nguyễn Văn Hải"})

    def test_it_does_not_match_inside_a_word(self):
        self.assertEqual(self.found("guyen"), set())

    def test_a_non_match_finds_nothing(self):
        self.assertEqual(self.found("pham minh chinh"), set())
        self.assertEqual(self.found("nguyen thi thu hang"), set())

    def test_digits_search_cccd_phone_and_card(self):
        self.assertEqual(self.found("045190000001"), {"Nguyễn Thị Thu Hà"})
        self.assertEqual(self.found("0912 345"), {"Nguyễn Văn Hải"})
        self.assertEqual(self.found("777123"), {"Đỗ Đình Dũng"})

    def test_punctuation_and_empty_queries_do_not_filter_or_fail(self):
        everyone = Member.objects.count()
        self.assertEqual(len(self.found("")), everyone)
        self.assertEqual(len(self.found("  ")), everyone)
        self.assertEqual(self.found("hà's"), set())  # "s" is a word no name starts with

    def test_it_keeps_other_filters(self):
        in_factory = Member.objects.filter(unit=self.factory)
        self.assertEqual(set(name_filter(in_factory, "nguyen").values_list("full_name", flat=True)), set())


class UnitSearchTests(BaseTestCase):
    def found(self, q: str) -> set[str]:
        return set(unit_search(Unit.objects.all(), q).values_list("code", flat=True))

    def test_it_finds_a_unit_without_accents(self):
        self.assertEqual(self.found("dong ha"), {"QT.DH", "QT.DH.002"})
        self.assertEqual(self.found("ĐÔNG HÀ"), {"QT.DH", "QT.DH.002"})

    def test_d_matches_đ(self):
        self.assertEqual(self.found("dong hoi"), {"QB.DHO"})

    def test_it_finds_a_unit_by_code(self):
        self.assertEqual(self.found("qt.dh.001"), {"QT.DH.001"})

    def test_a_non_match_finds_nothing(self):
        self.assertEqual(self.found("hai phong"), set())


class RareWordPathTests(BaseTestCase):
    """On PostgreSQL a word that begins none of the common words (pg_stats) is read through the
    GIN index first (org.selectors.search._rare_token); the answer must not change."""

    def test_the_rare_word_path_finds_the_same_members(self):
        from unittest import mock

        from django.db import connection

        member_create(unit=self.school, full_name="Khổng Thị Diệp", sex=Sex.FEMALE)
        member_create(unit=self.port, full_name="Khổng Văn Hải", sex=Sex.MALE)
        queries = ["khong", "khong thi", "diep khong", "nguyen thi thu ha", "zzz", "kh"]
        plain = {
            q: set(member_search(Member.objects.all(), q).values_list("full_name", flat=True))
            for q in queries
        }
        common = ["nguyen", "thi", "van", "tran", "thu", "ha", "hai", "le", "lan", "duc"]
        with mock.patch("org.selectors.search._common_words", return_value=common):
            for q in queries:
                qs = member_search(Member.objects.all(), q)
                self.assertEqual(set(qs.values_list("full_name", flat=True)), plain[q], q)
                if connection.vendor == "postgresql":
                    self.assertEqual(
                        "ANY(ARRAY(" in str(qs.query),
                        q in ("khong", "khong thi", "diep khong", "zzz", "kh"),
                        q,
                    )
        self.assertEqual(plain["khong"], {"Khổng Thị Diệp", "Khổng Văn Hải"})
        self.assertEqual(plain["diep khong"], {"Khổng Thị Diệp"})
