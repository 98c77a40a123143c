from django.apps import AppConfig


class ReadsConfig(AppConfig):
    name = "apps.reads"
    label = "reads"
    verbose_name = "Plate reads"

    def ready(self) -> None:
        from . import checks  # noqa: F401  (registers the check)
