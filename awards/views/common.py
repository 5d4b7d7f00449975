"""Small pieces shared by the award pages."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse

from lib.downloads import content_disposition


def attachment(data: bytes, content_type: str, filename: str) -> HttpResponse:
    """A generated paper as a download under its real (Vietnamese) file name."""
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = content_disposition(filename)
    return response


def search_text(request: HttpRequest) -> str:
    """The text of a page's search box (`q`): trimmed, and cut to 100 characters."""
    return request.GET.get("q", "").strip()[:100]
