"""Awards: decisions (drafts, issuing, corrections, the paper)."""

from django.urls import path

from awards.views import decisions

urlpatterns: list = [
    path("", decisions.decision_list, name="decision-list"),
    path("new/", decisions.decision_create, name="decision-create"),
    path("from-meeting/<int:pk>/", decisions.decision_from_meeting, name="decision-from-meeting"),
    path("<int:pk>/", decisions.decision_detail, name="decision-detail"),
    path("<int:pk>/edit/", decisions.decision_edit, name="decision-edit"),
    path("<int:pk>/lines/add/", decisions.decision_line_add, name="decision-line-add"),
    path("<int:pk>/lines/<int:line_pk>/", decisions.decision_line_update, name="decision-line-update"),
    path("<int:pk>/lines/<int:line_pk>/remove/", decisions.decision_line_remove, name="decision-line-remove"),
    path("<int:pk>/issue/", decisions.decision_issue, name="decision-issue"),
    path("<int:pk>/discard/", decisions.decision_discard, name="decision-discard"),
    path("<int:pk>/correct/", decisions.decision_correct, name="decision-correct"),
    path("<int:pk>/decision.docx", decisions.decision_document, {"fmt": "docx"}, name="decision-docx"),
    path("<int:pk>/decision.pdf", decisions.decision_document, {"fmt": "pdf"}, name="decision-pdf"),
]
