"""Check the recognition models against their SHA256SUMS: every file listed there, whole.

    python scripts/models/verify.py [MODEL_DIR]

Run by `make install`, so a checkout whose models are missing or damaged (a partial clone, a
file changed by hand) is caught before anything runs on them. Standard library only.
"""

import hashlib
import sys
from pathlib import Path


def main(model_dir: Path) -> int:
    sums = model_dir / "SHA256SUMS"
    if not sums.is_file():
        print(f"{sums} is missing: the models should be in the repository (make models rebuilds them).")
        return 1
    bad = []
    for line in sums.read_text().splitlines():
        expected, name = line.split(maxsplit=1)
        path = model_dir / name.lstrip("*")
        if not path.is_file() or hashlib.sha256(path.read_bytes()).hexdigest() != expected:
            bad.append(path)
    for path in bad:
        print(f"{path} is missing or does not match SHA256SUMS.")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1] if len(sys.argv) > 1 else "models")))
