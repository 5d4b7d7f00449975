"""The words and patterns of a plan's layout (Decree 30/2020): item numbers, the header's
lines, the footer's authority prefixes, phases, targets, and the words that tell sections,
movements and unit levels apart. Shared by every part of the parser."""

import re

# Upper-case Vietnamese letters, for character classes ("À-Ỹ" would take the lower-case ones too).
UPPER = "A-ZÀ-ÖØ-ÝĂĐĨŨƠƯ" + "".join(chr(c) for c in range(0x1EA0, 0x1EFA, 2))

RE_ROMAN = re.compile(r"^(?P<num>[IVXL]{1,6})\s*[.):/-]\s*(?P<text>\S.*)$")
RE_NUM = re.compile(
    r"^(?P<num>\d{1,2}(?:\.\d{1,3}){1,3})\.?\)?\s*(?P<text>[^\d\s].*)$"
    r"|^(?P<num1>\d{1,2})\s*[.)]\s*(?P<text1>[^\d\s.].*)$"
)
RE_LETTER = re.compile(
    rf"^(?P<num>[a-zđ])\s*\)\s*(?P<text>\S.*)$|^(?P<num1>[a-zđ])\.\s+(?P<text1>[{UPPER}].*)$"
)
RE_DASH = re.compile(r"^[-•·●○■□▪►➢✓❖◆*]\s*(?P<text>\S.*)$")
RE_PLUS = re.compile(r"^\+\s*(?P<text>\S.*)$")
RE_KH = re.compile(r"^KẾ\s*HOẠCH\b[\s:.-]*(?P<rest>.*)$")
RE_AUTH = re.compile(r"^(?P<prefix>TM|T/M|KT|TL|TUQ|Q)\s*\.\s*(?P<rest>\S.*)$")
RE_NUMBER = re.compile(
    r"\bSố\s*[:.]?\s*(?P<val>\d[\w.]*\s*/\s*[\wĐđ.\-/]*[\wĐđ]|\d+[\w.\-]*\w|/\s*[\wĐđ.\-/]*[\wĐđ])",
)
RE_PHASE = re.compile(
    r"^(?P<name>(?:Đợt|Giai\s+đoạn|Bước)(?:\s+thi\s+đua)?\s+"
    r"(?:\d{1,2}|[IVX]{1,4}|thứ\s+(?:nhất|hai|ba|tư|năm|sáu|bảy|tám)|một|hai|ba|bốn)(?![\w/-]))",
    re.IGNORECASE,
)
RE_PLACEHOLDER = re.compile(
    r"^[\[(]?\s*(?:đã\s+ký|ký|ký\s+tên|chữ\s+ký|ký,?\s+ghi\s+rõ\s+họ\s+tên|ký\s+và\s+đóng\s+dấu|đóng\s+dấu)"
    r"[^)\]]*[)\]]?\.?$|^[_.\s-]+$",
    re.IGNORECASE,
)
# "Ban Thường vụ LĐLĐ tỉnh xây dựng kế hoạch": the body naming who makes the plan (names are
# capitalised, so "các cấp công đoàn xây dựng kế hoạch" is not one).
RE_BODY_ISSUER = re.compile(
    r"(?:(?:Ban\s+Thường\s+vụ|Ban\s+Chấp\s+hành|BTV|BCH|Thường\s+trực)\s+)?"
    r"(?P<org>(?:Tổng\s+)?(?:LĐLĐ|Liên\s+đoàn\s+Lao\s+động|Công\s+đoàn|CĐCS|CĐVC|CĐ)"
    r"(?:\s+[^\s,.;:“”]+){0,8}?)\s+(?:xây\s+dựng|ban\s+hành|triển\s+khai)\s+(?:[Kk]ế\s+hoạch|[Cc]hương\s+trình)"
)
RE_QUOTE = re.compile(r"“([^“”\n]{2,300})”")
RE_TARGET = re.compile(
    r"(?P<q>ít\s+nhất(?:\s+là)?|tối\s+thiểu(?:\s+là)?|không\s+ít\s+hơn|không\s+dưới|phấn\s+đấu\s+(?:có|đạt))\s+"
    r"(?P<n>\d{1,4}|một|hai|ba|bốn|năm|sáu|bảy|tám|chín|mười)\s+(?P<noun>[^\d\s,;.:()“”][^,;.:()“”]*?)"
    r"(?=\s+(?:về|trong|của|tại|để|nhằm|theo|cho|trên|thuộc|với|do|và|hoặc|trở\s+lên|mỗi|/)\b|[,;.:()“”]|$)",
    re.IGNORECASE,
)
RE_PADDED = re.compile(
    r"(?<![\w/.,-])(?P<n>0[1-9])\s+(?!(?:tháng|năm|ngày|giờ|phút|quý|tuần)\b)(?P<noun>[^\W\d_][^,;.:()“”]*?)"
    r"(?=\s+(?:về|trong|của|tại|để|nhằm|theo|cho|trên|thuộc|với|do|và|hoặc|trở\s+lên|mỗi|/)\b|[,;.:()“”]|$)",
)
NUMBER_WORDS = {
    "một": 1,
    "hai": 2,
    "ba": 3,
    "bốn": 4,
    "năm": 5,
    "sáu": 6,
    "bảy": 7,
    "tám": 8,
    "chín": 9,
    "mười": 10,
}

