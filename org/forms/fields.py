"""Moved to lib/forms.py; this name stays until the parallel branches are merged.

TODO(lead): recheck after merge, then import from lib.forms everywhere and delete this module."""

from lib.forms import MAX_UNIT_SELECT, UnitChoiceField

__all__ = ["MAX_UNIT_SELECT", "UnitChoiceField"]
