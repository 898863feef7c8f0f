"""The models the chapters train, and a small three-class data set.

* `linear_regression`: w·x + b, the Fahrenheit-to-Celsius model;
* `above_below_classifier`: σ(v · ReLU(w₁x + w₂y + c) + d), which learns whether a
  point lies above the line y = x;
* `softmax_classifier`: softmax of one `Linear` per class over shared inputs;
* `three_classes`: points in the plane around three centres, labelled 0, 1, 2.
"""

from __future__ import annotations

import math
import random
from numbers import Integral
from typing import Optional

from .checks import as_count, as_finite, show
from .macro import Linear
from .nodes import Add, Input, Multiply, Parameter, ReLU, Sigmoid
from .output import Softmax

__all__ = ["linear_regression", "above_below_classifier", "softmax_classifier", "three_classes"]


def linear_regression(weight: Optional[float] = None, bias: Optional[float] = None,
                      learning_rate: float = 0.01, *, rng: Optional[random.Random] = None) -> Add:
    """``Add([Multiply([w, x]), b])``: the prediction w·x + b for one input x."""
    w = Parameter(weight, learning_rate, rng=rng)
    b = Parameter(bias, learning_rate, rng=rng)
    return Add([Multiply([w, Input()]), b])


def above_below_classifier(learning_rate: float = 0.01, *, rng: Optional[random.Random] = None) -> Sigmoid:
    """σ(v · ReLU(w₁x + w₂y + c) + d): the probability that the point (x, y) is above y = x.

    One hidden unit, ReLU(w₁x + w₂y + c), is positive on one side of a line; the output
    unit turns "how far on that side" into a probability.
    """
    def p() -> Parameter:
        return Parameter(None, learning_rate, rng=rng)

    # the order of construction fixes which random number each parameter gets
    v, w1, w2, c, d = p(), p(), p(), p(), p()
    hidden = ReLU([Add([Multiply([w1, Input()]), Multiply([w2, Input()]), c])])
    return Sigmoid([Add([Multiply([v, hidden]), d])])


def softmax_classifier(n_inputs: int = 2, n_classes: int = 3, learning_rate: float = 0.01,
                       *, rng: Optional[random.Random] = None) -> Softmax:
    """softmax(z₁, …, zₖ) with zⱼ = wⱼ · x + bⱼ: one `Linear` per class, all over the same
    inputs (each `Input` has k parents). Compile it before use: the Linears are macros."""
    n_inputs = as_count(n_inputs, "n_inputs", minimum=1)
    n_classes = as_count(n_classes, "n_classes", minimum=1)
    if n_classes < 2:
        raise ValueError(f"a softmax classifier needs at least 2 classes, got {n_classes}")
    inputs = [Input(name=f"x{i + 1}") for i in range(n_inputs)]
    return Softmax([Linear(inputs, learning_rate=learning_rate, rng=rng) for _ in range(n_classes)])


def three_classes(n_samples: int = 150, seed: int = 0, spread: float = 0.45
                  ) -> tuple[list[list[float]], list[int]]:
    """Points around three centres on the unit circle (at 90°, 210° and 330°), with
    Gaussian scatter of standard deviation ``spread``; labels 0, 1, 2 by centre.
    Classes take turns (0, 1, 2, 0, ...) and the points are then shuffled."""
    n_samples = as_count(n_samples, "n_samples", minimum=3)
    if isinstance(seed, bool) or not isinstance(seed, Integral):
        raise TypeError(f"seed must be an int, got {type(seed).__name__} {show(seed)}")
    spread = as_finite(spread, "spread")
    if spread < 0:
        raise ValueError(f"spread must be >= 0, got {show(spread)}")
    rng = random.Random(int(seed))
    centres = [(math.cos(math.radians(a)), math.sin(math.radians(a))) for a in (90, 210, 330)]
    points = []
    for i in range(n_samples):
        k = i % 3
        cx, cy = centres[k]
        points.append(([cx + rng.gauss(0.0, spread), cy + rng.gauss(0.0, spread)], k))
    rng.shuffle(points)
    return [p for p, _ in points], [k for _, k in points]
