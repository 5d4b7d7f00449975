"""The body's outline and the sections read as text: roman-numbered (or Word-heading) sections,
the numbered, lettered and dash items inside them; purposes, the theme, the contents, and the
movements named in quotes."""

from __future__ import annotations

import re

from imports.plans.names import name_case
from imports.plans.patterns import (
    MOVEMENT_WORDS,
    NOT_MOVEMENT_WORDS,
    RE_AUTH,
    RE_DASH,
    RE_LETTER,
    RE_NUM,
    RE_PLACEHOLDER,
    RE_PLUS,
    RE_QUOTE,
    RE_ROMAN,
)
from imports.plans.state import (
    Node,
    PlanState,
    head,
    is_name,
    mostly_upper,
    section_kind,
    unquote,
    with_paragraphs,
)
from imports.plans.text import is_caps
from lib.text import clean, fold


def node_at(st: PlanState, i: int) -> Node:
    p = st.paras[i]
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


def outline(st: PlanState, indices: list[int]) -> Node:
    root = Node("section", "", "", 0, 0, 0)
    stack = [root]
    for i in indices:
        node = node_at(st, i)
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


def heading_text(st: PlanState, i: int) -> str | None:
    """The section title if paragraph i heads a section ("I. MỤC ĐÍCH, YÊU CẦU" → its text)."""
    p = st.paras[i]
    m = RE_ROMAN.match(p.text)
    if p.heading == 1:
        return m.group("text") if m else p.text
    if m and mostly_upper(m.group("text")) and len(m.group("text")) <= 200:
        return m.group("text")
    if (
        i > st.kh_index
        and is_caps(p.text)
        and len(p.text.split()) <= 14
        and not (RE_NUM.match(p.text) or RE_DASH.match(p.text) or RE_AUTH.match(p.text))
        and section_kind(p.text) != "other"
    ):
        return p.text
    return None


def find_tail(st: PlanState, start: int) -> int:
    """Where the recipients and the signature block begin."""
    paras = st.paras
    for i in range(max(start, 0), len(paras)):
        text = paras[i].text
        if head(text).startswith("noi nhan") or (RE_AUTH.match(text) and is_caps(text, min_words=1)):
            return i
    # No "Nơi nhận" nor "TM.": a title in capitals over a name closes the paper.
    for i in range(len(paras) - 1, max(start, len(paras) - 8) - 1, -1):
        if is_name(name_case(paras[i].text)) and i > 0:
            j = i - 1
            while j > start and RE_PLACEHOLDER.match(paras[j].text):
                j -= 1
            if j > start and is_caps(paras[j].text, min_words=1) and len(paras[j].text.split()) <= 8:
                return j
            break
    return len(paras)


def _is_label(node: Node) -> bool:
    """A short item that only heads the items under it ("1. Mục đích:")."""
    return len(node.text.split()) <= 8 and not re.search(r"[.;!?]$", node.text)


def _leaves(nodes: list[Node]) -> list[Node]:
    out = []
    for node in nodes:
        if node.children and _is_label(node):
            out += _leaves(node.children)
        else:
            out.append(node)
    return out


def read_purposes(st: PlanState) -> None:
    for section in st.sections_of("purposes"):
        items = [c for c in section.root.children if c.kind != "para"]
        if not items:
            items = section.root.children
        for node in _leaves(items):
            text, end = with_paragraphs(node)
            if text:
                st.fields.purposes.append(text)
                st.span("purposes", node.start, end)


def read_theme(st: PlanState) -> None:
    ordered = st.sections_of("contents") + [s for s in st.sections if s.kind != "contents"]
    for section in ordered:
        for node in section.root.walk():
            label = head(node.text)
            if not label.startswith(("chu de", "khau hieu")):
                continue
            theme = _quote_after(st, node)
            if theme is not None:
                text, start, end, quoted = theme
                st.fields.theme = text
                st.span("theme", start, end)
                if not quoted:
                    st.flag("theme", "no_quotes")
                st.theme_node = node
                return


def _quote_after(st: PlanState, node: Node):
    m = RE_QUOTE.search(node.text)
    if m:
        return unquote(m.group(1)), node.start + m.start(1), node.start + m.end(1), True
    following = node.children[:1]
    if not following and node.para is not None:
        index = st.paras.index(node.para)
        if index + 1 < len(st.paras):
            nxt = st.paras[index + 1]
            following = [Node("para", "", nxt.text, nxt.start, nxt.end, 99, nxt)]
    for child in following:
        m = RE_QUOTE.match(child.text.lstrip("-+ "))
        if m:
            offset = child.start + (len(child.text) - len(child.text.lstrip("-+ ")))
            return unquote(m.group(1)), offset + m.start(1), offset + m.end(1), True
    if ":" in node.text:
        rest = node.text.split(":", 1)[1].strip()
        if rest:
            value = unquote(rest)
            pos = node.text.index(rest)
            return value, node.start + pos, node.start + pos + len(rest), False
    return None


def read_contents(st: PlanState) -> None:
    theme_node = st.theme_node
    for section in st.sections_of("contents"):
        children = section.root.children
        holder = next(
            (c for c in children if c.kind != "para" and head(c.text).startswith("noi dung") and c.children),
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
            items = _leaves(items)
        first_item = True
        for node in items:
            if node.kind == "para" and holder is not None:
                if not first_item:
                    # A paragraph that carries on the item above it.
                    last = st.fields.contents[-1]
                    last["text"] = clean(f"{last['text']} {node.text}")
                    st.spans["contents"][-1][1] = node.end
                continue  # else an introduction to the items ("gồm các nội dung sau:")
            text, end = with_paragraphs(node)
            if not text or head(text).startswith(("chu de", "khau hieu")):
                continue
            number = node.label if node.kind in ("num", "letter") else ""
            st.fields.contents.append({"number": number, "text": text})
            st.span("contents", node.start, end)
            first_item = False


def read_movements(st: PlanState, start_para: int, tail: int) -> None:
    if not st.paras:
        return
    first = st.spans.get("title", [[None]])[0][0]
    start = first if first is not None else (st.paras[start_para].start if start_para < len(st.paras) else 0)
    end = st.paras[tail - 1].end if 0 < tail <= len(st.paras) else len(st.doc.text)
    text = st.doc.text
    seen: set[str] = set()
    previous: tuple[int, bool] | None = None
    for m in RE_QUOTE.finditer(text, start, end):
        inner = m.group(1)
        is_movement = _quote_is_movement(st, m.start(), previous)
        previous = (m.end(), is_movement)
        name = unquote(inner)
        if not is_movement or not name or len(name.split()) > 25:
            continue
        key = fold(name)
        if key in seen:
            continue
        seen.add(key)
        st.fields.movements.append(name)
        st.span("movements", m.start(1), m.end(1))


def _quote_is_movement(st: PlanState, pos: int, previous: tuple[int, bool] | None) -> bool:
    text = st.doc.text
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
