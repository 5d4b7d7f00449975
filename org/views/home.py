"""The start page: the user's top unit with its rolled-up counts."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from accounts.scoping import default_unit
from lib.db import replica
from org.selectors.units import unit_rollup


@login_required
@replica()
def home(request: HttpRequest) -> HttpResponse:
    unit = default_unit(user=request.user)
    rollup = unit_rollup(unit=unit) if unit else None
    return render(request, "home.html", {"unit": unit, "rollup": rollup})
