"""Reads of the camera registry."""

from datetime import date
from itertools import groupby

from django.db.models import Count, QuerySet

from apps.core.months import as_moment, month_after
from apps.core.users import User

from .models import Camera, CameraStatusChange


def cameras_visible_to(user: User) -> QuerySet[Camera]:
    """Every camera, for anyone allowed to view the registry (locations are hidden elsewhere)."""
    if not user.has_perm("cameras.view_camera"):
        return Camera.objects.none()
    return Camera.objects.all()


def areas() -> list[str]:
    return list(Camera.objects.order_by("area").values_list("area", flat=True).distinct())


def live_cameras_per_month(months: list[date]) -> dict[date, dict[str, int] | None]:
    """Per UTC month (consecutive, oldest first), how many cameras were live at any moment in
    it, per kind: counts from the status history, nothing of where. None for a month that
    ended before the history began: not known, rather than none."""
    end = as_moment(month_after(months[-1]))
    history = list(
        CameraStatusChange.objects.filter(since__lt=end)
        .order_by("camera_id", "since", "id")
        .values_list("camera_id", "status", "kind", "since")
    )
    began = min((since for *_, since in history), default=None)
    counted = {
        month: dict.fromkeys(Camera.Kind.values, 0)
        if began and began < as_moment(month_after(month))
        else None
        for month in months
    }
    for _, camera_changes in groupby(history, key=lambda change: change[0]):
        changes = list(camera_changes)
        live: set[tuple[date, str]] = set()
        for (_, status, kind, since), following in zip(changes, [*changes[1:], None], strict=True):
            until = following[3] if following else end
            if status != Camera.Status.LIVE or until == since:
                continue
            live.update(
                (month, kind)
                for month in months
                if since < as_moment(month_after(month)) and until > as_moment(month)
            )
        for month, kind in live:
            per_kind = counted[month]
            assert per_kind is not None  # a month it was live in is after the history began
            per_kind[kind] += 1
    return counted


def live_cameras_by_kind() -> dict[str, int]:
    """How many cameras are live now, per kind (every kind, even none): counts, nothing of where."""
    live = dict(
        Camera.objects.filter(status=Camera.Status.LIVE).order_by().values_list("kind").annotate(n=Count("*"))
    )
    return {kind: live.get(kind, 0) for kind in Camera.Kind.values}
