"""Chapter 04, *Automatic backpropagation*: the right numeric answers of its questions."""

from __future__ import annotations

from nnscratch import Value
from nnscratch.engine import backward_order

from . import computes


class AssigningValue:
    """The chapter's first engine, reduced to ×: a backward step that assigns (``=``)
    into each operand's grad instead of adding to it."""

    def __init__(self, data: float, children: tuple = ()) -> None:
        self.data, self.grad, self.children = data, 0.0, children
        self._backward = lambda: None

    def __mul__(self, other: AssigningValue) -> AssigningValue:
        out = AssigningValue(self.data * other.data, (self, other))

        def _backward() -> None:
            self.grad = other.data * out.grad
            other.grad = self.data * out.grad

        out._backward = _backward
        return out


@computes
def a_grad_for_a_times_a_with_assigning_steps() -> float:
    a = AssigningValue(3.0)
    g = a * a
    g.grad = 1.0  # g's is the only step: the chapter's backward() runs just this one
    g._backward()
    return a.grad


@computes
def forward_mode_operations_for_a_neuron_of_50_inputs() -> float:
    n = 50
    xs = [Value(1.0) for _ in range(n)]
    ws = [Value(0.5) for _ in range(n)]
    b = Value(0.0)
    total = b
    for x, w in zip(xs, ws):
        total = total + x * w
    operations = len(backward_order(total.tanh()))
    return float(operations * len(ws + [b]))  # one pass per parameter, each through all
