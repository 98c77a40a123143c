"""The recognition pipeline on generated footage and pictures, without the database."""

import base64
import json
from pathlib import Path

import av
import cv2
import pytest
from django.core.management import CommandError, call_command

from apps.recognition import runtime
from apps.recognition import video as video_module
from apps.recognition.footage import recognise_video
from apps.recognition.ocr import ALPHABET
from apps.recognition.pictures import recognise_picture
from apps.recognition.synthetic import Passage, make_video
from apps.recognition.video import VideoRejected, frames, probe

from .helpers import PASSAGES, short_video

COUNTRIES = ("GB", "EU")


@pytest.fixture(scope="module")
def video(tmp_path_factory) -> Path:
    return short_video(tmp_path_factory.mktemp("video"))


@pytest.mark.models
def test_a_video_gives_one_read_per_passing_car_at_the_right_time(video):
    result = recognise_video(video, countries=COUNTRIES)
    assert [track.vrm for track in result.tracks] == [p.vrm for p in PASSAGES]
    for track, passage in zip(result.tracks, PASSAGES, strict=True):
        assert passage.start <= track.seconds <= passage.start + passage.duration
        assert track.first_frame <= track.frame <= track.last_frame
        assert track.confidence > 0.8
        assert cv2.imdecode(_array(track.plate_jpeg), cv2.IMREAD_COLOR).shape[1] == pytest.approx(
            track.box.w, abs=2
        )
        assert cv2.imdecode(_array(track.overview_jpeg), cv2.IMREAD_COLOR).shape[:2] == (480, 854)
    assert result.frames_examined < result.info.frames  # sampled, not every frame examined
    # The first car is drawn red, the second green (helpers.PASSAGES, BGR colours).
    assert [track.colour for track in result.tracks] == ["red", "green"]


@pytest.mark.models
def test_the_same_video_gives_the_same_tracks(video):
    first = [t.as_json() for t in recognise_video(video, countries=COUNTRIES).tracks]
    assert first == [t.as_json() for t in recognise_video(video, countries=COUNTRIES).tracks]


@pytest.mark.models
def test_progress_is_reported_up_to_the_last_frame(video):
    reports = []
    result = recognise_video(video, countries=COUNTRIES, on_progress=lambda done, total: reports.append(done))
    assert reports[-1] == result.info.frames
    assert reports == sorted(reports)


@pytest.mark.models
def test_a_picture_is_read(video, tmp_path):
    picture = _frame(video, 40)  # the first car, close to the camera
    (plate,) = [p for p in recognise_picture(picture, countries=COUNTRIES) if p.vrm]
    assert plate.vrm == "AB12CDE"
    assert plate.box.w > 40
    assert plate.colour == "red"


@pytest.mark.models
def test_the_recogniser_is_the_plate_recogniser_make_models_trained():
    # The general PP-OCRv6 recogniser knows 18,708 characters; the fine-tuned one only plates'.
    session = runtime.session(runtime.TEXT_RECOGNISER)
    assert session.get_modelmeta().custom_metadata_map["character"].split() == list(ALPHABET)
    assert session.get_outputs()[0].shape[-1] == len(ALPHABET) + 2  # with the blank and a space


@pytest.mark.models
def test_the_recognise_command_prints_one_json_line_per_file(video, tmp_path, capsys):
    picture = tmp_path / "car.png"
    cv2.imwrite(str(picture), _frame(video, 40))
    call_command("recognise", str(picture), str(video), "--json")
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [line["file"] for line in lines] == [str(picture), str(video)]
    assert [p["vrm"] for p in lines[0]["plates"]] == ["AB12CDE"]
    assert set(lines[0]["plates"][0]) == {"vrm", "confidence", "box", "candidates", "colour"}
    assert [p["colour"] for p in lines[1]["plates"]] == ["red", "green"]
    assert [p["vrm"] for p in lines[1]["plates"]] == ["AB12CDE", "XY65ZKT"]
    assert {"first_frame", "last_frame"} <= set(lines[1]["plates"][0])


def test_the_recognise_command_reports_files_it_cannot_read(tmp_path, capsys):
    text = tmp_path / "notes.mp4"
    text.write_text("not a video")
    with pytest.raises(CommandError, match="1 of 1"):
        call_command("recognise", str(text), "--json")
    assert "not a video that can be read" in json.loads(capsys.readouterr().out)["error"]


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"", "empty"),
        (b"%PDF-1.7\n1 0 obj <<>> endobj\n%%EOF\n", "not a video"),
        (bytes(range(256)) * 64, "not a video"),
    ],
)
def test_files_that_are_not_video_are_refused_by_content(tmp_path, content, reason):
    path = tmp_path / "upload.mp4"
    path.write_bytes(content)
    with pytest.raises(VideoRejected, match=reason):
        probe(path)


def test_a_video_cut_short_is_refused_when_decoded(tmp_path):
    whole = tmp_path / "whole.mp4"
    make_video(whole, [Passage("AB12CDE", 0)], size=(320, 180), faststart=True)
    cut = tmp_path / "cut.mp4"
    cut.write_bytes(whole.read_bytes()[: whole.stat().st_size // 2])
    assert probe(cut).frames == probe(whole).frames  # the header still promises every frame
    with pytest.raises(VideoRejected, match="truncated"):
        list(frames(cut, every=5))


@pytest.mark.parametrize(
    ("container", "codec", "suffix"),
    [
        ("mp4", "libx264", "mp4"),
        ("mov", "libx264", "mov"),
        ("matroska", "libx264", "mkv"),
        ("webm", "libvpx-vp9", "webm"),
        ("avi", "mpeg4", "avi"),
        ("mpegts", "libx264", "ts"),
    ],
)
def test_every_accepted_container_opens(tmp_path, container, codec, suffix):
    path = tmp_path / f"clip.{suffix}"
    with av.open(str(path), "w", format=container) as output:
        stream = output.add_stream(codec, rate=25)
        stream.width, stream.height, stream.pix_fmt = 64, 48, "yuv420p"
        for index in range(25):
            frame = av.VideoFrame(64, 48, "yuv420p")
            frame.pts = index
            output.mux(stream.encode(frame))
        output.mux(stream.encode(None))
    assert (probe(path).width, probe(path).height) == (64, 48)


def test_ffmpeg_opens_local_files_only(tmp_path):
    # A data: URL (FFmpeg's own protocol, no file) is refused before FFmpeg reads a byte of it.
    video = tmp_path / "clip.mp4"
    make_video(video, [Passage("AB12CDE", 0)], size=(160, 96), seconds=0.4)
    with pytest.raises(VideoRejected, match="not in an accepted container"):
        video_module._open(Path(f"data:video/mp4;base64,{base64.b64encode(video.read_bytes()).decode()}"))
    video_module._open(video).close()


def _frame(video: Path, index: int):
    with av.open(str(video)) as container:
        for number, frame in enumerate(container.decode(video=0)):
            if number == index:
                return frame.to_ndarray(format="bgr24")
    raise AssertionError("no such frame")


def _array(data: bytes):
    import numpy as np

    return np.frombuffer(data, np.uint8)
