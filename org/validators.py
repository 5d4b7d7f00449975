"""Checks on identity numbers shared by forms, services and imports."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# Province codes that open a 12-digit CCCD (Circular 07/2016/TT-BCA, amended): 001..096.
VALID_PROVINCE_CODES = {
    "001",
    "002",
    "004",
    "006",
    "008",
    "010",
    "011",
    "012",
    "014",
    "015",
    "017",
    "019",
    "020",
    "022",
    "024",
    "025",
    "026",
    "027",
    "030",
    "031",
    "033",
    "034",
    "035",
    "036",
    "037",
    "038",
    "040",
    "042",
    "044",
    "045",
    "046",
    "048",
    "049",
    "051",
    "052",
    "054",
    "056",
    "058",
    "060",
    "062",
    "064",
    "066",
    "067",
    "068",
    "070",
    "072",
    "074",
    "075",
    "077",
    "079",
    "080",
    "082",
    "083",
    "084",
    "086",
    "087",
    "089",
    "091",
    "092",
    "093",
    "094",
    "095",
    "096",
}


def cccd_error(value: str) -> str | None:
    """Why a CCCD is invalid (in the active language), or None when it is well formed."""
    if len(value) != 12 or not all(ch in "0123456789" for ch in value):
        return _("A CCCD has exactly 12 digits.")
    if value[:3] not in VALID_PROVINCE_CODES:
        return _("The first three digits of a CCCD must be a province code.")
    return None


def validate_cccd(value: str) -> None:
    error = cccd_error(value)
    if error:
        raise ValidationError({"cccd": error})


def cccd_taken_message() -> str:
    """What an officer is told when a CCCD is already held by a member, wherever that member is.

    The same words whether the member is in the officer's units or not, naming no member and no
    unit: who holds a number outside one's units is not for the officer to learn. (A refusal
    cannot hide that the number is held somewhere: a CCCD is unique across the country.)"""
    return _(
        "This CCCD cannot be used here. Check the number on the citizen's card; if it is right, "
        "ask your upper-level union for help."
    )
