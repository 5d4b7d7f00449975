"""lib.tabular on its own: the header row found under title rows, and given up on."""

from django.test import SimpleTestCase

from lib.tabular import find_header

FIELDS = {"họ và tên": "name", "cccd": "cccd"}


def field_of(cell):
    return FIELDS.get(str(cell).lower()) if cell is not None else None


class FindHeaderTests(SimpleTestCase):
    def test_it_finds_the_header_under_title_rows(self):
        rows = iter([(1, ["DANH SÁCH"]), (2, []), (3, ["STT", "Họ và tên", "CCCD", "Họ và tên"]), (4, ["1"])])
        header = find_header(
            rows, field_of=field_of, is_header=lambda f: "name" in f, listed=lambda t: t != "STT"
        )
        self.assertEqual(header.row, 3)
        self.assertEqual(header.index, {"name": 1, "cccd": 2})
        self.assertEqual(header.headers, {"name": "Họ và tên", "cccd": "CCCD"})
        self.assertEqual(header.ignored, ["Họ và tên"])  # the second name column; STT is not listed
        self.assertEqual(next(rows), (4, ["1"]))  # the data rows are left to read

    def test_it_gives_up_after_search_rows(self):
        rows = iter([(n, ["x"]) for n in range(1, 10)] + [(10, ["Họ và tên"])])
        self.assertIsNone(
            find_header(rows, field_of=field_of, is_header=lambda f: "name" in f, search_rows=5)
        )
