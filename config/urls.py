from django.contrib import admin
from django.urls import include, path

from lib.views import home

urlpatterns = [
    path("", home, name="home"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/", include("accounts.urls")),
    path("org/", include("org.urls")),
    path("imports/", include("imports.urls")),
    path("api/", include("api.urls")),
    path("admin/", admin.site.urls),
]
