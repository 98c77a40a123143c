from django.apps import AppConfig


class AssessmentsConfig(AppConfig):
    name = "apps.assessments"
    label = "assessments"
    verbose_name = "Deployment and privacy impact assessments"

    def ready(self) -> None:
        from auditlog.registry import auditlog
        from django.utils import timezone

        from apps.cameras.hooks import camera_page_facts, go_live

        from . import models
        from .selectors import approved_assessment_for, review_overdue, was_assessed

        # Cameras asks through the hooks it defines: the go-live check, and its page's figures.
        go_live.register(approved_assessment_for=approved_assessment_for, was_assessed=was_assessed)
        camera_page_facts["assessment"] = approved_assessment_for
        camera_page_facts["review_overdue"] = lambda camera: review_overdue(camera, timezone.localdate())

        for model in (models.Assessment, models.PrivacyRisk, models.Consultation, models.Review):
            auditlog.register(model)
