"""Loss functions on `Value`s: how far predictions are from targets, as one number.

* mean squared error:  (1/n) Σ (ŷᵢ - yᵢ)²
* hinge (max-margin):  (1/n) Σ max(0, 1 - yᵢ·sᵢ)      labels yᵢ ∈ {-1, +1}, scores sᵢ
* binary cross-entropy: -(1/n) Σ [yᵢ ln pᵢ + (1 - yᵢ) ln(1 - pᵢ)]   labels ∈ {0, 1}, 0 < pᵢ < 1
* L2 penalty:          Σ p²  over the parameters p
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Union

from .engine import Number, Value

Prediction = Union[Value, Number]


def _pairs(name: str, predictions: Sequence[Prediction], targets: Sequence[Number]) -> int:
    n = len(predictions)
    if n != len(targets):
        raise ValueError(f"{name}: {n} predictions but {len(targets)} targets")
    if n == 0:
        raise ValueError(f"{name}: no predictions")
    return n


def _labels(name: str, targets: Sequence[Number], allowed: tuple[int, int]) -> None:
    for i, y in enumerate(targets):
        if y not in allowed or isinstance(y, bool):
            raise ValueError(f"{name}: target {i} is {y!r}; labels must be {allowed[0]} or {allowed[1]}")


def mse(predictions: Sequence[Prediction], targets: Sequence[Number]) -> Value:
    """Mean squared error (1/n) Σ (ŷᵢ - yᵢ)²."""
    n = _pairs("mse", predictions, targets)
    return sum(((p - y) ** 2 for p, y in zip(predictions, targets)), Value(0.0)) * (1.0 / n)


def hinge(scores: Sequence[Value], labels: Sequence[int]) -> Value:
    """Mean hinge loss (1/n) Σ max(0, 1 - yᵢ·sᵢ) for labels yᵢ ∈ {-1, +1}.

    Zero for a point classified correctly with margin at least 1.
    """
    n = _pairs("hinge", scores, labels)
    _labels("hinge", labels, (-1, 1))
    return sum(((1 + -y * s).relu() for s, y in zip(scores, labels)), Value(0.0)) * (1.0 / n)


def binary_cross_entropy(probabilities: Sequence[Value], labels: Sequence[int]) -> Value:
    """-(1/n) Σ [yᵢ ln pᵢ + (1 - yᵢ) ln(1 - pᵢ)] for labels yᵢ ∈ {0, 1}.

    Each pᵢ must lie strictly between 0 and 1 (the log raises an error otherwise).
    """
    n = _pairs("binary_cross_entropy", probabilities, labels)
    _labels("binary_cross_entropy", labels, (0, 1))
    terms = (p.log() if y == 1 else (1 - p).log() for p, y in zip(probabilities, labels))
    return sum(terms, Value(0.0)) * (-1.0 / n)


def l2(parameters: Sequence[Value]) -> Value:
    """The L2 penalty Σ p², which pulls every parameter towards 0."""
    return sum((p * p for p in parameters), Value(0.0))
