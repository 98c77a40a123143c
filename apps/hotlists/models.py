"""Hotlists of vehicles of interest, their entries, the alerts reads raise against them, and the
cloned-plate suspicions some of those alerts raise in turn."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from apps.reads.journey import implausible_in_words


class Hotlist(models.Model):
    """A list of vehicles of interest from one source; covert lists' hits reach only their owners."""

    class Source(models.TextChoices):
        NATIONAL = "national", "National"
        LOCAL = "local", "Local"
        INTELLIGENCE = "intelligence", "Intelligence"

    class Priority(models.IntegerChoices):
        HIGH = 1, "High"
        MEDIUM = 2, "Medium"
        LOW = 3, "Low"

    name = models.CharField(max_length=100, unique=True)
    source = models.CharField(max_length=16, choices=Source.choices)
    priority = models.PositiveSmallIntegerField(choices=Priority.choices, default=Priority.MEDIUM)
    active = models.BooleanField(default=True)
    covert = models.BooleanField(default=False, help_text="Hits are shown only to this list's owners.")
    owners = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="owned_hotlists", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["priority", "name"]

    def __str__(self) -> str:
        return self.name


class HotlistEntry(models.Model):
    """A vehicle of interest: what to do on sight and why, until its weed (expiry) date."""

    class Reason(models.TextChoices):
        STOLEN = "stolen", "Stolen"
        NO_INSURANCE = "no_insurance", "No insurance"
        NO_TAX = "no_tax", "No tax"
        WANTED = "wanted", "Wanted"
        INTELLIGENCE = "intelligence", "Intelligence"
        MISSING_PERSON = "missing_person", "Missing person"

    class Action(models.TextChoices):
        STOP = "stop", "Stop"
        OBSERVE = "observe", "Observe"
        RECORD = "record", "Record only"

    hotlist = models.ForeignKey(Hotlist, on_delete=models.CASCADE, related_name="entries")
    vrm = models.CharField("plate", max_length=16, db_index=True)
    # A plate that is no British registration is taken only when marked as one (a person's word,
    # logged with the rest of the entry): apps/core/plate_formats.py.
    foreign = models.BooleanField(
        "foreign or diplomatic plate",
        default=False,
        help_text="Not a British registration: any 2 to 10 letters and digits.",
    )
    lookalike = models.CharField(max_length=16, db_index=True, editable=False)
    reason = models.CharField(max_length=16, choices=Reason.choices)
    action = models.CharField(max_length=8, choices=Action.choices)
    markers = models.JSONField(default=list, blank=True, help_text="Warning markers, e.g. weapons, violent.")
    information = models.TextField(blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    added_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(null=True, blank=True, help_text="After this it no longer matches.")

    class Meta:
        ordering = ["vrm"]
        verbose_name_plural = "hotlist entries"
        constraints = [
            models.UniqueConstraint(fields=["hotlist", "vrm"], name="one_entry_per_plate_per_list")
        ]

    def __str__(self) -> str:
        return f"{self.vrm} on {self.hotlist}"


class Alert(models.Model):
    """A read that matched a hotlist entry, with what the officer on the street did about it."""

    class Match(models.TextChoices):
        EXACT = "exact", "Exact"
        LOOKALIKE = "lookalike", "Look-alike"

    class Outcome(models.TextChoices):
        STOPPED = "stopped", "Vehicle stopped"
        NOT_FOUND = "not_found", "Not found"
        NO_ACTION = "no_action", "No action taken"
        FALSE_READ = "false_read", "False read"

    class Status(models.TextChoices):
        """Where an alert stands, and what the desk's status filter offers. Open: no outcome
        recorded yet, what waits for action; of those, new (nobody has acknowledged it) or
        acknowledged. Done: its outcome recorded (which acknowledges it too)."""

        OPEN = "open", "Open: no outcome yet"
        NEW = "new", "New: not acknowledged"
        ACKNOWLEDGED = "acknowledged", "Acknowledged, no outcome yet"
        DONE = "done", "Outcome recorded"

    # The read, by its key in the partitioned table (no foreign key: reads are dropped by day).
    read_id = models.BigIntegerField()
    read_seen_at = models.DateTimeField(db_index=True)
    vrm = models.CharField(max_length=16)
    plate_image = models.CharField(max_length=100, blank=True, help_text="The read's plate patch (evidence).")
    camera = models.ForeignKey("cameras.Camera", on_delete=models.PROTECT, related_name="+")
    hotlist = models.ForeignKey(Hotlist, on_delete=models.PROTECT, related_name="alerts")
    entry = models.ForeignKey(HotlistEntry, null=True, on_delete=models.SET_NULL, related_name="alerts")
    # What the entry said when the alert was raised, kept if the entry later changes or is weeded.
    entry_vrm = models.CharField(max_length=16)
    reason = models.CharField(max_length=16, choices=HotlistEntry.Reason.choices)
    action = models.CharField(max_length=8, choices=HotlistEntry.Action.choices)
    markers = models.JSONField(default=list, blank=True)
    information = models.TextField(blank=True)
    match = models.CharField(max_length=10, choices=Match.choices)
    priority = models.PositiveSmallIntegerField(help_text="1 is most urgent; look-alikes rank one lower.")
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    historic = models.BooleanField(
        default=False,
        help_text="Its read arrived over ALERT_LIVE_MAX_AGE_MINUTES old: not sent live; owners only.",
    )
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(max_length=12, choices=Outcome.choices, blank=True)
    outcome_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    outcome_at = models.DateTimeField(null=True, blank=True)
    outcome_notes = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["read_id", "read_seen_at", "entry"], name="one_alert_per_read_and_entry"
            )
        ]

    def __str__(self) -> str:
        return f"{self.vrm} matched {self.entry_vrm} ({self.hotlist})"

    @staticmethod
    def in_status(status: str) -> Q:
        """The alerts in one Status, as a filter (the rule `status_shown` follows for one alert)."""
        return {
            Alert.Status.OPEN: Q(outcome=""),
            Alert.Status.NEW: Q(acknowledged_at__isnull=True, outcome=""),
            Alert.Status.ACKNOWLEDGED: Q(acknowledged_at__isnull=False, outcome=""),
            Alert.Status.DONE: ~Q(outcome=""),
        }[Alert.Status(status)]

    @property
    def status_shown(self) -> str:
        """Where the alert stands as the desk shows it: New, Acknowledged, or the outcome itself."""
        if self.outcome:
            return self.get_outcome_display()
        return "Acknowledged" if self.acknowledged_at else "New"


