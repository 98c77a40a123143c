"""Benchmark recognition on labelled photographs of real plates (eu and us apart).

    make bench-recognition PLATES_DIR=/path/to/openalpr-benchmarks/endtoend
    make bench-recognition PLATES_DIR=... ARGS="--plates 4 --seconds 2"   # a quicker video part
    python -m benchmarks.recognition --plates-dir /path/to/openalpr-benchmarks/endtoend

The photographs are not part of this repository: they are the `endtoend/` folder of the public
openalpr/benchmarks repository on GitHub (hand-labelled photographs, AGPL-3.0, by its authors),
whose `eu/` and `us/` folders hold NAME.jpg beside NAME.txt, one tab-separated line
`NAME.jpg x y width height PLATE`. Name that folder (or the clone itself) with --plates-dir or
the PLATES_DIR environment variable.

Stills: plate detection recall and precision at IoU >= 0.5, exact-plate accuracy end to end
(detector + OCR + plate formats; strict, and counting O = 0 and I = 1 as equal, since some
labels mix them), and milliseconds per image; for the whole set and for its held-out half (the
plate recogniser is fine-tuned on the other half, `tuning_half`, and never sees this one).
Video: for each set, a 1080p 25 fps H.264 video built from --plates of its stills (each shown
for --seconds, panning and zooming from the whole photograph onto the plate), recognised as
the video worker does; video frames per second end to end (decode included), and how many
plates were read exactly by a track in their own segment.
Not a test; needs no database.
"""

import argparse
import hashlib
import os
import random
import sys
import tempfile
import time
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

SETS = {"eu": ("EU",), "us": ("US",)}
WHERE_TO_GET = """\
The recognition benchmark (and the model build's fine-tuning on real plates) reads labelled
photographs that are not part of this repository: the endtoend/ folder of the public
openalpr/benchmarks repository on GitHub (hand-labelled photographs of real plates, AGPL-3.0,
by its authors; its eu/ and us/ folders are used). Clone that repository, then name the folder:

    make bench-recognition PLATES_DIR=/path/to/openalpr-benchmarks/endtoend
    python -m benchmarks.recognition --plates-dir /path/to/openalpr-benchmarks/endtoend"""
LOOSE = str.maketrans("OI", "01")


@dataclass
class Labelled:
    image: Path
    box: tuple[float, float, float, float]
    vrm: str


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--plates-dir",
        metavar="PATH",
        help="the labelled photographs: openalpr/benchmarks' endtoend/ or its clone (else $PLATES_DIR)",
    )
    parser.add_argument("--plates", type=_count, default=12, metavar="N", help="stills per test video (12)")
    parser.add_argument("--seconds", type=float, default=3.0, help="seconds per plate in the video")
    parser.add_argument("--skip-video", action="store_true")
    args = parser.parse_args()
    plates = plates_dir(args.plates_dir)
    if plates is None:
        print(WHERE_TO_GET, file=sys.stderr)
        return 2
    if missing := [name for name in SETS if not (plates / name).is_dir()]:
        print(f"{plates} has no {' or '.join(f'{name}/' for name in missing)} folder.\n", file=sys.stderr)
        print(WHERE_TO_GET, file=sys.stderr)
        return 2
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "anpr_site.settings.local")
    import django

    django.setup()
    from django.conf import settings

    print(
        f"threads {settings.RECOGNITION_THREADS}, providers {settings.RECOGNITION_PROVIDERS}, "
        f"video detector size {settings.RECOGNITION_VIDEO_SIZE}, "
        f"sampling {settings.RECOGNITION_SAMPLE_FPS} fps"
    )
    for name, countries in SETS.items():
        labelled = _labelled(plates / name)
        _stills(name, labelled, countries)
        if not args.skip_video:
            sample = random.Random(0).sample(labelled, min(args.plates, len(labelled)))
            _video(name, sample, countries, args.seconds)
    return 0


@dataclass
class Outcome:
    item: Labelled
    detections: int
    found: bool  # a detection overlaps the labelled plate at IoU >= 0.5
    read: str  # what the first such detection was read as
    seconds: float


def _stills(name: str, labelled: list[Labelled], countries) -> None:
    import cv2

    from apps.recognition.detector import Box
    from apps.recognition.pictures import recognise_picture

    outcomes = []
    for item in labelled:
        picture = cv2.imread(str(item.image))
        started = time.perf_counter()
        plates = recognise_picture(picture, countries=countries)
        elapsed = time.perf_counter() - started
        matched = [p for p in plates if p.box.iou(Box(*item.box, score=1.0)) >= 0.5]
        read = matched[0].vrm if matched else ""
        outcomes.append(Outcome(item, len(plates), bool(matched), read, elapsed))
    held_out = [o for o in outcomes if not tuning_half(o.item.image)]
    print(f"\n{name} stills (countries {','.join(countries)})")
    print(f"  {'':28}{'all':>18}{'held-out half':>18}")
    for label, measure in (
        ("detection recall IoU>=0.5", lambda o: o.found),
        ("exact plate, strict", lambda o: o.found and o.read == o.item.vrm),
        ("exact plate, O=0 and I=1", lambda o: o.found and _loose(o.read) == _loose(o.item.vrm)),
    ):
        print(f"  {label:28}{_share(outcomes, measure):>18}{_share(held_out, measure):>18}")
    precision = sum(o.found for o in outcomes) / max(sum(o.detections for o in outcomes), 1)
    print(f"  {'detection precision':28}{precision:>18.1%}  (unlabelled second plates count against it)")
    print(f"  {'ms per image':28}{1000 * sum(o.seconds for o in outcomes) / len(outcomes):>18.0f}")


def _loose(vrm: str) -> str:
    return vrm.translate(LOOSE)


