"""Awards pages, split by part (catalogue and eligibility, nominations and public notices,
councils, decisions, certificates, the register); all names live in the `awards` namespace."""

from django.urls import include, path

from awards import (
    urls_catalogue,
    urls_certificates,
    urls_councils,
    urls_decisions,
    urls_nominations,
    urls_register,
)

app_name = "awards"

urlpatterns = [
    path("", include(urls_catalogue.urlpatterns)),
    path("nominations/", include(urls_nominations.urlpatterns)),
    path("councils/", include(urls_councils.urlpatterns)),
    path("decisions/", include(urls_decisions.urlpatterns)),
    path("certificates/", include(urls_certificates.urlpatterns)),
    path("register/", include(urls_register.urlpatterns)),
]
