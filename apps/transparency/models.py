"""Months of the report as first published: fixed for good once a month has settled."""

from django.db import models
from django.utils import timezone


class PublishedMonth(models.Model):
    """A settled month's figures exactly as the report first published them.

    Never counted again: an outcome recorded late, a back-load or retention removing the month's
    alerts cannot move a published figure, so two copies of the report taken at different times
    never differ in a way that dates one person's action. Append-only and hash-chained with the
    audit trail (migration 0002), so a figure quietly rewritten would show.
    """

    month = models.DateField(unique=True, help_text="The month's first day (UTC).")
    figures = models.JSONField(help_text="The month's row of the report, as published.")
    at = models.DateTimeField(default=timezone.now, help_text="When it was published.")

    class Meta:
        ordering = ["month"]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} published {self.at:%Y-%m-%d}"
