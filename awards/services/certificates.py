"""Certificates (bằng khen, giấy khen) of award records as PDF: the full printable certificate,
and the variable text alone for a federation's pre-printed blanks (phôi).

Pages are drawn on a ReportLab canvas one record at a time, so a batch writes a whole decision
page by page into one canvas (or one small PDF per record into a zip). Each certificate carries
a QR code and the record's short code for the public verification page."""

from __future__ import annotations

import datetime
import re
import zlib
from dataclasses import dataclass
from decimal import Decimal
from io import BytesIO
from itertools import groupby

from django.conf import settings
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.translation import gettext as _
from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.lib.colors import Color, black, white
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.pdfdoc import PDFArray, PDFDictionary, PDFName, PDFStream
from reportlab.pdfgen.canvas import Canvas

from awards.models import (
    CODE_ALPHABET,
    CODE_LENGTH,
    PERSON_KINDS,
    Award,
    AwardRecord,
    BlankLayout,
    RecipientKind,
)
from documents.official import MOTTO, NATION, place_date
from documents.pdf import FAMILY as OFFICIAL_FAMILY
from documents.pdf import register_fonts as register_official_fonts
from org.models import Sex

# The serif of the official papers (documents/pdf.py): one with every Vietnamese letter.
FAMILY = OFFICIAL_FAMILY
REGULAR, BOLD, ITALIC = FAMILY, f"{FAMILY}-Bold", f"{FAMILY}-Italic"

PAGE = landscape(A4)  # 297 x 210 mm
RED = Color(0.55, 0.08, 0.08)
GOLD = Color(0.72, 0.53, 0.04)
INK = Color(0.05, 0.05, 0.1)
BORDER_FORM = "certificate-border"
QUIET_ZONE = 4  # modules of white around a QR code, as the standard asks
DEFAULT_SITE_URL = "http://127.0.0.1:8000"

HEADINGS = {
    Award.Certificate.BANG_KHEN: "BẰNG KHEN",
    Award.Certificate.GIAY_KHEN: "GIẤY KHEN",
    Award.Certificate.GIAY_CHUNG_NHAN: "GIẤY CHỨNG NHẬN",
    Award.Certificate.KY_NIEM_CHUONG: "GIẤY CHỨNG NHẬN",
    Award.Certificate.CO: "CỜ THI ĐUA",
}

# Where each variable field goes on a blank: mm from the top-left corner (y is the baseline),
# font size in points, alignment around x, and the width past which text shrinks or wraps.
BLANK_FIELDS = ("name", "position_unit", "achievement", "place_date", "decision_number", "signer_name", "qr")
BLANK_DEFAULTS: dict[str, dict] = {
    "name": {"show": True, "x": 148.5, "y": 104, "size": 26, "align": "center", "width": 250},
    "position_unit": {"show": True, "x": 148.5, "y": 116, "size": 15, "align": "center", "width": 250},
    "achievement": {"show": True, "x": 148.5, "y": 128, "size": 15, "align": "center", "width": 240},
    "place_date": {"show": True, "x": 212, "y": 153, "size": 14, "align": "center", "width": 120},
    "decision_number": {"show": True, "x": 75, "y": 153, "size": 13, "align": "center", "width": 110},
    "signer_name": {"show": True, "x": 212, "y": 190, "size": 15, "align": "center", "width": 120},
    "qr": {"show": False, "x": 20, "y": 160, "size": 25, "align": "left", "width": 0},
}
ALIGNS = ("left", "center", "right")


# --- fonts, codes and addresses ----------------------------------------------------------------


def register_fonts() -> str:
    """Register the serif family once (regular, bold, italic); returns its name."""
    return register_official_fonts()


def normalise_code(raw: str) -> str:
    """A code as typed ('abcd-efgh jk') in its stored form ('ABCDEFGHJK')."""
    return re.sub(r"[\s\-_.]+", "", raw or "").upper()


def is_well_formed(code: str) -> bool:
    return len(code) == CODE_LENGTH and all(c in CODE_ALPHABET for c in code)


