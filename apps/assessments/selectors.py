"""Reading assessments and the review calendar."""

from datetime import date, datetime, timedelta

from django.db.models import Exists, OuterRef, QuerySet

from apps.cameras.models import Camera
from apps.core.months import count_per_month
from apps.core.users import User

from .models import Assessment, Review

DUE_SOON_DAYS = 30


def assessments_visible_to(user: User) -> QuerySet[Assessment]:
    # Everyone who may see assessments sees them all: they are the force's decision records.
    if not user.has_perm("assessments.view_assessment"):
        return Assessment.objects.none()
    return Assessment.objects.select_related("camera", "author", "decided_by")


def approved_assessment_for(camera: Camera) -> Assessment | None:
    """The approved assessment of the site the camera stands at: what it may be live under (None:
    it may not be live, even if an approval of another site is still on record)."""
    if camera.pk is None or camera.latitude is None or camera.longitude is None:
        return None
    return Assessment.objects.filter(
        camera=camera,
        status=Assessment.Status.APPROVED,
        latitude=camera.latitude,
        longitude=camera.longitude,
    ).first()


def was_assessed(camera: Camera) -> bool:
    """Whether the camera was ever put forward as a fixed site (an assessment submitted)."""
    return Assessment.objects.filter(camera=camera).exclude(status=Assessment.Status.DRAFT).exists()


def awaiting_decision(user: User) -> QuerySet[Assessment]:
    """Submitted assessments this user may decide (never their own)."""
    if not user.has_perm("assessments.approve_assessment"):
        return Assessment.objects.none()
    return assessments_visible_to(user).filter(status=Assessment.Status.SUBMITTED).exclude(author=user)


def assessments_submitted(user: User) -> QuerySet[Assessment]:
    """Submitted assessments waiting for a supervisor's decision, whoever may decide them."""
    return assessments_visible_to(user).filter(status=Assessment.Status.SUBMITTED)


def cameras_awaiting_assessment() -> QuerySet[Camera]:
    """Proposed fixed cameras with no approved assessment of the site they stand at: they may
    not go live until one is approved (the rule of `approved_assessment_for`)."""
    approved_here = Assessment.objects.filter(
        camera=OuterRef("pk"),
        status=Assessment.Status.APPROVED,
        latitude=OuterRef("latitude"),
        longitude=OuterRef("longitude"),
    )
    return Camera.objects.filter(kind=Camera.Kind.FIXED, status=Camera.Status.PROPOSED).exclude(
        Exists(approved_here)
    )


def reviews_due(today: date) -> QuerySet[Camera]:
    """Live fixed cameras whose review is overdue or due within DUE_SOON_DAYS, soonest first."""
    return Camera.objects.filter(
        kind=Camera.Kind.FIXED,
        status=Camera.Status.LIVE,
        review_due__lte=today + timedelta(days=DUE_SOON_DAYS),
    ).order_by("review_due", "code")


def review_overdue(camera: Camera, today: date) -> bool:
    return bool(
        camera.kind == Camera.Kind.FIXED
        and camera.status == Camera.Status.LIVE
        and camera.review_due
        and camera.review_due < today
    )


# Approved, and still so or since superseded or ended by a review: every one was once approved.
ONCE_APPROVED = (Assessment.Status.APPROVED, Assessment.Status.SUPERSEDED, Assessment.Status.ENDED)


def approvals_per_month(since: datetime) -> dict[date, int]:
    """Assessments approved since a moment, per UTC month of the decision."""
    approved = Assessment.objects.filter(status__in=ONCE_APPROVED, decided_at__gte=since)
    return count_per_month(approved, "decided_at")


def reviews_per_month(since: datetime) -> dict[date, int]:
    """Reviews of live cameras done since a moment, per UTC month."""
    return count_per_month(Review.objects.filter(reviewed_at__gte=since), "reviewed_at")


def reviews_overdue(today: date) -> int:
    """Live fixed cameras whose review is overdue today (the rule of `review_overdue`)."""
    return reviews_due(today).filter(review_due__lt=today).count()
