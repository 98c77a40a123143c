"""The daily misuse-flags job: thin, recorded as a JobRun like every scheduled job."""

from celery import shared_task
from django.utils import timezone

from apps.audit.jobs import recorded_run

from .services import flags_raise

MISUSE_JOB = "misuse-flags"


@shared_task
def raise_misuse_flags() -> None:
    """Look through the last complete days of the audit trail and raise the flags not yet raised."""
    with recorded_run(MISUSE_JOB) as details:
        raised = flags_raise(now=timezone.now())
        details["raised"] = len(raised)
        details["flags"] = [flag.pk for flag in raised]
