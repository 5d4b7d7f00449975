"""The header of a plan: the issuing body over its board, the number, "<place>, ngày … tháng …
năm …", then "KẾ HOẠCH" with the title lines under it and the opening text; the plan's year
from its title (or its date), and the issuer from the body when the header lost it."""

from __future__ import annotations

import re
from collections import Counter

from imports.plans.dates import find_date_line
from imports.plans.names import ADMIN_WORDS, expand, unshout
from imports.plans.patterns import (
    BOARD_PREFIXES,
    ORG_HEADS,
    RE_BODY_ISSUER,
    RE_DASH,
    RE_KH,
    RE_NUM,
    RE_NUMBER,
    UPPER,
)
from imports.plans.state import PlanState, head, mostly_upper
from imports.plans.text import is_caps
from lib.text import clean, fold


def read_header(st: PlanState, indices: range) -> None:
    candidates: list[tuple[str, int, int]] = []
    for i in indices:
        p = st.paras[i]
        offset = 0
        for piece in p.text.split(" | "):
            start = p.start + p.text.index(piece, offset)
            offset = start - p.start + len(piece)
            read_header_piece(st, piece, start, candidates)
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
        st.fields.issuer = _complete(st, clean(issuer))
        st.extras.issuer_header = text
        st.span("issuer", start, end)
        if guessed:
            st.flag("issuer", "case_guessed")


def _complete(st: PlanState, org: str) -> str:
    """'Liên đoàn Lao động tỉnh' + the province the text names ('tỉnh Quảng Trị'), flagged."""
    admin = next((w for w in ADMIN_WORDS if org.lower().endswith(" " + w)), None)
    if admin is None:
        return org
    name = _place_name(st, admin) or st.fields.place
    if not name:
        st.flag("issuer", "incomplete")
        return org
    st.flag("issuer", "completed")
    return f"{org} {name}"


def read_header_piece(st: PlanState, piece: str, start: int, candidates: list) -> None:
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
            st.flag("number", "blank_in_source")
        elif st.fields.number is None:
            st.fields.number = value
            st.span("number", start + m.start("val"), start + m.end("val"))
        before = text[: m.start()].strip(" |")
        if before and is_caps(before, min_words=1):
            candidates.append((before, start, start + len(before)))
        rest = text[m.end() :]
        if rest.strip(" |,"):
            read_header_piece(
                st, rest.strip(" |"), start + m.end() + (len(rest) - len(rest.lstrip(" |"))), candidates
            )
        return
    line = find_date_line(text)
    if line is not None:
        read_place_date(st, text, start, line)
        return
    if re.fullmatch(r"[-_=.*~\s]+", text) or not text.strip():
        return
    if mostly_upper(text):
        candidates.append((text.strip(), start, start + len(text.strip())))


def read_place_date(st: PlanState, text: str, start: int, line) -> None:
    if st.fields.date is not None or "date" in st.flags:
        return
    if line.date is not None:
        st.plan_date = line.date
        st.fields.date = line.date.isoformat()
        st.span("date", start + line.span[0], start + line.span[1])
    else:
        st.flag("date", "blank_in_source" if line.blank else "invalid")
    st.extras.date_year = line.year
    st.extras.date_year_span = [start + line.span[0], start + line.span[1]]
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
        st.fields.place = value
        pos = before.rfind(value)
        st.span("place", start + pos, start + pos + len(value))


def read_title(st: PlanState, body_start: int) -> int:
    """The title lines after "KẾ HOẠCH"; returns the index of the first paragraph after them."""
    if st.kh_index < 0:
        return body_start
    p = st.paras[st.kh_index]
    m = RE_KH.match(p.text)
    parts: list[str] = []
    if m and m.group("rest").strip():
        rest = m.group("rest").strip()
        parts.append(rest)
        st.span("title", p.end - len(rest), p.end)
    any_centered = any(q.centered for q in st.paras)
    i = st.kh_index + 1
    while i < body_start and len(parts) < 4:
        q = st.paras[i]
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
        st.span("title", q.start, q.end)
        i += 1
    if parts:
        st.fields.title = clean(" ".join(parts))
    return i


def read_preamble(st: PlanState, start: int, end: int) -> None:
    texts = []
    for i in range(start, end):
        text = st.paras[i].text
        line = find_date_line(text)
        if line is not None and len(text) < 80:
            read_place_date(st, text, st.paras[i].start, line)
            continue
        texts.append(text)
    st.extras.preamble = "\n".join(texts)
    st.preamble_range = (start, end)


def read_date_fallback(st: PlanState, body_start: int) -> None:
    if st.fields.date is None and "date" not in st.flags:
        for i in range(0, min(body_start, len(st.paras))):
            p = st.paras[i]
            line = find_date_line(p.text)
            if line is not None and len(p.text) < 120:
                read_place_date(st, p.text, p.start, line)
                break


def read_year(st: PlanState) -> None:
    title = st.fields.title or ""
    title_spans = st.spans.get("title", [])
    matches = list(re.finditer(r"\bnăm\s+((?:19|20)\d\d)\b", title, re.IGNORECASE))
    if not matches:
        years = [m for m in re.finditer(r"(?<![\d-])((?:19|20)\d\d)(?![\d-])", title)]
        matches = years if len(years) == 1 else []
    if matches:
        m = matches[-1]
        st.fields.year = int(m.group(1))
        # Locate the year in the document for its highlight.
        for s, e in title_spans:
            pos = st.doc.text.find(m.group(0), s, e)
            if pos >= 0:
                st.span("year", pos, pos + len(m.group(0)))
                break
        return
    year = st.extras.date_year
    if year:
        st.fields.year = year
        st.span("year", *st.extras.date_year_span)
        st.flag("year", "from_date")


def read_issuer_from_body(st: PlanState) -> None:
    if st.fields.issuer:
        return
    start, end = st.preamble_range
    indices = list(range(start, end)) + [i for s in st.sections for i in s.paras]
    for i in indices:
        p = st.paras[i]
        m = RE_BODY_ISSUER.search(p.text)
        if not m:
            continue
        st.fields.issuer = _complete(st, clean(expand(m.group("org"))))
        st.span("issuer", p.start + m.start("org"), p.start + m.end("org"))
        st.flag("issuer", "from_body")
        return


def _place_name(st: PlanState, admin: str) -> str | None:
    """The commonest capitalised name after `admin` in the text ("tỉnh Quảng Trị")."""
    names = Counter(
        m.group(1)
        for m in re.finditer(
            rf"\b{admin}\s+((?:[{UPPER}][^\s,.;:()“”]*)(?:\s+[{UPPER}][^\s,.;:()“”]*){{0,3}})",
            st.doc.text,
        )
    )
    return names.most_common(1)[0][0] if names else None


def _prefix_by_folded(text: str, folded_pos: int) -> str:
    """The part of `text` before the character at `folded_pos` of its folded form (fold keeps
    one character per letter, so positions only drift on punctuation runs)."""
    words = fold(text[: max(0, folded_pos)]).split()
    if not words:
        return ""
    raw_words = text.split()
    return " ".join(raw_words[: len(words)]).strip(" -|")
