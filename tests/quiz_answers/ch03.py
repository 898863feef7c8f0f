"""Chapter 03, *Backpropagation by hand*: the right numeric answers of its questions."""

from __future__ import annotations

import math

from nnscratch import Value

from . import computes


def chapter_03_graph(f: float = -2.0) -> tuple[list[Value], Value]:
    """L = (a·b + c)·f at a = 2, b = -3, c = 10, after backward(); the leaves and L."""
    a, b, c, f_ = Value(2.0), Value(-3.0), Value(10.0), Value(f)
    L = (a * b + c) * f_
    L.backward()
    return [a, b, c, f_], L


def chapter_03_neuron(w2: float = 1.0) -> dict[str, Value]:
    """The neuron x1 = 2, x2 = 0, w1 = -3, b = 6.8813735870195432, after backward()."""
    v = {"x1": Value(2.0), "x2": Value(0.0), "w1": Value(-3.0), "w2": Value(w2),
         "b": Value(6.8813735870195432)}
    o = (v["x1"] * v["w1"] + v["x2"] * v["w2"] + v["b"]).tanh()
    o.backward()
    return v


@computes
def dL_da_with_f_minus_3() -> float:
    (a, *_), _ = chapter_03_graph(f=-3.0)
    return a.grad


@computes
def predicted_change_for_descent_step_0_05() -> float:
    leaves, _ = chapter_03_graph()
    # each leaf moves by -0.05·grad; to first order L moves by that times grad
    return sum(-0.05 * v.grad * v.grad for v in leaves)


@computes
def tanh_local_derivative_at_output_0_6() -> float:
    n = Value(math.atanh(0.6))
    n.tanh().backward()
    return n.grad


@computes
def do_dx2_with_w2_5() -> float:
    return chapter_03_neuron(w2=5.0)["x2"].grad


@computes
def dg_da_for_a_times_a() -> float:
    a = Value(3.0)
    (a * a).backward()
    return a.grad
