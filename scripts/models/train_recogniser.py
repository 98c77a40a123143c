"""Fine-tune PaddleOCR's PP-OCRv6 recogniser into a plate recogniser, on the CPU.

    python train_recogniser.py GENERAL.onnx LINES_DIR OUT.onnx [--steps N] [--runs N]

The general recogniser reads the whole of Chinese and English; on plates it confuses 2/Z, 8/5
and A/4, and reads state emblems between character groups as letters. Fine-tuning keeps its
features and teaches it plates: its classifier is cut down to the plate alphabet (a blank, A-Z,
0-9 and a space, started from the general classifier's own columns for them), and the later
half of the network and the classifier are trained with CTC on
  - real plate lines (LINES_DIR/real.tsv, made by plate_lines.py from the tuning half of the
    labelled photographs in PLATES_DIR only; empty without them), degraded at random as
    distance, blur and compression degrade them;
  - plates rendered here: random registrations in plate colours and bold, condensed faces,
    with emblems, dashes or gaps between groups, state names above and slogans below,
    degraded the same way.
Several seeded runs are averaged into one model. The trained weights are written back into the
general model's own ONNX graph (which keeps its dynamic width), so the application runs it
exactly as it ran the general one. Seeded: the same inputs give the same model. (PP-OCRv4's
recogniser, the project's earlier base, trains the same way.)
"""

import argparse
import math
import random
import sys
from functools import cache, partial
from pathlib import Path

import cv2
import numpy as np
import onnx
import onnx2torch
import onnxslim
import torch
from onnx import numpy_helper
from PIL import Image, ImageDraw, ImageFont

ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
CLASSES = ["<blank>", *ALPHABET, " "]  # the recogniser's output: CTC blank first, space last
HEIGHT, WIDTH = 48, 320
BATCH = 16
# Character groups of rendered plates: 'AB1 2CD', 'AB 123 C', '12345'...
GROUPS = ((3, 3), (3, 4), (2, 4), (4, 3), (2, 3, 2), (1, 3, 3), (2, 2, 3), (5,), (6,), (7,))
# The first layers see strokes and edges, which plates share with all text: left as they are
# (and training is twice as fast without them).
FROZEN_SHARE = 0.5
SYNTHETIC_SHARE = 0.5
# Seeded: the same inputs give the same model.
RNG = random.Random(0)  # noqa: S311 - augmenting pictures, not keeping secrets
NOISE = np.random.default_rng(0)


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("general", type=Path)
    parser.add_argument("lines", type=Path)
    parser.add_argument("out", type=Path)
    parser.add_argument("--steps", type=int, default=120)
    parser.add_argument("--lr", type=float, default=3e-5, help="the network's peak learning rate")
    parser.add_argument("--head-lr", type=float, default=3e-4, help="the classifier's")
    parser.add_argument("--runs", type=int, default=4, help="fine-tunes averaged into the one model")
    args = parser.parse_args()
    torch.set_num_threads(2)

    original = onnx.load(str(args.general))
    general = onnxslim.slim(original)  # constant weights become initializers, as onnx2torch needs
    del general.metadata_props[:]
    general.metadata_props.extend(original.metadata_props)
    _explicit_padding(general)
    real = _real_lines(args.lines)
    print(f"{len(real)} real plate lines; {args.runs} runs of {args.steps} steps")
    # A short fine-tune on a few hundred real lines depends on its draw of examples: two seeds
    # differ by a few plates in a hundred. Runs from the same start land in one basin, so
    # averaging their weights keeps what they agree on (a "model soup"), at no cost at run time.
    runs = [_fine_tune(general, real, args, seed) for seed in range(args.runs)]
    parameters, head = runs[0]
    with torch.no_grad():
        for index, (parameter, _) in enumerate(parameters):
            parameter.copy_(torch.stack([run[0][index][0] for run in runs]).mean(0))
        for name, tensor in head.named_parameters():
            tensor.copy_(torch.stack([dict(run[1].named_parameters())[name] for run in runs]).mean(0))

    _write_back(general, parameters, head)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    onnx.save(general, str(args.out))
    print(f"plate recogniser written to {args.out}")
    return 0


