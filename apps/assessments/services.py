"""Every change to assessments and reviews. Field changes are logged by django-auditlog.

The workflow: a planner drafts an assessment, submits it (which records the site assessed: where
the camera stands); an approver other than its author approves or rejects it with reasons.
Approval supersedes the camera's earlier approved assessment and puts a proposed (or suspended)
camera live at that site; a review that moves or decommissions the camera ends the approval.
Whether a camera may be live is decided in one place, cameras.services, which approval passes.
"""

from collections.abc import Iterable, Mapping, Sequence
from datetime import date, timedelta
from typing import TypedDict, Unpack

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Manager
from django.utils import timezone

from apps.cameras.models import Camera
from apps.cameras.services import CameraChange, camera_update
from apps.core.times import shown_day
from apps.core.users import User

from .factors import NO_CLEAR_NEED, Factors, factor_problems, shows_clear_need
from .models import NEED, PIA, Assessment, Consultation, PrivacyRisk, Review
from .selectors import approved_assessment_for

APPROVE = "assessments.approve_assessment"
# What the author writes.
FIELDS = (*NEED, "factors", *PIA, "consultation_waiver")


class AssessmentFields(TypedDict, total=False):
    """What the author writes (FIELDS), each optional: a draft is saved incomplete, and a text
    given as None is kept empty."""

    need: str | None
    alternatives: str | None
    expected_benefit: str | None
    factors: Factors
    data_captured: str | None
    people_affected: str | None
    necessity: str | None
    proportionality: str | None
    retention: str | None
    signage: str | None
    residual_risk: str | None
    consultation_waiver: str | None


class RiskRow(TypedDict):
    """A privacy risk as the author lists it (PrivacyRisk's fields)."""

    description: str
    likelihood: str
    severity: str
    mitigation: str
    residual: str


class ConsultationRow(TypedDict):
    """A consultation as the author records it (Consultation's fields)."""

    consultee: str
    consulted_on: date
    said: str
    response: str


@transaction.atomic
def assessment_create(
    *,
    camera: Camera,
    author: User,
    risks: Sequence[RiskRow] = (),
    consultations: Sequence[ConsultationRow] = (),
    **fields: Unpack[AssessmentFields],
) -> Assessment:
    """Draft an assessment for a fixed camera: a new deployment, or a change to a live one."""
    _check_assessable(camera)
    if Assessment.objects.filter(
        camera=camera, status__in=[Assessment.Status.DRAFT, Assessment.Status.SUBMITTED]
    ).exists():
        raise ValidationError({"camera": f"Camera {camera.code} already has an assessment in progress."})
    kind = Assessment.Kind.CHANGE if camera.status == Camera.Status.LIVE else Assessment.Kind.NEW
    assessment = Assessment(camera=camera, author=author, kind=kind)
    _apply(assessment, fields, risks, consultations)
    return assessment


@transaction.atomic
def assessment_update(
    *,
    assessment: Assessment,
    actor: User,
    risks: Sequence[RiskRow] | None = None,
    consultations: Sequence[ConsultationRow] | None = None,
    **fields: Unpack[AssessmentFields],
) -> Assessment:
    """Change a draft; only its author may, and only while it is a draft. What is not given is
    left as it was (risks and consultations too, unless a list is given), so the draft can be
    saved a section at a time."""
    _lock(assessment)
    if assessment.author_id != actor.pk:
        raise PermissionDenied("Only the author changes an assessment.")
    if assessment.status != Assessment.Status.DRAFT:
        raise ValidationError("Only a draft can be changed; a decided assessment is a record.")
    _apply(assessment, fields, risks, consultations)
    return assessment


@transaction.atomic
def assessment_submit(*, assessment: Assessment, actor: User) -> Assessment:
    """Send a complete draft for decision; it assesses the site the camera stands at now."""
    camera = Camera.objects.select_for_update().get(pk=assessment.camera_id)
    _lock(assessment)
    if assessment.author_id != actor.pk:
        raise PermissionDenied("Only the author submits an assessment.")
    if assessment.status != Assessment.Status.DRAFT:
        raise ValidationError("Only a draft can be submitted.")
    _check_assessable(camera)
    problems = incomplete(assessment)
    if problems:
        raise ValidationError(problems)
    assessment.status, assessment.submitted_at = Assessment.Status.SUBMITTED, timezone.now()
    assessment.latitude, assessment.longitude = camera.latitude, camera.longitude
    assessment.save(update_fields=["status", "submitted_at", "latitude", "longitude", "updated_at"])
    return assessment


