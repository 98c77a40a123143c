from django.apps import AppConfig
from django.db.models.signals import post_migrate


class AuditConfig(AppConfig):
    name = "apps.audit"
    label = "audit"
    verbose_name = "Audit trail"

    def ready(self) -> None:
        from . import database, receivers  # noqa: F401  (connects the sign-in signal receivers)

        # After every migrate (as the owner), the application's role gets exactly its rights.
        post_migrate.connect(
            database.grant_application_role, sender=self, dispatch_uid="audit.grant_application_role"
        )
