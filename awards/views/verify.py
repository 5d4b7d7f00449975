"""Public verification of a certificate (no login): /verify/<code>/ shows only the recipient,
the award, the decision's number and date, the year and the issuer, and whether the award was
revoked. Codes are random; lookups are rate-limited per client address so that the code space
cannot be walked."""

from __future__ import annotations

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from awards.forms.certificates import VerifyForm
from awards.models import AwardRecord
from awards.services.certificates import is_well_formed, normalise_code

# Lookups allowed per client address per window (seconds): plenty for people reading paper,
# far too few to guess one of 31^10 codes.
DEFAULT_LIMIT = (30, 600)


def _limit() -> tuple[int, int]:
    return getattr(settings, "AWARDS_VERIFY_RATE_LIMIT", DEFAULT_LIMIT)


def _client(request: HttpRequest) -> str:
    # REMOTE_ADDR only: X-Forwarded-For is written by the client unless a trusted proxy sets it.
    return request.META.get("REMOTE_ADDR") or "unknown"


def over_limit(request: HttpRequest) -> bool:
    """Count one lookup for the client; True once it is past the limit of its window."""
    limit, window = _limit()
    key = f"awards:verify:{_client(request)}"
    cache.add(key, 0, timeout=window)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=window)
        count = 1
    return count > limit


def _noindex(response: HttpResponse) -> HttpResponse:
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


@never_cache
@require_GET
def verify_form(request: HttpRequest) -> HttpResponse:
    """A box to type the code printed under the QR code; sends the reader to its page."""
    form = VerifyForm(request.GET or None)
    if form.is_valid():
        return redirect("verify", code=form.cleaned_data["code"])
    return _noindex(render(request, "awards/verify_form.html", {"form": form}))


@never_cache
@require_GET
def verify(request: HttpRequest, code: str) -> HttpResponse:
    if over_limit(request):
        _limit_count, window = _limit()
        response = render(
            request, "awards/verify_limited.html", {"minutes": max(1, window // 60)}, status=429
        )
        response["Retry-After"] = str(window)
        return _noindex(response)
    code = normalise_code(code)
    record = None
    if is_well_formed(code):
        record = (
            AwardRecord.objects.select_related("award", "issuer", "revoked_by")
            .only(
                "name",
                "year",
                "status",
                "decision_number",
                "decided_on",
                "issuer_name",
                "verify_code",
                "award_name",
                "award__name",
                "issuer__name",
                "revoked_by__number",
                "revoked_by__signed_on",
            )
            .filter(verify_code=code)
            .first()
        )
    if record is None:
        form = VerifyForm(initial={"code": code})
        return _noindex(
            render(request, "awards/verify_unknown.html", {"form": form, "code": code}, status=404)
        )
    issuer = record.issuer_name or (record.issuer.name if record.issuer else "")
    return _noindex(render(request, "awards/verify.html", {"record": record, "issuer": issuer}))
