from django.contrib import admin
from django.urls import include, path

from campaigns import urls as campaign_urls
from imports.views_pledges import campaign_urlpatterns as pledge_patterns
from lib.health import healthz, readyz
from lib.views import switch_language
from org.views.home import home

urlpatterns = [
    path("", home, name="home"),
    path("lang/<str:code>/", switch_language, name="switch-language"),
    path("accounts/", include("accounts.urls")),
    path("org/", include("org.urls")),
    path("imports/", include("imports.urls")),
    # The pledge import pages belong to campaigns' pages but live in imports (which reads
    # campaigns, never the reverse), so they join the campaigns namespace here.
    path("campaigns/", include((campaign_urls.urlpatterns + pledge_patterns, campaign_urls.app_name))),
    path("reports/", include("reports.urls")),
    path("awards/", include("awards.urls")),
    path("", include("awards.urls_public")),
    path("api/", include("api.urls")),
    path("admin/", admin.site.urls),
    # Load-balancer probes (lib/health.py: its middleware answers them first).
    path("healthz", healthz, name="healthz"),
    path("readyz", readyz, name="readyz"),
]
