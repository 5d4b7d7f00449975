"""Awards: decisions pages."""

urlpatterns: list = []
