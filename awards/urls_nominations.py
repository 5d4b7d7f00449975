"""Awards: rounds, nominations (dossiers up the tree), and public notices before the council."""

from django.urls import path

from awards.views import nominations as views
from awards.views import notices

urlpatterns: list = [
    path("rounds/", views.round_list, name="round-list"),
    path("rounds/new/", views.round_create, name="round-create"),
    path("rounds/<int:pk>/", views.round_detail, name="round-detail"),
    path("rounds/<int:pk>/close/", views.round_close, name="round-close"),
    path("rounds/<int:pk>/propose/", views.nomination_create, name="nomination-create"),
    path("rounds/<int:pk>/notice/", notices.notice_create, name="notice-create"),
    path("", views.nomination_list, name="nomination-list"),
    path("inbox/", views.nomination_inbox, name="nomination-inbox"),
    path("<int:pk>/", views.nomination_detail, name="nomination-detail"),
    path("<int:pk>/edit/", views.nomination_edit, name="nomination-edit"),
    path("<int:pk>/minutes/", views.nomination_minutes, name="nomination-minutes"),
    path("<int:pk>/submit/", views.nomination_submit, name="nomination-submit"),
    path("<int:pk>/review/", views.nomination_review, name="nomination-review"),
    path("<int:pk>/withdraw/", views.nomination_withdraw, name="nomination-withdraw"),
    path("<int:pk>/letter.docx", views.nomination_letter, name="nomination-letter"),
    path("<int:pk>/dossier.zip", views.nomination_dossier, name="nomination-dossier"),
    path("<int:pk>/nominees/add/", views.nominee_add, name="nominee-add"),
    path("<int:pk>/files/add/", views.nomination_file_add, name="nomination-file-add"),
    path("nominees/<int:pk>/", views.nominee_edit, name="nominee-edit"),
    path("nominees/<int:pk>/remove/", views.nominee_remove, name="nominee-remove"),
    path("nominees/<int:pk>/report.docx", views.nominee_report, name="nominee-report"),
    path("files/<int:pk>/", views.nomination_file, name="nomination-file"),
    path("files/<int:pk>/remove/", views.nomination_file_remove, name="nomination-file-remove"),
    path("notices/<int:pk>/", notices.notice_detail, name="notice-detail"),
    path(
        "notice-comments/<int:pk>/moderate/", notices.notice_comment_moderate, name="notice-comment-moderate"
    ),
    path("notice/<str:token>/", notices.notice_public, name="notice-public"),
]
