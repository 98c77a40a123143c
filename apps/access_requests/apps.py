from django.apps import AppConfig


class AccessRequestsConfig(AppConfig):
    name = "apps.access_requests"
    label = "access_requests"
    verbose_name = "Extended access requests"

    def ready(self) -> None:
        # The read store's access window asks through the hook it defines; this app fills it.
        from apps.reads.access_window import extended_access

        from .selectors import grant_for, usable_request_choices

        extended_access.register(grant_for=grant_for, choices=usable_request_choices)
