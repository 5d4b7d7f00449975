"""What every API view shares: ids in its path checked before anything reads them, the caller
recorded as the actor of what the request writes to the audit log, strict page numbers, and
DRF's nested validation errors as one flat list for the bodies that document one."""

from __future__ import annotations

from django.http import Http404
from rest_framework import pagination
from rest_framework.request import Request

from api import params
from lib.audit import audit_actor_late


class PageNumberPagination(pagination.PageNumberPagination):
    """DRF's (the default in settings), reading `?page=` as every other number is read (api/params.py): 400 when it is not
    a whole number from 1, instead of DRF's int() that also takes "١٢" or " 3"."""

    def get_page_number(self, request: Request, paginator) -> int | str:
        value = request.query_params.get(self.page_query_param, "")
        if value in self.last_page_strings:
            return value
        return params.page(request.query_params, self.page_query_param)


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
            number = params.parse_id(value)
            if number is None:
                raise Http404
            self.kwargs[name] = number


def flat_errors(errors, prefix: str = "") -> list[dict]:
    """DRF's nested error structure as a flat list of {field, message}."""
    out: list[dict] = []
    if isinstance(errors, dict):
        for key, value in errors.items():
            if isinstance(key, int) or str(key).isdigit():  # a row of a list
                name = f"{prefix}[{key}]"
            elif key == "non_field_errors":
                name = prefix
            else:
                name = f"{prefix}.{key}" if prefix else str(key)
            out += flat_errors(value, name)
    elif isinstance(errors, list):
        for i, value in enumerate(errors):
            if isinstance(value, (dict, list)):
                out += flat_errors(value, f"{prefix}[{i}]")
            else:
                out.append({"field": prefix, "message": str(value)})
    else:
        out.append({"field": prefix, "message": str(errors)})
    return out