def _fine_tune(general: onnx.ModelProto, real, args, seed: int):
    """One seeded fine-tune from the general model: its trained weights and its head."""
    torch.manual_seed(seed)
    RNG.seed(seed)
    NOISE.bit_generator.state = np.random.default_rng(seed).bit_generator.state
    columns = _classifier_columns(general)
    features, parameters = _feature_network(general)
    weight, bias = (numpy_helper.to_array(_initializer(general, name)) for name in _classifier(general)[1:])
    head = torch.nn.Linear(weight.shape[0], len(CLASSES))
    with torch.no_grad():
        head.weight.copy_(torch.from_numpy(weight[:, columns].T.copy()))
        head.bias.copy_(torch.from_numpy(bias[columns].copy()))
    optimiser = torch.optim.AdamW(
        [
            {"params": [p for p, _ in parameters], "lr": args.lr},
            {"params": head.parameters(), "lr": args.head_lr},
        ],
        weight_decay=1e-4,
    )
    schedule = torch.optim.lr_scheduler.OneCycleLR(
        optimiser, max_lr=[args.lr, args.head_lr], total_steps=args.steps, pct_start=0.1
    )
    ctc = torch.nn.CTCLoss(blank=0, zero_infinity=True)
    features.train()
    for step in range(args.steps):
        images, texts = zip(*(_example(real) for _ in range(BATCH)), strict=True)
        batch = torch.from_numpy(np.stack([_tensor(image) for image in images]))
        logits = head(features(batch))  # (batch, steps, classes)
        log_probs = logits.log_softmax(-1).permute(1, 0, 2)
        targets = torch.tensor([CLASSES.index(c) for text in texts for c in text])
        lengths = torch.tensor([len(text) for text in texts])
        loss = ctc(log_probs, targets, torch.full((BATCH,), log_probs.shape[0]), lengths)
        optimiser.zero_grad()
        loss.backward()
        optimiser.step()
        schedule.step()
        if step % 25 == 0 or step == args.steps - 1:
            print(f"run {seed}  step {step:4d}  loss {loss.item():.3f}", flush=True)
    return parameters, head


def _initializer(model: onnx.ModelProto, name: str) -> onnx.TensorProto:
    return next(init for init in model.graph.initializer if init.name == name)


