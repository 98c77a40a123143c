from django.apps import AppConfig


class RecognitionConfig(AppConfig):
    name = "apps.recognition"
    label = "recognition"
    verbose_name = "Video recognition"

    def ready(self) -> None:
        from . import tasks  # noqa: F401  registers the tasks the services queue by name