def site_url(request=None) -> str:
    """The site's address for links printed on paper: the request's own host when there is one,
    else settings.SITE_URL (background tasks have no request)."""
    if request is not None:
        return request.build_absolute_uri("/").rstrip("/")
    return getattr(settings, "SITE_URL", DEFAULT_SITE_URL).rstrip("/")


def verify_url(code: str, *, base_url: str | None = None) -> str:
    return (base_url or site_url()).rstrip("/") + reverse("verify", kwargs={"code": code})


# --- what a certificate says -------------------------------------------------------------------


@dataclass
class CertificateText:
    code: str
    issuer: str
    heading: str
    name: str
    position_unit: str
    achievement: str
    place_date: str
    decision_number: str  # "Quyết định số: 125/QĐ-LĐLĐ"
    number: str  # "125/QĐ-LĐLĐ": blanks carry their own label
    signer_authority: str
    signer_title: str
    signer_name: str


def records_for_certificates(queryset):
    """The joins every certificate needs, in one query."""
    return queryset.select_related("award", "decision", "decision__unit", "line", "issuer")


def check_printable(record: AwardRecord) -> None:
    if record.is_revoked:
        raise ValidationError(_("This award was revoked: its certificate can no longer be printed."))


def certificate_heading(award: Award) -> str:
    """'BẰNG KHEN': the award's own heading, else the one of its kind of certificate."""
    return award.certificate_heading or HEADINGS.get(award.certificate, award.name.upper())


def _issued(record: AwardRecord):
    """The record's decision when it was issued with its names stored, else None."""
    decision = record.decision
    return decision if decision is not None and decision.is_issued and decision.award_name else None


def record_heading(record: AwardRecord) -> str:
    """The heading a record's certificate prints: as stored with its issued decision."""
    issued = _issued(record)
    return issued.certificate_heading if issued else certificate_heading(record.award)


def certificate_text(record: AwardRecord) -> CertificateText:
    """The Vietnamese wording of one record's certificate (official text, not translated). A
    record of an issued decision prints the award and the issuer as they were named that day."""
    decision, line = record.decision, record.line
    issuer = record.issuer_name or (
        decision.unit_label if decision else record.issuer.name if record.issuer else ""
    )
    heading = record_heading(record)
    name = record.name
    if record.recipient_kind in PERSON_KINDS and record.recipient_kind != RecipientKind.FAMILY and record.sex:
        name = f"{'Bà' if record.sex == Sex.FEMALE else 'Ông'} {name}"
    position_title = record.position_title or (line.position_title if line else "")
    if record.recipient_kind in PERSON_KINDS:
        position_unit = ", ".join(p for p in (position_title, record.unit_name) if p)
    else:
        position_unit = position_title
    achievement = (line.achievement if line else "") or default_achievement(record)
    decided_on = record.decided_on or (decision.signed_on if decision else None)
    number = record.decision_number or (decision.number if decision else "")
    return CertificateText(
        code=record.verify_code,
        issuer=issuer.upper(),
        heading=heading.upper(),
        name=name,
        position_unit=position_unit,
        achievement=achievement,
        place_date=place_date(decision.place if decision else "", decided_on) if decided_on else "",
        decision_number=f"Quyết định số: {number}" if number else "",
        number=number,
        signer_authority=decision.signer_authority.upper() if decision else "",
        signer_title=decision.signer_title.upper() if decision else "",
        signer_name=decision.signer_name if decision else "",
    )


def default_achievement(record: AwardRecord) -> str:
    issued = _issued(record)
    kind = issued.award_kind if issued else record.award.kind
    if kind == Award.Kind.TITLE:
        return f"Đã đạt danh hiệu “{record.award_label}” năm {record.year}"
    if record.theme:
        return f"Đã có thành tích xuất sắc trong phong trào thi đua “{record.theme}” năm {record.year}"
    return (
        "Đã có thành tích xuất sắc trong phong trào thi đua lao động giỏi và xây dựng "
        f"tổ chức Công đoàn vững mạnh năm {record.year}"
    )


# --- drawing helpers ---------------------------------------------------------------------------


