"""Plate lines to fine-tune the recogniser on, cut as recognition itself cuts them.

    PLATES_DIR=/path/to/openalpr-benchmarks/endtoend python scripts/models/plate_lines.py OUT_DIR

Writes OUT_DIR/real/*.png with OUT_DIR/real.tsv (file, registration) from the tuning half of
each labelled set (eu, us) in PLATES_DIR, the labelled photographs the recognition benchmark
reads (benchmarks.recognition.tuning_half; the other half is never read here): for each
photograph, the plate box itself and the line the text detector finds in the crop around it
(also tried: the lines of all four cuts a still is read from; no better). Without PLATES_DIR,
real.tsv is left empty and the recogniser is fine-tuned on rendered plates alone. Run with the
application's virtualenv, as it uses the application's text detector; scripts/models/build
runs it.
"""

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "anpr_site.settings.test")
os.environ.setdefault("DATABASE_URL", "sqlite:///:memory:")
os.environ.setdefault("CELERY_BROKER_URL", "memory://")


def main(out: Path) -> int:
    import django

    django.setup()
    import cv2

    from apps.recognition.detector import Box
    from apps.recognition.ocr import line_images
    from benchmarks.recognition import _labelled, plates_dir, tuning_half

    (out / "real").mkdir(parents=True, exist_ok=True)
    plates = plates_dir()
    if plates is None or not plates.is_dir():
        (out / "real.tsv").write_text("")
        why = f"{plates} is missing" if plates else "PLATES_DIR is not set"
        print(f"{why}: the recogniser is fine-tuned on rendered plates alone.")
        return 0
    rows = []
    for name in ("eu", "us"):
        for item in _labelled(plates / name):
            if not tuning_half(item.image):
                continue
            picture = cv2.imread(str(item.image))
            box = Box(*item.box, score=1.0)
            x, y, w, h = (round(v) for v in item.box)
            lines = line_images(picture, box)  # cut as video frames are, and a still's first view
            cuts = {"line": max(lines, key=lambda line: line.shape[0])} if lines else {}
            cuts["box"] = picture[y : y + h, x : x + w]
            for kind, image in cuts.items():
                if image.size:
                    file = f"real/{name}-{item.image.stem}-{kind}.png"
                    cv2.imwrite(str(out / file), image)
                    rows.append(f"{file}\t{item.vrm}\n")
    (out / "real.tsv").write_text("".join(rows))
    print(f"{len(rows)} plate lines in {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1])))
