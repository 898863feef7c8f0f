"""Chapter 07, *Checking against PyTorch*: the right numeric answers of its questions."""

from __future__ import annotations

import struct

from nnscratch import Value

from . import computes

INPUTS = [2.0, 0.0, -3.0, 1.0, 6.8813735870195432]  # x1, x2, w1, w2, b


def neuron_output(inputs: list[float]) -> float:
    x1, x2, w1, w2, b = (Value(v) for v in inputs)
    return (x1 * w1 + x2 * w2 + b).tanh().data


def through_float32(x: float) -> float:
    """x rounded to the nearest float32 and back, as torch.Tensor([x]).double() does."""
    return struct.unpack("f", struct.pack("f", x))[0]


@computes
def relative_difference_of_o_through_float32() -> float:
    ours = neuron_output(INPUTS)
    trap = neuron_output([through_float32(v) for v in INPUTS])
    return abs(ours - trap) / max(abs(ours), abs(trap))