def _fit_size(text: str, font: str, size: float, width: float, smallest: float = 8) -> float:
    """The largest size up to `size` at which `text` fits on one line of `width` points."""
    if width <= 0:
        return size
    while size > smallest and pdfmetrics.stringWidth(text, font, size) > width:
        size -= 0.5
    return size


def _line(c: Canvas, text: str, *, x: float, y: float, font: str, size: float, align="center", width=0.0):
    """One line at baseline y (points from the bottom), shrunk to fit `width` when given."""
    if not text:
        return
    c.setFont(font, _fit_size(text, font, size, width))
    if align == "left":
        c.drawString(x, y, text)
    elif align == "right":
        c.drawRightString(x, y, text)
    else:
        c.drawCentredString(x, y, text)


def _lines(c: Canvas, text: str, *, x: float, y: float, font: str, size: float, width: float, align="center"):
    """Text wrapped into at most three lines from baseline y down, smaller when it needs more."""
    if not text:
        return
    lines = simpleSplit(text, font, size, width) if width > 0 else [text]
    while len(lines) > 3 and size > 9:
        size -= 0.5
        lines = simpleSplit(text, font, size, width)
    for i, part in enumerate(lines):
        _line(c, part, x=x, y=y - i * size * 1.3, font=font, size=size, align=align, width=width)


def _qr(c: Canvas, url: str, *, x: float, y: float, side: float) -> None:
    """A QR code of `url` with its bottom-left corner at (x, y), `side` points wide.

    QrCodeWidget encodes; its modules are then drawn as one filled path (a run of dark modules
    per rectangle): the widget's own drawing builds a shape object per run and encodes twice,
    ten times slower over a batch."""
    code = QrCodeWidget(url, barLevel="M").qr
    code.make()
    count = code.getModuleCount()
    box = side / (count + 2 * QUIET_ZONE)
    path = c.beginPath()
    for r, row in enumerate(code.modules):
        top = y + side - (r + QUIET_ZONE + 1) * box
        col = 0
        for dark, run in groupby(row):
            n = len(list(run))
            if dark:
                path.rect(x + (col + QUIET_ZONE) * box, top, n * box, box)
            col += n
    c.saveState()
    c.setFillColor(white)
    c.rect(x, y, side, side, stroke=0, fill=1)
    c.setFillColor(black)
    c.drawPath(path, stroke=0, fill=1)
    c.restoreState()


def _border(c: Canvas) -> None:
    """The decorative frame, drawn once per file as a reusable form (each page refers to it)."""
    done = getattr(c, "_certificate_forms", set())
    if BORDER_FORM not in done:
        c.beginForm(BORDER_FORM)
        w, h = PAGE
        c.setStrokeColor(RED)
        c.setLineWidth(3)
        c.rect(8 * mm, 8 * mm, w - 16 * mm, h - 16 * mm)
        c.setLineWidth(0.8)
        c.rect(10 * mm, 10 * mm, w - 20 * mm, h - 20 * mm)
        c.setStrokeColor(GOLD)
        c.setFillColor(GOLD)
        c.setLineWidth(1.2)
        c.rect(13 * mm, 13 * mm, w - 26 * mm, h - 26 * mm)
        # a chain of small diamonds between the frames
        step, r = 6 * mm, 1.1 * mm
        for edge_y in (11.5 * mm, h - 11.5 * mm):
            x = 20 * mm
            while x < w - 19 * mm:
                _diamond(c, x, edge_y, r)
                x += step
        for edge_x in (11.5 * mm, w - 11.5 * mm):
            y = 20 * mm
            while y < h - 19 * mm:
                _diamond(c, edge_x, y, r)
                y += step
        for cx, cy in ((15, 15), (w / mm - 15, 15), (15, h / mm - 15), (w / mm - 15, h / mm - 15)):
            c.setFillColor(RED)
            _diamond(c, cx * mm, cy * mm, 4 * mm)
            c.setFillColor(GOLD)
            _diamond(c, cx * mm, cy * mm, 2.2 * mm)
        c.endForm()
        done.add(BORDER_FORM)
        c._certificate_forms = done
    c.doForm(BORDER_FORM)


