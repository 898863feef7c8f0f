"""Activation functions, applied element by element, with their derivatives.

* ReLU:     y = max(0, x),          ∂y/∂x = 1 where x > 0, else 0
* Sigmoid:  y = σ(x) = 1/(1+e⁻ˣ),  ∂y/∂x = σ(x) · (1 − σ(x)) = y · (1 − y)

Element by element means each output depends on its own input only, so the chain
rule is a plain (element-wise) product: ∂L/∂x = ∂L/∂y · ∂y/∂x.
"""

from __future__ import annotations

import numpy as np

from .module import Module
from .tensor import Tensor

__all__ = ["ReLU", "Sigmoid", "sigmoid"]


def sigmoid(x: np.ndarray) -> np.ndarray:
    """σ(x) = 1 / (1 + e⁻ˣ), computed from e^-|x| so that no exponential overflows:
    for x ≥ 0 it is 1 / (1 + e^-x); for x < 0 the same number is e^x / (1 + e^x)."""
    e = np.exp(-np.abs(x))
    s = 1.0 / (1.0 + e)
    return np.where(x >= 0, s, e * s)


class ReLU(Module):
    """y = max(0, x); ∂L/∂x = ∂L/∂y where x > 0, and 0 elsewhere."""

    finite_by_construction = True  # max(0, x) is finite when x is

    def forward(self, x: np.ndarray) -> np.ndarray:
        return np.maximum(x, 0.0)

    def bwd(self, out: Tensor, inp: Tensor) -> None:
        inp.set_g_unchecked(out.g * (inp.data > 0.0))  # out.g or 0: finite


class Sigmoid(Module):
    """y = σ(x); ∂L/∂x = ∂L/∂y · y · (1 − y)."""

    finite_by_construction = True  # σ(x) lies in [0, 1]

    def forward(self, x: np.ndarray) -> np.ndarray:
        return sigmoid(x)

    def bwd(self, out: Tensor, inp: Tensor) -> None:
        y = out.data
        inp.set_g_unchecked(out.g * y * (1.0 - y))  # |y(1 - y)| <= 1/4: finite
