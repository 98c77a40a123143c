from django.apps import AppConfig


class AssessmentsConfig(AppConfig):
    name = "apps.assessments"
    label = "assessments"
    verbose_name = "Deployment and privacy impact assessments"

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from . import models

        for model in (models.Assessment, models.PrivacyRisk, models.Consultation, models.Review):
            auditlog.register(model)
