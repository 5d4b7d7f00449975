"""Report URLs, one module per part so they can grow separately."""

from reports.urls_excel import urlpatterns as excel_patterns
from reports.urls_forms import urlpatterns as form_patterns
from reports.urls_reports import urlpatterns as report_patterns
from reports.urls_requests import urlpatterns as request_patterns
from reports.urls_rollup import urlpatterns as rollup_patterns
from reports.urls_scoring import urlpatterns as scoring_patterns

app_name = "reports"

urlpatterns = form_patterns + request_patterns + report_patterns + rollup_patterns + scoring_patterns
urlpatterns += excel_patterns
