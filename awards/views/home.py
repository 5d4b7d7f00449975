"""The awards landing page: where each part of the work starts."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

# (url name, icon, title, what it is for). A part not built yet (its URL name does not reverse)
# is left out instead of breaking the page.
PARTS = [
    (
        "awards:award-list",
        "bi-journal-bookmark",
        _("Catalogue"),
        _("Titles and forms of award with their rules."),
    ),
    (
        "awards:eligible-list",
        "bi-person-check",
        _("Who is eligible"),
        _("Everyone in a unit who meets an award's conditions, with an Excel list."),
    ),
    (
        "awards:round-list",
        "bi-send",
        _("Rounds and nominations"),
        _("Open a round, propose a list, review proposals level by level."),
    ),
    (
        "awards:nomination-inbox",
        "bi-inbox",
        _("Nominations waiting for you"),
        _("Proposals sitting at your units for review, forwarding or the council."),
    ),
    ("awards:council-list", "bi-people", _("Councils"), _("Council members, meetings and votes.")),
    ("awards:decision-list", "bi-file-earmark-text", _("Decisions"), _("Award decisions and certificates.")),
    (
        "awards:register",
        "bi-book",
        _("Award register"),
        _("Every award ever given, per person and per unit."),
    ),
    (
        "awards:register-stats",
        "bi-bar-chart",
        _("Award statistics"),
        _("Awards by year, award, level, sector and sex, with charts."),
    ),
    (
        "awards:certificate-list",
        "bi-patch-check",
        _("Certificates"),
        _("Print certificates, whole decisions at once, or on pre-printed blanks."),
    ),
]


def available_parts() -> list[dict]:
    parts = []
    for name, icon, title, text in PARTS:
        try:
            url = reverse(name)
        except NoReverseMatch:
            continue
        parts.append({"name": name, "url": url, "icon": icon, "title": title, "text": text})
    return parts


@login_required
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "awards/home.html", {"parts": available_parts()})
