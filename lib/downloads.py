"""File download helpers shared by every app's export views."""

import re
import unicodedata
from urllib.parse import quote

from django.http import HttpResponse

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PDF = "application/pdf"


def ascii_filename(filename: str) -> str:
    """'Kế hoạch 15/KH.docx' -> 'Ke-hoach-15-KH.docx': the fallback for clients without RFC 5987."""
    text = unicodedata.normalize("NFD", filename.replace("đ", "d").replace("Đ", "D"))
    text = "".join(c for c in text if unicodedata.category(c) != "Mn")
    text = re.sub(r"[^A-Za-z0-9._]+", "-", text).strip("-")
    return text or "document"


def content_disposition(filename: str) -> str:
    """`attachment` with an ASCII fallback name and the real (Vietnamese) name per RFC 6266."""
    return f"attachment; filename=\"{ascii_filename(filename)}\"; filename*=UTF-8''{quote(filename, safe='')}"


def xlsx_attachment(data: bytes, filename: str) -> HttpResponse:
    """An .xlsx download under an ASCII `filename` (a blank template, say)."""
    response = HttpResponse(data, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
