"""Template filters for Vietnamese number and date display, available in every template."""

import datetime

from django import template
from django.utils import timezone

register = template.Library()


@register.filter
def num(value) -> str:
    """1234567 -> '1.234.567' (Vietnamese thousands separator), without touching ids elsewhere."""
    if value is None or value == "":
        return ""
    try:
        n = int(value)
    except (TypeError, ValueError):
        return str(value)
    return f"{n:,}".replace(",", ".")


@register.filter
def dong(value) -> str:
    """Money in đồng: 1500000 -> '1.500.000 đ'."""
    text = num(value)
    return f"{text} đ" if text else ""


@register.filter
def dmy(value) -> str:
    """A date as dd/mm/yyyy whatever the active language."""
    if isinstance(value, datetime.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return value.strftime("%d/%m/%Y %H:%M")
    if isinstance(value, datetime.date):
        return value.strftime("%d/%m/%Y")
    return "" if value is None else str(value)


@register.filter
def get_item(mapping, key):
    """mapping[key] in a template (None when missing or not a mapping)."""
    try:
        return mapping.get(key)
    except AttributeError:
        return None
