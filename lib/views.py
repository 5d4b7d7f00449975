"""Pages that belong to no single app."""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme

from accounts.scoping import default_unit
from org.selectors.units import unit_rollup


@login_required
def home(request: HttpRequest) -> HttpResponse:
    unit = default_unit(user=request.user)
    rollup = unit_rollup(unit=unit) if unit else None
    return render(request, "home.html", {"unit": unit, "rollup": rollup})


def switch_language(request: HttpRequest, code: str) -> HttpResponse:
    """Remember the interface language in a cookie and go back where the user was."""
    if code not in dict(settings.LANGUAGES):
        raise Http404
    target = request.GET.get("next") or "/"
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        target = "/"
    response = HttpResponseRedirect(target)
    response.set_cookie(settings.LANGUAGE_COOKIE_NAME, code, max_age=365 * 24 * 3600, samesite="Lax")
    return response
