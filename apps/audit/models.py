"""The append-only audit trail. PostgreSQL itself refuses UPDATE and DELETE on these tables."""

from django.db import models

from apps.core.purposes import purpose_shown
from apps.core.times import shown


class SecurityEvent(models.Model):
    """A sign-in, failed sign-in, lockout, sign-out, account change, password change or reset
    link asked for, or API token's issue and end, kept whatever happens to the account."""

    class Kind(models.TextChoices):
        LOGIN = "login", "Signed in"
        LOGIN_FAILED = "login_failed", "Failed sign-in"
        LOCKOUT = "lockout", "Locked out"
        LOGOUT = "logout", "Signed out"
        ACCOUNT_CHANGE = "account_change", "Account changed"
        THROTTLED = "throttled", "Refused: too many searches"
        SEARCH_REFUSED = "search_refused", "Refused: search outside the access window or request"
        API_TOKEN = "api_token", "API token issued, revoked or expired"
        ADMIN_BOOTSTRAP = "admin_bootstrap", "First administrator created on the server"
        PASSWORD_CHANGED = "password_changed", "Password changed"
        PASSWORD_RESET = "password_reset", "Password reset link asked for"

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    kind = models.CharField(max_length=20, choices=Kind.choices, db_index=True)
    # The username as typed or held, not a foreign key: the row outlives the account.
    username = models.CharField(max_length=150, db_index=True)
    actor = models.CharField(max_length=150, blank=True, help_text="Who made an account change.")
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=300, blank=True)
    detail = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["username", "-at"])]

    def __str__(self) -> str:
        return f"{shown(self.at)} {self.get_kind_display()}: {self.username}"


class SearchAudit(models.Model):
    """One search, export, vehicle history, read opened or alert opened or listed: who, why, what
    they asked, how many found.

    Written before any result leaves; the read table's retention never touches it.
    """

    class Kind(models.TextChoices):
        SEARCH = "search", "Search"
        EXPORT = "export", "Export"
        HISTORY = "history", "Vehicle history"
        CONVOY = "convoy", "Convoy search"
        SCENES = "scenes", "Multi-place search"
        CASE = "case", "Case folder opened"
        EVIDENCE = "evidence", "Evidential export"
        # No longer written: a further page is part of its search, covered by the search's row.
        # Kept for the rows written before.
        PAGE = "page", "Further page of a search"
        VIEW = "view", "Read opened"
        IMAGE = "image", "Evidence image opened"
        ALERT = "alert", "Alert opened"
        ALERTS = "alerts", "Alerts listed"

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    username = models.CharField(max_length=150, db_index=True)
    user_id = models.BigIntegerField(null=True)
    purpose = models.TextField(help_text="A code of SEARCH_PURPOSES (free text in rows written before).")
    # Nullable: the table is hash-chained, and only a column NULL in older rows keeps their hashes.
    purpose_detail = models.TextField(null=True, blank=True, help_text="What 'other' stood for.")  # noqa: DJ001
    reference = models.CharField(max_length=100, db_index=True)
    vrm = models.CharField(
        max_length=32,
        blank=True,
        db_index=True,
        help_text="The plate or pattern asked for, normalised (as typed: in filters).",
    )
    filters = models.JSONField(default=dict)
    access_request_id = models.BigIntegerField(null=True, db_index=True)
    result_count = models.IntegerField()
    result_count_capped = models.BooleanField(default=False, help_text="At least result_count results.")
    via = models.CharField(max_length=10, default="portal", help_text="portal, api or stream")

    class Meta:
        ordering = ["-at", "-id"]
        # A user's searches in the last hour are counted before each new one (the allowance).
        indexes = [models.Index(fields=["user_id", "at"], name="searchaudit_user_recent")]

    def __str__(self) -> str:
        return f"{shown(self.at)} {self.kind} by {self.username} ({self.reference})"

    @property
    def purpose_shown(self) -> str:
        """The purpose's label, and the officer's description for `other`."""
        return purpose_shown(self.purpose, self.purpose_detail)


class JobRun(models.Model):
    """One run of a scheduled job (retention, national export, expiry, reminders) and its outcome.

    Written once, when the run ends: what it did (for retention, every day removed with its
    read and image counts) or why it failed.
    """

    class Outcome(models.TextChoices):
        OK = "ok", "Succeeded"
        FAILED = "failed", "Failed"

    at = models.DateTimeField(auto_now_add=True, db_index=True, help_text="When the run ended.")
    job = models.CharField(max_length=40, db_index=True)
    started_at = models.DateTimeField()
    outcome = models.CharField(max_length=6, choices=Outcome.choices)
    details = models.JSONField(default=dict, blank=True)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["job", "-at"])]

    def __str__(self) -> str:
        return f"{shown(self.at)} {self.job}: {self.get_outcome_display()}"


class AuditChain(models.Model):
    """The head of one append-only table's hash chain (apps/audit/chain.py), kept by the database.

    Written only by the owner's trigger as each row is appended, and by audit retention, which
    moves the anchor past the rows it removed; the application's role may read it, never write.
    """

    name = models.CharField(max_length=63, primary_key=True, help_text="The table chained.")
    head_seq = models.BigIntegerField(help_text="The last row's place in the chain.")
    head_hash = models.CharField(max_length=64)
    anchor_seq = models.BigIntegerField(default=0, help_text="The last row removed by retention.")
    anchor_hash = models.CharField(max_length=64)
    written = models.CharField(max_length=63, help_text="The table's time column.")

    def __str__(self) -> str:
        return f"{self.name}: {self.head_seq} rows chained"
