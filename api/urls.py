from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.routers import SimpleRouter

from api import campaigns, views

router = SimpleRouter()
router.register("units", views.UnitViewSet, basename="api-unit")
router.register("members", views.MemberViewSet, basename="api-member")
router.register("campaigns", campaigns.CampaignViewSet, basename="api-campaign")

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("auth/token/", views.TokenObtainView.as_view(), name="api-token"),
    path(
        "campaigns/<int:pk>/document.docx",
        campaigns.CampaignViewSet.as_view({"get": "document"}),
        name="api-campaign-document",
    ),
    *router.urls,
]
