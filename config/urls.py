from django.contrib import admin
from django.urls import include, path

from lib.views import switch_language
from org.views.home import home

urlpatterns = [
    path("", home, name="home"),
    path("lang/<str:code>/", switch_language, name="switch-language"),
    path("accounts/", include("accounts.urls")),
    path("org/", include("org.urls")),
    path("imports/", include("imports.urls")),
    path("campaigns/", include("campaigns.urls")),
    path("reports/", include("reports.urls")),
    path("awards/", include("awards.urls")),
    path("", include("awards.urls_public")),
    path("api/", include("api.urls")),
    path("admin/", admin.site.urls),
]