def _share(outcomes: list[Outcome], measure) -> str:
    hits = sum(bool(measure(o)) for o in outcomes)
    return f"{hits / len(outcomes):.1%} ({hits}/{len(outcomes)})"


def _video(name: str, sample: list[Labelled], countries, seconds: float) -> None:
    from django.conf import settings

    from apps.recognition.footage import recognise_video

    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / f"{name}.mp4"
        started = time.perf_counter()
        fps = 25
        _build_video(path, sample, seconds=seconds, fps=fps)
        built = time.perf_counter() - started
        started = time.perf_counter()
        result = recognise_video(path, countries=countries)
        elapsed = time.perf_counter() - started
    segments = [(i * seconds, (i + 1) * seconds, item.vrm) for i, item in enumerate(sample)]
    strict = loose = 0
    for start, end, vrm in segments:
        reads = [t.vrm for t in result.tracks if start <= t.seconds < end]
        strict += vrm in reads
        loose += _loose(vrm) in [_loose(r) for r in reads]
    frames = result.info.frames
    if os.environ.get("BENCH_VERBOSE"):
        print("  segments:", [(round(s), v) for s, _, v in segments])
        print("  tracks:", [(t.vrm, t.first_frame, t.last_frame, round(t.seconds, 1)) for t in result.tracks])
    print(
        f"\n{name} video: {len(sample)} plates, {seconds:g} s each, 1920x1080 @ {fps} fps, "
        f"{frames} frames (built in {built:.0f} s)"
    )
    print(
        f"  video frames per second     {frames / elapsed:6.1f}  "
        f"({elapsed:.1f} s for {frames / fps:.0f} s of video, "
        f"{result.frames_examined} frames examined at {settings.RECOGNITION_SAMPLE_FPS:g}/s)"
    )
    print("  stage seconds               " + ", ".join(f"{k} {v:.1f}" for k, v in result.timings.items()))
    print(f"  tracks                      {len(result.tracks)} for {len(sample)} plates")
    print(f"  plates read exactly         {strict}/{len(sample)} strict, {loose}/{len(sample)} O=0 I=1")


def _build_video(path: Path, sample: list[Labelled], *, seconds: float, fps: int) -> None:
    """Each photograph: start on the whole picture, zoom and pan onto its plate, hold."""
    import av
    import cv2
    import numpy as np

    width, height = 1920, 1080
    with av.open(str(path), "w") as container:
        stream = container.add_stream("libx264", rate=fps)
        stream.width, stream.height, stream.pix_fmt = width, height, "yuv420p"
        stream.options = {"crf": "20", "preset": "ultrafast"}
        stream.time_base = Fraction(1, fps)
        index = 0
        for item in sample:
            picture = cv2.imread(str(item.image))
            ph, pw = picture.shape[:2]
            x, y, w, h = item.box
            # The closest view: the plate a quarter of the frame wide, the rest around it.
            close_w = min(pw, max(4 * w, pw / 3))
            close_h = close_w * height / width
            steps = round(seconds * fps)
            for step in range(steps):
                t = min(1.0, step / (0.7 * steps))  # zoom for 70% of the time, then hold
                view_w = pw + (close_w - pw) * t
                view_h = min(ph, view_w * height / width) if t < 1 else min(ph, close_h)
                cx = pw / 2 + (x + w / 2 - pw / 2) * t
                cy = ph / 2 + (y + h / 2 - ph / 2) * t
                left = int(np.clip(cx - view_w / 2, 0, max(0, pw - view_w)))
                top = int(np.clip(cy - view_h / 2, 0, max(0, ph - view_h)))
                view = picture[top : top + int(view_h), left : left + int(view_w)]
                frame = _fit(view, width, height)
                video_frame = av.VideoFrame.from_ndarray(frame, format="bgr24")
                video_frame.pts = index
                index += 1
                container.mux(stream.encode(video_frame))
        container.mux(stream.encode(None))


def _fit(view, width: int, height: int):
    import cv2
    import numpy as np

    scale = min(width / view.shape[1], height / view.shape[0])
    resized = cv2.resize(view, (round(view.shape[1] * scale), round(view.shape[0] * scale)))
    frame = np.zeros((height, width, 3), np.uint8)
    top, left = (height - resized.shape[0]) // 2, (width - resized.shape[1]) // 2
    frame[top : top + resized.shape[0], left : left + resized.shape[1]] = resized
    return frame


def plates_dir(given: str | None = None) -> Path | None:
    """The folder of labelled photographs: the one given, else $PLATES_DIR; None when neither
    names one (there is no default: the photographs are not part of this repository). A clone of
    openalpr/benchmarks stands for its endtoend/ folder."""
    value = given or os.environ.get("PLATES_DIR", "")
    if not value.strip():
        return None
    folder = Path(value).expanduser()
    if not (folder / "eu").is_dir() and (folder / "endtoend").is_dir():
        folder = folder / "endtoend"
    return folder


def _count(value: str) -> int:
    try:
        return int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{value!r} is not a number: --plates is how many stills each test video shows; "
            "the photographs' folder is --plates-dir (or PLATES_DIR)"
        ) from None


def tuning_half(image: Path) -> bool:
    """The named half of each set the plate recogniser may be fine-tuned on (scripts/models);
    the other half is held out, and the benchmark reports it apart."""
    return hashlib.sha256(image.name.encode()).digest()[0] % 2 == 0


def _labelled(folder: Path) -> list[Labelled]:
    items = []
    for label in sorted(folder.glob("*.txt")):
        name, x, y, w, h, vrm = label.read_text().strip().split("\t")
        items.append(Labelled(folder / name, (float(x), float(y), float(w), float(h)), vrm.strip()))
    return items


if __name__ == "__main__":
    sys.exit(main())
