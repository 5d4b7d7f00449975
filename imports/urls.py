from django.urls import path

from imports import views, views_plans, views_uploads

app_name = "imports"

urlpatterns = [
    path("", views.job_create, name="job-create"),
    path("jobs/", views.job_list, name="job-list"),
    path("jobs/<int:pk>/", views.job_detail, name="job-detail"),
    path("jobs/<int:pk>/progress/", views.job_progress, name="job-progress"),
    path("jobs/<int:pk>/errors.<str:fmt>", views.job_errors, name="job-errors"),
    path("jobs/<int:pk>/file/", views.job_file, name="job-file"),
    path("jobs/<int:pk>/rerun/", views_uploads.job_rerun, name="job-rerun"),
    path("uploads/<int:pk>/", views_uploads.upload_job_detail, name="upload-job"),
    path("uploads/<int:pk>/progress/", views_uploads.upload_job_progress, name="upload-job-progress"),
    path("uploads/<int:pk>/rerun/", views_uploads.upload_job_rerun, name="upload-job-rerun"),
    path("template.xlsx", views.template_download, name="template"),
    path("plans/", views_plans.plan_import_create, name="plan-import"),
    path("plans/list/", views_plans.plan_import_list, name="plan-import-list"),
    path("plans/<int:pk>/", views_plans.plan_import_detail, name="plan-import-detail"),
]
