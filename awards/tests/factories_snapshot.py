"""A decision issued through the service (its names and files stored), and the text of its papers."""

from __future__ import annotations

import datetime
from io import BytesIO

import pypdfium2 as pdfium
from docx import Document

from awards.models import Decision
from awards.services import decisions as services
from awards.tests import factories as f


def issue_decision(t) -> Decision:
    """Đông Hà's Giấy khen for Hà (a person at the school) and the factory (a collective)."""
    award = f.award("giay-khen")
    draft = services.decision_create(unit=t.dongha, award=award, year=2025, created_by=t.alice)
    services.decision_line_add(decision=draft, member=t.ha, added_by=t.alice, position_title="Giáo viên")
    services.decision_line_add(decision=draft, unit=t.factory, added_by=t.alice)
    services.decision_update(
        decision=draft,
        updated_by=t.alice,
        number="21/QĐ-LĐLĐ",
        signed_on=datetime.date(2025, 12, 28),
        place="Đông Hà",
        signer_authority="TM. BAN THƯỜNG VỤ",
        signer_title="CHỦ TỊCH",
        signer_name="Nguyễn Văn Ký",
    )
    return services.decision_issue(decision=draft, issued_by=t.alice)


def docx_text(data: bytes) -> str:
    document = Document(BytesIO(data))
    parts = [p.text for p in document.paragraphs]
    parts += [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join(parts)


def pdf_text(data: bytes) -> str:
    pdf = pdfium.PdfDocument(data)
    try:
        return "\n".join(page.get_textpage().get_text_range() for page in pdf)
    finally:
        pdf.close()
