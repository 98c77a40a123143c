from django.apps import AppConfig


class HotlistsConfig(AppConfig):
    name = "apps.hotlists"
    label = "hotlists"
    verbose_name = "Hotlists and alerts"
