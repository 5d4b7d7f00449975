"""Read-only REST endpoints, scoped through accounts.scoping exactly like the pages."""

from django.db.models import QuerySet
from django.utils.decorators import method_decorator
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import viewsets
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.scoping import get_for_user, scoped
from accounts.selectors import api_token_expires
from accounts.services import api_token_end, api_token_issue
from api import params, selectors
from api.authentication import token_lifecycle
from api.base import ApiView
from api.schema import NOT_FOUND, bad_request
from api.serializers import (
    MemberSerializer,
    TokenRequestSerializer,
    TokenSerializer,
    UnitDetailSerializer,
    UnitSerializer,
)
from lib.db import replica
from org import tree
from org.models import Member, MemberStatus, Unit
from org.selectors.search import member_search, unit_search
from org.selectors.units import unit_rollup


class TokenObtainView(ApiView, ObtainAuthToken):
    """Exchange a username and password for an API token."""

    authentication_classes = []
    serializer_class = TokenRequestSerializer

    @extend_schema(
        summary="Log in: a token for a username and password",
        description=token_lifecycle(),
        request=TokenRequestSerializer,
        responses={
            200: TokenSerializer,
            400: OpenApiResponse(description="Wrong username or password, or a deactivated account."),
            429: OpenApiResponse(description="Locked out after repeated failures."),
        },
        auth=[],
        tags=["auth"],
    )
    def post(self, request: Request, *args, **kwargs) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        token = api_token_issue(user=serializer.validated_data["user"])
        return Response(TokenSerializer({"token": token.key, "expires": api_token_expires(token)}).data)


class LogoutView(ApiView, APIView):
    """End the caller's API token."""

    @extend_schema(
        summary="Log out: the caller's token stops working",
        description="Ends the account's token (the one in the request, or the account's when "
        "called with a session). Log in again at `POST /api/auth/token/` for a new one.",
        request=None,
        responses={
            204: OpenApiResponse(description="The token is ended."),
            401: OpenApiResponse(description="No valid token or session."),
        },
        tags=["auth"],
    )
    def post(self, request: Request) -> Response:
        api_token_end(user=request.user)
        return Response(status=204)


@extend_schema_view(
    list=extend_schema(
        summary="Units the caller may read",
        parameters=[
            params.id_parameter("parent", "Only the direct children of this unit."),
            params.text_parameter("q", "Name (accents optional) or exact code."),
        ],
        responses={200: UnitSerializer(many=True), 400: bad_request("Bad page or text."), 404: NOT_FOUND},
    ),
    retrieve=extend_schema(
        summary="One unit with its rolled-up counts",
        responses={200: UnitDetailSerializer, 404: NOT_FOUND},
    ),
)
class UnitViewSet(ApiView, viewsets.ReadOnlyModelViewSet):
    queryset = Unit.objects.none()  # the real one is scoped per request in get_queryset
    serializer_class = UnitSerializer

    def get_serializer_class(self):
        return UnitDetailSerializer if self.action == "retrieve" else UnitSerializer

    def get_queryset(self) -> QuerySet[Unit]:
        units = scoped(Unit.objects.all(), user=self.request.user, unit_field="")
        if self.action == "list":
            parent_id = params.lookup_id(self.request.query_params, "parent")
            if parent_id:
                parent = get_for_user(Unit, self.request.user, pk=parent_id)
                units = selectors.units_below(units, parent=parent)
            units = unit_search(units, params.text(self.request.query_params))
        return selectors.with_parent_id(units).order_by(tree.tree_order())

    def get_object(self) -> Unit:
        unit = get_for_user(self.get_queryset(), self.request.user, pk=self.kwargs["pk"])
        unit.rollup = unit_rollup(unit=unit)
        unit.children_count = selectors.children_count(unit=unit)
        return unit


@extend_schema_view(
    list=extend_schema(
        summary="Members the caller may read",
        parameters=[
            params.id_parameter("unit", "Members of this unit and every unit below it."),
            params.text_parameter(
                "q", "Name (accents optional), or the start of a CCCD, phone or card number."
            ),
            OpenApiParameter("status", str, enum=MemberStatus.values),
        ],
        responses={
            200: MemberSerializer(many=True),
            400: bad_request("Unknown status, bad page or text."),
            404: NOT_FOUND,
        },
    ),
    retrieve=extend_schema(summary="One member", responses={200: MemberSerializer, 404: NOT_FOUND}),
)
@method_decorator(replica(), name="list")
class MemberViewSet(ApiView, viewsets.ReadOnlyModelViewSet):
    queryset = Member.objects.none()  # the real one is scoped per request in get_queryset
    serializer_class = MemberSerializer

    def get_queryset(self) -> QuerySet[Member]:
        members = scoped(Member.objects.select_related("unit"), user=self.request.user)
        if self.action == "list":
            query = self.request.query_params
            unit_id = params.lookup_id(query, "unit")
            if unit_id:
                unit = get_for_user(Unit, self.request.user, pk=unit_id)
                members = selectors.members_in_subtree(members, unit=unit)
            status = params.choice(query, "status", MemberStatus.values, _("Unknown status."))
            if status:
                members = members.filter(status=status)
            members = member_search(members, params.text(query))
        return members.order_by("name_folded", "id")

    def get_object(self) -> Member:
        return get_for_user(self.get_queryset(), self.request.user, pk=self.kwargs["pk"])
