"""Vietnamese text helpers: accent folding for search, NFC clean-up, digit-only ids."""

import re
import unicodedata

_SPACES = re.compile(r"\s+")
_NON_WORD = re.compile(r"[^\w]+", re.UNICODE)
# đ/Đ are letters of their own, not d + a combining mark, so NFD alone leaves them.
_EXTRA = str.maketrans({"đ": "d", "Đ": "d", "ð": "d"})


def clean(value: str | None) -> str:
    """NFC, single spaces, trimmed: how a name is stored."""
    if not value:
        return ""
    return _SPACES.sub(" ", unicodedata.normalize("NFC", str(value))).strip()


def fold(value: str | None) -> str:
    """Lower-case ASCII form used for accent-insensitive search: 'Nguyễn Đức' -> 'nguyen duc'."""
    if not value:
        return ""
    text = unicodedata.normalize("NFD", str(value).translate(_EXTRA))
    text = "".join(ch for ch in text if unicodedata.category(ch) != "Mn")
    text = _NON_WORD.sub(" ", text.lower())
    return _SPACES.sub(" ", text).strip()


def tokens(value: str | None) -> list[str]:
    """Folded words of a search query, duplicates and empties dropped, order kept."""
    seen: list[str] = []
    for tok in fold(value).split(" "):
        if tok and tok not in seen:
            seen.append(tok)
    return seen


def digits(value: str | None) -> str:
    """Only the digits of a value: '0 123-456' -> '0123456'."""
    return "".join(ch for ch in str(value or "") if ch in "0123456789")
