from django.apps import AppConfig


class ReadsConfig(AppConfig):
    name = "apps.reads"
    label = "reads"
    verbose_name = "Plate reads"

    def ready(self) -> None:
        from . import checks, lookups  # noqa: F401  (registers the check and vrm__like)
