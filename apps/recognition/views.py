"""Portal pages: upload a video and see your jobs; a job's page with live progress."""

from datetime import timedelta

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from anpr_site.body_limits import body_limit
from apps.accounts.access import requires
from apps.cameras.disclosure import camera_as_disclosed

from . import services
from .forms import VideoUploadForm
from .selectors import video_jobs_for


@requires("recognition.add_videojob")
@body_limit("RECOGNITION_VIDEO_MAX_BYTES")
def video_list(request):
    form = VideoUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            job, created = services.video_job_create(
                upload=data["file"],
                camera_code=data["camera"].code,
                recorded_at=data["recorded_at"],
                latitude=data["latitude"],
                longitude=data["longitude"],
                uploaded_by=request.user,
            )
        except ValidationError as invalid:
            for field, errors in invalid.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            if not created:
                messages.info(request, "You uploaded this video before; here is its job.")
            return redirect("recognition:detail", pk=job.pk)
    jobs = video_jobs_for(request.user)[:100]
    return render(request, "recognition/video_list.html", {"form": form, "jobs": jobs})


@requires("recognition.view_videojob")
def video_detail(request, pk: int):
    job = get_object_or_404(video_jobs_for(request.user), pk=pk)
    context = {
        "job": job,
        "camera": camera_as_disclosed(job.camera, request.user),
        "search_criteria": _reads_search_criteria(job),
    }
    return render(request, "recognition/video_detail.html", context)


@require_POST
@requires("recognition.add_videojob")
def video_retry(request, pk: int):
    job = get_object_or_404(video_jobs_for(request.user), pk=pk)
    try:
        services.video_job_retry(job=job)
    except ValidationError as invalid:
        messages.error(request, " ".join(invalid.messages))
    else:
        messages.success(request, "The job is queued again.")
    return redirect("recognition:detail", pk=job.pk)


def _reads_search_criteria(job) -> dict:
    """The reads search, narrowed to this video's camera and time span; posted to the search page
    to fill its form (never in an address), where the officer gives a purpose."""
    start = timezone.localtime(job.recorded_at).replace(second=0, microsecond=0)
    end = timezone.localtime(job.recorded_at + timedelta(seconds=(job.duration or 0) + 60)).replace(
        second=0, microsecond=0
    )
    return {
        "camera": job.camera.code,
        "seen_after": start.strftime("%Y-%m-%dT%H:%M"),
        "seen_before": end.strftime("%Y-%m-%dT%H:%M"),
        "reference": f"VIDEO-{job.pk}",
    }
