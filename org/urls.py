"""Unit and member URLs; each half lives in its own module so they can grow separately."""

from org.urls_members import urlpatterns as member_patterns
from org.urls_units import urlpatterns as unit_patterns

app_name = "org"

urlpatterns = unit_patterns + member_patterns
