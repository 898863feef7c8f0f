"""Loss functions on `Value`s: how far predictions are from targets, as one number.

* mean squared error:  (1/n) Σ (ŷᵢ - yᵢ)²
* hinge (max-margin):  (1/n) Σ max(0, 1 - yᵢ·sᵢ)      labels yᵢ ∈ {-1, +1}, scores sᵢ
* binary cross-entropy: -(1/n) Σ [yᵢ ln pᵢ + (1 - yᵢ) ln(1 - pᵢ)]   labels ∈ {0, 1}, 0 ≤ pᵢ ≤ 1
* L2 penalty:          Σ p²  over the parameters p

Predictions may be `Value`s or plain numbers (a loss of plain numbers is a `Value`
with nothing to differentiate); targets and labels are plain numbers. Building a loss
pauses the garbage collector's full passes, as calling a model does (`nnscratch.collector`).
"""

from __future__ import annotations

from collections.abc import Sequence
from numbers import Real
from typing import Union

from .collector import pausing_full_collections
from .engine import Number, Value, _as_float, _show

Prediction = Union[Value, Number]


def _pairs(name: str, predictions: Sequence[Prediction], targets: Sequence[Number]) -> int:
    n = len(predictions)
    if n != len(targets):
        raise ValueError(f"{name}: {n} predictions but {len(targets)} targets")
    if n == 0:
        raise ValueError(f"{name}: no predictions")
    return n


def _values(name: str, predictions: Sequence[Prediction]) -> list[Value]:
    """Every prediction as a Value (a plain number becomes a leaf)."""
    return [p if isinstance(p, Value) else Value(_as_float(p, f"{name}: prediction {i}"))
            for i, p in enumerate(predictions)]


def _targets(name: str, targets: Sequence[Number]) -> list[float]:
    return [_as_float(y, f"{name}: target {i}") for i, y in enumerate(targets)]


def _labels(name: str, targets: Sequence[Number], allowed: tuple[int, int]) -> list[int]:
    labels = []
    for i, y in enumerate(targets):
        if isinstance(y, bool) or not isinstance(y, Real) or y not in allowed:
            raise ValueError(
                f"{name}: target {i} is {_show(y)}; labels must be {allowed[0]} or {allowed[1]}"
            )
        labels.append(int(y))
    return labels


@pausing_full_collections
def mse(predictions: Sequence[Prediction], targets: Sequence[Number]) -> Value:
    """Mean squared error (1/n) Σ (ŷᵢ - yᵢ)²."""
    n = _pairs("mse", predictions, targets)
    ps, ys = _values("mse", predictions), _targets("mse", targets)
    return sum(((p - y) ** 2 for p, y in zip(ps, ys)), Value(0.0)) * (1.0 / n)


@pausing_full_collections
def hinge(scores: Sequence[Prediction], labels: Sequence[int]) -> Value:
    """Mean hinge loss (1/n) Σ max(0, 1 - yᵢ·sᵢ) for labels yᵢ ∈ {-1, +1}.

    Zero for a point classified correctly with margin at least 1.
    """
    n = _pairs("hinge", scores, labels)
    ys = _labels("hinge", labels, (-1, 1))
    ss = _values("hinge", scores)
    return sum(((1 + -y * s).relu() for s, y in zip(ss, ys)), Value(0.0)) * (1.0 / n)


@pausing_full_collections
def binary_cross_entropy(probabilities: Sequence[Prediction], labels: Sequence[int]) -> Value:
    """-(1/n) Σ [yᵢ ln pᵢ + (1 - yᵢ) ln(1 - pᵢ)] for labels yᵢ ∈ {0, 1}.

    Each pᵢ is a probability, 0 ≤ pᵢ ≤ 1 (a sigmoid's output, for instance). The loss
    is infinite, and so refused, when a prediction is certain and wrong: pᵢ = 0 for a
    label 1, or pᵢ = 1 for a label 0.
    """
    name = "binary_cross_entropy"
    n = _pairs(name, probabilities, labels)
    ys = _labels(name, labels, (0, 1))
    ps = _values(name, probabilities)
    total = Value(0.0)
    for i, (p, y) in enumerate(zip(ps, ys)):
        if not 0.0 <= p.data <= 1.0:
            raise ValueError(
                f"{name}: prediction {i} is {p.data!r}, not a probability (it must lie in [0, 1]; "
                "a sigmoid turns any score into one)"
            )
        likelihood = p if y == 1 else 1 - p
        if likelihood.data == 0.0:
            raise ValueError(
                f"{name}: prediction {i} is {p.data!r} for label {y}: certain and wrong, "
                f"so its loss -ln {likelihood.data!r} is infinite"
            )
        total = total - likelihood.log()  # 0 - 0 is 0.0, never -0.0
    return total * (1.0 / n)


@pausing_full_collections
def l2(parameters: Sequence[Value]) -> Value:
    """The L2 penalty Σ p², which pulls every parameter towards 0."""
    return sum((p * p for p in parameters), Value(0.0))
