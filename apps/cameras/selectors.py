"""Reads of the camera registry."""

from django.db.models import QuerySet

from .models import Camera


def cameras_visible_to(user) -> QuerySet[Camera]:
    """Every camera, for anyone allowed to view the registry (locations are hidden elsewhere)."""
    if not user.has_perm("cameras.view_camera"):
        return Camera.objects.none()
    return Camera.objects.all()


def areas() -> list[str]:
    return list(Camera.objects.order_by("area").values_list("area", flat=True).distinct())
