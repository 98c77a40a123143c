"""Camera deployment assessments, their privacy impact assessments, consultations and reviews."""

from django.conf import settings
from django.db import models

# The assessment's sections, in the order the form, the API and the record show them.
NEED = ("need", "alternatives", "expected_benefit")
PIA = (
    "data_captured",
    "people_affected",
    "necessity",
    "proportionality",
    "retention",
    "signage",
    "residual_risk",
)
# The sections a draft is written in, each saved on its own: name -> heading. Submission checks
# the whole (services.incomplete); each section's gaps are told apart (services.incomplete_sections).
SECTIONS = {
    "need": "The need",
    "factors": "The need against each national factor",
    "privacy": "Privacy impact assessment",
    "risks": "Risks to privacy",
    "consultation": "Consultation",
}


class Assessment(models.Model):
    """The case for deploying a camera (or changing a live one), with its privacy impact."""

    class Kind(models.TextChoices):
        NEW = "new", "New deployment"
        CHANGE = "change", "Change to a live camera"

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        SUBMITTED = "submitted", "Submitted"
        APPROVED = "approved", "Approved"
        REJECTED = "rejected", "Rejected"
        SUPERSEDED = "superseded", "Superseded"
        # A review moved or decommissioned the camera: the approval no longer puts it live.
        ENDED = "ended", "Ended by review"

    class Level(models.TextChoices):
        LOW = "low", "Low"
        MEDIUM = "medium", "Medium"
        HIGH = "high", "High"

    camera = models.ForeignKey("cameras.Camera", on_delete=models.PROTECT, related_name="assessments")
    kind = models.CharField(max_length=8, choices=Kind.choices, default=Kind.NEW)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_reason = models.TextField(blank=True)
    # The site assessed, taken from the camera when the assessment is submitted: an approval puts
    # the camera live there and nowhere else.
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)

    # The need
    need = models.TextField(help_text="The problem the camera addresses, in a few sentences.")
    factors = models.JSONField(default=dict, help_text="The need argued against each national factor.")
    alternatives = models.TextField(help_text="Other ways considered (patrols, other cameras) and why not.")
    expected_benefit = models.TextField(
        help_text="What the camera should achieve, and how it will be measured."
    )

    # Privacy impact assessment
    data_captured = models.TextField(help_text="What is captured: plates, images, times, place, occupants?")
    people_affected = models.TextField(help_text="Who passes the camera: residents, commuters, visitors.")
    necessity = models.TextField(help_text="Why the intrusion is necessary for the need above.")
    proportionality = models.TextField(help_text="Why it is proportionate: placement, field of view, hours.")
    retention = models.TextField(help_text="How long reads and images are kept, and why.")
    signage = models.TextField(help_text="How the public is told: signs, their wording and places.")
    residual_risk = models.CharField(max_length=6, choices=Level.choices, blank=True)

    # Consultation, or why there was none
    consultation_waiver = models.TextField(
        blank=True, help_text="If nobody was consulted: why consultation would defeat the purpose."
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        permissions = [("approve_assessment", "Can approve or reject assessments of others")]

    def __str__(self) -> str:
        return f"Assessment #{self.pk} for {self.camera.code} ({self.get_status_display()})"


class PrivacyRisk(models.Model):
    """A risk to privacy the deployment brings, how likely and severe, and its mitigation."""

    class Likelihood(models.TextChoices):
        REMOTE = "remote", "Remote"
        POSSIBLE = "possible", "Possible"
        PROBABLE = "probable", "Probable"

    class Severity(models.TextChoices):
        MINIMAL = "minimal", "Minimal"
        SIGNIFICANT = "significant", "Significant"
        SEVERE = "severe", "Severe"

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="risks")
    description = models.TextField()
    likelihood = models.CharField(max_length=8, choices=Likelihood.choices)
    severity = models.CharField(max_length=11, choices=Severity.choices)
    mitigation = models.TextField()
    residual = models.CharField(max_length=6, choices=Assessment.Level.choices)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.description[:60]


class Consultation(models.Model):
    """Someone consulted on the deployment, what they said, and the answer given."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="consultations")
    consultee = models.CharField(max_length=200, help_text="Person or organisation.")
    consulted_on = models.DateField()
    said = models.TextField(help_text="What they said.")
    response = models.TextField(help_text="How the assessment answers it.")

    class Meta:
        ordering = ["consulted_on", "id"]

    def __str__(self) -> str:
        return f"{self.consultee} ({self.consulted_on})"


class Review(models.Model):
    """A periodic review of a live camera: is the deployment still justified?"""

    class Outcome(models.TextChoices):
        KEEP = "keep", "Keep"
        MOVE = "move", "Move (a new assessment for the new site)"
        DECOMMISSION = "decommission", "Decommission"

    camera = models.ForeignKey("cameras.Camera", on_delete=models.PROTECT, related_name="reviews")
    assessment = models.ForeignKey(Assessment, on_delete=models.PROTECT, related_name="reviews")
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reviewed_at = models.DateTimeField(auto_now_add=True)
    factors = models.JSONField(default=dict, help_text="The need now, against each national factor.")
    privacy_impact = models.TextField(
        help_text="The privacy impact now: what has changed since the assessment."
    )
    outcome = models.CharField(max_length=12, choices=Outcome.choices)
    notes = models.TextField(blank=True)
    next_due = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["-reviewed_at", "-id"]

    def __str__(self) -> str:
        return f"Review of {self.camera.code}: {self.get_outcome_display()}"
