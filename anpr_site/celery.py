"""The Celery application: settings come from Django's, under the CELERY_ prefix."""

import os

from celery import Celery
from celery.signals import task_prerun

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "anpr_site.settings.local")

app = Celery("anpr_site")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@task_prerun.connect
def _forget_content_type_ids(**kwargs) -> None:
    # A worker caches content type ids for its lifetime. The test suite's worker outlives
    # database flushes that renumber them, so there (only) each task starts afresh.
    from django.conf import settings

    if settings.WORKER_FRESH_CONTENT_TYPES:
        from django.contrib.contenttypes.models import ContentType

        ContentType.objects.clear_cache()
