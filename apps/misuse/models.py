"""Misuse flags raised from the audit trail, and auditors' closures of them. Both append-only and
hash-chained (apps/audit/chain_sql.py): a flag is never changed or withdrawn, only closed."""

from django.db import models

from apps.core.times import shown


class MisuseFlag(models.Model):
    """A pattern in one user's audited activity that an auditor should look at, with its evidence."""

    class Kind(models.TextChoices):
        PLATE_REFERENCES = "plate_references", "One plate under several references"
        BEYOND_WINDOW = "beyond_window", "Plate searched beyond the standard window without a request"
        MANY_PLATES = "many_plates", "Many plates in a short time"
        REFUSALS = "refusals", "Searches refused or throttled repeatedly"
        OUT_OF_SCOPE = "out_of_scope", "Access request used outside its scope"
        UNUSUAL_HOURS = "unusual_hours", "Activity at unusual hours for the user"

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    kind = models.CharField(max_length=20, choices=Kind.choices, db_index=True)
    # The username and id as the audit rows hold them, not a foreign key: the flag outlives the account.
    username = models.CharField(max_length=150, db_index=True)
    user_id = models.BigIntegerField(null=True)
    summary = models.TextField()
    search_ids = models.JSONField(default=list, help_text="SearchAudit rows cited.")
    event_ids = models.JSONField(default=list, help_text="SecurityEvent rows cited.")
    details = models.JSONField(default=dict, blank=True)
    # Identifies the evidence (kind, user, rows cited): a flag is never raised twice for it.
    evidence_key = models.CharField(max_length=64, unique=True)

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{shown(self.at)} {self.get_kind_display()}: {self.username}"


class MisuseFlagClosure(models.Model):
    """An auditor's closing of one flag, with what they found."""

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    # No database constraint: audit retention removes each chain's oldest rows on its own, and a
    # flag past retention must not be held back by its closure.
    flag = models.OneToOneField(
        MisuseFlag, on_delete=models.DO_NOTHING, db_constraint=False, related_name="closure"
    )
    closed_by = models.CharField(max_length=150)
    note = models.TextField()

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"Flag {self.flag_id} closed by {self.closed_by}"
