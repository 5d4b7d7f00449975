"""Two views for lib/tests/test_serving.py: one writes a log line, one fails."""

import logging

from django.http import HttpResponse
from django.urls import path

logger = logging.getLogger(__name__)


def says(request):
    logger.warning("inside the view")
    return HttpResponse("ok")


def fails(request):
    raise RuntimeError("boom")


urlpatterns = [path("says/", says), path("fails/", fails)]
