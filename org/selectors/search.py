"""Accent-insensitive name search, one function for SQLite and PostgreSQL.

Names are stored folded (`name_folded`: 'nguyen thi thu ha'), so no unaccent is needed at
query time. A query matches when every folded token begins some word of the name. On
PostgreSQL that is a full-text query on an indexed `to_tsvector('simple', name_folded)`
(prefix tokens `ha:*`); elsewhere the same rule is written with LIKE.
"""

from django.db import connection
from django.db.models import BooleanField, Q, QuerySet
from django.db.models.expressions import RawSQL

from lib.text import digits, tokens

MAX_TOKENS = 8


def _tsquery(toks: list[str]) -> str:
    return " & ".join(f"{t}:*" for t in toks)


def name_filter(queryset: QuerySet, q: str, *, field: str = "name_folded") -> QuerySet:
    """Rows whose folded `field` has a word starting with each token of `q`."""
    toks = tokens(q)[:MAX_TOKENS]
    if not toks:
        return queryset
    if connection.vendor == "postgresql":
        table = queryset.model._meta.db_table
        column = queryset.model._meta.get_field(field).column
        expr = RawSQL(
            f"to_tsvector('simple', \"{table}\".\"{column}\") @@ to_tsquery('simple', %s)",
            [_tsquery(toks)],
            output_field=BooleanField(),
        )
        return queryset.filter(expr)
    cond = Q()
    for tok in toks:
        cond &= Q(**{f"{field}__startswith": tok}) | Q(**{f"{field}__contains": f" {tok}"})
    return queryset.filter(cond)


def member_search(queryset: QuerySet, q: str) -> QuerySet:
    """Members matching a free-text query: a name without accents, or a CCCD/phone/card number."""
    q = (q or "").strip()
    if not q:
        return queryset
    number = digits(q)
    if number and len(number) >= 4 and len(number) >= len(q.replace(" ", "")) - 1:
        return queryset.filter(
            Q(cccd__startswith=number) | Q(phone__startswith=number) | Q(card_number__startswith=number)
        )
    return name_filter(queryset, q)


def unit_search(queryset: QuerySet, q: str) -> QuerySet:
    """Units matching a query on their name (accent-insensitive) or their code."""
    q = (q or "").strip()
    if not q:
        return queryset
    by_name = name_filter(queryset, q)
    return by_name | queryset.filter(code__iexact=q)
