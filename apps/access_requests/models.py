"""Requests to search reads older than the standard window, and every step each one took."""

from django.conf import settings
from django.db import models


class AccessRequest(models.Model):
    """An officer's request to reach reads up to two years old, for a stated investigation."""

    class Offence(models.TextChoices):
        MAJOR_CRIME = "major_crime", "Major crime"
        SERIOUS_ORGANISED = "serious_organised", "Serious and organised crime"
        COUNTER_TERRORISM = "counter_terrorism", "Counter-terrorism"
        OTHER_SERIOUS = "other_serious", "Other serious crime"

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        APPROVED = "approved", "Approved"
        REFUSED = "refused", "Refused"
        REVOKED = "revoked", "Revoked"
        EXPIRED = "expired", "Expired"

    requester = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="access_requests"
    )
    filed_at = models.DateTimeField(auto_now_add=True)
    investigation_reference = models.CharField(max_length=100)
    offence = models.CharField(max_length=20, choices=Offence.choices)
    justification = models.TextField()
    # Scope: empty lists mean "any". The approver may narrow them.
    vrms = models.JSONField(default=list, blank=True, help_text="Plates the request concerns.")
    camera_codes = models.JSONField(default=list, blank=True)
    areas = models.JSONField(default=list, blank=True)
    period_start = models.DateTimeField(help_text="The earliest read it needs.")
    period_end = models.DateTimeField(help_text="The latest read it needs.")
    days_needed = models.PositiveSmallIntegerField(help_text="How long access is needed for, in days.")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_reason = models.TextField(blank=True)
    expires_at = models.DateTimeField(null=True, blank=True, db_index=True)
    requester_informed = models.BooleanField(
        default=True, help_text="False until the requester has seen a decision."
    )

    class Meta:
        ordering = ["-filed_at", "-id"]
        permissions = [
            ("decide_accessrequest", "Can approve, refuse and revoke access requests"),
            ("use_accessrequest", "Can search under an access request"),
            ("report_accessrequest", "Can see the extended-access report"),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.investigation_reference} ({self.get_status_display()})"


class AccessRequestEvent(models.Model):
    """One step in a request's life: filed, approved, refused, revoked, expired. Append-only."""

    class Kind(models.TextChoices):
        FILED = "filed", "Filed"
        APPROVED = "approved", "Approved"
        REFUSED = "refused", "Refused"
        REVOKED = "revoked", "Revoked"
        EXPIRED = "expired", "Expired"

    access_request = models.ForeignKey(AccessRequest, on_delete=models.PROTECT, related_name="events")
    at = models.DateTimeField(auto_now_add=True)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    actor = models.CharField(max_length=150)
    detail = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} by {self.actor}"
