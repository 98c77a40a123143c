from django.apps import AppConfig


class MisuseConfig(AppConfig):
    name = "apps.misuse"
    label = "misuse"
    verbose_name = "Misuse flags"
