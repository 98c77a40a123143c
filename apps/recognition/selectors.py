"""Which video jobs a user may see: their own. Footage shows every plate in view, so no role
is granted recognition.view_all_videojobs by default (apps/accounts/roles.py)."""

from django.db.models import QuerySet

from apps.core.users import User

from .models import VideoJob


def video_jobs_for(user: User) -> QuerySet[VideoJob]:
    jobs = VideoJob.objects.select_related("camera", "uploaded_by")
    if user.has_perm("recognition.view_all_videojobs"):
        return jobs
    return jobs.filter(uploaded_by=user)