def _explicit_padding(model: onnx.ModelProto) -> None:
    """SAME_UPPER padding, which onnx2torch cannot convert, written out as the pads it means
    (for a stride of 1: kernel - 1 in all, the extra one at the end). The same in onnxruntime."""
    for node in model.graph.node:
        attributes = {a.name: a for a in node.attribute}
        if "auto_pad" not in attributes or attributes["auto_pad"].s != b"SAME_UPPER":
            continue
        strides = onnx.helper.get_attribute_value(attributes["strides"]) if "strides" in attributes else [1]
        assert set(strides) == {1}, f"{node.name}: SAME_UPPER with a stride is not written out here"
        kernel = onnx.helper.get_attribute_value(attributes["kernel_shape"])
        node.attribute.remove(attributes["auto_pad"])
        begin, end = [(k - 1) // 2 for k in kernel], [k // 2 for k in kernel]
        node.attribute.append(onnx.helper.make_attribute("pads", begin + end))


def _classifier(model: onnx.ModelProto) -> tuple[str, str, str]:
    """The general model's classifier: its input (the features) and its weight and bias: the
    last MatMul by a constant weight, and the Add of a constant bias after it."""
    constants = {init.name for init in model.graph.initializer}
    nodes = list(model.graph.node)
    index, matmul = next(
        (i, node)
        for i, node in reversed(list(enumerate(nodes)))
        if node.op_type == "MatMul" and node.input[1] in constants
    )
    add = next(n for n in nodes[index:] if n.op_type == "Add" and matmul.output[0] in n.input)
    bias = next(name for name in add.input if name in constants)
    return matmul.input[0], matmul.input[1], bias


def _classifier_columns(model: onnx.ModelProto) -> list[int]:
    """For each plate class, the general classifier's column for it (upper case)."""
    characters = next(p.value for p in model.metadata_props if p.key == "character").splitlines()
    general = ["<blank>", *characters, " "]
    return [0, *(general.index(c) for c in ALPHABET), len(general) - 1]


def _feature_network(model: onnx.ModelProto):
    """The general model up to its features, as torch, and its trainable weights, each paired
    with the ONNX initializer it came from (found by value, to write it back after training)."""
    cut = onnx.ModelProto()
    cut.CopyFrom(model)
    nodes = list(cut.graph.node)
    features = _classifier(model)[0]
    last = next(i for i, node in enumerate(nodes) if features in node.output)
    del cut.graph.node[last + 1 :]
    del cut.graph.output[:]
    cut.graph.output.append(onnx.helper.make_tensor_value_info(features, onnx.TensorProto.FLOAT, None))
    network = onnx2torch.convert(cut)
    by_value = {}
    for init in model.graph.initializer:
        array = numpy_helper.to_array(init)
        if array.dtype == np.float32 and array.size > 1:
            by_value.setdefault((array.shape, array.tobytes()), []).append(init.name)
    parameters = []
    every = list(network.parameters())
    for index, parameter in enumerate(every):
        names = by_value.get((tuple(parameter.shape), parameter.detach().numpy().tobytes()), [])
        if len(names) == 1 and index >= FROZEN_SHARE * len(every):
            parameters.append((parameter, names[0]))
        else:  # frozen, or no single source to write it back to
            parameter.requires_grad_(False)
    return network, parameters


def _write_back(model: onnx.ModelProto, parameters, head: torch.nn.Linear) -> None:
    inits = {init.name: init for init in model.graph.initializer}
    for parameter, name in parameters:
        inits[name].CopyFrom(numpy_helper.from_array(parameter.detach().numpy().astype(np.float32), name))
    _, weight, bias = _classifier(model)
    inits[weight].CopyFrom(numpy_helper.from_array(head.weight.detach().numpy().T.copy(), weight))
    inits[bias].CopyFrom(numpy_helper.from_array(head.bias.detach().numpy().copy(), bias))
    for prop in model.metadata_props:
        if prop.key == "character":  # the classes between blank and space, one per line
            prop.value = "\n".join(ALPHABET)
    for output in model.graph.output:  # the classifier now has len(CLASSES) outputs
        output.type.tensor_type.shape.dim[-1].dim_value = len(CLASSES)
    del model.graph.value_info[:]  # recorded shapes of the old classifier; onnxruntime infers them


def _real_lines(folder: Path) -> list[tuple[np.ndarray, str]]:
    lines = []
    for row in (folder / "real.tsv").read_text().splitlines():
        file, text = row.split("\t")
        image = cv2.imread(str(folder / file))
        if image is not None and text and all(c in ALPHABET for c in text):
            lines.append((image, text))
    return lines


def _example(real: list[tuple[np.ndarray, str]]) -> tuple[np.ndarray, str]:
    if not real or RNG.random() < SYNTHETIC_SHARE:
        image, text = _rendered_plate()
    else:
        image, text = RNG.choice(real)
        image = _jitter_edges(image)
    return _degrade(image), text


def _rendered_plate() -> tuple[np.ndarray, str]:
    """A random registration drawn as a plate line: groups, separators, colours, clutter."""
    lengths = RNG.choice(GROUPS)
    groups = ["".join(RNG.choice(ALPHABET) for _ in range(n)) for n in lengths]
    ink, paper = _colours()
    size = RNG.randint(52, 72)
    font = RNG.choice(_fonts())(size)
    gap = int(size * RNG.uniform(0.15, 0.9))
    widths = [font.getbbox(group)[2] for group in groups]
    width = sum(widths) + gap * (len(groups) - 1) + 2 * RNG.randint(4, 30)
    height = int(size * RNG.uniform(1.15, 1.9))
    image = Image.new("RGB", (width, height), paper)
    draw = ImageDraw.Draw(image)
    x, baseline = (width - sum(widths) - gap * (len(groups) - 1)) / 2, height / 2
    for index, group in enumerate(groups):
        draw.text((x, baseline), group, fill=ink, anchor="lm", font=font)
        x += widths[index]
        if index < len(groups) - 1:
            _separator(draw, x, gap, baseline, size)
            x += gap
    small = ImageFont.load_default(size=max(8, size // 4))
    if RNG.random() < 0.5:  # a state name or slogan above or below
        words = "".join(RNG.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZ  ") for _ in range(RNG.randint(5, 14)))
        y = RNG.choice((3, height - size // 4 - 3))
        draw.text((width / 2, y), words, fill=_colours()[0], anchor="mt", font=small)
    image = cv2.cvtColor(np.asarray(image), cv2.COLOR_RGB2BGR)
    squeeze = RNG.uniform(0.55, 1.1)  # plate lettering is mostly condensed
    image = cv2.resize(image, (max(8, round(image.shape[1] * squeeze)), image.shape[0]))
    return image, "".join(groups)


@cache
def _fonts() -> tuple:
    """Pillow's own font, and the bold DejaVu faces matplotlib (an ultralytics dependency) ships."""
    import matplotlib

    folder = Path(matplotlib.__file__).parent / "mpl-data" / "fonts" / "ttf"
    faces = [folder / name for name in ("DejaVuSans-Bold.ttf", "DejaVuSansMono-Bold.ttf", "DejaVuSans.ttf")]
    return (
        lambda size: ImageFont.load_default(size=size),
        *(partial(ImageFont.truetype, str(face)) for face in faces if face.exists()),
    )


def _separator(draw: ImageDraw.ImageDraw, x: float, gap: int, y: float, size: int) -> None:
    kind = RNG.choice(("none", "dash", "dot", "emblem", "emblem"))
    centre = x + gap / 2
    if kind == "dash":
        half_w, half_h = gap * 0.3, size * 0.05
        draw.rectangle([centre - half_w, y - half_h, centre + half_w, y + half_h], fill=_colours()[0])
    elif kind == "dot":
        r = size * 0.06
        draw.ellipse([centre - r, y - r, centre + r, y + r], fill=_colours()[0])
    elif kind == "emblem":  # a state's badge: a coloured shape about half the text's height
        r = size * RNG.uniform(0.15, 0.35)
        colour = tuple(RNG.randint(0, 255) for _ in range(3))
        if RNG.random() < 0.5:
            draw.ellipse([centre - r, y - r, centre + r, y + r], fill=colour)
        else:
            draw.polygon([(centre, y - r), (centre + r, y), (centre, y + r), (centre - r, y)], fill=colour)


def _colours() -> tuple[tuple[int, int, int], tuple[int, int, int]]:
    """Ink and paper: dark on light mostly, as plates are, and sometimes light on dark."""
    dark = tuple(RNG.randint(0, 90) for _ in range(3))
    light = tuple(RNG.randint(170, 255) for _ in range(3))
    if RNG.random() < 0.15:
        return light, dark
    if RNG.random() < 0.2:  # yellow rear plates
        light = (RNG.randint(200, 255), RNG.randint(170, 220), RNG.randint(0, 60))
    return dark, light


def _jitter_edges(image: np.ndarray) -> np.ndarray:
    """A line cut a little differently, as the text detector cuts it from frame to frame."""
    height, width = image.shape[:2]
    top, bottom = (int(height * RNG.uniform(-0.08, 0.12)) for _ in range(2))
    left, right = (int(width * RNG.uniform(-0.04, 0.05)) for _ in range(2))
    image = cv2.copyMakeBorder(
        image, max(0, -top), max(0, -bottom), max(0, -left), max(0, -right), cv2.BORDER_REPLICATE
    )
    height, width = image.shape[:2]
    return image[max(0, top) : height - max(0, bottom), max(0, left) : width - max(0, right)]


def _degrade(image: np.ndarray) -> np.ndarray:
    """Distance, focus, motion, light and compression, at random."""
    height, width = image.shape[:2]
    if RNG.random() < 0.5:  # a slight turn or slant
        angle, shear = RNG.uniform(-4, 4), RNG.uniform(-0.15, 0.15)
        matrix = cv2.getRotationMatrix2D((width / 2, height / 2), angle, 1.0)
        matrix[0, 1] += shear
        image = cv2.warpAffine(image, matrix, (width, height), borderMode=cv2.BORDER_REPLICATE)
    target = RNG.uniform(11, 40)  # line height in pixels when it was seen
    if target < height:
        small = (max(4, round(width * target / height)), max(4, round(target)))
        image = cv2.resize(image, small, interpolation=cv2.INTER_AREA)
    if RNG.random() < 0.3:
        image = cv2.GaussianBlur(image, (0, 0), RNG.uniform(0.3, 1.2))
    alpha, beta = RNG.uniform(0.5, 1.3), RNG.uniform(-50, 40)
    image = np.clip(image.astype(np.float32) * alpha + beta, 0, 255)
    image = np.clip(image + NOISE.normal(0, RNG.uniform(0, 8), image.shape), 0, 255).astype(np.uint8)
    if RNG.random() < 0.5:
        quality = RNG.randint(25, 90)
        _, encoded = cv2.imencode(".jpg", image, [cv2.IMWRITE_JPEG_QUALITY, quality])
        image = cv2.imdecode(encoded, cv2.IMREAD_COLOR)
    return image


def _tensor(image: np.ndarray) -> np.ndarray:
    """As the application feeds the recogniser (apps/recognition/ocr.py): height 48, padded."""
    width = min(WIDTH, math.ceil(HEIGHT * image.shape[1] / image.shape[0]))
    resized = cv2.resize(image, (width, HEIGHT)).astype(np.float32)
    tensor = np.zeros((3, HEIGHT, WIDTH), np.float32)
    tensor[:, :, :width] = (resized / 255.0 - 0.5).transpose(2, 0, 1) / 0.5
    return tensor


if __name__ == "__main__":
    sys.exit(main())
