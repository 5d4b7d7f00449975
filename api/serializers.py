"""API representations. Read-only: every field comes from the database rows or roll-ups."""

from django.contrib.auth import authenticate
from django.contrib.auth.signals import user_logged_in
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import exceptions, serializers

from org.models import Member, Unit
from org.services.members import EDITABLE_FIELDS


class TokenRequestSerializer(serializers.Serializer):
    username = serializers.CharField(write_only=True, min_length=1)
    password = serializers.CharField(
        write_only=True, min_length=1, trim_whitespace=False, style={"input_type": "password"}
    )

    def validate(self, attrs: dict) -> dict:
        request = self.context["request"]
        # Through authenticate() with the request, so django-axes counts failures and refuses
        # locked-out username+IP pairs here exactly as on the login page.
        user = authenticate(request=request, username=attrs["username"], password=attrs["password"])
        if getattr(request, "axes_locked_out", False):
            raise LockedOut(ADDRESS_LOCKED if getattr(request, "axes_address_locked", False) else None)
        if user is None:  # wrong password, unknown or deactivated account
            raise serializers.ValidationError(
                _("Unable to log in with the given username and password."), code="authorization"
            )
        user_logged_in.send(sender=user.__class__, request=request, user=user)
        attrs["user"] = user
        return attrs


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField(read_only=True)
    expires = serializers.DateTimeField(
        read_only=True, help_text="When the token stops working; ask again for a new one after that."
    )


ADDRESS_LOCKED = _(
    "Too many failed logins from this computer, for several accounts: logins from it are paused for a while."
)


class LockedOut(exceptions.APIException):
    status_code = 429
    default_detail = _("Too many failed logins: this account is locked for a while on this computer.")
    default_code = "locked_out"


class UnitSerializer(serializers.ModelSerializer):
    level = serializers.IntegerField(read_only=True)
    parent = serializers.IntegerField(
        source="parent_pk",
        read_only=True,
        allow_null=True,
        help_text="Id of the parent unit; null for the root.",
    )

    class Meta:
        model = Unit
        fields = [
            "id",
            "code",
            "name",
            "short_name",
            "kind",
            "level",
            "sector",
            "address",
            "status",
            "established_on",
            "ended_on",
            "parent",
            "depth",
        ]
        read_only_fields = fields


class UnitDetailSerializer(UnitSerializer):
    members = serializers.IntegerField(
        source="rollup.members",
        read_only=True,
        help_text="Active members in the unit and every unit below it.",
    )
    female_members = serializers.IntegerField(source="rollup.female", read_only=True)
    units = serializers.IntegerField(
        source="rollup.units", read_only=True, help_text="Active units below this one (not counting itself)."
    )
    children_count = serializers.IntegerField(read_only=True, help_text="Direct children, any status.")
    # The same figures under the names the unit pages and exports use, for API clients.
    member_count = serializers.IntegerField(source="rollup.members", read_only=True)
    female_count = serializers.IntegerField(source="rollup.female", read_only=True)
    unit_count = serializers.IntegerField(source="rollup.units", read_only=True)
    counts = serializers.SerializerMethodField(help_text="Rolled-up counts as one object.")

    class Meta(UnitSerializer.Meta):
        fields = UnitSerializer.Meta.fields + [
            "members",
            "female_members",
            "units",
            "children_count",
            "member_count",
            "female_count",
            "unit_count",
            "counts",
        ]
        read_only_fields = fields

    @extend_schema_field(
        {
            "type": "object",
            "properties": {
                "members": {"type": "integer"},
                "female_members": {"type": "integer"},
                "units": {"type": "integer"},
            },
        }
    )
    def get_counts(self, obj) -> dict:
        return {
            "members": obj.rollup["members"],
            "female_members": obj.rollup["female"],
            "units": obj.rollup["units"],
        }


class MemberSerializer(serializers.ModelSerializer):
    unit = serializers.IntegerField(source="unit_id", read_only=True)
    unit_code = serializers.CharField(source="unit.code", read_only=True)
    unit_name = serializers.CharField(source="unit.name", read_only=True)

    class Meta:
        model = Member
        fields = [
            "id",
            *EDITABLE_FIELDS,
            "unit",
            "unit_code",
            "unit_name",
            "status",
        ]
        read_only_fields = fields
