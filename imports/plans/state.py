"""What the plan parser holds while it reads: the fields found so far (typed), what the draft
needs beyond them, where each came from (spans) and what the officer must check (flags), and
the document's outline. Every part of the parser reads and fills one PlanState."""

from __future__ import annotations

import datetime
import re
from dataclasses import asdict, dataclass, field
from typing import Any

from imports.plans.patterns import SECTION_KEYS
from imports.plans.text import Doc, Para
from lib.text import clean, fold


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
class Signer:
    authority: str | None = None
    title: str | None = None
    name: str | None = None


@dataclass
class PlanFields:
    """The fields of the JSON the importer produces (issue 7), in its order; dates as ISO text."""

    issuer: str | None = None
    number: str | None = None
    place: str | None = None
    date: str | None = None
    title: str | None = None
    year: int | None = None
    purposes: list[str] = field(default_factory=list)
    theme: str | None = None
    contents: list[dict[str, str]] = field(default_factory=list)  # {"number", "text"}
    movements: list[str] = field(default_factory=list)
    phases: list[dict[str, Any]] = field(default_factory=list)  # {"name", "start", "end", "purpose"}
    duties: list[dict[str, Any]] = field(default_factory=list)  # {"level", "items"}
    targets: list[dict[str, Any]] = field(default_factory=list)  # {"text", "count", "level"}
    recipients: list[str] = field(default_factory=list)
    signer: Signer = field(default_factory=Signer)

    def as_dict(self) -> dict:
        return asdict(self)


@dataclass
class DraftExtras:
    """What the draft needs beyond the JSON: preamble, closing, levels, target kinds."""

    preamble: str = ""
    closing: str = ""
    recipient_lines: list[str] = field(default_factory=list)
    duty_kinds: list[str | None] = field(default_factory=list)
    target_kinds: list[str] = field(default_factory=list)
    target_unit_levels: list[int | None] = field(default_factory=list)
    target_duty: list[int | None] = field(default_factory=list)
    issuer_header: str | None = None
    # The year of the date line and where it stands; None until a date line is read.
    date_year: int | None = None
    date_year_span: list[int] | None = None

    def as_dict(self) -> dict:
        extras = asdict(self)
        if self.date_year_span is None:  # no date line: the draft gets neither key
            del extras["date_year"], extras["date_year_span"]
        return extras


@dataclass
class PlanState:
    """One reading of one document."""

    doc: Doc
    fields: PlanFields = field(default_factory=PlanFields)
    extras: DraftExtras = field(default_factory=DraftExtras)
    spans: dict[str, list[list[int]]] = field(default_factory=dict)  # field path -> [start, end]s
    flags: dict[str, list[str]] = field(default_factory=dict)  # field path -> codes, in order
    plan_date: datetime.date | None = None
    kh_index: int = -1  # the paragraph "KẾ HOẠCH", -1 when there is none
    sections: list[Section] = field(default_factory=list)
    preamble_range: tuple[int, int] = (0, 0)
    theme_node: Node | None = None

    @property
    def paras(self) -> list[Para]:
        return self.doc.paras

    def span(self, key: str, start: int, end: int) -> None:
        self.spans.setdefault(key, []).append([start, end])

    def flag(self, key: str, code: str) -> None:
        codes = self.flags.setdefault(key, [])
        if code not in codes:
            codes.append(code)

    def sections_of(self, kind: str) -> list[Section]:
        return [s for s in self.sections if s.kind == kind]


def head(text: str) -> str:
    """The folded start of a text, enough to compare with a label ("noi nhan", "chu de")."""
    return fold(text[:40])


def mostly_upper(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return bool(letters) and sum(c.isupper() for c in letters) >= 0.7 * len(letters)


def contains_word(folded: str, key: str) -> int:
    m = re.search(rf"(?<![a-z]){re.escape(key)}(?![a-z])", folded)
    return m.start() if m else -1


def section_kind(heading: str) -> str:
    folded = fold(heading)
    best, best_pos = "other", None
    for kind, keys in SECTION_KEYS:
        for key in keys:
            pos = contains_word(folded, key)
            if pos >= 0 and (best_pos is None or pos < best_pos):
                best, best_pos = kind, pos
    return best


def strip_end(text: str, chars: str = " .:;,") -> str:
    return text.rstrip(chars).strip()


def unquote(text: str) -> str:
    text = text.strip()
    m = re.match(r"^“(.*)”[.,;:]*$", text)
    if m:
        text = m.group(1)
    return strip_end(text.strip("“”"), " .,;:")


def is_name(text: str) -> bool:
    words = text.split()
    return 2 <= len(words) <= 7 and all(w[:1].isupper() and w.replace("-", "").isalpha() for w in words)


def with_paragraphs(node: Node) -> tuple[str, int]:
    """An item's text with the paragraphs that carry it on (in Word, one point may hold several)."""
    paras = [c for c in node.children if c.kind == "para"]
    if not paras or any(c.kind != "para" for c in node.children):
        return clean(node.text), node.end
    return clean(" ".join([node.text, *(c.text for c in paras)])), paras[-1].end
