"""Which video jobs a user may see: their own (administrators: everyone's)."""

from django.db.models import QuerySet

from .models import VideoJob


def video_jobs_for(user) -> QuerySet[VideoJob]:
    jobs = VideoJob.objects.select_related("camera", "uploaded_by")
    if user.has_perm("recognition.view_all_videojobs"):
        return jobs
    return jobs.filter(uploaded_by=user)
