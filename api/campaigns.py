"""Read-only campaign endpoints: plans with their phases, duties and targets; live target
progress; registrations; the plan as .docx. Scoped like the pages: a caller sees the plans of
their subtrees (any status) and the issued plans of the units above them, and the
registrations of their subtrees only."""

from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    extend_schema,
    extend_schema_field,
    extend_schema_view,
)
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.scoping import get_for_user, scoped
from api import params
from api.base import ApiView
from api.schema import NOT_FOUND, bad_request
from campaigns.models import Duty, Plan, PlanMovement, Registration, Target
from campaigns.papers import plan_paper, plan_stem
from campaigns.selectors.plans import visible_plans
from campaigns.selectors.targets import plan_target_progress, plan_view_unit
from documents.docx import build_docx
from lib.downloads import DOCX, content_disposition
from org.models import Unit, UnitLevel

# -- serializers ---------------------------------------------------------------------------


class PhaseSerializer(serializers.Serializer):
    name = serializers.CharField()
    start = serializers.DateField()
    end = serializers.DateField()
    purpose = serializers.CharField()


class ContentSerializer(serializers.Serializer):
    number = serializers.CharField()
    text = serializers.CharField()


class DutyTargetSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    text = serializers.CharField()
    count = serializers.IntegerField(help_text="At least this many, per unit of `unit_level`.")
    kind = serializers.CharField(help_text="pilot_model, registration, contest_entry or other.")
    unit_level = serializers.IntegerField(
        help_text="1 province, 2 upper-level union, 3 grassroots union, 4 group."
    )


class DutySerializer(serializers.Serializer):
    level = serializers.SerializerMethodField(help_text="The level as the plan writes it.")
    level_code = serializers.CharField(
        source="level", help_text="issuer, upper, grassroots, upper_grassroots, all."
    )
    text = serializers.SerializerMethodField(help_text="The duty's items, one per line.")
    items = serializers.ListField(child=serializers.CharField())
    targets = DutyTargetSerializer(many=True)

    def get_level(self, duty: Duty) -> str:
        return duty.level_label or str(duty.get_level_display())

    def get_text(self, duty: Duty) -> str:
        return "\n".join(duty.items)


class SignerSerializer(serializers.Serializer):
    authority = serializers.CharField(source="signer_authority")
    title = serializers.CharField(source="signer_title")
    name = serializers.CharField(source="signer_name")


class CampaignSerializer(serializers.ModelSerializer):
    date = serializers.DateField(source="issued_on", allow_null=True)
    status = serializers.CharField(help_text="draft, issued, closed or superseded.")
    unit = serializers.IntegerField(source="unit_id", help_text="The issuing unit.")
    unit_code = serializers.CharField(source="unit.code")
    unit_name = serializers.CharField(source="unit.name")
    parent_plan = serializers.IntegerField(source="parent_plan_id", allow_null=True)
    purposes = serializers.ListField(child=serializers.CharField())
    contents = ContentSerializer(many=True)
    movements = serializers.SerializerMethodField(help_text="Names of the movements the plan runs, in order.")
    phases = PhaseSerializer(many=True)
    duties = DutySerializer(many=True)
    recipients = serializers.ListField(child=serializers.CharField(), help_text="The lines of “Nơi nhận”.")
    signer = SignerSerializer(source="*")

    class Meta:
        model = Plan
        fields = [
            "id",
            "number",
            "place",
            "date",
            "title",
            "year",
            "theme",
            "preamble",
            "purposes",
            "contents",
            "movements",
            "phases",
            "duties",
            "closing",
            "recipients",
            "signer",
            "status",
            "version",
            "unit",
            "unit_code",
            "unit_name",
            "parent_plan",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_movements(self, plan: Plan) -> list[str]:
        return [pm.movement.name for pm in plan.plan_movements.all()]


class TargetProgressSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="target.id")
    text = serializers.CharField(source="target.text")
    kind = serializers.CharField(source="target.kind")
    count = serializers.IntegerField(source="target.count")
    unit_level = serializers.IntegerField(source="target.unit_level")
    unit_level_name = serializers.SerializerMethodField()
    computed = serializers.BooleanField(help_text="False for targets reported by hand: `met` is then 0.")
    applicable = serializers.IntegerField(help_text="Active units of `unit_level` in the subtree.")
    met = serializers.IntegerField(help_text="Of those, how many meet the target.")
    percent = serializers.IntegerField()

    def get_unit_level_name(self, progress) -> str:
        return str(UnitLevel(progress.target.unit_level).label)


class CampaignTargetsSerializer(serializers.Serializer):
    unit = serializers.IntegerField(source="unit.id", help_text="The subtree the figures are rolled up for.")
    unit_name = serializers.CharField(source="unit.name")
    targets = TargetProgressSerializer(many=True)


class PledgeSerializer(serializers.Serializer):
    text = serializers.CharField()
    count = serializers.IntegerField(allow_null=True)
    movement = serializers.CharField(source="movement.name", allow_null=True, default=None)
    target = serializers.IntegerField(source="target_id", allow_null=True)


class CampaignRegistrationSerializer(serializers.ModelSerializer):
    unit = serializers.IntegerField(source="unit_id")
    unit_code = serializers.CharField(source="unit.code")
    unit_name = serializers.CharField(source="unit.name")
    status = serializers.CharField(help_text="draft or submitted.")
    pledges = PledgeSerializer(many=True)
    member_pledges = serializers.IntegerField(source="member_pledge_count", help_text="Individual pledges.")

    class Meta:
        model = Registration
        fields = [
            "id",
            "unit",
            "unit_code",
            "unit_name",
            "status",
            "submitted_at",
            "pledges",
            "member_pledges",
        ]
        read_only_fields = fields


