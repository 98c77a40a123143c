"""Reads of the camera registry."""

from django.db.models import Count, QuerySet

from .models import Camera


def cameras_visible_to(user) -> QuerySet[Camera]:
    """Every camera, for anyone allowed to view the registry (locations are hidden elsewhere)."""
    if not user.has_perm("cameras.view_camera"):
        return Camera.objects.none()
    return Camera.objects.all()


def areas() -> list[str]:
    return list(Camera.objects.order_by("area").values_list("area", flat=True).distinct())


def live_cameras_by_kind() -> dict[str, int]:
    """How many cameras are live now, per kind (every kind, even none): counts, nothing of where."""
    live = dict(
        Camera.objects.filter(status=Camera.Status.LIVE).order_by().values_list("kind").annotate(n=Count("*"))
    )
    return {kind: live.get(kind, 0) for kind in Camera.Kind.values}
