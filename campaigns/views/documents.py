"""Downloads of the official papers (.docx and .pdf) of plans, registrations and covenants."""

from collections.abc import Callable

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_GET

from accounts.scoping import get_for_user
from campaigns.models import Registration
from campaigns.papers import covenant_paper, plan_paper, plan_stem, registration_paper
from campaigns.selectors.covenants import covenants_for_user
from campaigns.selectors.plans import visible_plans
from documents.docx import build_docx
from documents.official import OfficialDoc
from documents.pdf import build_pdf
from lib.downloads import DOCX, PDF, content_disposition

BUILDERS: dict[str, tuple[Callable[[OfficialDoc], bytes], str]] = {
    "docx": (build_docx, DOCX),
    "pdf": (build_pdf, PDF),
}


def file_response(paper: OfficialDoc, *, fmt: str, stem: str) -> HttpResponse:
    build, content_type = BUILDERS[fmt]
    response = HttpResponse(build(paper), content_type=content_type)
    response["Content-Disposition"] = content_disposition(f"{stem}.{fmt}")
    return response


@require_GET
@login_required
def plan_document(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    # Not get_for_user: it would scope again to the user's subtrees and drop the plans above.
    plan = get_object_or_404(visible_plans(user=request.user).select_related("unit"), pk=pk)
    return file_response(plan_paper(plan), fmt=fmt, stem=plan_stem(plan))


@require_GET
@login_required
def registration_document(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    registration = get_for_user(Registration.objects.select_related("unit", "plan"), request.user, pk=pk)
    stem = f"Đăng ký thi đua {registration.plan.year} {registration.unit.code}"
    return file_response(registration_paper(registration), fmt=fmt, stem=stem)


@require_GET
@login_required
def covenant_document(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    # Seen by the federation that defined the cluster and by the cluster's member units.
    covenant = get_object_or_404(covenants_for_user(user=request.user), pk=pk)
    stem = f"Giao ước thi đua {covenant.year} {covenant.cluster.name}"
    return file_response(covenant_paper(covenant), fmt=fmt, stem=stem)
