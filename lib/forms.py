"""Form fields about units, shared by every app's forms (in lib so that accounts need not import org)."""

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from org import tree
from org.models import Unit

# Beyond this many choices a <select> is unusable (a province has thousands of units, and
# officers are often on a phone): the officer types the unit's code instead.
MAX_UNIT_SELECT = 300


class UnitChoiceField(forms.ModelChoiceField):
    """A unit among `queryset`: a select when the choice is short, else its code typed in.

    Labels are indented by depth below the shallowest unit offered, so the list reads as a tree.
    `by_code` makes the submitted value the unit's code in the select too (not only when typed).
    """

    def __init__(
        self, queryset: QuerySet[Unit], *, invalid_message=None, by_code: bool = False, **kwargs
    ) -> None:
        queryset = queryset.order_by(tree.tree_order())
        if queryset.count() <= MAX_UNIT_SELECT:
            super().__init__(queryset, to_field_name="code" if by_code else None, **kwargs)
        else:
            kwargs.setdefault("help_text", _("Type the unit code, e.g. QT.DH.001."))
            super().__init__(queryset, to_field_name="code", widget=forms.TextInput, **kwargs)
        self.error_messages["invalid_choice"] = invalid_message or _("Choose a unit you may change.")
        self._top_depth: int | None = None

    def label_from_instance(self, obj: Unit) -> str:
        # Options come in path order, so the first one is the top of the offered subtree.
        if self._top_depth is None:
            self._top_depth = obj.depth
        return f"{'— ' * max(obj.depth - self._top_depth, 0)}{obj.name} ({obj.code})"

    def prepare_value(self, value):
        if self.to_field_name == "code" and isinstance(value, Unit):
            return value.code
        return super().prepare_value(value)
