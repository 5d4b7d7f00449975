"""Names of unions as plans write them: abbreviations expanded ("LĐLĐ tỉnh" → "Liên đoàn Lao
động tỉnh") and header lines in capitals written in ordinary case."""

from __future__ import annotations

import re

from lib.text import fold

# Abbreviations every union paper uses, in the order they must be tried.
_ABBREVIATIONS = [
    (re.compile(r"\bLĐLĐ\b"), "Liên đoàn Lao động", "LIÊN ĐOÀN LAO ĐỘNG"),
    (re.compile(r"\bCĐCS\b"), "Công đoàn cơ sở", "CÔNG ĐOÀN CƠ SỞ"),
    (re.compile(r"\bCĐVC\b"), "Công đoàn Viên chức", "CÔNG ĐOÀN VIÊN CHỨC"),
    (re.compile(r"\bCĐ\b"), "Công đoàn", "CÔNG ĐOÀN"),
    (re.compile(r"\bTP\.\s*"), "thành phố ", "THÀNH PHỐ "),
    (re.compile(r"\bTX\.\s*"), "thị xã ", "THỊ XÃ "),
]
# Fixed phrases of union names, with the case they are written in.
_PHRASES = [
    "Tổng Liên đoàn Lao động",
    "Liên đoàn Lao động",
    "Công đoàn Viên chức",
    "Công đoàn cơ sở",
    "Công đoàn ngành",
    "Công đoàn",
    "Ban Thường vụ",
    "Ban Chấp hành",
    "Việt Nam",
    "Công ty",
]
# Administrative levels: written in lower case, and the words after them are a place name.
ADMIN_WORDS = ["thành phố", "thị xã", "thị trấn", "tỉnh", "huyện", "quận", "xã", "phường"]
_SYLLABLE = re.compile(
    r"^(?:ngh|ng|nh|ch|gh|gi|kh|ph|th|tr|qu|[bcdghklmnpqrstvx])?[aeiouy]{1,3}(?:ng|nh|ch|[cmnpt])?$"
)


def expand(text: str) -> str:
    """Abbreviations written out, keeping the text's case (capitals stay capitals)."""
    caps = text.upper() == text
    for pattern, normal, upper in _ABBREVIATIONS:
        text = pattern.sub(upper if caps else normal, text)
    return re.sub(r"\s{2,}", " ", text).strip()


def _is_acronym(word: str) -> bool:
    """'THPT', 'UBND', 'CNVCLĐ': not one Vietnamese syllable, so kept in capitals."""
    letters = fold(word).replace(" ", "")
    return bool(letters) and not _SYLLABLE.match(letters)


def unshout(text: str) -> tuple[str, bool]:
    """A name in capitals in ordinary case, and whether any word's case had to be guessed.

    'LIÊN ĐOÀN LAO ĐỘNG TỈNH QUẢNG TRỊ' → ('Liên đoàn Lao động tỉnh Quảng Trị', False)."""
    if any(c.islower() for c in text):
        return text, False
    words = text.split()
    out: list[str] = []
    guessed = False
    place = False
    i = 0
    while i < len(words):
        matched = False
        for phrase in [*_PHRASES, *ADMIN_WORDS]:
            n = len(phrase.split())
            if [w.lower() for w in words[i : i + n]] == phrase.lower().split():
                if phrase in ADMIN_WORDS:
                    out.append(phrase)
                    place = True
                else:
                    out.append(phrase if out or phrase[0].isupper() else phrase.capitalize())
                    place = False
                i += n
                matched = True
                break
        if matched:
            continue
        word = words[i]
        if _is_acronym(word):
            out.append(word)
        else:
            out.append(word[:1] + word[1:].lower())
            if not place:
                guessed = True
        i += 1
    return " ".join(out), guessed


def name_case(text: str) -> str:
    """A person's name in capitals written as a name: 'NGUYỄN THỊ THU HÀ' → 'Nguyễn Thị Thu Hà'."""
    if any(c.islower() for c in text):
        return text
    return " ".join(w[:1] + w[1:].lower() for w in text.split())
