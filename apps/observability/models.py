"""No data of its own: the app only carries the permission to read the metrics."""

from django.db import models


class Metrics(models.Model):
    """No table and no rows: what Django hangs the permission to read the metrics on."""

    class Meta:
        managed = False
        default_permissions = ()
        permissions = [("view_metrics", "Can read the operational metrics")]

    def __str__(self) -> str:
        return "operational metrics"
