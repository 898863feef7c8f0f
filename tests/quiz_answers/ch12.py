"""Chapter 12, *Why the scalar engine is slow, and making it fast*: the right numeric
answers of its questions."""

from __future__ import annotations

from nnscratch import Value
from nnscratch.nn import Neuron
from nnscratch.viz import trace

from . import computes


def inputs(n: int) -> list[Value]:
    return [Value(0.1 * (i + 1)) for i in range(n)]


@computes
def operation_nodes_of_an_unfused_weighted_sum_of_16() -> float:
    z = Neuron(16, activation="linear", seed=0)(inputs(16))
    nodes, _ = trace(z)
    return float(sum(1 for v in nodes if v.op))


@computes
def children_of_a_fused_neuron_with_16_inputs() -> float:
    z = Neuron(16, activation="linear", seed=0, fused=True)(inputs(16))
    return float(len(z.children))
