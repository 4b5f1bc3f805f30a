"""The French number filters of the templates: the functions of `ancrage.core.numbers`."""

from django import template

from ancrage.core import numbers

register = template.Library()


@register.filter
def fr_int(value):
    """{{ 4130|fr_int }} → « 4 130 »."""
    return numbers.fr_int(_number(value))


@register.filter
def fr_decimal(value, decimals=1):
    """{{ 2.456|fr_decimal:2 }} → « 2,46 »."""
    return numbers.fr_decimal(_number(value), int(decimals))


@register.filter
def fr_percent(value, decimals=0):
    """{{ 0.048|fr_percent:1 }} → « 4,8 % »."""
    return numbers.fr_percent(_number(value), int(decimals))


@register.filter
def fr_number(value, decimals=2):
    """{{ value|fr_number }}: whole numbers grouped, others with a decimal comma."""
    return numbers.fr_number(_number(value), int(decimals))


def _number(value):
    # Template values can arrive as strings ("3780"); anything not a number stays as it is.
    if isinstance(value, str):
        try:
            return int(value)
        except ValueError:
            return value or None
    return value
