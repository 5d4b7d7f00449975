from django.urls import path

from campaigns.views import documents

urlpatterns = [
    path("plans/<int:pk>/document.docx", documents.plan_document, {"fmt": "docx"}, name="plan-docx"),
    path("plans/<int:pk>/document.pdf", documents.plan_document, {"fmt": "pdf"}, name="plan-pdf"),
    path(
        "registrations/<int:pk>/document.docx",
        documents.registration_document,
        {"fmt": "docx"},
        name="registration-docx",
    ),
    path(
        "registrations/<int:pk>/document.pdf",
        documents.registration_document,
        {"fmt": "pdf"},
        name="registration-pdf",
    ),
    path(
        "covenants/<int:pk>/document.docx", documents.covenant_document, {"fmt": "docx"}, name="covenant-docx"
    ),
    path("covenants/<int:pk>/document.pdf", documents.covenant_document, {"fmt": "pdf"}, name="covenant-pdf"),
]
