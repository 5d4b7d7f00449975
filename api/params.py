"""Reading ids, years and choices from URLs, query strings and bodies, the same way in every
API view, and describing them the same way in the schema.

A value is checked before it reaches the database: SQLite cannot bind an integer past 64 bits
(a 500 instead of an answer), and an id no row can have is simply not found. The rules:

- an empty query parameter is the same as no parameter;
- an id that names one object (`?unit=`, `?cluster=`, a path id) and is not an id answers 404,
  like an id that exists but lies outside the caller's units;
- an id used as a filter of a list (`?award=` on nominations), a year or a choice that is not
  valid answers 400 with `{name: [message]}`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from django.http import Http404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter
from rest_framework import serializers

from accounts.scoping import default_unit, get_for_user
from org.models import Unit

MAX_ID = 2**63 - 1  # the largest BigAutoField value, on SQLite and PostgreSQL alike
MIN_YEAR, MAX_YEAR = 1900, 2200

ID_SCHEMA = {"type": "integer", "minimum": 1, "maximum": MAX_ID}
YEAR_SCHEMA = {"type": "integer", "minimum": MIN_YEAR, "maximum": MAX_YEAR}


def parse_id(value) -> int | None:
    """`value` (a str or an int) as a row id, 1 to MAX_ID, else None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        number = value
    else:
        text = str(value) if value is not None else ""
        # ASCII digits only: str.isdigit() also admits "²" and other scripts' digits.
        if not (text.isascii() and text.isdigit()) or len(text) > len(str(MAX_ID)):
            return None
        number = int(text)
    return number if 1 <= number <= MAX_ID else None


def lookup_id(params: Mapping, name: str) -> int | None:
    """The id of one object named by `?name=`: None when absent or empty, 404 when it cannot
    be an id (no such object, as for an id outside the caller's units)."""
    value = params.get(name)
    if value in (None, ""):
        return None
    number = parse_id(value)
    if number is None:
        raise Http404
    return number


def unit_or_default(params: Mapping, user):
    """The unit named by `?unit=` (404 outside the caller's units), else the caller's top unit
    (404 for a caller with none): what the eligibility and roll-up endpoints read from."""
    unit_id = lookup_id(params, "unit")
    if unit_id:
        return get_for_user(Unit, user, pk=unit_id)
    unit = default_unit(user=user)
    if unit is None:
        raise Http404
    return unit


def filter_id(params: Mapping, name: str) -> int | None:
    """An id filtering a list by `?name=`: None when absent or empty, 400 when not an id."""
    value = params.get(name)
    if value in (None, ""):
        return None
    number = parse_id(value)
    if number is None:
        raise serializers.ValidationError({name: [_("Enter a valid id (a whole number from 1).")]})
    return number


def year(params: Mapping, name: str = "year", *, required: bool = False) -> int | None:
    """`?year=` between 1900 and 2200: None when absent or empty (400 if `required`), else 400
    when it is not such a year."""
    value = params.get(name)
    if value in (None, ""):
        if required:
            raise serializers.ValidationError({name: [_("This field is required.")]})
        return None
    text = str(value)
    if text.isascii() and text.isdigit() and len(text) == 4 and MIN_YEAR <= int(text) <= MAX_YEAR:
        return int(text)
    raise serializers.ValidationError({name: [_("Enter a year such as 2021.")]})


def page(params: Mapping, name: str = "page") -> int:
    """`?page=`, a whole number from 1: 1 when absent or empty, else 400."""
    value = params.get(name)
    if value in (None, ""):
        return 1
    number = parse_id(value)  # the same range as an id
    if number is not None:
        return number
    raise serializers.ValidationError({name: [_("Enter a page number (a whole number from 1).")]})


def text(params: Mapping, name: str = "q") -> str:
    """`?name=` as text ("" when absent), 400 when it holds a NUL, which PostgreSQL refuses."""
    value = params.get(name, "")
    if "\x00" in value:
        raise serializers.ValidationError({name: [_("Null characters are not allowed.")]})
    return value


def choice(params: Mapping, name: str, choices: Iterable[str], message=None) -> str | None:
    """`?name=` when it is one of `choices`: None when absent or empty, else 400."""
    value = params.get(name)
    if value in (None, ""):
        return None
    if value not in set(choices):
        raise serializers.ValidationError({name: [message or _("Unknown value.")]})
    return value


def boolean(params: Mapping, name: str) -> bool | None:
    """`?name=true|false` (also 1|0): None when absent or empty, else 400."""
    value = params.get(name)
    if value in (None, ""):
        return None
    if value.lower() in ("true", "1"):
        return True
    if value.lower() in ("false", "0"):
        return False
    raise serializers.ValidationError({name: [_("Enter true or false.")]})


class IdField(serializers.IntegerField):
    """An id in a request body: a whole number from 1 to MAX_ID."""

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(**kwargs)


# -- schema ----------------------------------------------------------------------------------


def id_parameter(name: str, description: str = "", *, required: bool = False) -> OpenApiParameter:
    return OpenApiParameter(name, dict(ID_SCHEMA), required=required, description=description)


def page_parameter(description: str = "") -> OpenApiParameter:
    return OpenApiParameter("page", dict(ID_SCHEMA), description=description)


def text_parameter(name: str = "q", description: str = "") -> OpenApiParameter:
    return OpenApiParameter(name, str, description=description, pattern="^[^\\u0000]*$")


def year_parameter(name: str = "year", description: str = "", *, required: bool = False) -> OpenApiParameter:
    return OpenApiParameter(name, dict(YEAR_SCHEMA), required=required, description=description)