@transaction.atomic
def assessment_approve(*, assessment: Assessment, approver: User, reason: str) -> Assessment:
    """Approve: the earlier approval is superseded and the camera may be (and is) live at the site
    assessed. Refused if the camera has moved since submission, or a review has since moved it."""
    # The camera is locked before the assessment, in the order review_record takes them.
    camera = assessment.camera = Camera.objects.select_for_update().get(pk=assessment.camera_id)
    _decide(assessment, approver, reason, Assessment.Status.APPROVED)
    _check_assessable(camera)
    _check_still_the_site(assessment, camera)
    Assessment.objects.filter(camera=camera, status=Assessment.Status.APPROVED).exclude(
        pk=assessment.pk
    ).update(status=Assessment.Status.SUPERSEDED)
    changes: CameraChange = {"review_due": next_review_due(timezone.localdate())}
    if camera.status in (Camera.Status.PROPOSED, Camera.Status.SUSPENDED):
        changes["status"] = Camera.Status.LIVE
    camera_update(camera=camera, **changes)
    return assessment


@transaction.atomic
def assessment_reject(*, assessment: Assessment, approver: User, reason: str) -> Assessment:
    """Reject with reasons; the planner drafts a new assessment to try again."""
    return _decide(assessment, approver, reason, Assessment.Status.REJECTED)


@transaction.atomic
def review_record(
    *, camera: Camera, reviewer: User, factors: Factors, privacy_impact: str, outcome: str, notes: str = ""
) -> Review:
    """Review a live camera: keep it (next review set), or move or decommission it, which ends the
    approval it was live under: only a new approval puts it live again."""
    camera = Camera.objects.select_for_update().get(pk=camera.pk)
    current = approved_assessment_for(camera)
    if camera.status != Camera.Status.LIVE or current is None:
        raise ValidationError("Only a live camera with an approved assessment is reviewed.")
    errors: dict[str, list[str]] = {}
    problems = factor_problems(factors)
    if not problems and outcome == Review.Outcome.KEEP and not shows_clear_need(factors):
        problems = [NO_CLEAR_NEED]  # without a clear need a camera may be moved or removed, not kept
    if problems:
        errors["factors"] = problems
    if not privacy_impact.strip():
        errors["privacy_impact"] = ["Say what the privacy impact is now."]
    if outcome not in Review.Outcome.values:
        errors["outcome"] = ["Choose keep, move or decommission."]
    if errors:
        raise ValidationError(errors)
    next_due = next_review_due(timezone.localdate()) if outcome == Review.Outcome.KEEP else None
    review = Review.objects.create(
        camera=camera,
        assessment=current,
        reviewer=reviewer,
        factors=factors,
        privacy_impact=privacy_impact,
        outcome=outcome,
        notes=notes,
        next_due=next_due,
    )
    if outcome != Review.Outcome.KEEP:
        current.status = Assessment.Status.ENDED
        current.save(update_fields=["status", "updated_at"])
    next_status: dict[str, str] = {
        Review.Outcome.KEEP: Camera.Status.LIVE,
        # A camera to be moved stops until the new site's assessment is approved.
        Review.Outcome.MOVE: Camera.Status.SUSPENDED,
        Review.Outcome.DECOMMISSION: Camera.Status.DECOMMISSIONED,
    }
    status = next_status[outcome]
    camera_update(camera=camera, status=status, review_due=next_due)
    return review


def next_review_due(today: date) -> date:
    return today + timedelta(days=settings.CAMERA_REVIEW_INTERVAL_DAYS)


def incomplete(assessment: Assessment) -> list[str]:
    """What a draft still lacks before it can be submitted."""
    return [problem for problems in incomplete_sections(assessment).values() for problem in problems]


