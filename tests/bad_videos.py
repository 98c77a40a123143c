"""Videos made to attack the uploader: tiny files whose H.264 stream claims giant frames.

`claiming_frames` encodes a few 16 x 16 frames, then rewrites the stream's sequence parameter
set (where H.264 says how large its frames are) to claim `width` x `height`, from the first
frame or only after `after` frames (a stream may change size mid-way), and muxes it as
MPEG-TS. A decoder that believes it allocates and fills frames of that size: hundreds of
megabytes each, from a file of a few kilobytes.
"""

from fractions import Fraction
from pathlib import Path

import av

FPS = 25
SPS = 7  # the NAL unit type of a sequence parameter set


def claiming_frames(path: Path, width: int, height: int, *, frames: int = 50, after: int = 0) -> Path:
    """Write `frames` frames of 16 x 16 whose stream claims `width` x `height` from frame `after`."""
    encoder = av.CodecContext.create("libx264", "w")
    encoder.width, encoder.height, encoder.pix_fmt = 16, 16, "yuv420p"
    encoder.time_base, encoder.framerate = Fraction(1, FPS), Fraction(FPS, 1)
    # Baseline (a simple parameter set to rewrite), a key frame each second, headers in-band.
    encoder.options = {"profile": "baseline", "preset": "ultrafast", "g": str(FPS), "repeat-headers": "1"}
    packets = []
    for index in range(frames):
        frame = av.VideoFrame(16, 16, "yuv420p")
        for plane, value in zip(frame.planes, (60 + index % 100, 128, 128), strict=True):
            plane.update(bytes([value]) * plane.buffer_size)
        frame.pts = index
        packets += [(index, bytes(packet)) for packet in encoder.encode(frame)]
    packets += [(frames, bytes(packet)) for packet in encoder.encode(None)]
    with av.open(str(path), "w", format="mpegts") as container:
        stream = container.add_stream("h264", rate=FPS)
        stream.width, stream.height = 16, 16
        stream.time_base = Fraction(1, FPS)
        for number, (index, data) in enumerate(packets):
            if index >= after:
                data = _with_frame_size(data, width, height)
            packet = av.Packet(data)
            packet.stream, packet.time_base = stream, Fraction(1, FPS)
            packet.pts = packet.dts = number
            container.mux(packet)
    return path


def _with_frame_size(annex_b: bytes, width: int, height: int) -> bytes:
    """The packet's NAL units, each parameter set rewritten to claim width x height."""
    units = annex_b.split(b"\x00\x00\x01")
    rewritten = [
        _sps_claiming(unit.rstrip(b"\x00"), width, height) if unit and unit[0] & 0x1F == SPS else unit
        for unit in units
    ]
    return b"\x00\x00\x01".join(rewritten)


def _sps_claiming(unit: bytes, width: int, height: int) -> bytes:
    bits = _Bits(_unescape(unit[1:]))
    out = _BitWriter()
    out.copy(bits, 24)  # profile, constraints, level
    assert unit[1] == 66, "baseline profile expected"
    out.ue(bits.ue())  # parameter set id
    out.ue(bits.ue())  # log2_max_frame_num_minus4
    order_type = bits.ue()
    out.ue(order_type)
    assert order_type in (0, 2), order_type
    if order_type == 0:
        out.ue(bits.ue())  # log2_max_pic_order_cnt_lsb_minus4
    out.ue(bits.ue())  # max_num_ref_frames
    out.copy(bits, 1)  # gaps_in_frame_num_allowed
    bits.ue(), bits.ue()  # the real size, in macroblocks
    out.ue(width // 16 - 1)
    out.ue(height // 16 - 1)
    frame_mbs_only = bits.read(1)
    out.bit(frame_mbs_only)
    if not frame_mbs_only:
        out.copy(bits, 1)
    out.copy(bits, 1)  # direct_8x8_inference
    if bits.read(1):  # the old cropping no longer fits: none
        for _ in range(4):
            bits.ue()
    out.bit(0)
    out.copy(bits, bits.remaining())  # VUI and the trailing bits
    return bytes([unit[0]]) + _escape(out.bytes())


class _Bits:
    def __init__(self, data: bytes) -> None:
        self.data, self.position = data, 0

    def read(self, count: int) -> int:
        value = 0
        for _ in range(count):
            value = value << 1 | (self.data[self.position // 8] >> (7 - self.position % 8)) & 1
            self.position += 1
        return value

    def ue(self) -> int:
        zeros = 0
        while not self.read(1):
            zeros += 1
        return (1 << zeros) - 1 + self.read(zeros)

    def remaining(self) -> int:
        return len(self.data) * 8 - self.position


class _BitWriter:
    def __init__(self) -> None:
        self.bits: list[int] = []

    def bit(self, value: int) -> None:
        self.bits.append(value)

    def copy(self, source: _Bits, count: int) -> None:
        for _ in range(count):
            self.bit(source.read(1))

    def ue(self, value: int) -> None:
        code = bin(value + 1)[2:]
        self.bits += [0] * (len(code) - 1) + [int(c) for c in code]

    def bytes(self) -> bytes:
        bits = self.bits + [0] * (-len(self.bits) % 8)
        return bytes(int("".join(map(str, bits[i : i + 8])), 2) for i in range(0, len(bits), 8))


def _unescape(data: bytes) -> bytes:
    return data.replace(b"\x00\x00\x03", b"\x00\x00")


def _escape(data: bytes) -> bytes:
    out, zeros = bytearray(), 0
    for byte in data:
        if zeros >= 2 and byte <= 3:
            out.append(3)
            zeros = 0
        out.append(byte)
        zeros = zeros + 1 if byte == 0 else 0
    return bytes(out)
