from django.apps import AppConfig


class ReadsConfig(AppConfig):
    name = "apps.reads"
    label = "reads"
    verbose_name = "Plate reads"

    def ready(self) -> None:
        from . import lookups  # noqa: F401  (registers vrm__like)