class ClonedPlateSuspicion(models.Model):
    """A hit whose plate was read, shortly before, too far away to have got there in the time
    (apps/reads/journey.py): perhaps two vehicles carry the plate. Raised on ingest for the list's
    owners to review (apps/hotlists/cloned_plates.py)."""

    class Outcome(models.TextChoices):
        CLONED = "cloned", "Cloned plate: two vehicles carry it"
        MISREAD = "misread", "One of the reads is a misread"
        CLOCK_OR_PLACE = "clock_or_place", "A camera's clock or position is wrong"
        NOT_CLONED = "not_cloned", "Not a clone (say why in the notes)"

    # The later read is the alert's; the earlier one by its key (reads are dropped by day).
    alert = models.OneToOneField(Alert, on_delete=models.CASCADE, related_name="cloned_plate")
    earlier_read_id = models.BigIntegerField()
    earlier_read_seen_at = models.DateTimeField(db_index=True)
    earlier_camera = models.ForeignKey("cameras.Camera", on_delete=models.PROTECT, related_name="+")
    distance_km = models.FloatField(help_text="Straight-line distance between the two reads.")
    elapsed_s = models.FloatField(help_text="Seconds from the earlier read to the alert's.")
    speed_kmh = models.FloatField(null=True, help_text="The speed needed; none when no time passed.")
    created_at = models.DateTimeField(auto_now_add=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(max_length=16, choices=Outcome.choices, blank=True)
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        # No plate, place or time: this is what the change log keeps of it (read data is not kept there).
        return f"Cloned-plate suspicion {self.pk}"

    @property
    def warning(self) -> str:
        return implausible_in_words(self.distance_km, self.elapsed_s, self.speed_kmh)
