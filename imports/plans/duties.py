"""Duties by level ("1. Ban Thường vụ …", "2. Công đoàn cấp trên cơ sở …") and the counted
targets inside them ("ít nhất 02 mô hình …"): which level each duty is for, and per which unit
level each target counts."""

from __future__ import annotations

from imports.plans.names import expand
from imports.plans.patterns import (
    GRASSROOTS_WORDS,
    GROUP_WORDS,
    NUMBER_WORDS,
    PROVINCE_WORDS,
    RE_PADDED,
    RE_TARGET,
    UPPER_WORDS,
)
from imports.plans.state import Node, PlanState, contains_word, strip_end
from lib.text import clean, fold


def read_duties(st: PlanState) -> None:
    closing: list[str] = []
    for section in st.sections_of("duties"):
        children = section.root.children
        levels = [c for c in children if c.kind in ("num", "letter")]
        if not levels:
            items = [c for c in children if c.kind != "para"]
            if items:
                _duty(st, None, items)
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
            _duty(st, level, flat)
    for section in st.sections_of("targets"):
        for node in section.root.walk():
            _targets_in(st, node, None, None)
    if closing:
        st.extras.closing = "\n".join(closing)


def _duty(st: PlanState, level: Node | None, items: list[Node]) -> None:
    index = len(st.fields.duties)
    label = strip_end(clean(level.text)) if level is not None else None
    texts = [clean(n.text) for n in items if clean(n.text)]
    st.fields.duties.append({"level": label, "items": texts})
    kind = duty_kind(label or "", st.fields.issuer or "")
    st.extras.duty_kinds.append(kind)
    key = f"duties.{index}"
    if level is None:
        st.flag(key, "level_missing")
    elif kind is None:
        st.flag(key, "level_unknown")
    first = level.start if level is not None else (items[0].start if items else 0)
    last = items[-1].end if items else (level.end if level is not None else first)
    st.span("duties", first, last)
    for node in items:
        _targets_in(st, node, label, index)


def _targets_in(st: PlanState, node: Node, level: str | None, duty_index: int | None) -> None:
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
        index = len(st.fields.targets)
        st.fields.targets.append({"text": target, "count": count, "level": level})
        st.extras.target_kinds.append(target_kind(target))
        subject = text[:s]
        st.extras.target_unit_levels.append(
            unit_level_of(subject, st.extras.duty_kinds[duty_index] if duty_index is not None else None)
        )
        st.extras.target_duty.append(duty_index)
        st.span("targets", node.start + s, node.start + e)
        if level is None:
            st.flag(f"targets.{index}", "level_missing")


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
    has_grassroots = any(contains_word(f, w) >= 0 for w in ("cong doan co so", "cdcs", "co so"))
    has_upper = any(contains_word(f, w) >= 0 for w in (*UPPER_WORDS, "cap tren"))
    if has_grassroots and has_upper:
        return "upper_grassroots"
    if contains_word(f, "cac cap cong doan") >= 0 or f.startswith(("cac cap", "cac don vi", "doan vien")):
        return "all"
    if has_upper:
        return "upper"
    if has_grassroots or any(contains_word(f, w) >= 0 for w in GROUP_WORDS):
        return "grassroots"
    if any(contains_word(f, w) >= 0 for w in ("lien doan lao dong tinh", "tong lien doan")):
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
            pos = contains_word(f, w)
            if pos >= 0:
                found.append((pos, level))
    if found:
        return min(found)[1]
    return {"upper": 2, "grassroots": 3, "upper_grassroots": 2}.get(duty or "")