class DocxRenderer(BaseRenderer):
    media_type = DOCX
    format = "docx"
    charset = None
    render_style = "binary"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return data


# -- selectors -----------------------------------------------------------------------------


def with_children(plans: QuerySet[Plan]) -> QuerySet[Plan]:
    """Everything the serializer reads, in a fixed number of queries for any number of plans."""
    return plans.select_related("unit").prefetch_related(
        "phases",
        Prefetch("plan_movements", queryset=PlanMovement.objects.select_related("movement")),
        Prefetch("duties", queryset=Duty.objects.prefetch_related(Prefetch("targets", Target.objects.all()))),
    )


def plans_visible_to_unit(plans: QuerySet[Plan], *, unit: Unit) -> QuerySet[Plan]:
    """Plans a unit works under: its own (any status) and the non-draft plans of its ancestors."""
    return plans.filter(Q(unit=unit) | (Q(unit__in=unit.get_ancestors()) & ~Q(status=Plan.Status.DRAFT)))


# -- views ---------------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(
        summary="Plans (campaigns) the caller may read",
        parameters=[
            params.year_parameter(description="Only plans of this year."),
            params.id_parameter(
                "unit",
                "Only the plans this unit works under: its own and the issued plans of the units above it. "
                "The unit must be one the caller may read (404 otherwise).",
            ),
        ],
        responses={
            200: CampaignSerializer(many=True),
            400: bad_request("Bad year or page."),
            404: NOT_FOUND,
        },
    ),
    retrieve=extend_schema(
        summary="One plan with its phases, contents, movements, duties, targets, recipients and signer",
        responses={200: CampaignSerializer, 404: NOT_FOUND},
    ),
)
class CampaignViewSet(ApiView, viewsets.ReadOnlyModelViewSet):
    queryset = Plan.objects.none()  # the real one is scoped per request in get_queryset
    serializer_class = CampaignSerializer

    def get_queryset(self) -> QuerySet[Plan]:
        plans = visible_plans(user=self.request.user)
        if self.action == "list":
            query = self.request.query_params
            year = params.year(query)
            if year:
                plans = plans.filter(year=year)
            unit_id = params.lookup_id(query, "unit")
            if unit_id:
                unit = get_for_user(Unit, self.request.user, pk=unit_id)
                plans = plans_visible_to_unit(plans, unit=unit)
            plans = with_children(plans)
        return plans.order_by("-year", "-issued_on", "-id")

    def get_object(self) -> Plan:
        # Not get_for_user: it would scope again to the caller's subtrees and drop the plans above.
        return get_object_or_404(with_children(self.get_queryset()), pk=self.kwargs["pk"])

    def get_renderers(self):
        if getattr(self, "action", None) == "document":
            return [DocxRenderer()]
        return super().get_renderers()

    def finalize_response(self, request: Request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if isinstance(response, Response) and response.status_code >= 400:
            # An error of the .docx route is a JSON {"detail": …}, not a broken document.
            response.accepted_renderer = JSONRenderer()
            response.accepted_media_type = JSONRenderer.media_type
        return response

    @extend_schema(
        summary="Progress of each target of the plan, rolled up for the caller's subtree",
        parameters=[
            params.id_parameter(
                "unit",
                "Roll up for this unit's subtree instead (in the caller's scope and under the plan's issuer).",
            )
        ],
        responses={200: CampaignTargetsSerializer, 404: NOT_FOUND},
    )
    @action(detail=True, pagination_class=None)
    def targets(self, request: Request, pk=None) -> Response:
        plan = get_object_or_404(self.get_queryset().select_related("unit"), pk=pk)
        unit = plan_view_unit(
            user=request.user, plan=plan, unit_id=params.lookup_id(request.query_params, "unit")
        )
        progress = plan_target_progress(plan=plan, unit=unit)
        return Response(CampaignTargetsSerializer({"unit": unit, "targets": progress}).data)

    @extend_schema(
        summary="Registrations under the plan by units of the caller's subtree",
        parameters=[OpenApiParameter("status", str, enum=Registration.Status.values)],
        responses={
            200: CampaignRegistrationSerializer(many=True),
            400: bad_request("Unknown status, or a bad page."),
            404: NOT_FOUND,
        },
    )
    @action(detail=True)
    def registrations(self, request: Request, pk=None) -> Response:
        plan = get_object_or_404(self.get_queryset(), pk=pk)
        registrations = (
            scoped(Registration.objects.filter(plan=plan), user=request.user)
            .select_related("unit")
            .prefetch_related("pledges__movement")
            .annotate(member_pledge_count=Count("member_pledges"))
            .order_by("unit__code", "id")
        )
        status = params.choice(
            request.query_params, "status", Registration.Status.values, _("Unknown status.")
        )
        if status:
            registrations = registrations.filter(status=status)
        page = self.paginate_queryset(registrations)
        return self.get_paginated_response(CampaignRegistrationSerializer(page, many=True).data)

    @extend_schema(
        operation_id="campaigns_document_docx",
        summary="The plan as a .docx in the layout of Decree 30/2020/NĐ-CP",
        responses={(200, DOCX): OpenApiTypes.BINARY, 404: NOT_FOUND},
    )
    def document(self, request: Request, pk=None) -> HttpResponse:
        plan = get_object_or_404(self.get_queryset().select_related("unit"), pk=pk)
        response = HttpResponse(build_docx(plan_paper(plan)), content_type=DOCX)
        response["Content-Disposition"] = content_disposition(f"{plan_stem(plan)}.docx")
        return response
