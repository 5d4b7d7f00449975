"""Campaign URLs, one module per part so they can grow separately."""

from campaigns.urls_covenants import urlpatterns as covenant_patterns
from campaigns.urls_documents import urlpatterns as document_patterns
from campaigns.urls_plans import urlpatterns as plan_patterns
from campaigns.urls_registrations import urlpatterns as registration_patterns
from campaigns.urls_targets import urlpatterns as target_patterns

app_name = "campaigns"

urlpatterns = plan_patterns + registration_patterns + covenant_patterns + target_patterns + document_patterns