def incomplete_sections(assessment: Assessment) -> dict[str, list[str]]:
    """What each section of a draft still lacks, by the names of models.SECTIONS, in their order;
    an empty list for a complete section."""
    labels = {f.name: f.verbose_name for f in Assessment._meta.fields}

    def missing(names: Iterable[str]) -> list[str]:
        return [
            f"{labels[name].capitalize()} is missing."
            for name in names
            if not getattr(assessment, name).strip()
        ]

    factors = factor_problems(assessment.factors)
    if not factors and not shows_clear_need(assessment.factors):
        factors = [NO_CLEAR_NEED]
    privacy = missing(name for name in PIA if name != "residual_risk")
    if not assessment.residual_risk:
        privacy.append("Give the overall residual risk to privacy.")
    return {
        "need": missing(NEED),
        "factors": factors,
        "privacy": privacy,
        "risks": [] if assessment.risks.exists() else ["List at least one privacy risk with its mitigation."],
        "consultation": []
        if assessment.consultations.exists() or assessment.consultation_waiver.strip()
        else ["Record who was consulted, or why consultation would defeat the purpose."],
    }


def _check_assessable(camera: Camera) -> None:
    if camera.kind != Camera.Kind.FIXED:
        raise ValidationError({"camera": "Only fixed cameras are assessed; vehicle-mounted ones are not."})
    if camera.status == Camera.Status.DECOMMISSIONED:
        raise ValidationError({"camera": f"Camera {camera.code} is decommissioned."})


def _check_still_the_site(assessment: Assessment, camera: Camera) -> None:
    """An approval is of the site submitted; the camera must still stand there, with no review since
    deciding to move it."""
    if (assessment.latitude, assessment.longitude) != (camera.latitude, camera.longitude):
        raise ValidationError(
            f"Camera {camera.code} has moved since this assessment was submitted, so it assesses the "
            "old site: reject it and submit an assessment of the new site."
        )
    moved = Review.objects.filter(
        camera=camera, outcome=Review.Outcome.MOVE, reviewed_at__gt=assessment.submitted_at
    ).first()
    if moved is not None:
        raise ValidationError(
            f"A review on {shown_day(moved.reviewed_at)} decided to move camera "
            f"{camera.code} after this assessment was submitted: reject it and submit an assessment of "
            "the new site."
        )


def _apply(
    assessment: Assessment,
    fields: Mapping[str, object],
    risks: Sequence[RiskRow] | None,
    consultations: Sequence[ConsultationRow] | None,
) -> None:
    for name in FIELDS:
        if name in fields:
            setattr(assessment, name, fields[name] if fields[name] is not None else "")
    assessment.save()
    if risks is not None:
        _replace_rows(assessment.risks, PrivacyRisk, assessment, list(risks))
    if consultations is not None:
        _replace_rows(assessment.consultations, Consultation, assessment, list(consultations))


def _replace_rows[Row: (PrivacyRisk, Consultation)](
    related: Manager[Row], model: type[Row], assessment: Assessment, rows: Sequence[Mapping[str, object]]
) -> None:
    """Replace a draft's risks or consultations; unchanged rows are left alone (and unlogged)."""
    names = [f.name for f in model._meta.fields if f.name not in ("id", "assessment")]
    if list(related.values(*names)) == [{name: row.get(name) for name in names} for row in rows]:
        return
    for old in related.all():
        old.delete()  # one by one, so that the change log records each removal
    for row in rows:
        model.objects.create(assessment=assessment, **row)


def _decide(assessment: Assessment, approver: User, reason: str, status: str) -> Assessment:
    _lock(assessment)
    if not approver.has_perm(APPROVE):
        raise PermissionDenied("You may not decide assessments.")
    if assessment.author_id == approver.pk:
        raise PermissionDenied("An assessment is decided by someone other than its author.")
    if assessment.status != Assessment.Status.SUBMITTED:
        raise ValidationError(f"This assessment is {assessment.get_status_display().lower()}, not submitted.")
    if not reason.strip():
        raise ValidationError({"reason": "Give the reasons for the decision."})
    assessment.status, assessment.decided_by = status, approver
    assessment.decided_at, assessment.decision_reason = timezone.now(), reason.strip()
    assessment.save(update_fields=["status", "decided_by", "decided_at", "decision_reason", "updated_at"])
    return assessment


def _lock(assessment: Assessment) -> None:
    locked = Assessment.objects.select_for_update().get(pk=assessment.pk)
    assessment.status, assessment.author_id = locked.status, locked.author_id
