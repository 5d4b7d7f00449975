"""Award endpoints: the catalogue, who is eligible in a subtree, nominations (read, and create a
draft list in one call), an award decision with its register lines, and the register.

Scoped like the pages, through the awards selectors (which compose accounts.scoping): anything
outside the caller's units is 404. Rules live in the services: the API only parses, fetches
through scoping and calls them; every refusal comes back as 400 with its reasons and nothing
saved. An issued decision is read-only here as everywhere (no write method: 405)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Prefetch, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ParseError
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.scoping import get_for_user, scoped
from api import params
from api.awards_serializers import (
    AwardSerializer,
    DecisionSerializer,
    EligibleMemberSerializer,
    EligiblePageSerializer,
    EligibleUnitSerializer,
    NominationDetailSerializer,
    NominationErrorsSerializer,
    NominationInputSerializer,
    NominationSerializer,
    RecordSerializer,
)
from api.base import ApiView, flat_errors
from api.schema import NOT_FOUND, bad_request
from awards.models import (
    Award,
    AwardRecord,
    Decision,
    DecisionFile,
    DecisionLine,
    Nomination,
    NominationStep,
    Nominee,
)
from awards.papers_decisions import printed_names
from awards.selectors import eligibility
from awards.selectors.catalogue import reach_within, visible_awards, with_rules
from awards.selectors.nominations import achievement_initial, nominations_for_user, rounds_for_user
from awards.selectors.register import RegisterFilters, matching_records
from awards.services import nominations as nomination_services
from lib.db import replica
from org import tree
from org.models import Member, Unit

PERSONS, UNITS = "persons", "units"


# -- the catalogue and who is eligible --------------------------------------------------------


@extend_schema_view(
    list=extend_schema(
        summary="The award catalogue visible to the caller",
        description="The national catalogue and the awards kept by the caller's federations (and those "
        "above them), with their conditions and quotas as data.",
        parameters=[OpenApiParameter("active", bool, description="Only active (true) or inactive (false).")],
        responses={
            200: AwardSerializer(many=True),
            400: bad_request("`active` is not true or false, or a bad page."),
        },
        tags=["awards"],
    ),
    retrieve=extend_schema(
        summary="One award with its conditions and quotas",
        responses={200: AwardSerializer, 404: NOT_FOUND},
        tags=["awards"],
    ),
)
class AwardViewSet(ApiView, viewsets.ReadOnlyModelViewSet):
    queryset = Award.objects.none()  # the real one is scoped per request in get_queryset
    serializer_class = AwardSerializer

    def get_queryset(self) -> QuerySet[Award]:
        awards = with_rules(visible_awards(user=self.request.user))
        if self.action == "list":
            active = params.boolean(self.request.query_params, "active")
            if active is not None:
                awards = awards.filter(is_active=active)
        return awards.order_by("position", "name", "id")

    def get_object(self) -> Award:
        return get_object_or_404(self.get_queryset(), pk=self.kwargs["pk"])

    @extend_schema(
        summary="Who is eligible for the award in a subtree of the caller",
        description="Every active person (or unit) of the subtree meeting all of the award's conditions "
        "for the year, computed in SQL over the register (conditions the proposing unit confirms are "
        "left to it). Persons for awards given to persons, else units; `recipients` chooses for "
        "awards given to both.",
        parameters=[
            params.id_parameter("unit", "Top of the subtree; default the caller's top unit."),
            params.year_parameter(description="Year of the review; default the current year."),
            OpenApiParameter("recipients", str, enum=[PERSONS, UNITS]),
            params.page_parameter(),
        ],
        responses={
            200: EligiblePageSerializer,
            400: bad_request("Bad year, recipients or page."),
            404: NOT_FOUND,
        },
        tags=["awards"],
    )
    @action(detail=True)
    @replica()
    def eligible(self, request: Request, pk=None) -> Response:
        award = self.get_object()
        query = request.query_params
        unit = params.unit_or_default(query, request.user)
        year = params.year(query) or timezone.localdate().year
        recipients = params.choice(query, "recipients", (PERSONS, UNITS), _("Choose persons or units."))
        recipients = recipients or (PERSONS if award.for_persons else UNITS)
        # A federation's own award reaches only its subtree (none when the two do not meet).
        reach = reach_within(award=award, unit=unit)
        if reach is None:
            rows = Member.objects.none() if recipients == PERSONS else Unit.objects.none()
            row_serializer = EligibleMemberSerializer if recipients == PERSONS else EligibleUnitSerializer
        elif recipients == PERSONS:
            rows = (
                eligibility.eligible_members(award=award, unit=reach, year=year)
                .select_related("unit")
                .only("id", "full_name", "name_folded", "unit__id", "unit__code", "unit__name")
                .order_by("name_folded", "id")
            )
            row_serializer = EligibleMemberSerializer
        else:
            rows = (
                eligibility.eligible_units(award=award, unit=reach, year=year)
                .only("id", "code", "name", tree.key_field())
                .order_by(tree.tree_order())
            )
            row_serializer = EligibleUnitSerializer
        page = self.paginate_queryset(rows)
        response = self.get_paginated_response(row_serializer(page, many=True).data)
        response.data.update({"award": award.pk, "unit": unit.pk, "year": year, "recipients": recipients})
        return response


# -- nominations -----------------------------------------------------------------------------


def _nomination_data(nominations: QuerySet[Nomination], *, steps: bool = False) -> QuerySet[Nomination]:
    """Everything the serializers read, in a fixed number of queries for any number of rows."""
    nominees = Nominee.objects.select_related("unit").order_by("position", "id")
    nominations = nominations.select_related("round", "award", "unit", "at_unit").prefetch_related(
        Prefetch("nominees", queryset=nominees)
    )
    if steps:
        step_rows = NominationStep.objects.select_related("from_unit", "to_unit").order_by("at", "id")
        nominations = nominations.prefetch_related(Prefetch("steps", queryset=step_rows))
    return nominations


class NominationRefused(Exception):
    def __init__(self, errors: list[dict]) -> None:
        super().__init__(errors)
        self.errors = errors


def _messages(exc: ValidationError, field: str) -> list[dict]:
    if hasattr(exc, "error_dict"):
        return [
            {"field": f"{field}.{key}" if field else key, "message": str(m)}
            for key, msgs in exc.message_dict.items()
            for m in msgs
        ]
    return [{"field": field, "message": str(m)} for m in exc.messages]


def _refused(errors: list[dict]) -> Response:
    """400 with every reason, one by one and as a single text."""
    return Response(
        {"errors": errors, "detail": " ".join(e["message"] for e in errors)},
        status=status.HTTP_400_BAD_REQUEST,
    )


def _scoped_references(user, data) -> dict:
    """The objects a body names, each fetched through scoping before anything is validated or
    saved: a round, award, member or unit the caller may not read is 404, a proposing unit they
    only read is 403. Values that are not ids are left to the serializer (400)."""
    found: dict = {"members": {}, "units": {}}
    if not isinstance(data, dict):
        return found
    if params.parse_id(data.get("unit")):
        found["unit"] = get_for_user(Unit, user, write=True, pk=params.parse_id(data["unit"]))
    if params.parse_id(data.get("round")):
        found["round"] = get_object_or_404(rounds_for_user(user=user), pk=params.parse_id(data["round"]))
    if params.parse_id(data.get("award")):
        found["award"] = get_object_or_404(visible_awards(user=user), pk=params.parse_id(data["award"]))
    nominees = data.get("nominees")
    for row in nominees if isinstance(nominees, list) else []:
        if not isinstance(row, dict):
            continue
        if params.parse_id(row.get("member")):
            pk = params.parse_id(row["member"])
            found["members"][pk] = get_object_or_404(
                scoped(Member.objects.select_related("unit"), user=user), pk=pk
            )
        if params.parse_id(row.get("unit")):
            pk = params.parse_id(row["unit"])
            found["units"][pk] = get_object_or_404(
                scoped(Unit.objects.all(), user=user, unit_field=""), pk=pk
            )
    return found


def _achievement(given, nomination: Nomination, member, unit) -> dict | None:
    """The report prefilled from the register with the caller's parts over it (a text is its
    summary); None (the service prefills) when nothing is given."""
    if given in (None, "", {}):
        return None
    if isinstance(given, str):
        given = {"summary": given}
    return {**achievement_initial(nomination=nomination, member=member, unit=unit), **given}


def _create_nomination(user, body: dict, refs: dict) -> Nomination:
    """The draft, its nominees and (when asked) its submission, through the services, all or
    nothing: every refusal is collected before the transaction is rolled back."""
    fields = {k: body[k] for k in ("letter_number", "letter_date", "minutes_number", "note") if k in body}
    with transaction.atomic():
        try:
            nomination = nomination_services.nomination_create(
                round=refs["round"], award=refs["award"], unit=refs["unit"], created_by=user, **fields
            )
        except ValidationError as exc:
            raise NominationRefused(_messages(exc, "")) from None
        errors: list[dict] = []
        for i, row in enumerate(body.get("nominees", [])):
            member = refs["members"].get(row.get("member"))
            unit = None if member else refs["units"].get(row.get("unit"))
            try:
                nomination_services.nominee_add(
                    nomination=nomination,
                    added_by=user,
                    member=member,
                    unit=unit,
                    recipient_kind=row.get("recipient_kind") or None,
                    achievement=_achievement(row.get("achievement"), nomination, member, unit),
                    position_title=row.get("position_title", ""),
                    override_ground=row.get("override_ground", ""),
                )
            except ValidationError as exc:
                errors += _messages(exc, f"nominees[{i}]")
        if not errors and body.get("submit"):
            try:
                nomination_services.nomination_submit(nomination=nomination, submitted_by=user)
            except ValidationError as exc:
                errors += _messages(exc, "submit")
        if errors:
            raise NominationRefused(errors)
    return nomination


@extend_schema_view(
    list=extend_schema(
        summary="Nominations the caller may read",
        description="Lists proposed in the caller's subtree, and lists sitting at (or passed through) "
        "one of the caller's units, newest first.",
        parameters=[
            params.id_parameter("round"),
            params.id_parameter("award"),
            OpenApiParameter("status", str, enum=Nomination.Status.values),
        ],
        responses={
            200: NominationSerializer(many=True),
            400: bad_request("Unknown status, a round or award that is not an id, or a bad page."),
        },
        tags=["awards"],
    ),
    retrieve=extend_schema(
        summary="One nomination with its nominees and its path up the tree",
        responses={200: NominationDetailSerializer, 404: NOT_FOUND},
        tags=["awards"],
    ),
    create=extend_schema(
        summary="Create a draft nomination with its nominees, and optionally submit it",
        description="Calls the same services as the pages: eligibility is judged for each nominee and "
        "stored; an ineligible nominee needs `override_ground` to be submitted; a nominee outside the "
        "proposing unit's subtree, an award already held once in a life, missing minutes or a quota "
        "exceeded are refused with their reasons. All or nothing.",
        request={"application/json": NominationInputSerializer},
        responses={
            201: NominationDetailSerializer,
            400: OpenApiResponse(
                NominationErrorsSerializer, description="Every reason, or a malformed body."
            ),
            403: OpenApiResponse(description="The caller only reads the proposing unit."),
            404: OpenApiResponse(description="A unit, round, award or member outside the caller's units."),
        },
        tags=["awards"],
    ),
)
class NominationViewSet(
    ApiView,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    queryset = Nomination.objects.none()  # the real one is scoped per request in get_queryset
    serializer_class = NominationSerializer

    def get_serializer_class(self):
        if self.action == "list":
            return NominationSerializer
        return NominationInputSerializer if self.action == "create" else NominationDetailSerializer

    def get_queryset(self) -> QuerySet[Nomination]:
        nominations = nominations_for_user(user=self.request.user)
        if self.action == "list":
            query = self.request.query_params
            for key in ("round", "award"):
                number = params.filter_id(query, key)
                if number:
                    nominations = nominations.filter(**{f"{key}_id": number})
            state = params.choice(query, "status", Nomination.Status.values, _("Unknown status."))
            if state:
                nominations = nominations.filter(status=state)
        return _nomination_data(nominations, steps=self.action == "retrieve").order_by("-created_at", "-id")

    def get_object(self) -> Nomination:
        return get_object_or_404(self.get_queryset(), pk=self.kwargs["pk"])

    def create(self, request: Request, *args, **kwargs) -> Response:
        try:
            body = request.data
        except ParseError as exc:  # not JSON at all: the same body as any other refusal
            return _refused([{"field": "", "message": str(exc.detail)}])
        refs = _scoped_references(request.user, body)
        data = NominationInputSerializer(data=body)
        if not data.is_valid():
            return _refused(flat_errors(data.errors))
        try:
            nomination = _create_nomination(request.user, data.validated_data, refs)
        except NominationRefused as exc:
            return _refused(exc.errors)
        created = _nomination_data(Nomination.objects.filter(pk=nomination.pk), steps=True).get()
        return Response(NominationDetailSerializer(created).data, status=status.HTTP_201_CREATED)


# -- decisions and the register ----------------------------------------------------------------


@extend_schema_view(
    retrieve=extend_schema(
        summary="One award decision with its lines, their register lines and its corrections",
        description="Read-only: an issued decision is never edited (PUT, PATCH and DELETE answer 405); "
        "it is corrected by an amending or revoking decision, listed in `corrections`. The names it "
        "prints (`award_name`, `unit_name`, the lines' `unit_name`...) are stored when it is issued, "
        "with its .docx and PDF and their SHA-256 (`files`).",
        responses={200: DecisionSerializer, 404: NOT_FOUND},
        tags=["awards"],
    ),
)
class DecisionViewSet(ApiView, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    queryset = Decision.objects.none()  # the real one is scoped per request in get_queryset
    serializer_class = DecisionSerializer

    def get_queryset(self) -> QuerySet[Decision]:
        lines = DecisionLine.objects.select_related("unit", "record").order_by("position", "id")
        corrections = Decision.objects.order_by("signed_on", "id")
        files = DecisionFile.objects.defer("content").order_by("format")
        return (
            scoped(Decision.objects.all(), user=self.request.user)
            .select_related("award", "unit", "amends")
            .prefetch_related(
                Prefetch("lines", queryset=lines),
                Prefetch("corrections", queryset=corrections),
                Prefetch("files", queryset=files),
            )
        )

    def get_object(self) -> Decision:
        decision = get_object_or_404(self.get_queryset(), pk=self.kwargs["pk"])
        printed_names(decision, list(decision.lines.all()))  # a draft's names as of today
        return decision


@extend_schema_view(
    list=extend_schema(
        summary="The register (sổ khen thưởng) of the caller's subtree",
        description="Every award given to a person or collective of the caller's units (a person's line "
        "under the unit they were in), newest year first.",
        parameters=[
            params.text_parameter("q", "Name of the recipient, accents optional."),
            params.year_parameter(),
            params.id_parameter("award", "Only this award (404 when the caller cannot see it)."),
            params.id_parameter("unit", "Only this unit's subtree (404 outside the caller's)."),
            OpenApiParameter("status", str, enum=AwardRecord.Status.values),
        ],
        responses={
            200: RecordSerializer(many=True),
            400: bad_request("Bad year, status, page or text."),
            404: NOT_FOUND,
        },
        tags=["awards"],
    ),
)
@method_decorator(replica(), name="list")
class RegisterViewSet(ApiView, mixins.ListModelMixin, viewsets.GenericViewSet):
    queryset = AwardRecord.objects.none()  # the real one is scoped per request in get_queryset
    serializer_class = RecordSerializer

    def get_queryset(self) -> QuerySet[AwardRecord]:
        user = self.request.user
        query = self.request.query_params
        unit_id, award_id = params.lookup_id(query, "unit"), params.lookup_id(query, "award")
        unit = get_for_user(Unit, user, pk=unit_id) if unit_id else None
        award = get_object_or_404(visible_awards(user=user), pk=award_id) if award_id else None
        year = params.year(query)
        filters = RegisterFilters(
            q=params.text(query).strip(),
            award=award,
            year_from=year,
            year_to=year,
            status=params.choice(query, "status", AwardRecord.Status.values, _("Unknown status.")) or "",
            unit=unit,
        )
        records = matching_records(user=user, filters=filters)
        return records.select_related("award", "unit").order_by("-year", "name_folded", "-id")
