"""Export a YOLO plate detector to ONNX: `export_detector.py WEIGHTS.pt OUT.onnx`.

Dynamic input shapes, so the application can letterbox each frame only to a multiple of 32
(as ultralytics does) and get the same boxes; opset 17 runs on any recent onnxruntime.
"""

import shutil
import sys
from pathlib import Path

from ultralytics import YOLO


def main(weights: str, out: str) -> None:
    exported = YOLO(weights).export(format="onnx", dynamic=True, opset=17, simplify=True, imgsz=640)
    shutil.move(exported, out)
    print(f"exported {weights} -> {Path(out).resolve()}")


if __name__ == "__main__":
    main(*sys.argv[1:])
