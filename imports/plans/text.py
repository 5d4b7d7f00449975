"""Plain text of a plan, normalised: NFC, one kind of quote and dash, single spaces, and the
lines of a PDF (or of text copied out of one) joined back into paragraphs.

A line break is kept where a new item starts (a heading, "1.", "2.1.", "a)", a dash, "Đợt 1",
"Nơi nhận", "TM."), after a line in capitals, after a short line (a wrapped line runs to the
margin, so a short one ends its paragraph), and after a sentence or a colon when the next line
starts with a capital. Every other break is a wrapped line and becomes a space.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from lib.text import fold

_TRANSLATE = str.maketrans(
    {
        "\t": " ",
        "\u00a0": " ",
        "\u2000": " ",
        "\u2001": " ",
        "\u2002": " ",
        "\u2003": " ",
        "\u2004": " ",
        "\u2005": " ",
        "\u2006": " ",
        "\u2007": " ",
        "\u2008": " ",
        "\u2009": " ",
        "\u200a": " ",
        "\u202f": " ",
        "\u205f": " ",
        "\u3000": " ",
        "\u200b": "",
        "\u200c": "",
        "\u200d": "",
        "\u2060": "",
        "\ufeff": "",
        "\ufffe": "",
        "\u00ad": "",
        "\u2010": "-",
        "\u2011": "-",
        "\u2012": "-",
        "\u2013": "-",
        "\u2014": "-",
        "\u2015": "-",
        "\u2212": "-",
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u201b": "'",
        "\u00b4": "'",
        "\u00ab": '"',
        "\u00bb": '"',
        "\u201e": '"',
        "\u201f": '"',
        "\u2033": '"',
        "\uff02": '"',
        "\u2026": "...",
        "\u2022": "•",
        "\uf0b7": "•",  # Symbol-font bullet that Word exports into text
        "\uf02d": "-",
        "\uf0a7": "•",
    }
)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_SPACES = re.compile(r"[ ]{2,}")
_PAGE_NUMBER = re.compile(r"^(?:-\s*)?\d{1,3}(?:\s*-)?$|^Trang\s+\d{1,3}(?:\s*/\s*\d{1,3})?$", re.IGNORECASE)

# Lines that start a new paragraph whatever ends the line before.
_ITEM_START = re.compile(
    r"""^(?:
        [IVXL]{1,6}\s*[.)/:-]\s*\S            # I. II. roman headings
      | \d{1,2}(?:\.\d{1,3}){1,3}\.?\s*[^\d\s]  # 2.1. / 2.1 numbered
      | \d{1,2}\s*[.)]\s*[^\d\s.]              # 1. / 1)
      | [a-zđ]\s*\)\s*\S                       # a)
      | [-+•·●○■□▪►➢✓❖◆*]\s*\S                # dash and bullet items
      | (?:Đợt|Giai\s+đoạn|Bước)\s+(?:thi\s+đua\s+)?(?:\d|[IVX]|thứ)  # phases
      | Nơi\s+nhận | Kính\s+gửi | Căn\s+cứ | Số\s*:
      | (?:TM|T/M|KT|TL|TUQ|Q)\s*\.\s*\S
    )""",
    re.VERBOSE,
)
_CONNECTOR_END = re.compile(
    r"\b(?:và|của|các|với|trong|cho|về|để|là|những|được|theo|tại|từ|đến|ở|hoặc|do|có|nhằm|gắn|trên|thuộc)$",
    re.IGNORECASE,
)
_SENTENCE_END = re.compile(r"""(?:[.!?]|\./\.)[”"')\]]*$""")
SHORT_LINE = 0.7


@dataclass
class Block:
    """A piece of extracted text. `hard` blocks are real paragraphs (Word); others are a stream
    of wrapped lines (PDF, plain text) whose breaks are decided here."""

    text: str
    hard: bool = False
    heading: int = 0  # Word heading level (1 = "Heading 1")
    list_kind: str = ""  # "bullet" or "number" for Word list paragraphs without a visible marker
    list_level: int = 0
    centered: bool = False


@dataclass
class Para:
    text: str
    start: int
    end: int
    heading: int = 0
    list_kind: str = ""
    list_level: int = 0
    centered: bool = False


@dataclass
class Doc:
    """The normalised text (what the officer sees) and its paragraphs with their offsets."""

    text: str
    paras: list[Para] = field(default_factory=list)
    kind: str = "txt"


def clean_chars(text: str) -> str:
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
    return _CONTROL.sub("", text.translate(_TRANSLATE))


def is_caps(line: str, *, min_words: int = 2) -> bool:
    """A line in capitals ("I. MỤC ĐÍCH, YÊU CẦU", "TM. BAN THƯỜNG VỤ"), not a lone acronym."""
    if line != line.upper():  # any lower-case letter (quick, in C)
        return False
    if sum(1 for c in line if c.isalpha()) < 4:
        return False
    return len(re.findall(r"[^\W\d_]+", line)) >= min_words


def _starts_lower(line: str) -> bool:
    for c in line:
        if c.isalpha():
            return c.islower()
        if c.isdigit():
            return False
        if c in "“\"'(":
            return False
    return False


def _is_nation_start(line: str) -> bool:
    if len(line) > 60 or not line[:1].upper() == "C":
        return False
    f = fold(line)
    return f.startswith("cong hoa xa hoi chu nghia") and not f.endswith("viet nam")


