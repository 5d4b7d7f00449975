"""Awards: the landing page, the catalogue and eligibility."""

from django.urls import path

from awards.views import home

urlpatterns: list = [
    path("", home.home, name="home"),
]
