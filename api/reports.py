"""Report endpoints: forms, requests for the caller's units, submitting a report, a report with
its history, the live roll-up with the units still missing, and cluster rankings.

Scoped like the pages (accounts.scoping): forms and requests of the caller's subtrees and of the
units above them; reports of the caller's subtrees; anything else is 404."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import OuterRef, Prefetch, Q, Subquery
from django.http import Http404
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import ParseError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.scoping import (
    can_read,
    get_for_user,
    role_units,
    scoped,
    scoped_with_above,
    writable_units,
)
from api import params
from api.base import ApiView, flat_errors
from api.schema import NOT_FOUND, bad_request
from lib.db import replica
from org import tree
from reports.models import (
    FormVersion,
    Indicator,
    Report,
    ReportForm,
    ReportRequest,
    ReportVersion,
    RequestRecipient,
)
from reports.selectors.requests import visible_requests
from reports.selectors.rollup import requests_for_unit, rollup
from reports.services.reports import ReportInvalid, report_fill, report_values

MAX_ROWS = 200


# -- serializers ---------------------------------------------------------------------------


class IndicatorSerializer(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.CharField()
    kind = serializers.CharField(help_text="integer, money, percent, boolean, text or file.")
    unit_of_measure = serializers.CharField()
    rollup = serializers.CharField(help_text="sum, weighted_avg, count_yes, min, max or none.")
    required = serializers.BooleanField()
    formula = serializers.CharField()


class ReportFormSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    name = serializers.CharField()
    unit = serializers.IntegerField(source="unit_id")
    year = serializers.IntegerField(allow_null=True)
    version = serializers.IntegerField(allow_null=True, help_text="The latest published version's number.")
    indicators = IndicatorSerializer(many=True)


class ReportRequestSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="request.pk")
    title = serializers.CharField(source="request.title")
    period = serializers.CharField(source="request.period")
    form = serializers.IntegerField(source="request.version.form_id")
    requested_by = serializers.IntegerField(source="request.unit_id")
    due_on = serializers.DateField(source="request.due_on")
    unit = serializers.IntegerField(
        source="unit_id", allow_null=True, help_text="The caller's role unit it is addressed to, or null."
    )
    unit_name = serializers.CharField(source="unit.name", allow_null=True, default=None)
    report = serializers.IntegerField(allow_null=True, source="report_id")
    status = serializers.CharField(
        allow_null=True, source="report_status", help_text="draft, submitted, returned, accepted, or null."
    )
    sent_by_caller = serializers.BooleanField(help_text="Sent by a unit in the caller's subtrees.")


class ReportInputSerializer(serializers.Serializer):
    request = params.IdField()
    unit = params.IdField()
    values = serializers.DictField(
        child=serializers.JSONField(allow_null=True),
        help_text="{indicator code: value}; null or empty: no figure.",
    )
    submit = serializers.BooleanField(default=False)
    revision = serializers.IntegerField(required=False, allow_null=True)


class FigureErrorSerializer(serializers.Serializer):
    indicator = serializers.CharField(help_text="Indicator code, or empty for a rule between figures.")
    value = serializers.CharField()
    message = serializers.CharField()


class ErrorsSerializer(serializers.Serializer):
    errors = FigureErrorSerializer(many=True)


class VersionSerializer(serializers.Serializer):
    number = serializers.IntegerField()
    source = serializers.CharField()
    created_at = serializers.DateTimeField()


class ActionSerializer(serializers.Serializer):
    kind = serializers.CharField()
    comment = serializers.CharField()
    at = serializers.DateTimeField()


class ReportSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    request = serializers.IntegerField(source="request_id")
    unit = serializers.IntegerField(source="unit_id")
    status = serializers.CharField()
    revision = serializers.IntegerField()
    submitted_at = serializers.DateTimeField(allow_null=True)
    values = serializers.DictField(child=serializers.JSONField(allow_null=True))
    versions = VersionSerializer(many=True)
    actions = ActionSerializer(many=True)


class RollupFigureSerializer(serializers.Serializer):
    code = serializers.CharField(source="indicator.code")
    label = serializers.CharField(source="indicator.label")
    kind = serializers.CharField(source="indicator.kind")
    rule = serializers.CharField(source="indicator.rollup")
    value = serializers.DecimalField(max_digits=24, decimal_places=2, allow_null=True, coerce_to_string=False)
    reported = serializers.IntegerField(help_text="Reports that gave this figure.")


class MissingUnitSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    name = serializers.CharField()


class MissingPageSerializer(serializers.Serializer):
    count = serializers.IntegerField()
    page = serializers.IntegerField()
    pages = serializers.IntegerField()
    results = MissingUnitSerializer(many=True)


class RollupSerializer(serializers.Serializer):
    request = serializers.IntegerField()
    unit = serializers.IntegerField()
    unit_name = serializers.CharField()
    recipients = serializers.IntegerField()
    submitted = serializers.IntegerField()
    accepted = serializers.IntegerField()
    missing_count = serializers.IntegerField()
    figures = RollupFigureSerializer(many=True)
    missing = MissingPageSerializer()


class RankingRowSerializer(serializers.Serializer):
    unit = serializers.IntegerField()
    unit_name = serializers.CharField()
    total = serializers.DecimalField(max_digits=10, decimal_places=2, coerce_to_string=False)
    rank = serializers.IntegerField(allow_null=True)
    status = serializers.CharField()


# -- views ---------------------------------------------------------------------------------


class ReportFormList(ApiView, APIView):
    @extend_schema(
        summary="Report forms visible to the caller, with the latest published version's indicators",
        responses={200: ReportFormSerializer(many=True)},
        tags=["reports"],
    )
    def get(self, request: Request) -> Response:
        indicators = Indicator.objects.order_by("position", "id")
        published = (
            FormVersion.objects.filter(status=FormVersion.Status.PUBLISHED)
            .order_by("-number")
            .prefetch_related(Prefetch("indicators", queryset=indicators))
        )
        forms = list(
            scoped_with_above(ReportForm.objects.filter(is_active=True), user=request.user, published=Q())
            .order_by("name", "id")
            .prefetch_related(Prefetch("versions", queryset=published, to_attr="published"))[:MAX_ROWS]
        )
        rows = []
        for form in forms:
            latest = form.published[0] if form.published else None
            rows.append(
                {
                    "id": form.pk,
                    "code": form.code,
                    "name": form.name,
                    "unit_id": form.unit_id,
                    "year": form.year,
                    "version": latest.number if latest else None,
                    "indicators": list(latest.indicators.all()) if latest else [],
                }
            )
        return Response(ReportFormSerializer(rows, many=True).data)


class ReportRequestList(ApiView, APIView):
    @extend_schema(
        summary="Requests sent by the caller's units (and their subtrees) and requests addressed to "
        "the units the caller holds roles at, newest first",
        description="One row per request and addressed unit; a request sent from the caller's subtree "
        "that is not addressed to one of the caller's role units comes once, with `unit`, `report` "
        "and `status` null.",
        responses={200: ReportRequestSerializer(many=True)},
        tags=["reports"],
    )
    def get(self, request: Request) -> Response:
        user = request.user
        units = role_units(user=user)
        report = Report.objects.filter(request=OuterRef("request"), unit=OuterRef("unit"))
        addressed = list(
            RequestRecipient.objects.filter(unit__in=units)
            .select_related("request__version", "request__unit", "unit")
            .annotate(
                report_id=Subquery(report.values("pk")[:1]),
                report_status=Subquery(report.values("status")[:1]),
            )
            .order_by("-request__created_at", "-request_id", tree.tree_order("unit"))[:MAX_ROWS]
        )
        sent = (
            scoped(ReportRequest.objects.select_related("version", "unit"), user=user)
            .exclude(recipient_rows__unit__in=units)
            .order_by("-created_at", "-id")[:MAX_ROWS]
        )
        rows = [
            {
                "request": row.request,
                "unit_id": row.unit_id,
                "unit": row.unit,
                "report_id": row.report_id,
                "report_status": row.report_status,
                "sent_by_caller": can_read(user=user, unit=row.request.unit),
            }
            for row in addressed
        ]
        rows += [
            {
                "request": req,
                "unit_id": None,
                "unit": None,
                "report_id": None,
                "report_status": None,
                "sent_by_caller": True,
            }
            for req in sent
        ]
        rows.sort(key=lambda r: (r["request"].created_at, r["request"].pk), reverse=True)  # stable per unit
        return Response(ReportRequestSerializer(rows[:MAX_ROWS], many=True).data)


def _report_data(report: Report) -> dict:
    return {
        "id": report.pk,
        "request_id": report.request_id,
        "unit_id": report.unit_id,
        "status": report.status,
        "revision": report.revision,
        "submitted_at": report.submitted_at,
        "values": report_values(report),
        "versions": list(report.versions.order_by("-number")),
        "actions": list(report.actions.all()),
    }


class ReportCreate(ApiView, APIView):
    @extend_schema(
        summary="Save (and optionally submit) a unit's report for a request",
        request={"application/json": ReportInputSerializer},
        responses={
            201: ReportSerializer,
            400: OpenApiResponse(ErrorsSerializer, description="Every invalid figure, or a malformed body."),
            404: OpenApiResponse(description="Unknown request, or a unit the caller may not write for."),
            409: OpenApiResponse(ErrorsSerializer, description="Already submitted, or a stale `revision`."),
        },
        tags=["reports"],
    )
    def post(self, request: Request) -> Response:
        try:
            data = ReportInputSerializer(data=request.data)
        except ParseError as exc:  # not JSON at all: the same body as any other refusal
            errors = [{"indicator": "", "value": "", "message": str(exc.detail)}]
            return Response({"errors": errors}, status=status.HTTP_400_BAD_REQUEST)
        if not data.is_valid():
            # A figure's error names its indicator code; any other names its field.
            errors = [
                {"indicator": e["field"].removeprefix("values."), "value": "", "message": e["message"]}
                for e in flat_errors(data.errors)
            ]
            return Response({"errors": errors}, status=status.HTTP_400_BAD_REQUEST)
        body = data.validated_data
        unit = get_object_or_404(writable_units(user=request.user), pk=body["unit"])
        req = get_object_or_404(visible_requests(user=request.user), pk=body["request"])
        if not RequestRecipient.objects.filter(request=req, unit=unit).exists():
            raise Http404
        try:
            saved = report_fill(
                request=req,
                unit=unit,
                raw=body["values"],
                by=request.user,
                revision=body.get("revision"),
                submit=body["submit"],
                source=ReportVersion.Source.API,
            )
        except ReportInvalid as exc:
            errors = [
                {"indicator": e.code, "value": e.value, "message": e.message} for e in exc.checked.errors
            ]
            return Response({"errors": errors}, status=status.HTTP_400_BAD_REQUEST)
        except ValidationError as exc:
            errors = [{"indicator": "", "value": "", "message": m} for m in exc.messages]
            return Response({"errors": errors}, status=status.HTTP_409_CONFLICT)
        report = Report.objects.get(pk=saved.report_id)
        return Response(ReportSerializer(_report_data(report)).data, status=status.HTTP_201_CREATED)


class ReportDetail(ApiView, APIView):
    @extend_schema(
        summary="One report: status, current values, versions and review actions",
        responses={200: ReportSerializer, 404: NOT_FOUND},
        tags=["reports"],
    )
    def get(self, request: Request, pk: int) -> Response:
        report = get_for_user(Report, request.user, pk=pk)
        return Response(ReportSerializer(_report_data(report)).data)


class RollupView(ApiView, APIView):
    @extend_schema(
        summary="Live roll-up of a form's latest request (or a given request) for a unit's subtree",
        parameters=[
            params.id_parameter("form", "Form id: its latest request sent by or to the unit."),
            params.id_parameter("request", "A request id (instead of `form`)."),
            params.id_parameter("unit", "Unit id; default the caller's top unit."),
            params.page_parameter("Page of the missing units (100 a page; past the last: the last)."),
        ],
        responses={200: RollupSerializer, 400: bad_request("Bad page."), 404: NOT_FOUND},
        tags=["reports"],
    )
    @replica()
    def get(self, request: Request) -> Response:
        query = request.query_params
        unit = params.unit_or_default(query, request.user)
        page_number = params.page(query)
        visible = visible_requests(user=request.user)
        request_id, form_id = params.lookup_id(query, "request"), params.lookup_id(query, "form")
        if request_id:
            req = get_object_or_404(visible, pk=request_id)
        elif form_id:
            ids = requests_for_unit(unit=unit, form_id=form_id).values("pk")
            req = visible.filter(pk__in=ids).order_by("-due_on", "-id").first()
            if req is None:
                raise Http404
        else:
            raise Http404
        result = rollup(request=req, unit=unit)
        page = Paginator(result.missing_units.only("id", "code", "name", tree.key_field()), 100).get_page(
            page_number
        )
        data = {
            "request": req.pk,
            "unit": unit.pk,
            "unit_name": unit.name,
            "recipients": result.recipients,
            "submitted": result.submitted,
            "accepted": result.accepted,
            "missing_count": result.missing,
            "figures": result.figures,
            "missing": {
                "count": page.paginator.count,
                "page": page.number,
                "pages": page.paginator.num_pages,
                "results": list(page.object_list),
            },
        }
        return Response(RollupSerializer(data).data)


class RankingList(ApiView, APIView):
    @extend_schema(
        summary="A cluster's ranking for a year",
        parameters=[
            params.id_parameter("cluster", "A cluster (cụm thi đua) the caller may read.", required=True),
            params.year_parameter(required=True),
        ],
        responses={
            200: RankingRowSerializer(many=True),
            400: bad_request("No year, or not a year."),
            404: NOT_FOUND,
        },
        tags=["reports"],
    )
    @replica()
    def get(self, request: Request) -> Response:
        from reports.selectors.scoring import clusters_for_user, ranking_lines

        cluster_id = params.lookup_id(request.query_params, "cluster")
        cluster = get_object_or_404(clusters_for_user(user=request.user), pk=cluster_id or 0)
        year = params.year(request.query_params, required=True)
        rows = ranking_lines(cluster=cluster, year=year)
        return Response(RankingRowSerializer(rows, many=True).data)
