"""What every API view shares: ids in its path checked before anything reads them, and the
caller recorded as the actor of what the request writes to the audit log."""

from __future__ import annotations

from django.http import Http404
from rest_framework.request import Request

from api.params import parse_id
from lib.audit import audit_actor_late


# Mixed into every API view, first: `class UnitViewSet(ApiView, viewsets.ReadOnlyModelViewSet)`;
# api/tests/test_bad_input.py checks that every route of api/urls.py has it. No docstring: the
# schema would show it as the description of every operation that has none of its own.
class ApiView:  # noqa: D101
    # Any path segment reaches the view (the router's default refuses dots), so that `0.5` is
    # parsed below and answered as JSON like every other id that names nothing.
    lookup_value_regex = "[^/]+"

    def initial(self, request: Request, *args, **kwargs) -> None:
        super().initial(request, *args, **kwargs)  # authenticates the token
        audit_actor_late(request.user)
        # Every path argument of this API is a row id. The handler receives this same dict, so it
        # gets the parsed int; a value no row can have (`true`, 20 digits) is simply not found.
        for name, value in self.kwargs.items():
            if name == "format":
                continue
            number = parse_id(value)
            if number is None:
                raise Http404
            self.kwargs[name] = number