SECTION_KEYS = [
    ("purposes", ["muc dich", "yeu cau"]),
    ("contents", ["noi dung", "chu de"]),
    ("phases", ["thoi gian", "dot thi dua", "cac dot", "moc", "giai doan", "lo trinh", "tien do"]),
    ("duties", ["to chuc thuc hien", "phan cong", "trach nhiem", "nhiem vu cac cap"]),
    ("targets", ["chi tieu"]),
    ("rewards", ["khen thuong", "danh hieu"]),
]
# Words before a quoted name that make it a movement, and words that make it something else
# (a theme, a slogan, a resolution, a title). The nearer one to the quote decides.
MOVEMENT_WORDS = [
    "phong trao",
    "cuoc van dong",
    "chuong trinh",
    "chien dich",
    "cuoc thi",
    "hoi thi",
    "giai thuong",
    "thi dua",
    "dot thi dua",
]
NOT_MOVEMENT_WORDS = [
    "chu de",
    "chu de thi dua",
    "khau hieu",
    "khau hieu thi dua",
    "thong diep",
    "phuong cham",
    "nghi quyet",
    "chi thi",
    "ke hoach",
    "de an",
    "tieu chi",
    "danh hieu",
    "ten goi",
    "noi dung",
    "chuyen muc",
    "trang",
    "ngay",
]
# How the name of an issuing body starts (folded); a header line starting otherwise carries on
# the line above it.
ORG_HEADS = (
    "lien doan",
    "ldld",
    "tong ",
    "cong doan",
    "cd ",
    "cdcs",
    "cdvc",
    "ban ",
    "bch",
    "btv",
    "thuong truc",
    "uy ban",
    "ubnd",
    "so ",
    "hoi ",
    "dang ",
    "doan ",
    "truong ",
    "cong ty",
    "bo ",
    "van phong",
    "cum ",
    "khoi ",
    "nghiep doan",
)
BOARD_PREFIXES = ("ban thuong vu", "ban chap hanh", "thuong truc", "btv", "bch", "ban ")
UPPER_WORDS = [
    "ldld huyen",
    "lien doan lao dong huyen",
    "ldld thanh pho",
    "ldld thi xa",
    "lien doan lao dong thanh pho",
    "lien doan lao dong thi xa",
    "cong doan nganh",
    "cdvc",
    "cong doan vien chuc",
    "cong doan cap tren",
    "cd cap tren",
    "cap tren truc tiep",
    "khu cong nghiep",
    "khu kinh te",
    "cong doan khoi",
    "cong doan tong cong ty",
]
GRASSROOTS_WORDS = ["cong doan co so", "cdcs", "co so"]
GROUP_WORDS = ["to cong doan", "cong doan bo phan"]
PROVINCE_WORDS = [
    "ldld tinh",
    "lien doan lao dong tinh",
    "ldld thanh pho truc thuoc",
    "cong doan nganh trung uong",
]
