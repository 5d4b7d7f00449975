"""Awards: councils, their seats and meetings (votes, closing, minutes)."""

from django.urls import path

from awards.views import councils

urlpatterns: list = [
    path("", councils.council_list, name="council-list"),
    path("new/", councils.council_create, name="council-create"),
    path("<int:pk>/", councils.council_detail, name="council-detail"),
    path("<int:pk>/seats/add/", councils.seat_add, name="seat-add"),
    path("seats/<int:pk>/deactivate/", councils.seat_deactivate, name="seat-deactivate"),
    path("<int:pk>/meetings/new/", councils.meeting_create, name="meeting-create"),
    path("meetings/<int:pk>/", councils.meeting_detail, name="meeting-detail"),
    path("meetings/<int:pk>/present/", councils.meeting_present, name="meeting-present"),
    path("meetings/<int:pk>/vote/<int:seat_pk>/", councils.meeting_vote, name="meeting-vote"),
    path("meetings/<int:pk>/close/", councils.meeting_close, name="meeting-close"),
    path("meetings/<int:pk>/minutes.docx", councils.meeting_minutes, name="meeting-minutes"),
]
