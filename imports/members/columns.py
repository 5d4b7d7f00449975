"""Which roster columns the import understands, and the header spellings it accepts.

Headers are compared after `lib.text.fold` (no accents, lower case, punctuation as spaces), so
"Họ và tên", "HỌ VÀ TÊN" and "ho va ten" are the same header. The Vietnamese export headers
(org/exports.py) are all here; this table is kept in imports on purpose.
"""

import re

from django.utils.translation import gettext_lazy as _

from lib.text import fold

# The headers written by the template and by the member export, in that order.
TEMPLATE_HEADERS: list[tuple[str, str]] = [
    ("full_name", "Họ và tên"),
    ("date_of_birth", "Ngày sinh"),
    ("sex", "Giới tính"),
    ("cccd", "Số CCCD"),
    ("phone", "Số điện thoại"),
    ("position", "Chức vụ"),
    ("ethnicity", "Dân tộc"),
    ("joined_on", "Ngày vào công đoàn"),
    ("card_number", "Số thẻ đoàn viên"),
    ("unit_code", "Mã đơn vị"),
]

FIELD_LABELS = {
    "full_name": _("Full name"),
    "date_of_birth": _("Date of birth"),
    "sex": _("Sex"),
    "cccd": _("CCCD"),
    "phone": _("Phone"),
    "position": _("Position"),
    "ethnicity": _("Ethnicity"),
    "joined_on": _("Joined the union on"),
    "card_number": _("Member card number"),
    "unit_code": _("Unit code"),
}

REQUIRED_FIELDS = ("full_name", "sex", "cccd")

_ALIASES: dict[str, list[str]] = {
    "full_name": [
        "Họ và tên",
        "Họ tên",
        "Họ và tên đoàn viên",
        "Họ tên đoàn viên",
        "Tên đoàn viên",
        "Full name",
        "Name",
        "Member name",
    ],
    "date_of_birth": [
        "Ngày sinh",
        "Ngày tháng năm sinh",
        "Ngày, tháng, năm sinh",
        "Sinh ngày",
        "Năm sinh",
        "Date of birth",
        "Birth date",
        "Birthday",
        "DOB",
    ],
    "sex": ["Giới tính", "Giới", "Phái", "Sex", "Gender"],
    "cccd": [
        "Số CCCD",
        "CCCD",
        "Số CMND/CCCD",
        "CMND/CCCD",
        "Số CMND",
        "CMND",
        "Số căn cước",
        "Số căn cước công dân",
        "Căn cước công dân",
        "Số định danh",
        "Số định danh cá nhân",
        "Citizen ID",
        "Citizen ID (CCCD)",
        "ID number",
        "National ID",
    ],
    "phone": [
        "Số điện thoại",
        "Điện thoại",
        "SĐT",
        "SDT",
        "Số ĐT",
        "ĐT",
        "Di động",
        "Số di động",
        "Phone",
        "Phone number",
        "Mobile",
        "Telephone",
    ],
    "position": ["Chức vụ", "Chức danh", "Chức vụ công đoàn", "Position", "Job title", "Title"],
    "ethnicity": ["Dân tộc", "Ethnicity", "Ethnic group"],
    "joined_on": [
        "Ngày vào công đoàn",
        "Ngày vào CĐ",
        "Ngày kết nạp",
        "Ngày kết nạp đoàn viên",
        "Ngày vào Công đoàn Việt Nam",
        "Joined on",
        "Joined the union on",
        "Join date",
        "Date joined",
    ],
    "card_number": [
        "Số thẻ đoàn viên",
        "Số thẻ ĐV",
        "Số thẻ",
        "Mã thẻ đoàn viên",
        "Thẻ đoàn viên",
        "Member card number",
        "Card number",
        "Card no",
    ],
    "unit_code": ["Mã đơn vị", "Mã CĐCS", "Mã công đoàn", "Unit code"],
    # A roster with one tick column per sex ("Nam" | "Nữ" with an x in one of them).
    "sex_male_mark": ["Nam", "Male"],
    "sex_female_mark": ["Nữ", "Female"],
}

ALIASES: dict[str, str] = {fold(alias): field for field, names in _ALIASES.items() for alias in names}

_BRACKETS = re.compile(r"\(.*?\)|\[.*?\]")


def field_for_header(header: object) -> str | None:
    """The member field a header names, or None when it is not a column we import."""
    if header is None:
        return None
    text = str(header)
    key = fold(text)
    if not key:
        return None
    if key in ALIASES:
        return ALIASES[key]
    # "Giới tính (Nam/Nữ)", "Ngày sinh (dd/mm/yyyy)": the words before the brackets decide.
    stripped = fold(_BRACKETS.sub(" ", text))
    return ALIASES.get(stripped) if stripped else None
