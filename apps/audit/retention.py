"""The audit trail's own retention: longer than the reads it records (AUDIT_RETENTION_DAYS).

The tables refuse every UPDATE and DELETE; this transaction alone declares a cut-off before
which rows may go (see migration 0006), so nothing newer can be removed, even by mistake.
"""

from datetime import datetime, timedelta

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from .models import JobRun, SearchAudit, SecurityEvent


def allow_deleting_before(cut_off: datetime) -> None:
    """In the current transaction only, let audit rows older than `cut_off` be deleted."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT set_config('anpr.audit_retention_before', %s, true)", [cut_off.isoformat()])


def remove_expired_audit(now: datetime | None = None) -> dict:
    cut_off = (now or timezone.now()) - timedelta(days=settings.AUDIT_RETENTION_DAYS)
    with transaction.atomic():
        allow_deleting_before(cut_off)
        return {
            "search_audit": SearchAudit.objects.filter(at__lt=cut_off).delete()[0],
            "security_events": SecurityEvent.objects.filter(at__lt=cut_off).delete()[0],
            "job_runs": JobRun.objects.filter(at__lt=cut_off).delete()[0],
        }
