"""Video files: checking that an upload is a video we can decode, and decoding its frames."""

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import av
import numpy as np

# A file that decodes to fewer frames than its header promises has been cut short.
COMPLETE_SHARE = 0.9
# The largest frame accepted (8K UHD). A small file can declare frames of any size, and
# decoding them would take gigabytes (an image bomb): larger ones are refused before
# decoding, and the decoder itself refuses any that a stream declares later on.
MAX_PIXELS = 7680 * 4320
# What FFmpeg may open: the containers the upload accepts (MP4/MOV, MKV/WebM, AVI, MPEG-TS, by
# their demuxers' names) and local files only. Some formats name further files or URLs (an
# HLS playlist, an ffconcat list): FFmpeg would follow them and decode another local file, or
# fetch one from the network, as if it were the footage.
CONTAINERS = "mov,mp4,matroska,webm,avi,mpegts"
OPEN_ONLY = {"format_whitelist": CONTAINERS, "protocol_whitelist": "file"}


class VideoRejected(ValueError):
    """The file is not a video we can read, or is damaged; the message says why."""


@dataclass(frozen=True)
class VideoInfo:
    frames: int
    fps: float
    width: int
    height: int

    @property
    def duration(self) -> float:
        return self.frames / self.fps if self.fps else 0.0


def probe(path: Path) -> VideoInfo:
    """What the file holds, checked by decoding its first frame (never by its name)."""
    if path.stat().st_size == 0:
        raise VideoRejected("The file is empty.")
    try:
        with _open(path) as container:
            if not container.streams.video:
                raise VideoRejected("The file holds no video stream.")
            stream = container.streams.video[0]
            if stream.codec_context is None:
                raise VideoRejected("The video is in a format that cannot be decoded.")
            _check_frame_size(stream.codec_context.width, stream.codec_context.height)
            fps = float(stream.average_rate or stream.guessed_rate or 0)
            frames = stream.frames or round(
                float(stream.duration * stream.time_base) * fps if stream.duration else 0
            )
            if not frames and container.duration:
                frames = round(container.duration / av.time_base * fps)
            first = next(container.decode(stream), None)
            if first is None:
                raise VideoRejected("The video has no frame that can be decoded.")
            if not fps or not frames:
                raise VideoRejected("The video does not say how long it is or at what frame rate.")
            return VideoInfo(frames=frames, fps=fps, width=first.width, height=first.height)
    except VideoRejected:
        raise
    except (av.error.FFmpegError, OSError, ValueError) as error:
        raise VideoRejected(f"The file is not a video that can be read ({_reason(error)}).") from None


def frames(path: Path, *, every: int) -> Iterator[tuple[int, float, np.ndarray]]:
    """Every `every`-th frame as (index, seconds from the start, BGR pixels); all are decoded."""
    info = probe(path)
    index = -1
    try:
        with _open(path) as container:
            stream = container.streams.video[0]
            stream.thread_type = "AUTO"  # frame and slice threads: decoding keeps up on two cores
            for index, frame in enumerate(container.decode(stream)):
                if index % every == 0:
                    yield index, index / info.fps, frame.to_ndarray(format="bgr24")
    except (av.error.FFmpegError, OSError) as error:
        raise VideoRejected(f"The video is damaged after frame {index + 1} ({_reason(error)}).") from None
    if index + 1 < COMPLETE_SHARE * info.frames:
        raise VideoRejected(
            f"The video ends after {index + 1} of the {info.frames} frames it declares: it is truncated."
        )


def _open(path: Path):
    """The file, opened as one of CONTAINERS, with its decoders told to refuse frames over MAX_PIXELS."""
    limit = {"max_pixels": str(MAX_PIXELS)}
    try:
        container = av.open(str(path), options=limit, container_options=OPEN_ONLY)
    except av.error.ArgumentError:  # FFmpeg's answer to a format or protocol not on the list
        raise VideoRejected(
            "The file is not in an accepted container (MP4, MOV, MKV, WebM, AVI or MPEG-TS); "
            "playlists and lists of other files are refused."
        ) from None
    for stream in container.streams.video:
        if stream.codec_context is not None:  # None: no decoder (probe refuses the file)
            stream.codec_context.options = limit
    return container


def _check_frame_size(width: int, height: int) -> None:
    if width * height > MAX_PIXELS:
        raise VideoRejected(
            f"The video's frames are {width} x {height} pixels; the largest accepted are 7680 x 4320 (8K)."
        )


def _reason(error: Exception) -> str:
    return getattr(error, "strerror", None) or str(error)
