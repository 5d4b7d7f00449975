from django.urls import path

from reports.views import excel, papers

urlpatterns = [
    path("<int:pk>/xlsx/", excel.report_xlsx, name="report-xlsx"),
    path(
        "requests/<int:request_pk>/units/<int:unit_pk>/xlsx/",
        excel.report_xlsx,
        name="report-xlsx",
    ),
    path("<int:pk>/xlsx/upload/", excel.report_xlsx_upload, name="report-xlsx-upload"),
    path(
        "requests/<int:request_pk>/units/<int:unit_pk>/xlsx/upload/",
        excel.report_xlsx_upload,
        name="report-xlsx-upload",
    ),
    path("requests/<int:pk>/review.docx", papers.review_docx, name="review-docx"),
    path("requests/<int:pk>/review-data.xlsx", papers.review_xlsx, name="review-xlsx"),
]
