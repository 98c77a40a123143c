"""Case folders: reads and searches an officer collected under one investigation, shared with named
colleagues."""

from django.conf import settings
from django.db import models

OPEN = "open_case"


class Case(models.Model):
    """A case folder: reads filed under one investigation's purpose and reference, by its owner and
    the colleagues it is shared with (each given the object permission `open_case`)."""

    title = models.CharField(max_length=200)
    # What every opening and export of the folder is recorded under, as a search states them.
    purpose = models.CharField(max_length=40, help_text="A code of SEARCH_PURPOSES.")
    purpose_detail = models.TextField(blank=True, help_text="What 'other' stood for.")
    reference = models.CharField(max_length=100, db_index=True)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="cases")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        permissions = [(OPEN, "Can open this case folder (given per folder, never by role)")]

    def __str__(self) -> str:
        return f"{self.reference}: {self.title}"


class CaseItem(models.Model):
    """One read filed in a case folder, with the search through which it was reached.

    The read is named by its key (id and seen_at): reads live in a table partitioned by day, which
    no foreign key can point into, and they leave it at the end of read retention while the folder
    stays. The search is named by its audit record's id for the same reason: audit retention
    removes old rows through the database owner's function, which a foreign key would block.
    """

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="items")
    read_id = models.BigIntegerField()
    read_seen_at = models.DateTimeField()
    search_audit_id = models.BigIntegerField(help_text="The search (SearchAudit) that found the read.")
    access_request_id = models.BigIntegerField(null=True, help_text="The request that search was made under.")
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    added_at = models.DateTimeField(auto_now_add=True)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["added_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["case", "read_id", "read_seen_at"], name="case_item_once")
        ]

    def __str__(self) -> str:
        return f"Read {self.read_id} in {self.case_id}"


class CaseSearch(models.Model):
    """One search filed in a case folder by the officer who made it: its criteria, count and
    moment stay in its audit record, named by id (not a foreign key) for CaseItem's reason."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="searches")
    search_audit_id = models.BigIntegerField(help_text="The search (SearchAudit) filed.")
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    added_at = models.DateTimeField(auto_now_add=True)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["added_at", "id"]
        constraints = [models.UniqueConstraint(fields=["case", "search_audit_id"], name="case_search_once")]

    def __str__(self) -> str:
        return f"Search {self.search_audit_id} in {self.case_id}"
