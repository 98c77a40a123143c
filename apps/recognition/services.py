"""Video jobs: accepting an upload, and recognising it into reads (the task calls this)."""

import hashlib
import logging
import tempfile
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from pathlib import Path

from celery import Task, current_app
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.utils import timezone

from apps.cameras.models import Camera, clean_code
from apps.core.users import User
from apps.reads.evidence import check_image
from apps.reads.models import Read
from apps.reads.services import BatchErrors, BatchRejected, ReadInput, capture_faults, reads_ingest

from .footage import TrackRead, recognise_video
from .models import VideoJob
from .video import VideoRejected, probe

log = logging.getLogger(__name__)
INGEST_BATCH = 500
# Kept in the broker (Redis): while it is there, so is every message sent since it was set.
BROKER_MARK = "anpr:recognition:broker-mark"
# A capture fault's field (apps/reads/services.py capture_faults) as the upload names it.
UPLOAD_FIELDS = {"seen_at": "recorded_at"}


RECOGNISE_VIDEO_JOB = "apps.recognition.tasks.recognise_video_job"

# An uploaded video, read as bytes (a `type` statement: Django's File takes no [] when running).
type Upload = File[bytes]


def video_job_create(
    *,
    upload: Upload,
    camera_code: str,
    recorded_at: datetime,
    uploaded_by: User,
    latitude: float | None = None,
    longitude: float | None = None,
) -> tuple[VideoJob, bool]:
    """Check an upload and queue it. The same video posted again by the same user returns their
    first job; another user's copy becomes a job of their own (a job shows its uploader, file
    name and results), whose reads the ingest stores once however many jobs find them."""
    limit = settings.RECOGNITION_VIDEO_MAX_BYTES
    if upload.size > limit:
        raise ValidationError({"file": f"The file is {upload.size:,} bytes; the limit is {limit:,}."})
    camera = _camera_for_video(camera_code, recorded_at, latitude, longitude)
    with _on_disk(upload) as path:
        try:
            info = probe(path)
        except VideoRejected as rejected:
            raise ValidationError({"file": str(rejected)}) from None
        digest = _sha256(path)
    same_video = {"sha256": digest, "camera": camera, "recorded_at": recorded_at, "uploaded_by": uploaded_by}
    existing = VideoJob.objects.filter(**same_video).first()
    if existing and existing.file:
        return existing, False
    upload.seek(0)
    if existing:  # its footage was removed by retention: take this copy and recognise it again
        return _reattach(existing, upload), True
    job = VideoJob(
        camera=camera,
        recorded_at=recorded_at,
        latitude=latitude,
        longitude=longitude,
        original_name=Path(upload.name or "video").name[:255],
        size=upload.size,
        sha256=digest,
        uploaded_by=uploaded_by,
        frames_total=info.frames,
        duration=info.duration,
    )
    _store_upload(job, upload)
    try:
        with transaction.atomic():
            job.save()
    except IntegrityError:  # the same video, posted twice at once by this user: the other post won
        job.file.delete(save=False)
        return VideoJob.objects.get(**same_video), False
    _enqueue(job)
    return job, True


def video_job_retry(*, job: VideoJob) -> VideoJob:
    """Queue a failed job again (after a fault outside the file, such as a database restart)."""
    if job.status != VideoJob.Status.FAILED:
        raise ValidationError("Only a failed job can be tried again.")
    if not job.file:
        raise ValidationError("The video was deleted when its retention period ended; upload it again.")
    job.status, job.error, job.frames_done = VideoJob.Status.QUEUED, "", 0
    job.save(update_fields=["status", "error", "frames_done"])
    _enqueue(job)
    return job


