"""An official paper as plain data, in the parts Decree 30/2020/NĐ-CP lays out.

The builders in `documents.docx` and `documents.pdf` turn one `OfficialDoc` into a file; the
mappers such as `campaigns.papers` fill it from plans, registrations and covenants."""

import datetime
from dataclasses import dataclass, field

NATION = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"
RECIPIENTS_LABEL = "Nơi nhận:"


@dataclass
class Block:
    """One piece of the body.

    kind: "heading" (bold, "I. MỤC ĐÍCH, YÊU CẦU"), "paragraph" (justified, first line indented;
    numbered paragraphs carry their number in `text`), "item" (a dash item), "table" (`rows`,
    the first row is the header)."""

    kind: str
    text: str = ""
    rows: list[list[str]] = field(default_factory=list)
    bold: bool = False
    italic: bool = False


@dataclass
class Signer:
    authority: str = ""  # "TM. BAN THƯỜNG VỤ"
    title: str = ""  # "PHÓ CHỦ TỊCH"
    name: str = ""


@dataclass
class OfficialDoc:
    parent_body: str  # upper line of the left header, not bold: "LĐLĐ TỈNH QUẢNG TRỊ"
    issuing_body: str  # bold: "BAN THƯỜNG VỤ"
    number: str  # "Số: 15/KH-LĐLĐ" (or "Số:     /KH-LĐLĐ" when it has none yet)
    place_date: str  # "Quảng Trị, ngày 22 tháng 02 năm 2021"
    kind: str  # "KẾ HOẠCH"
    title: str
    blocks: list[Block] = field(default_factory=list)
    recipients: list[str] = field(default_factory=list)
    signer: Signer = field(default_factory=Signer)


def place_date(place: str, date: datetime.date | None) -> str:
    """'Quảng Trị, ngày 22 tháng 02 năm 2021'. Decree 30 pads days below 10 and months below 3."""
    if date is None:
        text = "ngày     tháng     năm     "
    else:
        day = f"{date.day:02d}"
        month = f"{date.month:02d}" if date.month < 3 else str(date.month)
        text = f"ngày {day} tháng {month} năm {date.year}"
    return f"{place}, {text}" if place else text


def number_line(number: str, *, placeholder: str = "") -> str:
    """'Số: 15/KH-LĐLĐ'; an unnumbered paper keeps room for the number to be written in."""
    return f"Số: {number}" if number else f"Số:      {placeholder}".rstrip()