def _continues(prev: str, line: str, width: float) -> bool:
    """Whether `line` carries on the paragraph whose last line is `prev`."""
    if _is_nation_start(prev) and len(line) <= 12:
        return True  # "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT" / "NAM"
    if re.search(r"(?:ngày|tháng|năm)$", prev, re.IGNORECASE) and re.match(r"^[\d.…]", line):
        return True  # "Quảng Trị, ngày 10 tháng 01 năm" / "2022"
    if _ITEM_START.match(line) or is_caps(line):
        return False
    if is_caps(prev) or fold(prev[:12]).startswith("noi nhan"):
        return False
    lower = _starts_lower(line)
    if prev.endswith(":"):
        return lower
    if _SENTENCE_END.search(prev):
        return lower
    if prev.endswith(";"):
        return lower or line[0] in '“"'  # a list of quoted names runs on after ";"
    if prev.endswith(",") or prev.endswith("-") or _CONNECTOR_END.search(prev):
        return True
    if width and len(prev) < SHORT_LINE * width:
        return lower
    return True


def _fix_quotes(text: str) -> str:
    """Straight double quotes become curly ones, opening or closing by what surrounds them."""
    if '"' not in text:
        return text
    out = []
    open_ = False
    for i, ch in enumerate(text):
        if ch != '"':
            if ch == "“":
                open_ = True
            elif ch == "”":
                open_ = False
            out.append(ch)
            continue
        prev = text[i - 1] if i else ""
        nxt = text[i + 1] if i + 1 < len(text) else ""
        if (not prev or prev.isspace() or prev in "([{:;-/") and nxt and not nxt.isspace():
            is_open = True
        elif prev and not prev.isspace() and (not nxt or nxt.isspace() or nxt in ",.;:!?)]}"):
            is_open = False
        else:
            is_open = not open_
        out.append("“" if is_open else "”")
        open_ = is_open
    return "".join(out)


_SPACING = [
    (re.compile(r"\s+([,.;:!?%)\]”])"), r"\1"),
    (re.compile(r"([(\[“])\s+"), r"\1"),
    (re.compile(r"([,;])(?=[^\s\d,;.)\]”'/-])"), r"\1 "),
    (re.compile(r"(?<=[^\W\d_]):(?=[^\W\d_])"), ": "),
    (re.compile(r"(?<=\w)“"), " “"),
    (re.compile(r"”(?=\w)"), "” "),
    (re.compile(r"\.{4,}"), "..."),
]


def tidy(text: str) -> str:
    """One paragraph's spacing and quotes."""
    text = _SPACES.sub(" ", text).strip()
    text = _fix_quotes(text)
    for pattern, repl in _SPACING:
        text = pattern.sub(repl, text)
    return _SPACES.sub(" ", text).strip()


def _lines(text: str) -> list[str]:
    return [_SPACES.sub(" ", ln).strip() for ln in text.split("\n")]


def _width(lines: list[str]) -> float:
    lengths = sorted(len(ln) for ln in lines if ln)
    if not lengths:
        return 0.0
    return float(lengths[min(len(lengths) - 1, int(len(lengths) * 0.8))])


def _join(lines: list[str], *, width: float, blanks_break: bool) -> list[str]:
    paras: list[str] = []
    current: list[str] = []
    gap = False
    for line in lines:
        if not line:
            gap = True
            continue
        if current and not (gap and blanks_break) and _continues(current[-1], line, width):
            current.append(line)
        else:
            if current:
                paras.append(" ".join(current))
            current = [line]
        gap = False
    if current:
        paras.append(" ".join(current))
    return paras


def _blanks_break(lines: list[str]) -> bool:
    """Blank lines separate paragraphs unless (as in text pulled out of a PDF) nearly every line
    is followed by one."""
    filled = sum(1 for ln in lines if ln)
    gaps = sum(1 for a, b in zip(lines, lines[1:], strict=False) if a and not b)
    return filled > 1 and gaps < 0.5 * (filled - 1)


def normalise(blocks: list[Block], *, kind: str = "txt") -> Doc:
    """The paragraphs of the extracted blocks, tidied, with their offsets in the joined text."""
    prepared: list[tuple[Block, list[str]]] = []
    all_lines: list[str] = []
    for block in blocks:
        lines = _lines(clean_chars(block.text))
        if not block.hard:
            lines = [ln for ln in lines if not _PAGE_NUMBER.match(ln)]
        prepared.append((block, lines))
        all_lines += lines
    width = _width(all_lines)
    paras: list[Para] = []
    pos = 0
    for block, lines in prepared:
        if block.hard:
            texts = _join(lines, width=0, blanks_break=True)
        else:
            texts = _join(lines, width=width, blanks_break=_blanks_break(lines))
        for raw in texts:
            text = tidy(raw)
            if not text:
                continue
            paras.append(
                Para(
                    text,
                    pos,
                    pos + len(text),
                    heading=block.heading,
                    list_kind=block.list_kind,
                    list_level=block.list_level,
                    centered=block.centered,
                )
            )
            pos += len(text) + 1
    return Doc("\n".join(p.text for p in paras), paras, kind)


def text_doc(text: str) -> Doc:
    """A pasted or .txt text as a normalised document."""
    return normalise([Block(text)], kind="txt")
