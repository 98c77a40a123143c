from django.apps import AppConfig


class HotlistsConfig(AppConfig):
    name = "apps.hotlists"
    label = "hotlists"
    verbose_name = "Hotlists and alerts"

    def ready(self) -> None:
        from apps.cameras.hooks import camera_page_facts

        from .selectors import read_quality

        camera_page_facts["quality"] = read_quality  # shown on the camera's page
