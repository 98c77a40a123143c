from django.apps import AppConfig


class AccessRequestsConfig(AppConfig):
    name = "apps.access_requests"
    label = "access_requests"
    verbose_name = "Extended access requests"