def video_job_process(*, job_id: int) -> None:
    """Recognise a queued (or interrupted) job's video and store its reads, once."""
    with transaction.atomic():
        job = VideoJob.objects.select_for_update().select_related("camera").filter(pk=job_id).first()
        if job is None or job.status == VideoJob.Status.DONE:
            return  # deleted, or a duplicate delivery of a job already done
        job.status, job.attempts, job.started_at = (
            VideoJob.Status.PROCESSING,
            job.attempts + 1,
            timezone.now(),
        )
        job.error, job.frames_done = "", 0
        job.save(update_fields=["status", "attempts", "started_at", "error", "frames_done"])
    try:
        with _stored_file(job) as path:
            result = recognise_video(
                path, countries=settings.RECOGNITION_COUNTRIES, on_progress=_progress_recorder(job.pk)
            )
        stored = _store_reads(job, result.tracks)
    except VideoRejected as rejected:
        _finish(job, VideoJob.Status.FAILED, error=str(rejected))
        return
    except BatchRejected as rejected:
        _finish(job, VideoJob.Status.FAILED, error=f"The reads were refused: {_summary(rejected.errors)}")
        return
    except Exception as error:
        # Recorded for the user; re-raised so the worker logs it and the message is not lost.
        log.exception("Video job %s failed", job.pk)
        if isinstance(error, DatabaseError):
            connection.close()  # broken (a restarted server): record the failure on a new one
        _finish(
            job,
            VideoJob.Status.FAILED,
            error=f"Recognition stopped by an internal error ({type(error).__name__}).",
        )
        raise
    timings = {stage: round(seconds, 2) for stage, seconds in result.timings.items()}
    timings["frames_examined"] = result.frames_examined
    _finish(
        job,
        VideoJob.Status.DONE,
        frames_done=result.info.frames,
        frames_total=result.info.frames,
        reads_found=len(result.tracks),
        reads_stored=stored,
        timings=timings,
    )


def video_files_remove_expired(*, now: datetime | None = None) -> int:
    """Delete the footage of jobs that ended more than RECOGNITION_VIDEO_RETENTION_DAYS ago."""
    now = now or timezone.now()
    cut_off = now - timedelta(days=settings.RECOGNITION_VIDEO_RETENTION_DAYS)
    removed = 0
    expired = VideoJob.objects.filter(finished_at__lt=cut_off, file_removed_at__isnull=True).exclude(file="")
    for job in expired:
        job.file.delete(save=False)  # already gone (an interrupted run): nothing to do
        VideoJob.objects.filter(pk=job.pk).update(file="", file_removed_at=now)
        removed += 1
    return removed


