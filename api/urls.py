from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.routers import SimpleRouter

from api import awards, campaigns, reports, views

router = SimpleRouter()
router.register("units", views.UnitViewSet, basename="api-unit")
router.register("members", views.MemberViewSet, basename="api-member")
router.register("campaigns", campaigns.CampaignViewSet, basename="api-campaign")
router.register("awards", awards.AwardViewSet, basename="api-award")
router.register("nominations", awards.NominationViewSet, basename="api-nomination")
router.register("decisions", awards.DecisionViewSet, basename="api-decision")
router.register("register", awards.RegisterViewSet, basename="api-register")

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("auth/token/", views.TokenObtainView.as_view(), name="api-token"),
    path("auth/logout/", views.LogoutView.as_view(), name="api-logout"),
    path(
        "campaigns/<str:pk>/document.docx",  # parsed by the view (api.base.ApiView)
        campaigns.CampaignViewSet.as_view({"get": "document"}),
        name="api-campaign-document",
    ),
    path("report-forms/", reports.ReportFormList.as_view(), name="api-report-forms"),
    path("report-requests/", reports.ReportRequestList.as_view(), name="api-report-requests"),
    path("reports/", reports.ReportCreate.as_view(), name="api-reports"),
    path("reports/<str:pk>/", reports.ReportDetail.as_view(), name="api-report-detail"),
    path("rollup/", reports.RollupView.as_view(), name="api-rollup"),
    path("rankings/", reports.RankingList.as_view(), name="api-rankings"),
    *router.urls,
]
