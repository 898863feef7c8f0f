"""Chapter 05, *Neurons, layers and networks*: the right numeric answers of its
questions."""

from __future__ import annotations

from nnscratch import Value
from nnscratch.nn import MLP

from . import computes


@computes
def do_dw1_with_x1_4() -> float:
    # The chapter's neuron with x1 = 4 and the bias raised by 6, so n is unchanged.
    x1, x2, w1, w2 = Value(4.0), Value(0.0), Value(-3.0), Value(1.0)
    b = Value(6.8813735870195432 + 6.0)
    (x1 * w1 + x2 * w2 + b).tanh().backward()
    return w1.grad


@computes
def parameters_of_mlp_2_32_32_1() -> float:
    return float(len(MLP(2, [32, 32, 1]).parameters()))
