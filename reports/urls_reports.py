from django.urls import path

from reports.views import reports as views

urlpatterns = [
    path("mine/", views.report_list, name="report-list"),
    path("requests/<int:pk>/units/<int:unit_pk>/fill/", views.report_fill, name="report-fill"),
    path("<int:report_pk>/fill/", views.report_fill, name="report-fill"),
    path("<int:pk>/", views.report_detail, name="report-detail"),
    path("<int:pk>/review/", views.report_review, name="report-review"),
    path("<int:pk>/evidence/add/", views.evidence_add, name="evidence-add"),
    path("evidence/<int:pk>/", views.evidence_file, name="evidence-file"),
]
