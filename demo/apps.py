from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo loader: it depends on every domain app, so no domain app depends on it."""

    name = "demo"
    verbose_name = "Demo data"
