"""Representations of the award endpoints (api/awards.py). Plain serializers rather than model
ones: choice fields are sent as their stored values (documented in help texts), which keeps
the schema free of clashing enum names (awards have many `status` and `kind` fields)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import PolymorphicProxySerializer, extend_schema_field
from rest_framework import serializers

from api.params import IdField
from awards.models import RecipientKind


class UnitRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    name = serializers.CharField()


class AwardRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    name = serializers.CharField()


# -- the catalogue ---------------------------------------------------------------------------


class AwardConditionSerializer(serializers.Serializer):
    kind = serializers.CharField(
        help_text="prior_award, award_this_year, initiative, service_years, once_in_life, score or manual."
    )
    params = serializers.JSONField(help_text="The rule's parameters (see awards.models.AwardCondition).")
    text = serializers.CharField(help_text="As written in the regulation.")
    regulation = serializers.CharField()


class AwardQuotaSerializer(serializers.Serializer):
    scope = serializers.CharField(help_text="issuer_year, province_theme, nation_theme or share.")
    limit = serializers.IntegerField(allow_null=True)
    percent = serializers.DecimalField(
        max_digits=5, decimal_places=2, allow_null=True, coerce_to_string=False
    )
    of_award = serializers.CharField(
        source="of_award.code",
        allow_null=True,
        default=None,
        help_text="Code of the award whose nominees the share is counted on.",
    )


class AwardSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    name = serializers.CharField()
    kind = serializers.CharField(help_text="title or form.")
    period = serializers.CharField(help_text="yearly, theme or any.")
    unit = serializers.IntegerField(
        source="unit_id",
        allow_null=True,
        help_text="The federation keeping it; null: the national catalogue.",
    )
    recipient_kinds = serializers.ListField(
        child=serializers.CharField(),
        help_text="member, person, family, union_group, grassroots, collective.",
    )
    proposer_levels = serializers.ListField(
        child=serializers.IntegerField(),
        help_text="Levels that propose it: 0 confederation, 1 province, 2 upper-level, 3 grassroots, 4 group.",
    )
    decider_level = serializers.IntegerField(
        allow_null=True, help_text="Level whose council decides; null: decided outside the union."
    )
    decided_outside = serializers.CharField()
    pass_percent = serializers.DecimalField(max_digits=5, decimal_places=2, coerce_to_string=False)
    pass_strictly_more = serializers.BooleanField()
    secret_ballot = serializers.BooleanField()
    public_notice_days = serializers.IntegerField()
    certificate = serializers.CharField(
        help_text="bang_khen, giay_khen, giay_chung_nhan, ky_niem_chuong or co."
    )
    regulation = serializers.CharField()
    version = serializers.IntegerField()
    is_active = serializers.BooleanField()
    conditions = AwardConditionSerializer(many=True)
    quotas = AwardQuotaSerializer(many=True)


class EligibleMemberSerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text="The member's id.")
    member = serializers.IntegerField(source="id", help_text="The member's id (same as `id`).")
    full_name = serializers.CharField()
    unit = UnitRefSerializer()


class EligibleUnitSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    name = serializers.CharField()


@extend_schema_field(
    PolymorphicProxySerializer(
        component_name="EligibleRecipient",
        serializers=[EligibleMemberSerializer, EligibleUnitSerializer],
        resource_type_field_name=None,
        many=True,
    )
)
class EligibleRowsField(serializers.JSONField):
    pass


class EligiblePageSerializer(serializers.Serializer):
    count = serializers.IntegerField(help_text="Everyone eligible in the subtree.")
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    award = serializers.IntegerField()
    unit = serializers.IntegerField(help_text="Top of the subtree searched.")
    year = serializers.IntegerField()
    recipients = serializers.CharField(help_text="persons or units.")
    results = EligibleRowsField(help_text="Persons (id, member, full_name, unit) or units (id, code, name).")


# -- nominations -----------------------------------------------------------------------------


class NomineeSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    recipient_kind = serializers.CharField()
    member = serializers.IntegerField(source="member_id", allow_null=True)
    unit = UnitRefSerializer(help_text="The person's unit, or the collective itself.")
    name = serializers.CharField()
    position_title = serializers.CharField()
    achievement = serializers.JSONField(help_text="The achievement report (báo cáo thành tích).")
    eligible = serializers.BooleanField()
    eligibility = serializers.JSONField(help_text="Each condition: {kind, status, ok, reason, text}.")
    override_ground = serializers.CharField(help_text="Ground for proposing although not eligible.")
    status = serializers.CharField(help_text="proposed, passed, failed, awarded or removed.")
    votes_yes = serializers.IntegerField(allow_null=True)
    votes_no = serializers.IntegerField(allow_null=True)
    votes_abstain = serializers.IntegerField(allow_null=True)
    votes_of = serializers.IntegerField(allow_null=True)


class NominationSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    round = serializers.IntegerField(source="round_id")
    round_name = serializers.CharField(source="round.name")
    year = serializers.IntegerField(source="round.year")
    award = serializers.IntegerField(source="award_id")
    award_code = serializers.CharField(source="award.code")
    award_name = serializers.CharField(source="award.name")
    unit = UnitRefSerializer(help_text="The proposing unit.")
    at_unit = UnitRefSerializer(allow_null=True, help_text="The level holding it now.")
    status = serializers.CharField(
        help_text="draft, submitted, returned, at_council, decided, rejected or withdrawn."
    )
    letter_number = serializers.CharField()
    letter_date = serializers.DateField(allow_null=True)
    minutes_number = serializers.CharField()
    note = serializers.CharField()
    award_version = serializers.IntegerField(help_text="The catalogue version its rules were taken from.")
    revision = serializers.IntegerField()
    created_at = serializers.DateTimeField()
    submitted_at = serializers.DateTimeField(allow_null=True)
    nominees = NomineeSerializer(many=True)


class StepSerializer(serializers.Serializer):
    action = serializers.CharField(
        help_text="submit, forward, return, to_council, reject, decide or withdraw."
    )
    from_unit = UnitRefSerializer(allow_null=True)
    to_unit = UnitRefSerializer(allow_null=True)
    comment = serializers.CharField()
    at = serializers.DateTimeField()


class NominationDetailSerializer(NominationSerializer):
    steps = StepSerializer(many=True)


class NomineeInputSerializer(serializers.Serializer):
    member = IdField(required=False, help_text="A person: the member's id.")
    unit = IdField(required=False, help_text="A collective: the unit's id.")
    recipient_kind = serializers.ChoiceField(
        choices=RecipientKind.values, required=False, help_text="Default: the award's first that fits."
    )
    position_title = serializers.CharField(required=False, allow_blank=True, max_length=255)
    override_ground = serializers.CharField(
        required=False, allow_blank=True, help_text="Written ground for proposing a nominee not eligible."
    )
    achievement = serializers.JSONField(
        required=False,
        help_text="The achievement report: an object whose keys replace those of the draft prefilled from "
        "the register, or a text (its summary).",
    )

    def validate(self, attrs: dict) -> dict:
        if ("member" in attrs) == ("unit" in attrs):
            raise serializers.ValidationError(_("Give either a member or a unit for each nominee."))
        achievement = attrs.get("achievement")
        if achievement is not None and not isinstance(achievement, (dict, str)):
            raise serializers.ValidationError({"achievement": [_("Give an object or a text.")]})
        return attrs


class NominationInputSerializer(serializers.Serializer):
    round = IdField()
    award = IdField()
    unit = IdField(help_text="The proposing unit (the caller must write for it).")
    nominees = NomineeInputSerializer(many=True, required=False)
    letter_number = serializers.CharField(required=False, allow_blank=True, max_length=80)
    letter_date = serializers.DateField(required=False, allow_null=True)
    minutes_number = serializers.CharField(required=False, allow_blank=True, max_length=80)
    note = serializers.CharField(required=False, allow_blank=True)
    submit = serializers.BooleanField(default=False, help_text="Submit to the level above at once.")


class NominationErrorSerializer(serializers.Serializer):
    field = serializers.CharField(help_text="e.g. `nominees[1]`, `submit`, or empty for the whole list.")
    message = serializers.CharField()


class NominationErrorsSerializer(serializers.Serializer):
    errors = NominationErrorSerializer(many=True)
    detail = serializers.CharField(help_text="Every message, in one text.")


# -- decisions and the register --------------------------------------------------------------


class RecordRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    verify_code = serializers.CharField(help_text="The certificate's public code (/verify/<code>/).")
    status = serializers.CharField(help_text="valid or revoked.")


class DecisionLineSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    recipient_kind = serializers.CharField()
    member = serializers.IntegerField(source="member_id", allow_null=True)
    unit = UnitRefSerializer()
    position_title = serializers.CharField()
    achievement = serializers.CharField()
    corrects = serializers.IntegerField(
        source="corrects_id",
        allow_null=True,
        help_text="Amendment or revocation: the register line corrected.",
    )
    record = RecordRefSerializer(allow_null=True, help_text="The register line it created once issued.")
    unit_name = serializers.CharField(
        help_text="The unit as printed: named as on the day the decision was issued (today's name in a draft)."
    )
    parent_name = serializers.CharField(
        help_text="A collective's unit above it, as printed (same rule); empty for a person."
    )


class DecisionRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.CharField()
    kind = serializers.CharField(help_text="award, amend or revoke.")
    status = serializers.CharField(help_text="draft or issued.")
    signed_on = serializers.DateField(allow_null=True)


class DecisionSignerSerializer(serializers.Serializer):
    authority = serializers.CharField(source="signer_authority")
    title = serializers.CharField(source="signer_title")
    name = serializers.CharField(source="signer_name")


class DecisionFileSerializer(serializers.Serializer):
    format = serializers.CharField(help_text="docx or pdf.")
    sha256 = serializers.CharField(
        help_text="SHA-256 of the file as issued (hex); the download is checked against it."
    )
    size = serializers.IntegerField(help_text="Bytes.")
    url = serializers.SerializerMethodField()

    def get_url(self, obj) -> str:
        name = "awards:decision-docx" if obj.format == "docx" else "awards:decision-pdf"
        return reverse(name, kwargs={"pk": obj.decision_id})


class DecisionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.CharField()
    place = serializers.CharField()
    signed_on = serializers.DateField(allow_null=True)
    year = serializers.IntegerField()
    title = serializers.CharField()
    kind = serializers.CharField(help_text="award, amend or revoke.")
    status = serializers.CharField(help_text="draft or issued.")
    award = AwardRefSerializer()
    unit = UnitRefSerializer(help_text="The issuing unit.")
    round = serializers.IntegerField(source="round_id", allow_null=True)
    signer = DecisionSignerSerializer(source="*")
    issued_at = serializers.DateTimeField(allow_null=True)
    amends = DecisionRefSerializer(allow_null=True, help_text="The decision this one amends or revokes.")
    corrections = DecisionRefSerializer(many=True, help_text="Decisions amending or revoking this one.")
    lines = DecisionLineSerializer(many=True)
    # As printed: stored when the decision was issued, so that renaming the award or a unit
    # later changes nothing here (today's names while it is a draft). `award` and `unit` above
    # carry today's names.
    award_name = serializers.CharField(help_text="The award as printed on the decision (name as issued).")
    award_kind = serializers.CharField(help_text="title or form, as issued.")
    certificate_heading = serializers.CharField(help_text="The heading its certificates print, as issued.")
    unit_name = serializers.CharField(help_text="The issuing unit as printed (name as issued).")
    parent_body = serializers.CharField(help_text="The first header line: the body above the issuer.")
    issuing_body = serializers.CharField(help_text="The second header line: the issuing body.")
    files = DecisionFileSerializer(
        many=True,
        help_text="The .docx and PDF stored when it was issued (empty for a draft; a decision issued "
        "before files were kept gets them at its first download).",
    )


class RecordSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    year = serializers.IntegerField()
    award = AwardRefSerializer()
    theme = serializers.CharField()
    recipient_kind = serializers.CharField()
    member = serializers.IntegerField(source="member_id", allow_null=True)
    name = serializers.CharField(help_text="As it was then.")
    unit = UnitRefSerializer(help_text="The person's unit then, or the collective.")
    unit_name = serializers.CharField(help_text="The unit's name then.")
    position_title = serializers.CharField()
    sex = serializers.CharField()
    sector = serializers.CharField()
    province = serializers.IntegerField(source="province_id", allow_null=True)
    issuer = serializers.IntegerField(source="issuer_id", allow_null=True)
    issuer_name = serializers.CharField()
    issuer_level = serializers.IntegerField(allow_null=True)
    decision = serializers.IntegerField(source="decision_id", allow_null=True)
    decision_number = serializers.CharField()
    decided_on = serializers.DateField(allow_null=True)
    award_name = serializers.CharField(source="award_label", help_text="The award's name when it was given.")
    status = serializers.CharField(help_text="valid or revoked.")
    revoked_by = serializers.IntegerField(source="revoked_by_id", allow_null=True)
    source = serializers.CharField(help_text="decision, import or outside.")
    verify_code = serializers.CharField()
