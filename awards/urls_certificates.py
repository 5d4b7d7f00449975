"""Awards: certificates (one record, a decision's batch) and blank layouts (phôi)."""

from django.urls import path

from awards.views import certificates as v

urlpatterns: list = [
    path("", v.certificate_list, name="certificate-list"),
    path("decision/<int:pk>/", v.certificate_decision, name="certificate-decision"),
    path("decision/<int:pk>/batch/", v.batch_create, name="certificate-batch-create"),
    path("batch/<int:pk>/", v.batch_detail, name="certificate-batch-detail"),
    path("batch/<int:pk>/progress/", v.batch_progress, name="certificate-batch-progress"),
    path("batch/<int:pk>/download/", v.batch_download, name="certificate-batch-download"),
    path("record/<int:pk>/pdf/", v.certificate_pdf, name="certificate-pdf"),
    path("record/<int:pk>/blank/<int:layout_pk>/", v.certificate_blank, name="certificate-blank"),
    path("blanks/", v.blank_list, name="blank-list"),
    path("blanks/new/", v.blank_create, name="blank-create"),
    path("blanks/<int:pk>/", v.blank_edit, name="blank-edit"),
    path("blanks/<int:pk>/delete/", v.blank_delete, name="blank-delete"),
    path("blanks/<int:pk>/preview/", v.blank_preview, name="blank-preview"),
]
