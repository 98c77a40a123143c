from django.apps import AppConfig


class CamerasConfig(AppConfig):
    name = "apps.cameras"
    label = "cameras"
    verbose_name = "Cameras"

    def ready(self) -> None:
        from . import change_log

        change_log.register()  # positions withheld on the change log
