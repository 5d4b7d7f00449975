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

The parts of the plan are read by one module each, in the order below, into one PlanState
(imports/plans/state.py): header, sections, phases, duties (with their targets), signature.
"""

from __future__ import annotations

from dataclasses import dataclass

from imports.plans.duties import read_duties
from imports.plans.header import (
    read_date_fallback,
    read_header,
    read_issuer_from_body,
    read_preamble,
    read_title,
    read_year,
)
from imports.plans.patterns import RE_KH
from imports.plans.phases import read_phases
from imports.plans.sections import (
    find_tail,
    heading_text,
    outline,
    read_contents,
    read_movements,
    read_purposes,
    read_theme,
)
from imports.plans.signature import read_tail
from imports.plans.state import PlanState, Section, section_kind
from imports.plans.text import Doc

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


@dataclass
class ParseResult:
    data: dict  # every key of FIELDS; dates as ISO strings
    extra: dict  # what the draft needs beyond the JSON: preamble, closing, levels, target kinds
    spans: dict[str, list[list[int]]]
    flags: dict[str, list[str]]
    is_plan: bool

    def as_json(self) -> dict:
        return {key: self.data[key] for key in FIELDS}


def parse(doc: Doc) -> ParseResult:
    """The plan's fields, where each came from, and what the officer must check."""
    st = PlanState(doc=doc)
    paras = st.paras
    limit = len(paras)
    for i, p in enumerate(paras[: max(60, len(paras) // 3)]):
        if RE_KH.match(p.text):
            st.kh_index = i
            break
    heads = [(i, h) for i in range(len(paras)) if (h := heading_text(st, i)) is not None]
    heads = [(i, h) for i, h in heads if i > st.kh_index]
    first_section = heads[0][0] if heads else None
    tail = find_tail(st, first_section if first_section is not None else st.kh_index + 1)
    heads = [(i, h) for i, h in heads if i < tail]
    body_start = first_section if first_section is not None else tail
    header_end = st.kh_index if st.kh_index >= 0 else (first_section or 0)

    read_header(st, range(0, header_end))
    title_end = read_title(st, body_start)
    read_preamble(st, title_end, body_start)
    for n, (i, heading) in enumerate(heads):
        end = heads[n + 1][0] if n + 1 < len(heads) else tail
        indices = list(range(i + 1, end))
        st.sections.append(Section(section_kind(heading), heading, i, indices, outline(st, indices)))
    read_date_fallback(st, body_start)
    read_year(st)
    read_issuer_from_body(st)
    read_purposes(st)
    read_theme(st)
    read_contents(st)
    read_movements(st, title_end if st.kh_index >= 0 else 0, tail)
    read_phases(st)
    read_duties(st)
    read_tail(st, tail, limit)
    flag_missing(st)
    known = {s.kind for s in st.sections} - {"other"}
    is_plan = st.kh_index >= 0 or len(known) >= 2
    return ParseResult(st.fields.as_dict(), st.extras.as_dict(), st.spans, st.flags, is_plan)


def flag_missing(st: PlanState) -> None:
    """Flag every field left empty, so the officer fills it in rather than trusts a blank."""
    for key in FIELDS:
        value = getattr(st.fields, key)
        if key == "signer":
            for part in ("authority", "title", "name"):
                if not getattr(value, part):
                    st.flag(f"signer.{part}", "missing")
        elif key == "number" and "number" in st.flags:
            continue
        elif value in (None, "", []) and key not in ("targets", "movements"):
            if key == "date" and "date" in st.flags:
                continue
            st.flag(key, "missing")
    for i, phase in enumerate(st.fields.phases):
        if phase["start"] is None and "start_missing" not in st.flags.get(f"phases.{i}", []):
            st.flag(f"phases.{i}", "start_missing")
        if phase["end"] is None and "end_missing" not in st.flags.get(f"phases.{i}", []):
            st.flag(f"phases.{i}", "end_missing")
