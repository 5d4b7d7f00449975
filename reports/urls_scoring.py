from django.urls import path

from reports.views import scoring as views

urlpatterns = [
    path("scoring/", views.scoring_list, name="scoring-list"),
    path("scoring/new/", views.scoring_create, name="scoring-create"),
    path("scoring/<int:pk>/", views.scoring_detail, name="scoring-detail"),
    path("scoring/<int:pk>/edit/", views.scoring_edit, name="scoring-edit"),
    path("scoring/<int:pk>/publish/", views.scoring_publish, name="scoring-publish"),
    path("scoring/<int:pk>/new-version/", views.scoring_new_version, name="scoring-new-version"),
    path("scoring/<int:pk>/sheets/<int:year>/", views.score_sheet, name="score-sheet"),
    path("score-sheets/<int:pk>/", views.score_sheet_detail, name="score-sheet-detail"),
    path("score-sheets/<int:pk>/self/", views.score_self_assess, name="score-self-assess"),
    path("scores/<int:pk>/change/", views.score_change, name="score-change"),
    path("rankings/<int:pk>/", views.ranking, name="ranking"),
    path("rankings/<int:pk>/publish/", views.ranking_publish, name="ranking-publish"),
    path("rankings/<int:pk>/export/", views.ranking_export, name="ranking-export"),
    path("ranking-decisions/<int:pk>/", views.ranking_decision, name="ranking-decision"),
]
