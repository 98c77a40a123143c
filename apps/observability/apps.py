from django.apps import AppConfig


class ObservabilityConfig(AppConfig):
    name = "apps.observability"
    label = "observability"
    verbose_name = "Operational metrics"

    def ready(self) -> None:
        from . import checks, metrics  # noqa: F401  (registers the check and the signal receivers)
