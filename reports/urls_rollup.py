from django.urls import path

from reports.views import rollup

urlpatterns: list = [
    path("requests/<int:pk>/rollup/", rollup.rollup_detail, name="rollup"),
    path("requests/<int:pk>/rollup/prefill/", rollup.rollup_prefill_view, name="rollup-prefill"),
    path("forms/<int:pk>/trend/<slug:code>/", rollup.indicator_trend_view, name="indicator-trend"),
]
