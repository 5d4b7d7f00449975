"""The sơ kết / tổng kết paper (.docx) of a request for a unit, and its full data (.xlsx)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest, HttpResponse
from django.views.decorators.http import require_GET

from accounts.scoping import can_read, default_unit, get_for_user
from documents.docx import build_docx
from lib.db import replica
from lib.downloads import DOCX, content_disposition
from org.models import Unit
from reports.models import ReportRequest
from reports.review_paper import review_data_xlsx, review_filename, review_paper
from reports.selectors.requests import request_get
from reports.xlsx import XLSX_TYPE


def _request_and_unit(request: HttpRequest, pk: int) -> tuple[ReportRequest, Unit]:
    """The request (sent by or to the user's units) and the unit to report for (`?unit=`, in
    scope; else the requesting unit when visible, else the user's own unit)."""
    report_request = request_get(user=request.user, pk=pk)
    unit_id = request.GET.get("unit", "").strip()
    if unit_id:
        return report_request, get_for_user(Unit, request.user, pk=unit_id)
    if can_read(user=request.user, unit=report_request.unit):
        return report_request, report_request.unit
    return report_request, default_unit(user=request.user)


@require_GET
@login_required
@replica()
def review_docx(request: HttpRequest, pk: int) -> HttpResponse:
    report_request, unit = _request_and_unit(request, pk)
    paper = review_paper(request=report_request, unit=unit, top_by=request.GET.get("by", "").strip())
    response = HttpResponse(build_docx(paper), content_type=DOCX)
    response["Content-Disposition"] = content_disposition(review_filename(report_request, unit, "docx"))
    return response


@require_GET
@login_required
@replica()
def review_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    report_request, unit = _request_and_unit(request, pk)
    response = FileResponse(review_data_xlsx(request=report_request, unit=unit), content_type=XLSX_TYPE)
    response["Content-Disposition"] = content_disposition(review_filename(report_request, unit, "xlsx"))
    return response