def video_jobs_requeue_lost() -> int:
    """Queue every unfinished job again if the broker has lost its messages since the last look
    (a Redis restarted without persistence, or flushed). Beat runs this every few minutes; a
    job delivered twice stores its reads once, and one already done is left alone."""
    unfinished = list(
        VideoJob.objects.filter(status__in=[VideoJob.Status.QUEUED, VideoJob.Status.PROCESSING])
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    with current_app.connection_for_write() as broker:
        if not broker.default_channel.client.set(BROKER_MARK, timezone.now().isoformat(), nx=True):
            return 0  # still marked: the broker holds every message sent since
    for job_id in unfinished:
        _recognise_video_job().delay(job_id)
    if unfinished:
        log.warning("The broker lost its messages: %s unfinished video jobs queued again", len(unfinished))
    return len(unfinished)


def read_id_for(job: VideoJob, track: TrackRead) -> uuid.UUID:
    """The same track of the same job always has the same read id: retries store nothing twice."""
    return uuid.uuid5(job.uuid, f"track-{track.number}")


def _store_reads(job: VideoJob, tracks: list[TrackRead]) -> int:
    items = [
        ReadInput(
            camera=job.camera.code,
            vrm=track.vrm,
            seen_at=job.recorded_at + timedelta(seconds=track.seconds),
            confidence=track.confidence,
            read_id=read_id_for(job, track),
            plate_image=check_image(track.plate_jpeg) if track.plate_jpeg else None,
            overview_image=check_image(track.overview_jpeg) if track.overview_jpeg else None,
            latitude=job.latitude,
            longitude=job.longitude,
            candidates=track.candidates,
            colour=track.colour,
        )
        for track in tracks
    ]
    stored = 0
    for start in range(0, len(items), INGEST_BATCH):
        stored += reads_ingest(items=items[start : start + INGEST_BATCH], source=Read.Source.VIDEO).stored
    return stored


def _reattach(job: VideoJob, upload: Upload) -> VideoJob:
    _store_upload(job, upload)
    job.file_removed_at, job.status, job.error, job.frames_done = None, VideoJob.Status.QUEUED, "", 0
    job.save(update_fields=["file", "file_removed_at", "status", "error", "frames_done"])
    _enqueue(job)
    return job


def _store_upload(job: VideoJob, upload: Upload) -> None:
    """Stream the upload into storage, named for the job (its original name is kept apart)."""
    job.file.save(f"{job.uuid}{Path(upload.name or '').suffix.lower()[:8]}", File(upload), save=False)


def _finish(job: VideoJob, status: str, **fields: object) -> None:
    VideoJob.objects.filter(pk=job.pk).update(status=status, finished_at=timezone.now(), **fields)


def _progress_recorder(job_id: int) -> Callable[[int, int], None]:
    def record(done: int, total: int) -> None:
        try:
            VideoJob.objects.filter(pk=job_id).update(frames_done=done, frames_total=total)
        except DatabaseError:  # the database is restarting: recognition goes on, progress resumes
            connection.close()

    return record


def _camera_for_video(
    code: str, recorded_at: datetime, latitude: float | None, longitude: float | None
) -> Camera:
    """The camera the video is of, held to the capture rules every read meets (its reads go
    through the same checks when stored): checked before the upload is kept and recognised."""
    camera = Camera.objects.filter(code=clean_code(code or "")).first()
    faults = capture_faults(
        camera,
        code=code,
        seen_at=recorded_at,
        latitude=latitude,
        longitude=longitude,
        source=Read.Source.VIDEO,
        now=timezone.now(),
    )
    if faults:
        raise ValidationError({UPLOAD_FIELDS.get(name, name): message for name, message in faults.items()})
    assert camera is not None  # an unknown camera is one of capture_faults' faults
    return camera


def _enqueue(job: VideoJob) -> None:
    transaction.on_commit(lambda: _recognise_video_job().delay(job.pk))


def _recognise_video_job() -> Task:  # Celery has no types: its tasks are Any
    # Found by name in the Celery app (the app's ready() registers it), so the services
    # never import their own tasks, which import the services.
    return current_app.tasks[RECOGNISE_VIDEO_JOB]


@contextmanager
def _on_disk(upload: Upload) -> Iterator[Path]:
    """A path to the upload: large uploads are already streamed to a temporary file."""
    if hasattr(upload, "temporary_file_path"):
        yield Path(upload.temporary_file_path())
        return
    with tempfile.NamedTemporaryFile(suffix=".upload") as copy:
        for chunk in upload.chunks():
            copy.write(chunk)
        copy.flush()
        yield Path(copy.name)


@contextmanager
def _stored_file(job: VideoJob) -> Iterator[Path]:
    name = job.file.name
    assert name is not None  # a job's file is stored when the job is made
    try:
        local = Path(default_storage.path(name))
    except NotImplementedError:  # remote storage: work on a local copy
        local = None
    if local:
        yield local
        return
    with tempfile.NamedTemporaryFile(suffix=Path(name).suffix) as copy:
        with default_storage.open(name) as source:
            for chunk in iter(lambda: source.read(1024 * 1024), b""):
                copy.write(chunk)
        copy.flush()
        yield Path(copy.name)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for chunk in iter(lambda: stream.read(1024 * 1024), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _summary(errors: BatchErrors) -> str:
    return "; ".join(
        f"{field}: {' '.join(messages)}" for item in errors.values() for field, messages in item.items()
    )
