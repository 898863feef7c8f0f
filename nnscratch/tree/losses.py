"""Loss functions for one example, each with its derivative with respect to the prediction.

The tree framework trains on one example at a time: `train_model` computes the loss of
one prediction, and starts the backward pass with ∂L/∂prediction.

* squared error:   L = (y − ŷ)²                    ∂L/∂ŷ = 2(ŷ − y)
* binary cross-entropy, label y ∈ [0, 1], probability p:
                   L = −y ln p − (1 − y) ln(1 − p)  ∂L/∂p = (p − y) / (p(1 − p))
* categorical cross-entropy, class k, probabilities p₁ … pₙ:
                   L = −ln pₖ                        ∂L/∂pᵢ = −1/pₖ if i = k, else 0

Probabilities are clipped to [ε, 1 − ε] (ε = 10⁻¹², and 1 − ε is below 1 in floating
point) so that a confident wrong answer gives a large loss instead of ln 0. What is not a
probability (1.5, a list that does not sum to 1, such as raw scores) is refused, and
so is a squared error too large for a float.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from numbers import Integral

from .checks import as_finite, not_finite, show

__all__ = ["mse_loss", "mse_loss_grad", "bce_loss", "bce_loss_grad",
           "categorical_cross_entropy", "categorical_cross_entropy_grad"]

EPS = 1e-12

#: How far the probabilities given to the categorical cross-entropy may sum from 1.
SUM_TOLERANCE = 1e-6


def _finite(result: float, what: str) -> float:
    if result - result:
        raise not_finite(what, result)
    return result


def mse_loss(y_true: float, y_pred: float) -> float:
    """The squared error (y − ŷ)² of one prediction."""
    y, p = as_finite(y_true, "mse_loss: y_true"), as_finite(y_pred, "mse_loss: y_pred")
    d = y - p
    return _finite(d * d, f"mse_loss({y!r}, {p!r}) = ({y!r} - {p!r})²")


def mse_loss_grad(y_true: float, y_pred: float) -> float:
    """∂/∂ŷ (y − ŷ)² = 2(ŷ − y)."""
    y, p = as_finite(y_true, "mse_loss_grad: y_true"), as_finite(y_pred, "mse_loss_grad: y_pred")
    return _finite(2.0 * (p - y), f"mse_loss_grad({y!r}, {p!r}) = 2 * ({p!r} - {y!r})")


def _probability(p: object, what: str) -> float:
    p = as_finite(p, what)
    if not 0.0 <= p <= 1.0:
        raise ValueError(f"{what} must be a probability between 0 and 1, got {p!r}")
    return min(max(p, EPS), 1.0 - EPS)


def _label(y_true: object, what: str) -> float:
    y = as_finite(y_true, f"{what}: the label")
    if not 0.0 <= y <= 1.0:
        raise ValueError(f"{what}: the label must lie between 0 and 1, got {show(y_true)}")
    return y


def bce_loss(y_true: float, y_pred: float) -> float:
    """−y ln p − (1 − y) ln(1 − p) for a label y in [0, 1] and a probability p."""
    y = _label(y_true, "bce_loss")
    p = _probability(y_pred, "bce_loss: the prediction")
    return -y * math.log(p) - (1.0 - y) * math.log(1.0 - p)


def bce_loss_grad(y_true: float, y_pred: float) -> float:
    """∂L/∂p = −y/p + (1 − y)/(1 − p) = (p − y) / (p(1 − p))."""
    y = _label(y_true, "bce_loss_grad")
    p = _probability(y_pred, "bce_loss_grad: the prediction")
    return (p - y) / (p * (1.0 - p))


def _class_and_probability(y_true: object, y_pred: object, what: str) -> tuple[int, int, float]:
    """The true class k, the number of classes, and pₖ (clipped), after checking that
    ``y_pred`` is a list of probabilities that sums to 1 and k one of its classes."""
    if isinstance(y_pred, (str, bytes, Mapping)) or not isinstance(y_pred, Sequence) and not (
            hasattr(y_pred, "__len__") and hasattr(y_pred, "__getitem__")):
        raise TypeError(f"{what}: the prediction must be a list of probabilities, one per class "
                        f"(e.g. from Softmax), got {type(y_pred).__name__} {show(y_pred)}")
    n = len(y_pred)
    if n == 0:
        raise ValueError(f"{what}: the prediction holds no probabilities")
    raw = [as_finite(p, f"{what}: probability {i}") for i, p in enumerate(y_pred)]
    for i, p in enumerate(raw):
        if not 0.0 <= p <= 1.0:
            raise ValueError(f"{what}: probability {i} must lie between 0 and 1, got {p!r} "
                             "(scores need a Softmax first)")
    total = math.fsum(raw)
    if abs(total - 1.0) > SUM_TOLERANCE:
        raise ValueError(f"{what}: the probabilities must sum to 1, these sum to {total!r} "
                         "(scores need a Softmax first)")
    if isinstance(y_true, bool) or not isinstance(y_true, Integral):
        raise TypeError(f"{what}: the label must be a class number (an int), got {type(y_true).__name__} "
                        f"{show(y_true)}")
    if not 0 <= y_true < n:
        raise ValueError(f"{what}: class {show(y_true)} does not exist; there are {n} classes, 0 to {n - 1}")
    k = int(y_true)
    return k, n, min(max(raw[k], EPS), 1.0 - EPS)


def categorical_cross_entropy(y_true: int, y_pred: Sequence[float]) -> float:
    """−ln pₖ for the true class k and probabilities ``y_pred`` (e.g. from `Softmax`)."""
    _, _, p = _class_and_probability(y_true, y_pred, "categorical_cross_entropy")
    return -math.log(p)


def categorical_cross_entropy_grad(y_true: int, y_pred: Sequence[float]) -> list[float]:
    """∂L/∂pᵢ: −1/pₖ for the true class k, 0 for the others."""
    k, n, p = _class_and_probability(y_true, y_pred, "categorical_cross_entropy_grad")
    grads = [0.0] * n
    grads[k] = -1.0 / p
    return grads
