"""Benchmark the vehicle colour estimate (apps/recognition/colour.py) on hand-labelled photographs.

    make bench-colour PLATES_DIR=/path/to/openalpr-benchmarks/endtoend LABELS=/path/to/colours.csv
    python -m benchmarks.colour --plates-dir PATH --labels PATH [--verbose]

Neither the photographs nor the colour labels are part of this repository. The photographs are
the labelled ones bench-recognition uses (the endtoend/ folder of the public openalpr/benchmarks
repository: eu/ and us/, each NAME.jpg beside NAME.txt holding `NAME.jpg x y width height PLATE`).
The colour labels are a CSV kept beside them, made by looking at the pictures: a header
`file,colour`, then one row per photograph labelled, `us/NAME.jpg,red`, the colour one of
apps/core/colours.py, or `other` (several colours, or none a person could name) or `none` (no
body in the picture); lines starting with # are comments. `other` and `none` rows are counted
apart: an estimate for them is neither right nor wrong.

The estimate is made with the labelled plate box, so this measures the colour estimate alone,
not plate detection. Printed: the share of labelled vehicles given their labelled colour (of
all, and of those given any colour), the share left unknown ("unsure"), what each colour was
taken for, and milliseconds per estimate. Not a test; needs no database.
"""

import argparse
import csv
import sys
import time
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image

from apps.core.colours import COLOURS
from apps.recognition.colour import vehicle_colour

from .recognition import plates_dir

UNLABELLED = ("other", "none")  # in the labels, but no colour of the list


@dataclass
class Outcome:
    name: str
    label: str
    estimate: str | None  # None: unsure
    confidence: float
    seconds: float


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--plates-dir", metavar="PATH", help="the labelled photographs (else $PLATES_DIR)")
    parser.add_argument(
        "--labels", metavar="PATH", required=True, help="the colour labels, a CSV file,colour"
    )
    parser.add_argument("--verbose", action="store_true", help="one line per photograph")
    args = parser.parse_args()
    plates = plates_dir(args.plates_dir)
    if plates is None or not plates.is_dir():
        print("Name the photographs' folder with --plates-dir or PLATES_DIR (see --help).", file=sys.stderr)
        return 2
    try:
        labels = _labels(Path(args.labels))
    except (OSError, ValueError) as wrong:
        print(f"The labels cannot be used: {wrong}", file=sys.stderr)
        return 2
    outcomes = [_estimate(plates, name, label) for name, label in labels]
    if args.verbose:
        for o in outcomes:
            print(f"  {o.name:50} {o.label:8} {o.estimate or 'unsure':8} {o.confidence:.2f}")
    _report(outcomes)
    return 0


def _labels(path: Path) -> list[tuple[str, str]]:
    rows = [line for line in path.read_text().splitlines() if line.strip() and not line.startswith("#")]
    labels = [(row["file"].strip(), row["colour"].strip()) for row in csv.DictReader(rows)]
    if wrong := sorted({label for _, label in labels} - COLOURS - set(UNLABELLED)):
        raise ValueError(f"not colours of the list: {', '.join(wrong)}")
    return labels


def _estimate(plates: Path, name: str, label: str) -> Outcome:
    image = plates / name
    _, x, y, w, h, _ = image.with_suffix(".txt").read_text().strip().split("\t")
    pixels = np.asarray(Image.open(image).convert("RGB"))
    started = time.perf_counter()
    estimate = vehicle_colour(pixels, (float(x), float(y), float(w), float(h)))
    elapsed = time.perf_counter() - started
    return Outcome(
        name,
        label,
        estimate.colour.value if estimate else None,
        estimate.confidence if estimate else 0.0,
        elapsed,
    )


def _report(outcomes: list[Outcome]) -> None:
    labelled = [o for o in outcomes if o.label not in UNLABELLED]
    given = [o for o in labelled if o.estimate]
    right = [o for o in given if o.estimate == o.label]
    print(f"{len(outcomes)} photographs, {len(labelled)} with a colour of the list")
    print(f"  labelled colour given        {_share(len(right), len(labelled))}")
    print(f"  right when a colour is given {_share(len(right), len(given))}")
    print(f"  unsure (no colour given)     {_share(len(labelled) - len(given), len(labelled))}")
    for kind in UNLABELLED:
        apart = [o for o in outcomes if o.label == kind]
        if apart:
            print(f"  labelled {kind:6}: unsure for {sum(not o.estimate for o in apart)} of {len(apart)}")
    taken_for: dict[str, Counter] = defaultdict(Counter)
    for o in labelled:
        taken_for[o.label][o.estimate or "unsure"] += 1
    print("  each labelled colour taken for:")
    for label in sorted(taken_for, key=lambda c: -sum(taken_for[c].values())):
        print(
            f"    {label:7} " + ", ".join(f"{estimate} {n}" for estimate, n in taken_for[label].most_common())
        )
    times = sorted(o.seconds for o in outcomes)
    print(f"  ms per estimate: median {1000 * times[len(times) // 2]:.2f}, slowest {1000 * times[-1]:.2f}")


def _share(part: int, whole: int) -> str:
    return f"{part / whole:6.1%} ({part}/{whole})" if whole else "     - (0/0)"


if __name__ == "__main__":
    sys.exit(main())
