"""Rounds and nominations: a unit proposes a list for an award in a round, it travels up the tree
level by level (each level returns it with a comment or forwards it) until the deciding level
sends it to its council.

Every refusal carries its reason; a submission lists every reason at once. The rules checked
are the nomination's snapshot (`rules`), never the catalogue's later edits. One module per
stage; every name callers use is re-exported here (`from awards.services import nominations`)."""

from awards.services.nominations.common import (
    EDITABLE,
    NOMINATION_FIELDS,
    ONCE,
    WITHDRAWABLE,
    deciding_unit,
)
from awards.services.nominations.dossiers import (
    nomination_create,
    nomination_file_add,
    nomination_file_remove,
    nomination_update,
    nominee_add,
    nominee_remove,
    nominee_update,
)
from awards.services.nominations.path import (
    nomination_forward,
    nomination_return,
    nomination_submit,
    nomination_to_council,
    nomination_withdraw,
    submit_problems,
)
from awards.services.nominations.rounds import round_close, round_create

__all__ = [
    "EDITABLE",
    "NOMINATION_FIELDS",
    "ONCE",
    "WITHDRAWABLE",
    "deciding_unit",
    "nomination_create",
    "nomination_file_add",
    "nomination_file_remove",
    "nomination_forward",
    "nomination_return",
    "nomination_submit",
    "nomination_to_council",
    "nomination_update",
    "nomination_withdraw",
    "nominee_add",
    "nominee_remove",
    "nominee_update",
    "round_close",
    "round_create",
    "submit_problems",
]
