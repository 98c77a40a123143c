"""Export a YOLO plate detector to ONNX: `export_detector.py WEIGHTS.pt OUT.onnx`.

Dynamic input shapes, so the application can letterbox each frame only to a multiple of 32
(as ultralytics does) and get the same boxes; opset 17 runs on any recent onnxruntime.
"""

import sys
from pathlib import Path

import onnx
from ultralytics import YOLO


def main(weights: str, out: str) -> None:
    exported = YOLO(weights).export(format="onnx", dynamic=True, opset=17, simplify=True, imgsz=640)
    onnx.save(reproducible(onnx.load(exported)), out)
    Path(exported).unlink()
    print(f"exported {weights} -> {Path(out).resolve()}")


def reproducible(model: onnx.ModelProto) -> onnx.ModelProto:
    """The model without what changes from one export to the next and computes nothing: the
    export's date, and the intermediate shape notes the simplifier leaves (more or fewer from
    run to run; onnxruntime infers shapes itself). Same weights and nodes, so the same bytes."""
    del model.graph.value_info[:]
    kept = [prop for prop in model.metadata_props if prop.key != "date"]
    del model.metadata_props[:]
    model.metadata_props.extend(kept)
    return model


if __name__ == "__main__":
    main(*sys.argv[1:])
