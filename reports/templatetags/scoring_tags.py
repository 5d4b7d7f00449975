"""Points as Vietnamese decimals: 7.50 -> '7,5', 10.00 -> '10' (the builtin `num` drops decimals)."""

from decimal import Decimal, InvalidOperation

from django import template

register = template.Library()


@register.filter
def pts(value) -> str:
    if value is None or value == "":
        return ""
    try:
        d = Decimal(str(value)).quantize(Decimal("0.01"))
    except InvalidOperation:
        return str(value)
    text = f"{d:,.2f}".rstrip("0").rstrip(".")
    return text.replace(",", " ").replace(".", ",").replace(" ", ".")
