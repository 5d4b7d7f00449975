"""The OpenAPI schema as the views really answer: drf-spectacular's AutoSchema plus the rules of
api/params.py and the error responses every view can give, each with its body.

Added to every operation unless it documents them itself: 401 when it needs a token, 404 when
it has a path id or is a paginated list (a page past the end), 400 on a paginated list (a page
that is not a number); then the `{"detail": …}` body on every documented error that has none,
and the field errors (`{name: [messages]}`) on a 400. Path ids are ids whatever their URL
pattern admits, and an empty optional query parameter is allowed (it counts as absent)."""

from __future__ import annotations

from drf_spectacular import openapi
from drf_spectacular.plumbing import ResolvedComponent, get_view_model
from drf_spectacular.utils import OpenApiResponse
from rest_framework.schemas.utils import get_pk_description

from api.params import ID_SCHEMA, MAX_ID

ERROR = "Error"
FIELD_ERRORS = "FieldErrors"
_SCHEMAS = {
    ERROR: {
        "type": "object",
        "properties": {"detail": {"type": "string"}},
        "required": ["detail"],
        "description": "Why the request was refused.",
    },
    FIELD_ERRORS: {
        "type": "object",
        "description": "Each refused parameter or field (or `detail` for a body that could not be "
        "read, `non_field_errors` for the body as a whole) with its messages.",
        "additionalProperties": {
            "anyOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}],
        },
    },
}
_DETAIL_CODES = ("401", "403", "404", "405", "406", "409", "415", "429")

NOT_FOUND = OpenApiResponse(description="Missing, or outside the caller's units.")


def bad_request(description: str) -> OpenApiResponse:
    """A 400 whose body (each refused parameter with its messages) AutoSchema adds."""
    return OpenApiResponse(description=description)


class AutoSchema(openapi.AutoSchema):
    def _resolve_path_parameters(self, variables) -> list[dict]:
        # Every path argument of this API is a row id, whatever the URL pattern lets through
        # (api.base.ApiView answers 404 for anything else).
        parameters = super()._resolve_path_parameters(variables)
        model = get_view_model(self.view, emit_warnings=False)
        for parameter in parameters:
            parameter["schema"] = dict(ID_SCHEMA)
            if not parameter.get("description") and model is not None:
                parameter["description"] = get_pk_description(model, model._meta.pk)
        return parameters

    def _get_parameters(self) -> list[dict]:
        parameters = super()._get_parameters()
        for parameter in parameters:
            schema = parameter.get("schema", {})
            if parameter["in"] == "query":
                if parameter["name"] == "page" and schema.get("type") == "integer":
                    schema.setdefault("minimum", 1)
                    schema.setdefault("maximum", MAX_ID)
                if not parameter.get("required"):
                    parameter["allowEmptyValue"] = True  # empty is the same as absent (api/params.py)
        return parameters

    def _get_response_bodies(self, direction="response") -> dict:
        responses = super()._get_response_bodies(direction)
        if direction != "response":
            return responses
        if self.get_auth() and "401" not in responses:
            responses["401"] = {"description": "No token, or a token that is not valid."}
        paginated = self._is_list_view() and self._get_paginator() is not None
        if "{" in self.path or paginated:
            responses.setdefault("404", {"description": "Missing, or outside the caller's units."})
        if paginated:
            responses["404"]["description"] += " Also a page past the last one."
            responses.setdefault("400", {"description": "A page that is not a whole number from 1."})
        for code, response in responses.items():
            if "content" in response:
                continue
            if code in _DETAIL_CODES:
                response["content"] = {"application/json": {"schema": self._error_component(ERROR)}}
            elif code == "400":
                response["content"] = {"application/json": {"schema": self._error_component(FIELD_ERRORS)}}
        return dict(sorted(responses.items()))

    def _error_component(self, name: str) -> dict:
        component = ResolvedComponent(
            name=name, type=ResolvedComponent.SCHEMA, schema=_SCHEMAS[name], object=name
        )
        self.registry.register_on_missing(component)
        return component.ref
