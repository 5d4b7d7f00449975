"""Reading a Vietnamese plan (kế hoạch) the way an officer does, from its structure.

Decree 30/2020 lays every administrative paper out the same way, and the parser follows that
layout rather than any one plan's wording:

- the header: the issuing body (in capitals, over its board "BAN THƯỜNG VỤ"), "CỘNG HÒA XÃ HỘI
  CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc", "Số: 45/KH-LĐLĐ", "<place>, ngày … tháng …
  năm …";
- "KẾ HOẠCH" and the title lines under it, then an opening text;
- sections numbered in roman numerals ("I. MỤC ĐÍCH, YÊU CẦU", "II. NỘI DUNG …", "III. THỜI
  GIAN …", "IV. TỔ CHỨC THỰC HIỆN"), or Word headings; inside them items numbered "1.", "2.1.",
  "a)", and dash items "-" and "+";
- "Nơi nhận:" with its dash lines, and the signature block "TM. BAN THƯỜNG VỤ" / title / name.

Whatever it cannot find is left empty and flagged; nothing is filled in by guessing.
"""

from __future__ import annotations

import datetime
import re
from collections import Counter
from dataclasses import dataclass, field

from imports.plans.dates import find_date_line, find_period
from imports.plans.names import ADMIN_WORDS, expand, name_case, unshout
from imports.plans.text import Doc, Para, is_caps
from lib.text import clean, fold

# The keys of the JSON the importer produces, in order (issue 7).
FIELDS = [
    "issuer",
    "number",
    "place",
    "date",
    "title",
    "year",
    "purposes",
    "theme",
    "contents",
    "movements",
    "phases",
    "duties",
    "targets",
    "recipients",
    "signer",
]

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


@dataclass
class Node:
    kind: str  # section, num, letter, dash, plus, para
    label: str
    text: str
    start: int  # offset of `text` in the document
    end: int
    depth: int
    para: Para | None = None
    children: list[Node] = field(default_factory=list)

    def walk(self):
        for child in self.children:
            yield child
            yield from child.walk()


@dataclass
class Section:
    kind: str
    heading: str
    index: int  # paragraph index of the heading
    paras: list[int]
    root: Node


@dataclass
class ParseResult:
    data: dict  # every key of FIELDS; dates as ISO strings
    extra: dict  # what the draft needs beyond the JSON: preamble, closing, levels, target kinds
    spans: dict[str, list[list[int]]]
    flags: dict[str, list[str]]
    is_plan: bool

    def as_json(self) -> dict:
        return {key: self.data[key] for key in FIELDS}


def head(text: str) -> str:
    """The folded start of a text, enough to compare with a label ("noi nhan", "chu de")."""
    return fold(text[:40])