def _diamond(c: Canvas, x: float, y: float, r: float) -> None:
    path = c.beginPath()
    path.moveTo(x, y + r)
    path.lineTo(x + r, y)
    path.lineTo(x, y - r)
    path.lineTo(x - r, y)
    path.close()
    c.drawPath(path, stroke=0, fill=1)


# --- the full certificate ----------------------------------------------------------------------


def draw_certificate(c: Canvas, text: CertificateText, *, url: str) -> None:
    """One certificate on the current page of `c` (the caller ends the page)."""
    w, h = PAGE
    mid = w / 2

    def top(y_mm: float) -> float:
        return h - y_mm * mm

    _border(c)
    c.setFillColor(INK)
    _line(c, NATION, x=mid, y=top(27), font=BOLD, size=13)
    _line(c, MOTTO, x=mid, y=top(33.5), font=BOLD, size=14)
    motto_w = pdfmetrics.stringWidth(MOTTO, BOLD, 14)
    c.setStrokeColor(INK)
    c.setLineWidth(0.6)
    c.line(mid - motto_w / 2, top(35), mid + motto_w / 2, top(35))
    _lines(c, text.issuer, x=mid, y=top(47), font=BOLD, size=15, width=235 * mm)
    c.setFillColor(RED)
    _line(c, text.heading, x=mid, y=top(72), font=BOLD, size=40, width=240 * mm)
    c.setFillColor(INK)
    _line(c, "Tặng", x=mid, y=top(86), font=ITALIC, size=17)
    c.setFillColor(RED)
    _line(c, text.name, x=mid, y=top(103), font=BOLD, size=28, width=245 * mm)
    c.setFillColor(INK)
    _line(c, text.position_unit, x=mid, y=top(115), font=REGULAR, size=16, width=245 * mm)
    _lines(c, text.achievement, x=mid, y=top(127), font=ITALIC, size=16, width=235 * mm)

    left, right = 75 * mm, 212 * mm
    _line(c, text.decision_number, x=left, y=top(150), font=ITALIC, size=13, width=110 * mm)
    side = 28 * mm
    _qr(c, url, x=left - side / 2, y=top(184), side=side)
    _line(c, text.code, x=left, y=top(188), font=BOLD, size=12)
    _line(c, url.rsplit("/", 2)[0] + "/", x=left, y=top(192.5), font=REGULAR, size=8, width=110 * mm)

    _line(c, text.place_date, x=right, y=top(150), font=ITALIC, size=14, width=125 * mm)
    _line(c, text.signer_authority, x=right, y=top(157), font=BOLD, size=14, width=125 * mm)
    _line(c, text.signer_title, x=right, y=top(163), font=BOLD, size=14, width=125 * mm)
    _line(c, text.signer_name, x=right, y=top(190), font=BOLD, size=15, width=125 * mm)


def new_canvas(out, *, title: str = "", pagesize=PAGE) -> Canvas:
    register_fonts()
    c = Canvas(out, pagesize=pagesize, pageCompression=1)
    c.setTitle(title)
    c.setCreator("thidua")
    return c


def end_page(c: Canvas) -> None:
    """End the page, and store its content compressed at once.

    ReportLab keeps every page's drawing commands as text until `save()`; compressing each page
    as it ends keeps a batch's memory to a few kilobytes a page (about 5 MB per 1,000)."""
    c.showPage()
    try:
        page = c._doc.Pages.pages[-1]
    except (AttributeError, IndexError):
        return
    if page.stream and not page.Contents:
        data = page.stream.encode("utf8") if isinstance(page.stream, str) else page.stream
        dictionary = PDFDictionary()
        dictionary["Filter"] = PDFArray([PDFName("FlateDecode")])
        page.Contents = PDFStream(dictionary, zlib.compress(data))
        page.stream = None


def certificate_pdf(*, record: AwardRecord, base_url: str | None = None) -> bytes:
    """One record's certificate as PDF bytes; a revoked record is refused."""
    check_printable(record)
    out = BytesIO()
    text = certificate_text(record)
    c = new_canvas(out, title=f"{text.heading} {record.name}")
    draw_certificate(c, text, url=verify_url(record.verify_code, base_url=base_url))
    end_page(c)
    c.save()
    return out.getvalue()


