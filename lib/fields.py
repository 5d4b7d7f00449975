"""Model field shapes that many tables repeat, built in one place so they stay alike."""

from __future__ import annotations

from django.db import models


def optional_fk(
    to, verbose_name=None, *, related_name: str = "+", on_delete=models.PROTECT
) -> models.ForeignKey:
    """A link a row may lack (null in the table, blank in forms). PROTECT by default: what a
    record points at is history and must not vanish under it."""
    return models.ForeignKey(
        to,
        verbose_name=verbose_name,
        null=True,
        blank=True,
        on_delete=on_delete,
        related_name=related_name,
    )
