"""The source text as HTML with each found field marked where it came from."""

from __future__ import annotations

import heapq

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe


def anchor_id(key: str, index: int) -> str:
    """'src-signer-title-0': the id of the mark where span `index` of field `key` starts."""
    return f"src-{key.replace('.', '-').replace('_', '-')}-{index}"


def field_of(key: str) -> str:
    return key.replace(".", "-").replace("_", "-")


def highlight(text: str, spans: dict[str, list[list[int]]]) -> SafeString:
    """`text` escaped, each run covered by spans wrapped in <mark data-fields="…">; the run
    where a span starts carries its id (further ids at the same place as empty anchors)."""
    marks: list[tuple[int, int, str, int]] = []
    for key, items in spans.items():
        for i, pair in enumerate(items or []):
            try:
                s, e = int(pair[0]), int(pair[1])
            except (TypeError, ValueError, IndexError):
                continue
            if 0 <= s < e <= len(text):
                marks.append((s, e, key, i))
    if not marks:
        return mark_safe(escape(text))
    points = sorted({0, len(text), *(m[0] for m in marks), *(m[1] for m in marks)})
    starting: dict[int, list[tuple[int, int, str, int]]] = {}
    for m in marks:
        starting.setdefault(m[0], []).append(m)
    active: list[tuple[int, int, str]] = []  # heap of (end, serial, field)
    serial = 0
    out: list[str] = []
    for a, b in zip(points, points[1:], strict=False):
        while active and active[0][0] <= a:
            heapq.heappop(active)
        ids = []
        for _s, e, key, i in starting.get(a, []):
            heapq.heappush(active, (e, serial, field_of(key)))
            serial += 1
            ids.append(anchor_id(key, i))
        chunk = escape(text[a:b])
        if not active:
            out.append(chunk)
            continue
        fields = " ".join(sorted({f for _e, _s, f in active}))
        extra = "".join(f'<span class="src-anchor" id="{i}"></span>' for i in ids[1:])
        id_attr = f' id="{ids[0]}"' if ids else ""
        out.append(f'{extra}<mark class="src" data-fields="{fields}"{id_attr}>{chunk}</mark>')
    return mark_safe("".join(out))
