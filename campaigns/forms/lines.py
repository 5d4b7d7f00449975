"""What the pledge and covenant editors share: one row per plan movement and target."""

from __future__ import annotations


def line_label(line) -> str:
    """A row is labelled by its target when it has one, else by its movement."""
    return line.target.text if line.target else line.movement.name
