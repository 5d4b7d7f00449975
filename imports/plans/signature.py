"""The foot of a plan: "Nơi nhận:" with its lines, and the signature block (authority "TM. BAN
THƯỜNG VỤ", title, name), also when a PDF put the two columns on one line."""

from __future__ import annotations

import re

from imports.plans.names import name_case
from imports.plans.patterns import RE_AUTH, RE_DASH, RE_PLACEHOLDER, UPPER
from imports.plans.state import PlanState, head, is_name, strip_end
from imports.plans.text import Para, is_caps
from lib.text import clean


def read_tail(st: PlanState, tail: int, limit: int) -> None:
    paras = st.paras[tail:limit]
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
                _recipient_piece(st, rest, offset, recipients, signer_lines, p)
            i += 1
            continue
        if in_recipients and not (RE_AUTH.match(text) or is_caps(text, min_words=1)):
            m = RE_DASH.match(text)
            if m or not recipients:
                _recipient_piece(st, text, p.start, recipients, signer_lines, p)
            elif not is_name(text):
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
        value = strip_end(clean(text), " ;.,")
        if value:
            st.fields.recipients.append(value)
            st.extras.recipient_lines.append(clean(raw))
            st.span("recipients", start, end)
    read_signer(st, signer_lines)


def _recipient_piece(
    st: PlanState, text: str, start: int, recipients: list, signer_lines: list, para: Para
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


def read_signer(st: PlanState, lines: list[Para]) -> None:
    signer = st.fields.signer
    lines = [p for p in lines if not RE_PLACEHOLDER.match(p.text)]
    start = None
    for n, p in enumerate(lines):
        m = RE_AUTH.match(p.text)
        if m and is_caps(p.text, min_words=1):
            signer.authority = f"{m.group('prefix')}. {m.group('rest').strip()}"
            st.span("signer.authority", p.start, p.end)
            start = n + 1
            break
    if start is None:
        # No "TM."/"KT.": the last title in capitals that a name follows.
        for n in range(len(lines) - 2, -1, -1):
            if is_caps(lines[n].text, min_words=1) and is_name(name_case(lines[n + 1].text)):
                start = n
                break
        if start is None:
            return
    rest = lines[start:]
    if (
        rest
        and is_caps(rest[0].text, min_words=1)
        and not (len(rest) == 1 and is_name(name_case(rest[0].text)))
    ):
        signer.title = rest[0].text
        st.span("signer.title", rest[0].start, rest[0].end)
        rest = rest[1:]
    for p in rest:
        candidate = name_case(p.text)
        if is_name(candidate):
            signer.name = candidate
            st.span("signer.name", p.start, p.end)
            break
