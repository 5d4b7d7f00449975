"""The phases ("Đợt 1: từ … đến …"): in the time section, or anywhere in the body when the plan
has no such section; each with its dates, flagged where they are missing or guessed."""

from __future__ import annotations

import re

from imports.plans.dates import find_period
from imports.plans.patterns import RE_PHASE
from imports.plans.state import Node, PlanState
from lib.text import clean


def read_phases(st: PlanState) -> None:
    year = st.fields.year
    found = False
    for section in st.sections_of("phases"):
        nodes = list(section.root.walk())
        for n, node in enumerate(nodes):
            if _phase(st, node, year, in_section=True):
                found = True
                phase = st.fields.phases[-1]
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
                    st.spans["phases"][-1][1] = nxt.end
    if not found:
        for section in st.sections:
            if section.kind == "phases":
                continue
            for node in section.root.walk():
                _phase(st, node, year, in_section=False)


def _phase(st: PlanState, node: Node, year, *, in_section: bool) -> bool:
    text = node.text
    m = RE_PHASE.match(text)
    index = len(st.fields.phases)
    if m:
        name = re.sub(r"\s+", " ", m.group("name"))
        name = name[0].upper() + name[1:]
        rest_start = m.end()
    elif in_section and node.kind != "para":
        period = find_period(text[:80], plan_date=st.plan_date, year=year)
        if period is None or text[: period.span[0]].strip(" -:(|"):
            return False
        name = None
        rest_start = 0
    else:
        return False
    rest = text[rest_start:]
    period = find_period(rest[:220], plan_date=st.plan_date, year=year)
    key = f"phases.{index}"
    start = end = None
    purpose = rest
    if period is not None:
        start, end = period.start, period.end
        for code in period.flags:
            st.flag(key, code)
        lead = rest[: period.span[0]]
        if not lead.strip(" -:.,;(|–"):
            purpose = rest[period.span[1] :]
        if name is None:
            name = clean(rest[period.span[0] : period.span[1]])
            st.flag(key, "name_from_dates")
    else:
        st.flag(key, "dates_missing")
    purpose = clean(purpose.lstrip(" -:.,;)|–"))
    if not purpose and node.children:
        purpose = clean(" ".join(c.text for c in node.children))
    st.fields.phases.append(
        {
            "name": name,
            "start": start.isoformat() if start else None,
            "end": end.isoformat() if end else None,
            "purpose": purpose,
        }
    )
    last = node.children[-1].end if node.children else node.end
    st.span("phases", node.start, last)
    return True
