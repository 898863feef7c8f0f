"""The two functions of the framework that are more than one arithmetic operation,
written once for the nodes and for the formula reader.

* sigmoid:  σ(x) = 1 / (1 + e⁻ˣ)
* softmax:  pᵢ = e^zᵢ / Σⱼ e^zⱼ

Both are computed so that no exponential overflows, whatever finite number they get.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from .checks import as_finite_list, show

__all__ = ["sigmoid", "softmax"]


def sigmoid(x: float) -> float:
    """σ(x) = 1 / (1 + e⁻ˣ), computed from e^-|x| so that it never overflows."""
    if x >= 0.0:
        return 1.0 / (1.0 + math.exp(-x))
    if x < 0.0:
        e = math.exp(x)
        return e / (1.0 + e)
    raise ValueError(f"sigmoid needs a number, got {show(x)}")


def softmax(values: Sequence[float]) -> list[float]:
    """pᵢ = e^zᵢ / Σⱼ e^zⱼ, computed as e^(zᵢ − max z) / Σⱼ e^(zⱼ − max z) so that no
    exponential overflows. Every value must be a finite number; the result is then
    finite too (each exponential is at most 1, and their sum at least 1)."""
    for z in values:
        if type(z) is not float or z - z:  # anything but a finite float: check them all
            values = as_finite_list(values, "softmax", "numbers")
            break
    if not values:
        raise ValueError("softmax of no values")
    top = max(values)
    exps = [math.exp(z - top) for z in values]
    total = sum(exps)
    return [e / total for e in exps]
