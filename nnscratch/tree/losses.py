"""Loss functions for one example, each with its derivative with respect to the prediction.

The tree framework trains on one example at a time: `train_model` computes the loss of
one prediction, and starts the backward pass with ∂L/∂prediction.

* squared error:   L = (y − ŷ)²                    ∂L/∂ŷ = 2(ŷ − y)
* binary cross-entropy, label y ∈ [0, 1], probability p:
                   L = −y ln p − (1 − y) ln(1 − p)  ∂L/∂p = (p − y) / (p(1 − p))
* categorical cross-entropy, class k, probabilities p₁ … pₙ:
                   L = −ln pₖ                        ∂L/∂pᵢ = −1/pₖ if i = k, else 0

Probabilities are clipped to [ε, 1 − ε] (ε = 10⁻¹², and 1 − ε is below 1 in floating
point) so that a confident wrong answer gives a large loss instead of ln 0.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from numbers import Integral, Real

__all__ = ["mse_loss", "mse_loss_grad", "bce_loss", "bce_loss_grad",
           "categorical_cross_entropy", "categorical_cross_entropy_grad"]

EPS = 1e-12


def _real(x: object, what: str) -> float:
    t = type(x)
    if t is float or t is int:
        return float(x)  # type: ignore[arg-type]
    if isinstance(x, bool) or not isinstance(x, Real):
        raise TypeError(f"{what} must be a number, got {t.__name__} {x!r}")
    return float(x)


def mse_loss(y_true: float, y_pred: float) -> float:
    """The squared error (y − ŷ)² of one prediction."""
    return (_real(y_true, "y_true") - _real(y_pred, "y_pred")) ** 2


def mse_loss_grad(y_true: float, y_pred: float) -> float:
    """∂/∂ŷ (y − ŷ)² = 2(ŷ − y)."""
    return 2.0 * (_real(y_pred, "y_pred") - _real(y_true, "y_true"))


def _probability(p: object, what: str) -> float:
    p = _real(p, what)
    if not 0.0 <= p <= 1.0:
        raise ValueError(f"{what} must be a probability between 0 and 1, got {p!r}")
    return min(max(p, EPS), 1.0 - EPS)


def bce_loss(y_true: float, y_pred: float) -> float:
    """−y ln p − (1 − y) ln(1 − p) for a label y in [0, 1] and a probability p."""
    y = _real(y_true, "y_true")
    if not 0.0 <= y <= 1.0:
        raise ValueError(f"bce_loss: the label must lie between 0 and 1, got {y_true!r}")
    p = _probability(y_pred, "bce_loss: the prediction")
    return -y * math.log(p) - (1.0 - y) * math.log(1.0 - p)


def bce_loss_grad(y_true: float, y_pred: float) -> float:
    """∂L/∂p = −y/p + (1 − y)/(1 − p) = (p − y) / (p(1 − p))."""
    y = _real(y_true, "y_true")
    if not 0.0 <= y <= 1.0:
        raise ValueError(f"bce_loss_grad: the label must lie between 0 and 1, got {y_true!r}")
    p = _probability(y_pred, "bce_loss_grad: the prediction")
    return (p - y) / (p * (1.0 - p))


def _class(y_true: object, n: int, what: str) -> int:
    if isinstance(y_true, bool) or not isinstance(y_true, Integral):
        raise TypeError(f"{what}: the label must be a class number (an int), got {type(y_true).__name__} {y_true!r}")
    if not 0 <= y_true < n:
        raise ValueError(f"{what}: class {y_true} does not exist; there are {n} classes, 0 to {n - 1}")
    return int(y_true)


def categorical_cross_entropy(y_true: int, y_pred: Sequence[float]) -> float:
    """−ln pₖ for the true class k and probabilities ``y_pred`` (e.g. from `Softmax`)."""
    k = _class(y_true, len(y_pred), "categorical_cross_entropy")
    return -math.log(_probability(y_pred[k], "categorical_cross_entropy: a probability"))


def categorical_cross_entropy_grad(y_true: int, y_pred: Sequence[float]) -> list[float]:
    """∂L/∂pᵢ: −1/pₖ for the true class k, 0 for the others."""
    k = _class(y_true, len(y_pred), "categorical_cross_entropy_grad")
    grads = [0.0] * len(y_pred)
    grads[k] = -1.0 / _probability(y_pred[k], "categorical_cross_entropy_grad: a probability")
    return grads