# --- printing on blanks -----------------------------------------------------------------------


def blank_fields(layout: BlankLayout) -> dict[str, dict]:
    """The layout's field positions over the defaults (a layout stores only what was set)."""
    stored = layout.fields if isinstance(layout.fields, dict) else {}
    out = {}
    for key in BLANK_FIELDS:
        spec = dict(BLANK_DEFAULTS[key])
        if isinstance(stored.get(key), dict):
            spec.update(stored[key])
        out[key] = spec
    return out


def blank_pagesize(layout: BlankLayout) -> tuple[float, float]:
    return float(layout.page_width_mm) * mm, float(layout.page_height_mm) * mm


def draw_blank(c: Canvas, text: CertificateText, *, layout: BlankLayout, url: str, fields=None) -> None:
    """Only the variable text of one certificate, where `layout` places it, offsets applied."""
    _w, h = blank_pagesize(layout)
    dx, dy = float(layout.offset_x_mm or Decimal(0)), float(layout.offset_y_mm or Decimal(0))
    fonts = {"name": BOLD, "achievement": ITALIC, "place_date": ITALIC, "signer_name": BOLD}
    c.setFillColor(INK)
    for key, spec in (fields or blank_fields(layout)).items():
        if not spec.get("show"):
            continue
        x, y = (float(spec["x"]) + dx) * mm, h - (float(spec["y"]) + dy) * mm
        if key == "qr":
            side = float(spec.get("size") or 25) * mm
            _qr(c, url, x=x, y=y - side, side=side)
            _line(c, text.code, x=x + side / 2, y=y - side - 4 * mm, font=BOLD, size=10)
            continue
        value = text.number if key == "decision_number" else getattr(text, key)
        font, size = fonts.get(key, REGULAR), float(spec.get("size") or 14)
        width, align = float(spec.get("width") or 0) * mm, spec.get("align", "center")
        if key == "achievement":
            _lines(c, value, x=x, y=y, font=font, size=size, width=width, align=align)
        else:
            _line(c, value, x=x, y=y, font=font, size=size, align=align, width=width)


def blank_pdf(*, record: AwardRecord, layout: BlankLayout, base_url: str | None = None) -> bytes:
    """One record's text for a pre-printed blank, as PDF bytes."""
    check_printable(record)
    out = BytesIO()
    text = certificate_text(record)
    c = new_canvas(out, title=f"{text.heading} {record.name}", pagesize=blank_pagesize(layout))
    draw_blank(c, text, layout=layout, url=verify_url(record.verify_code, base_url=base_url))
    end_page(c)
    c.save()
    return out.getvalue()


SAMPLE = CertificateText(
    code="ABCDE23456",
    issuer="LIÊN ĐOÀN LAO ĐỘNG TỈNH MẪU",
    heading="BẰNG KHEN",
    name="Bà Nguyễn Thị Mẫu",
    position_unit="Giáo viên, Công đoàn Trường THPT Mẫu",
    achievement="Đã có thành tích xuất sắc trong phong trào thi đua lao động giỏi năm 2025",
    place_date=place_date("Đông Hà", datetime.date(2025, 12, 25)),
    decision_number="Quyết định số: 125/QĐ-LĐLĐ",
    number="125/QĐ-LĐLĐ",
    signer_authority="TM. BAN THƯỜNG VỤ",
    signer_title="CHỦ TỊCH",
    signer_name="Trần Văn Mẫu",
)


def blank_preview_pdf(*, layout: BlankLayout, base_url: str | None = None) -> bytes:
    """The layout filled with sample text, to try on a blank before printing a decision."""
    out = BytesIO()
    c = new_canvas(out, title=layout.name, pagesize=blank_pagesize(layout))
    draw_blank(c, SAMPLE, layout=layout, url=verify_url(SAMPLE.code, base_url=base_url))
    end_page(c)
    c.save()
    return out.getvalue()
