"""Chapter 06, *Training a network*: the right numeric answers of its questions."""

from __future__ import annotations

from nnscratch import Value
from nnscratch.nn import MLP

from . import computes

XS = [[2.0, 3.0, -1.0], [3.0, -1.0, 0.5], [0.5, 1.0, 1.0], [1.0, 1.0, -1.0]]
YS = [1.0, -1.0, -1.0, 1.0]


@computes
def first_weight_after_one_step() -> float:
    model = MLP(3, [4, 4, 1], seed=1)
    sum((model(x) - y) ** 2 for x, y in zip(XS, YS)).backward()
    w = model.parameters()[0]
    return w.data - 0.05 * w.grad


@computes
def learning_rate_where_the_parabola_stops_converging() -> float:
    # A step multiplies the distance to the lowest point by 1 - lr·c, where c is the
    # curvature, the change of the gradient per unit of w; it stops shrinking at lr = 2/c.
    def gradient(w: float) -> float:
        v = Value(w)
        ((v - 3) ** 2).backward()
        return v.grad

    curvature = gradient(1.0) - gradient(0.0)
    return 2 / curvature