def _mostly_upper(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return bool(letters) and sum(c.isupper() for c in letters) >= 0.7 * len(letters)


def _contains_word(folded: str, key: str) -> int:
    m = re.search(rf"(?<![a-z]){re.escape(key)}(?![a-z])", folded)
    return m.start() if m else -1


def section_kind(heading: str) -> str:
    folded = fold(heading)
    best, best_pos = "other", None
    for kind, keys in SECTION_KEYS:
        for key in keys:
            pos = _contains_word(folded, key)
            if pos >= 0 and (best_pos is None or pos < best_pos):
                best, best_pos = kind, pos
    return best


def _strip_end(text: str, chars: str = " .:;,") -> str:
    return text.rstrip(chars).strip()


def _unquote(text: str) -> str:
    text = text.strip()
    m = re.match(r"^“(.*)”[.,;:]*$", text)
    if m:
        text = m.group(1)
    return _strip_end(text.strip("“”"), " .,;:")


def _is_name(text: str) -> bool:
    words = text.split()
    return 2 <= len(words) <= 7 and all(w[:1].isupper() and w.replace("-", "").isalpha() for w in words)


class _Reader:
    def __init__(self, doc: Doc) -> None:
        self.doc = doc
        self.paras = doc.paras
        self.data: dict = {
            "issuer": None,
            "number": None,
            "place": None,
            "date": None,
            "title": None,
            "year": None,
            "purposes": [],
            "theme": None,
            "contents": [],
            "movements": [],
            "phases": [],
            "duties": [],
            "targets": [],
            "recipients": [],
            "signer": {"authority": None, "title": None, "name": None},
        }
        self.extra: dict = {
            "preamble": "",
            "closing": "",
            "recipient_lines": [],
            "duty_kinds": [],
            "target_kinds": [],
            "target_unit_levels": [],
            "target_duty": [],
            "issuer_header": None,
        }
        self.spans: dict[str, list[list[int]]] = {}
        self.flags: dict[str, list[str]] = {}
        self.plan_date: datetime.date | None = None

    # -- helpers ---------------------------------------------------------------------------

    def span(self, key: str, start: int, end: int) -> None:
        self.spans.setdefault(key, []).append([start, end])

    def flag(self, key: str, code: str) -> None:
        codes = self.flags.setdefault(key, [])
        if code not in codes:
            codes.append(code)

    def node(self, i: int) -> Node:
        p = self.paras[i]
        text = p.text
        if p.heading >= 2:
            m = RE_NUM.match(text)
            label, body = (
                (m.group("num") or m.group("num1"), m.group("text") or m.group("text1")) if m else ("", text)
            )
            return Node("num", label, body, p.start + (len(text) - len(body)), p.end, p.heading - 1, p)
        for kind, pattern in (("num", RE_NUM), ("letter", RE_LETTER)):
            m = pattern.match(text)
            if m:
                label = m.group("num") or m.group("num1")
                body = m.group("text") if m.group("text") is not None else m.group("text1")
                start = p.start + (m.start("text") if m.group("text") is not None else m.start("text1"))
                depth = label.count(".") + 1 if kind == "num" else 5
                return Node(kind, label, body, start, p.end, depth, p)
        m = RE_PLUS.match(text)
        if m:
            return Node("plus", "+", m.group("text"), p.start + m.start("text"), p.end, 7, p)
        m = RE_DASH.match(text)
        if m:
            return Node("dash", "-", m.group("text"), p.start + m.start("text"), p.end, 6, p)
        if p.list_kind == "number":
            return Node("num", "", text, p.start, p.end, 1 + p.list_level, p)
        if p.list_kind == "bullet":
            return Node("dash", "", text, p.start, p.end, 6 + p.list_level, p)
        return Node("para", "", text, p.start, p.end, 99, p)

    def outline(self, indices: list[int]) -> Node:
        root = Node("section", "", "", 0, 0, 0)
        stack = [root]
        for i in indices:
            node = self.node(i)
            if node.kind == "para":
                # A paragraph belongs to the numbered item (or section) it stands in, not to the
                # dash item above it: wrapped lines were joined already, so it is a new paragraph.
                while len(stack) > 1 and stack[-1].kind in ("dash", "plus"):
                    stack.pop()
                stack[-1].children.append(node)
                continue
            while len(stack) > 1 and stack[-1].depth >= node.depth:
                stack.pop()
            stack[-1].children.append(node)
            stack.append(node)
        return root

    def heading_text(self, i: int) -> str | None:
        """The section title if paragraph i heads a section ("I. MỤC ĐÍCH, YÊU CẦU" → its text)."""
        p = self.paras[i]
        m = RE_ROMAN.match(p.text)
        if p.heading == 1:
            return m.group("text") if m else p.text
        if m and _mostly_upper(m.group("text")) and len(m.group("text")) <= 200:
            return m.group("text")
        if (
            i > self.kh_index
            and is_caps(p.text)
            and len(p.text.split()) <= 14
            and not (RE_NUM.match(p.text) or RE_DASH.match(p.text) or RE_AUTH.match(p.text))
            and section_kind(p.text) != "other"
        ):
            return p.text
        return None

    # -- the parts -------------------------------------------------------------------------

    def read(self) -> ParseResult:
        paras = self.paras
        self.kh_index = -1
        limit = len(paras)
        for i, p in enumerate(paras[: max(60, len(paras) // 3)]):
            if RE_KH.match(p.text):
                self.kh_index = i
                break
        heads = [(i, h) for i in range(len(paras)) if (h := self.heading_text(i)) is not None]
        heads = [(i, h) for i, h in heads if i > self.kh_index]
        first_section = heads[0][0] if heads else None
        tail = self.find_tail(first_section if first_section is not None else self.kh_index + 1)
        heads = [(i, h) for i, h in heads if i < tail]
        body_start = first_section if first_section is not None else tail
        header_end = self.kh_index if self.kh_index >= 0 else (first_section or 0)

        self.read_header(range(0, header_end))
        title_end = self.read_title(body_start)
        self.read_preamble(title_end, body_start)
        self.sections: list[Section] = []
        for n, (i, heading) in enumerate(heads):
            end = heads[n + 1][0] if n + 1 < len(heads) else tail
            indices = list(range(i + 1, end))
            self.sections.append(Section(section_kind(heading), heading, i, indices, self.outline(indices)))
        self.read_date_fallback(body_start)
        self.read_year()
        self.read_issuer_from_body()
        self.read_purposes()
        self.read_theme()
        self.read_contents()
        self.read_movements(title_end if self.kh_index >= 0 else 0, tail)
        self.read_phases()
        self.read_duties()
        self.read_tail(tail, limit)
        self.flag_missing()
        known = {s.kind for s in self.sections} - {"other"}
        is_plan = self.kh_index >= 0 or len(known) >= 2
        return ParseResult(self.data, self.extra, self.spans, self.flags, is_plan)

    def find_tail(self, start: int) -> int:
        """Where the recipients and the signature block begin."""
        paras = self.paras
        for i in range(max(start, 0), len(paras)):
            text = paras[i].text
            if head(text).startswith("noi nhan") or (RE_AUTH.match(text) and is_caps(text, min_words=1)):
                return i
        # No "Nơi nhận" nor "TM.": a title in capitals over a name closes the paper.
        for i in range(len(paras) - 1, max(start, len(paras) - 8) - 1, -1):
            if _is_name(name_case(paras[i].text)) and i > 0:
                j = i - 1
                while j > start and RE_PLACEHOLDER.match(paras[j].text):
                    j -= 1
                if j > start and is_caps(paras[j].text, min_words=1) and len(paras[j].text.split()) <= 8:
                    return j
                break
        return len(paras)

    def read_header(self, indices: range) -> None:
        candidates: list[tuple[str, int, int]] = []
        for i in indices:
            p = self.paras[i]
            offset = 0
            for piece in p.text.split(" | "):
                start = p.start + p.text.index(piece, offset)
                offset = start - p.start + len(piece)
                self.read_header_piece(piece, start, candidates)
        orgs: list[tuple[str, int, int]] = []
        for text, start, end in candidates:
            words = fold(text)
            if orgs and not words.startswith(ORG_HEADS):
                # "CÔNG ĐOÀN VIÊN" / "CHỨC TỈNH": one name wrapped over two lines (a name starts
                # with what the body is: "LIÊN ĐOÀN …", "CÔNG ĐOÀN …", "BAN …").
                prev = orgs[-1]
                orgs[-1] = (f"{prev[0]} {text}", prev[1], end)
                continue
            if words.startswith(BOARD_PREFIXES) and len(text.split()) <= 4:
                continue
            orgs.append((text, start, end))
        if orgs:
            text, start, end = orgs[-1]
            issuer, guessed = unshout(expand(text))
            self.data["issuer"] = self._complete(clean(issuer))
            self.extra["issuer_header"] = text
            self.span("issuer", start, end)
            if guessed:
                self.flag("issuer", "case_guessed")

    def _complete(self, org: str) -> str:
        """'Liên đoàn Lao động tỉnh' + the province the text names ('tỉnh Quảng Trị'), flagged."""
        admin = next((w for w in ADMIN_WORDS if org.lower().endswith(" " + w)), None)
        if admin is None:
            return org
        name = self._place_name(admin) or self.data["place"]
        if not name:
            self.flag("issuer", "incomplete")
            return org
        self.flag("issuer", "completed")
        return f"{org} {name}"

    def read_header_piece(self, piece: str, start: int, candidates: list) -> None:
        folded = fold(piece)
        text = piece
        for marker in ("cong hoa xa hoi chu nghia", "doc lap"):
            pos = folded.find(marker)
            if pos >= 0:
                # "BAN THƯỜNG VỤ CỘNG HÒA …" (two header columns on one line of a PDF)
                prefix = _prefix_by_folded(piece, pos)
                if prefix and len(fold(prefix)) >= 3:
                    candidates.append((prefix, start, start + len(prefix)))
                return
        m = RE_NUMBER.search(text)
        if m:
            value = re.sub(r"\s+", "", m.group("val"))
            if value.startswith("/"):
                self.flag("number", "blank_in_source")
            elif self.data["number"] is None:
                self.data["number"] = value
                self.span("number", start + m.start("val"), start + m.end("val"))
            before = text[: m.start()].strip(" |")
            if before and is_caps(before, min_words=1):
                candidates.append((before, start, start + len(before)))
            rest = text[m.end() :]
            if rest.strip(" |,"):
                self.read_header_piece(
                    rest.strip(" |"), start + m.end() + (len(rest) - len(rest.lstrip(" |"))), candidates
                )
            return
        line = find_date_line(text)
        if line is not None:
            self.read_place_date(text, start, line)
            return
        if re.fullmatch(r"[-_=.*~\s]+", text) or not text.strip():
            return
        if _mostly_upper(text):
            candidates.append((text.strip(), start, start + len(text.strip())))

    def read_place_date(self, text: str, start: int, line) -> None:
        if self.data["date"] is not None or "date" in self.flags:
            return
        if line.date is not None:
            self.plan_date = line.date
            self.data["date"] = line.date.isoformat()
            self.span("date", start + line.span[0], start + line.span[1])
        else:
            self.flag("date", "blank_in_source" if line.blank else "invalid")
        self.extra["date_year"] = line.year
        self.extra["date_year_span"] = [start + line.span[0], start + line.span[1]]
        before = text[: line.span[0]].rstrip(" ,")
        words = before.split()
        place: list[str] = []
        for word in reversed(words):
            bare = word.strip(",")
            if not bare or not (bare[0].isupper() or bare in ("TP.", "TX.")):
                break
            if bare.isupper() and len(bare) > 3 and not bare.endswith("."):
                break
            place.insert(0, bare)
            if len(place) == 5:
                break
        if place:
            value = " ".join(place)
            self.data["place"] = value
            pos = before.rfind(value)
            self.span("place", start + pos, start + pos + len(value))

    def read_title(self, body_start: int) -> int:
        """The title lines after "KẾ HOẠCH"; returns the index of the first paragraph after them."""
        if self.kh_index < 0:
            return body_start
        p = self.paras[self.kh_index]
        m = RE_KH.match(p.text)
        parts: list[str] = []
        if m and m.group("rest").strip():
            rest = m.group("rest").strip()
            parts.append(rest)
            self.span("title", p.end - len(rest), p.end)
        any_centered = any(q.centered for q in self.paras)
        i = self.kh_index + 1
        while i < body_start and len(parts) < 4:
            q = self.paras[i]
            text = q.text
            if re.fullmatch(r"[-_=.*~\s]+", text):
                i += 1
                continue
            if (
                len(text) > 300
                or re.search(r"[.;:!?]$", text)
                or RE_NUM.match(text)
                or RE_DASH.match(text)
                or (len(text) < 80 and find_date_line(text) is not None)
                or head(text).startswith(("can cu", "thuc hien", "kinh gui", "nham ", "de ", "so "))
                or (any_centered and not q.centered)
            ):
                break
            parts.append(text)
            self.span("title", q.start, q.end)
            i += 1
        if parts:
            self.data["title"] = clean(" ".join(parts))
        return i

    def read_preamble(self, start: int, end: int) -> None:
        texts = []
        for i in range(start, end):
            text = self.paras[i].text
            line = find_date_line(text)
            if line is not None and len(text) < 80:
                self.read_place_date(text, self.paras[i].start, line)
                continue
            texts.append(text)
        self.extra["preamble"] = "\n".join(texts)
        self.preamble_range = (start, end)

    def read_date_fallback(self, body_start: int) -> None:
        if self.data["date"] is None and "date" not in self.flags:
            for i in range(0, min(body_start, len(self.paras))):
                p = self.paras[i]
                line = find_date_line(p.text)
                if line is not None and len(p.text) < 120:
                    self.read_place_date(p.text, p.start, line)
                    break

    def read_year(self) -> None:
        title = self.data["title"] or ""
        title_spans = self.spans.get("title", [])
        matches = list(re.finditer(r"\bnăm\s+((?:19|20)\d\d)\b", title, re.IGNORECASE))
        if not matches:
            years = [m for m in re.finditer(r"(?<![\d-])((?:19|20)\d\d)(?![\d-])", title)]
            matches = years if len(years) == 1 else []
        if matches:
            m = matches[-1]
            self.data["year"] = int(m.group(1))
            # Locate the year in the document for its highlight.
            for s, e in title_spans:
                pos = self.doc.text.find(m.group(0), s, e)
                if pos >= 0:
                    self.span("year", pos, pos + len(m.group(0)))
                    break
            return
        year = self.extra.get("date_year")
        if year:
            self.data["year"] = year
            self.span("year", *self.extra["date_year_span"])
            self.flag("year", "from_date")

    def read_issuer_from_body(self) -> None:
        if self.data["issuer"]:
            return
        start, end = self.preamble_range
        indices = list(range(start, end)) + [i for s in self.sections for i in s.paras]
        for i in indices:
            p = self.paras[i]
            m = RE_BODY_ISSUER.search(p.text)
            if not m:
                continue
            self.data["issuer"] = self._complete(clean(expand(m.group("org"))))
            self.span("issuer", p.start + m.start("org"), p.start + m.end("org"))
            self.flag("issuer", "from_body")
            return

    def _place_name(self, admin: str) -> str | None:
        """The commonest capitalised name after `admin` in the text ("tỉnh Quảng Trị")."""
        names = Counter(
            m.group(1)
            for m in re.finditer(
                rf"\b{admin}\s+((?:[{UPPER}][^\s,.;:()“”]*)(?:\s+[{UPPER}][^\s,.;:()“”]*){{0,3}})",
                self.doc.text,
            )
        )
        return names.most_common(1)[0][0] if names else None

    # -- sections ----------------------------------------------------------------------------

    def sections_of(self, kind: str) -> list[Section]:
        return [s for s in self.sections if s.kind == kind]

    @staticmethod
    def _is_label(node: Node) -> bool:
        """A short item that only heads the items under it ("1. Mục đích:")."""
        return len(node.text.split()) <= 8 and not re.search(r"[.;!?]$", node.text)

    def _leaves(self, nodes: list[Node]) -> list[Node]:
        out = []
        for node in nodes:
            if node.children and self._is_label(node):
                out += self._leaves(node.children)
            else:
                out.append(node)
        return out

    def read_purposes(self) -> None:
        for section in self.sections_of("purposes"):
            items = [c for c in section.root.children if c.kind != "para"]
            if not items:
                items = section.root.children
            for node in self._leaves(items):
                text, end = _with_paragraphs(node)
                if text:
                    self.data["purposes"].append(text)
                    self.span("purposes", node.start, end)

    def read_theme(self) -> None:
        ordered = self.sections_of("contents") + [s for s in self.sections if s.kind != "contents"]
        for section in ordered:
            for node in section.root.walk():
                label = head(node.text)
                if not label.startswith(("chu de", "khau hieu")):
                    continue
                theme = self._quote_after(node)
                if theme is not None:
                    text, start, end, quoted = theme
                    self.data["theme"] = text
                    self.span("theme", start, end)
                    if not quoted:
                        self.flag("theme", "no_quotes")
                    self.theme_node = node
                    return

    def _quote_after(self, node: Node):
        m = RE_QUOTE.search(node.text)
        if m:
            return _unquote(m.group(1)), node.start + m.start(1), node.start + m.end(1), True
        following = node.children[:1]
        if not following and node.para is not None:
            index = self.paras.index(node.para)
            if index + 1 < len(self.paras):
                nxt = self.paras[index + 1]
                following = [Node("para", "", nxt.text, nxt.start, nxt.end, 99, nxt)]
        for child in following:
            m = RE_QUOTE.match(child.text.lstrip("-+ "))
            if m:
                offset = child.start + (len(child.text) - len(child.text.lstrip("-+ ")))
                return _unquote(m.group(1)), offset + m.start(1), offset + m.end(1), True
        if ":" in node.text:
            rest = node.text.split(":", 1)[1].strip()
            if rest:
                value = _unquote(rest)
                pos = node.text.index(rest)
                return value, node.start + pos, node.start + pos + len(rest), False
        return None

    def read_contents(self) -> None:
        theme_node = getattr(self, "theme_node", None)
        for section in self.sections_of("contents"):
            children = section.root.children
            holder = next(
                (
                    c
                    for c in children
                    if c.kind != "para" and head(c.text).startswith("noi dung") and c.children
                ),
                None,
            )
            if holder is not None:
                items = holder.children
            else:
                items = [
                    c
                    for c in children
                    if c is not theme_node
                    and not head(c.text).startswith(("chu de", "khau hieu"))
                    and not (theme_node is not None and c in theme_node.children)
                ]
                if any(c.kind != "para" for c in items):
                    items = [c for c in items if c.kind != "para"]
                items = self._leaves(items)
            first_item = True
            for node in items:
                if node.kind == "para" and holder is not None:
                    if not first_item:
                        # A paragraph that carries on the item above it.
                        last = self.data["contents"][-1]
                        last["text"] = clean(f"{last['text']} {node.text}")
                        self.spans["contents"][-1][1] = node.end
                    continue  # else an introduction to the items ("gồm các nội dung sau:")
                text, end = _with_paragraphs(node)
                if not text or head(text).startswith(("chu de", "khau hieu")):
                    continue
                number = node.label if node.kind in ("num", "letter") else ""
                self.data["contents"].append({"number": number, "text": text})
                self.span("contents", node.start, end)
                first_item = False

    def read_movements(self, start_para: int, tail: int) -> None:
        if not self.paras:
            return
        first = self.spans.get("title", [[None]])[0][0]
        start = (
            first
            if first is not None
            else (self.paras[start_para].start if start_para < len(self.paras) else 0)
        )
        end = self.paras[tail - 1].end if 0 < tail <= len(self.paras) else len(self.doc.text)
        text = self.doc.text
        seen: set[str] = set()
        previous: tuple[int, bool] | None = None
        for m in RE_QUOTE.finditer(text, start, end):
            inner = m.group(1)
            is_movement = self._quote_is_movement(m.start(), previous)
            previous = (m.end(), is_movement)
            name = _unquote(inner)
            if not is_movement or not name or len(name.split()) > 25:
                continue
            key = fold(name)
            if key in seen:
                continue
            seen.add(key)
            self.data["movements"].append(name)
            self.span("movements", m.start(1), m.end(1))

    def _quote_is_movement(self, pos: int, previous: tuple[int, bool] | None) -> bool:
        text = self.doc.text
        if previous is not None:
            gap = text[previous[0] : pos]
            bare = re.sub(r"(?:\bvà\b|\bhoặc\b|\bcùng\b|[\s;,:.\-+…\n])", "", gap)
            if not bare and gap.count("\n") <= 1:
                return previous[1]
        line_start = text.rfind("\n", 0, pos) + 1
        context = text[line_start:pos]
        if not re.sub(r"^[\s\-+•\d.)]*", "", context):
            prev_start = text.rfind("\n", 0, max(line_start - 1, 0)) + 1
            context = text[prev_start : max(line_start - 1, 0)]
        context = context[-160:]
        cut = max(context.rfind(". "), context.rfind("; "))
        if cut >= 0 and cut < len(context) - 2:
            context = context[cut + 2 :]
        folded = fold(context)
        stops = []
        for word in NOT_MOVEMENT_WORDS:
            stops += [(m.start(), m.end()) for m in re.finditer(rf"(?<![a-z]){word}(?![a-z])", folded)]
        best_end, best_kind = -1, False
        for _s, e in stops:
            if e > best_end:
                best_end, best_kind = e, False
        for word in MOVEMENT_WORDS:
            for m in re.finditer(rf"(?<![a-z]){word}(?![a-z])", folded):
                if any(s <= m.start() and m.end() <= e for s, e in stops):
                    continue
                if m.end() > best_end:
                    best_end, best_kind = m.end(), True
        return best_kind

    def read_phases(self) -> None:
        year = self.data["year"]
        found = False
        for section in self.sections_of("phases"):
            nodes = list(section.root.walk())
            for n, node in enumerate(nodes):
                if self._phase(node, year, in_section=True):
                    found = True
                    phase = self.data["phases"][-1]
                    nxt = nodes[n + 1] if n + 1 < len(nodes) else None
                    if (
                        not phase["purpose"]
                        and nxt is not None
                        and nxt.kind == "para"
                        and not RE_PHASE.match(nxt.text)
                        and find_period(nxt.text[:40]) is None
                    ):
                        # "Đợt 1 | dates" with its purpose on the next line (a table cell of a PDF).
                        phase["purpose"] = clean(nxt.text)
                        self.spans["phases"][-1][1] = nxt.end
        if not found:
            for section in self.sections:
                if section.kind == "phases":
                    continue
                for node in section.root.walk():
                    self._phase(node, year, in_section=False)

    def _phase(self, node: Node, year, *, in_section: bool) -> bool:
        text = node.text
        m = RE_PHASE.match(text)
        index = len(self.data["phases"])
        if m:
            name = re.sub(r"\s+", " ", m.group("name"))
            name = name[0].upper() + name[1:]
            rest_start = m.end()
        elif in_section and node.kind != "para":
            period = find_period(text[:80], plan_date=self.plan_date, year=year)
            if period is None or text[: period.span[0]].strip(" -:(|"):
                return False
            name = None
            rest_start = 0
        else:
            return False
        rest = text[rest_start:]
        period = find_period(rest[:220], plan_date=self.plan_date, year=year)
        key = f"phases.{index}"
        start = end = None
        purpose = rest
        if period is not None:
            start, end = period.start, period.end
            for code in period.flags:
                self.flag(key, code)
            lead = rest[: period.span[0]]
            if not lead.strip(" -:.,;(|–"):
                purpose = rest[period.span[1] :]
            if name is None:
                name = clean(rest[period.span[0] : period.span[1]])
                self.flag(key, "name_from_dates")
        else:
            self.flag(key, "dates_missing")
        purpose = clean(purpose.lstrip(" -:.,;)|–"))
        if not purpose and node.children:
            purpose = clean(" ".join(c.text for c in node.children))
        self.data["phases"].append(
            {
                "name": name,
                "start": start.isoformat() if start else None,
                "end": end.isoformat() if end else None,
                "purpose": purpose,
            }
        )
        last = node.children[-1].end if node.children else node.end
        self.span("phases", node.start, last)
        return True

    def read_duties(self) -> None:
        closing: list[str] = []
        for section in self.sections_of("duties"):
            children = section.root.children
            levels = [c for c in children if c.kind in ("num", "letter")]
            if not levels:
                items = [c for c in children if c.kind != "para"]
                if items:
                    self._duty(None, items)
                    last = children.index(items[-1])
                    closing += [c.text for c in children[last + 1 :] if c.kind == "para"]
                continue
            for level in levels:
                items = level.children
                if level is levels[-1]:
                    # Paragraphs after the last dash item of the last level close the plan
                    # ("Trong quá trình tổ chức thực hiện, … báo cáo …").
                    marked = [n for n, c in enumerate(items) if c.kind != "para"]
                    if marked:
                        closing += [c.text for c in items[marked[-1] + 1 :]]
                        items = items[: marked[-1] + 1]
                flat: list[Node] = []
                for child in items:
                    flat.append(child)
                    flat += [g for g in child.walk() if g.kind != "para"]
                self._duty(level, flat)
        for section in self.sections_of("targets"):
            for node in section.root.walk():
                self._targets_in(node, None, None)
        if closing:
            self.extra["closing"] = "\n".join(closing)

    def _duty(self, level: Node | None, items: list[Node]) -> None:
        index = len(self.data["duties"])
        label = _strip_end(clean(level.text)) if level is not None else None
        texts = [clean(n.text) for n in items if clean(n.text)]
        self.data["duties"].append({"level": label, "items": texts})
        kind = duty_kind(label or "", self.data["issuer"] or "")
        self.extra["duty_kinds"].append(kind)
        key = f"duties.{index}"
        if level is None:
            self.flag(key, "level_missing")
        elif kind is None:
            self.flag(key, "level_unknown")
        first = level.start if level is not None else (items[0].start if items else 0)
        last = items[-1].end if items else (level.end if level is not None else first)
        self.span("duties", first, last)
        for node in items:
            self._targets_in(node, label, index)

    def _targets_in(self, node: Node, level: str | None, duty_index: int | None) -> None:
        text = node.text
        found = []
        for m in RE_TARGET.finditer(text):
            raw = m.group("n").lower()
            count = int(raw) if raw.isdigit() else NUMBER_WORDS.get(raw)
            found.append((m.start(), m.end(), count))
        for m in RE_PADDED.finditer(text):
            if not any(s <= m.start() < e for s, e, _ in found):
                found.append((m.start(), m.end(), int(m.group("n"))))
        for s, e, count in sorted(found):
            target = clean(text[s:e])
            index = len(self.data["targets"])
            self.data["targets"].append({"text": target, "count": count, "level": level})
            self.extra["target_kinds"].append(target_kind(target))
            subject = text[:s]
            self.extra["target_unit_levels"].append(
                unit_level_of(
                    subject, self.extra["duty_kinds"][duty_index] if duty_index is not None else None
                )
            )
            self.extra["target_duty"].append(duty_index)
            self.span("targets", node.start + s, node.start + e)
            if level is None:
                self.flag(f"targets.{index}", "level_missing")

    # -- recipients and signature ------------------------------------------------------------

    def read_tail(self, tail: int, limit: int) -> None:
        paras = self.paras[tail:limit]
        i = 0
        recipients: list[list] = []  # [text, raw line, start, end]
        signer_lines: list[Para] = []
        in_recipients = False
        while i < len(paras):
            p = paras[i]
            text = p.text
            if head(text).startswith("noi nhan"):
                in_recipients = True
                rest = re.sub(r"^Nơi\s+nhận\s*:?\s*", "", text, flags=re.IGNORECASE)
                offset = p.start + len(text) - len(rest)
                if rest and (RE_AUTH.match(rest) or is_caps(rest, min_words=2)):
                    # "Nơi nhận: TM. BAN THƯỜNG VỤ": the two footer columns on one line.
                    signer_lines.append(Para(rest, offset, offset + len(rest)))
                elif rest:
                    self._recipient_piece(rest, offset, recipients, signer_lines, p)
                i += 1
                continue
            if in_recipients and not (RE_AUTH.match(text) or is_caps(text, min_words=1)):
                m = RE_DASH.match(text)
                if m or not recipients:
                    self._recipient_piece(text, p.start, recipients, signer_lines, p)
                elif not _is_name(text):
                    recipients[-1][0] += " " + text
                    recipients[-1][1] += " " + text
                    recipients[-1][3] = p.end
                else:
                    signer_lines.append(p)
                i += 1
                continue
            in_recipients = False
            signer_lines.append(p)
            i += 1
        for text, raw, start, end in recipients:
            value = _strip_end(clean(text), " ;.,")
            if value:
                self.data["recipients"].append(value)
                self.extra["recipient_lines"].append(clean(raw))
                self.span("recipients", start, end)
        self.read_signer(signer_lines)

    def _recipient_piece(
        self, text: str, start: int, recipients: list, signer_lines: list, para: Para
    ) -> None:
        # "- Như trên; CHỦ TỊCH": the two footer columns on one line of a PDF.
        m = re.match(rf"^(?P<left>.*?[;.,])\s+(?P<right>[{UPPER}][{UPPER}\s.]{{4,}})$", text)
        if m and is_caps(m.group("right"), min_words=2):
            offset = start + m.start("right")
            signer_lines.append(Para(m.group("right"), offset, offset + len(m.group("right"))))
            text = m.group("left")
        dash = RE_DASH.match(text)
        body = dash.group("text") if dash else text
        body_start = start + (dash.start("text") if dash else 0)
        recipients.append([body, text, body_start, start + len(text)])

    def read_signer(self, lines: list[Para]) -> None:
        signer = self.data["signer"]
        lines = [p for p in lines if not RE_PLACEHOLDER.match(p.text)]
        start = None
        for n, p in enumerate(lines):
            m = RE_AUTH.match(p.text)
            if m and is_caps(p.text, min_words=1):
                signer["authority"] = f"{m.group('prefix')}. {m.group('rest').strip()}"
                self.span("signer.authority", p.start, p.end)
                start = n + 1
                break
        if start is None:
            # No "TM."/"KT.": the last title in capitals that a name follows.
            for n in range(len(lines) - 2, -1, -1):
                if is_caps(lines[n].text, min_words=1) and _is_name(name_case(lines[n + 1].text)):
                    start = n
                    break
            if start is None:
                return
        rest = lines[start:]
        if (
            rest
            and is_caps(rest[0].text, min_words=1)
            and not (len(rest) == 1 and _is_name(name_case(rest[0].text)))
        ):
            signer["title"] = rest[0].text
            self.span("signer.title", rest[0].start, rest[0].end)
            rest = rest[1:]
        for p in rest:
            candidate = name_case(p.text)
            if _is_name(candidate):
                signer["name"] = candidate
                self.span("signer.name", p.start, p.end)
                break

    def flag_missing(self) -> None:
        for key in FIELDS:
            value = self.data[key]
            if key == "signer":
                for part in ("authority", "title", "name"):
                    if not value[part]:
                        self.flag(f"signer.{part}", "missing")
            elif key == "number" and "number" in self.flags:
                continue
            elif value in (None, "", []) and key not in ("targets", "movements"):
                if key == "date" and "date" in self.flags:
                    continue
                self.flag(key, "missing")
        for i, phase in enumerate(self.data["phases"]):
            if phase["start"] is None and "start_missing" not in self.flags.get(f"phases.{i}", []):
                self.flag(f"phases.{i}", "start_missing")
            if phase["end"] is None and "end_missing" not in self.flags.get(f"phases.{i}", []):
                self.flag(f"phases.{i}", "end_missing")


def _with_paragraphs(node: Node) -> tuple[str, int]:
    """An item's text with the paragraphs that carry it on (in Word, one point may hold several)."""
    paras = [c for c in node.children if c.kind == "para"]
    if not paras or any(c.kind != "para" for c in node.children):
        return clean(node.text), node.end
    return clean(" ".join([node.text, *(c.text for c in paras)])), paras[-1].end


def _prefix_by_folded(text: str, folded_pos: int) -> str:
    """The part of `text` before the character at `folded_pos` of its folded form (fold keeps
    one character per letter, so positions only drift on punctuation runs)."""
    words = fold(text[: max(0, folded_pos)]).split()
    if not words:
        return ""
    raw_words = text.split()
    return " ".join(raw_words[: len(words)]).strip(" -|")


def duty_kind(label: str, issuer: str) -> str | None:
    """Which level a duty is written for (campaigns.Duty.Level value), None when unclear."""
    if not label:
        return None
    f = fold(expand(label))
    issuer_f = fold(expand(issuer))
    if f.startswith(("ban thuong vu", "ban chap hanh", "thuong truc", "cac ban", "van phong")):
        return "issuer"
    if issuer_f and (issuer_f.startswith(f) or f.startswith(issuer_f)):
        return "issuer"
    has_grassroots = any(_contains_word(f, w) >= 0 for w in ("cong doan co so", "cdcs", "co so"))
    has_upper = any(_contains_word(f, w) >= 0 for w in (*UPPER_WORDS, "cap tren"))
    if has_grassroots and has_upper:
        return "upper_grassroots"
    if _contains_word(f, "cac cap cong doan") >= 0 or f.startswith(("cac cap", "cac don vi", "doan vien")):
        return "all"
    if has_upper:
        return "upper"
    if has_grassroots or any(_contains_word(f, w) >= 0 for w in GROUP_WORDS):
        return "grassroots"
    if any(_contains_word(f, w) >= 0 for w in ("lien doan lao dong tinh", "tong lien doan")):
        return "issuer"
    return None


def target_kind(text: str) -> str:
    f = fold(text)
    if "mo hinh" in f:
        return "pilot_model"
    if "dang ky" in f:
        return "registration"
    if any(w in f for w in ("sang kien", "de tai", "giai phap", "hoi thi", "sang tao")):
        return "contest_entry"
    return "other"


def unit_level_of(subject: str, duty: str | None) -> int | None:
    """The unit level a target is counted per (org.UnitLevel value), from the words before it."""
    f = fold(expand(subject))
    found = []
    for level, words in ((4, GROUP_WORDS), (2, UPPER_WORDS), (1, PROVINCE_WORDS), (3, GRASSROOTS_WORDS)):
        for w in words:
            pos = _contains_word(f, w)
            if pos >= 0:
                found.append((pos, level))
    if found:
        return min(found)[1]
    return {"upper": 2, "grassroots": 3, "upper_grassroots": 2}.get(duty or "")


def parse(doc: Doc) -> ParseResult:
    """The plan's fields, where each came from, and what the officer must check."""
    return _Reader(doc).read()
