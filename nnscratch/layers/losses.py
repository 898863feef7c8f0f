"""Losses: the module at the end of a network, turning predictions into one number L.

* `Mse`:  L = (1/N) Σ (ŷ − y)² over all N entries;  ∂L/∂ŷ = (2/N) · (ŷ − y).
* `SoftmaxCrossEntropy`: for logits z of shape (n, k) and class labels yᵢ ∈ {0, …, k−1},

      pᵢ = softmax(zᵢ),  pᵢⱼ = e^zᵢⱼ / Σₘ e^zᵢₘ
      L  = −(1/n) Σᵢ log pᵢ,yᵢ = (1/n) Σᵢ (logsumexp(zᵢ) − zᵢ,yᵢ)
      ∂L/∂z = (p − onehot(y)) / n

  computed with the log-sum-exp trick, logsumexp(z) = m + log Σₘ e^(zₘ − m) with
  m = maxₘ zₘ: every exponent is ≤ 0, so nothing overflows, and one term is e⁰ = 1,
  so the log never sees 0.
* `Hinge`: for scores s and labels yᵢ ∈ {−1, +1},  L = (1/n) Σ max(0, 1 − yᵢsᵢ);
  ∂L/∂sᵢ = −yᵢ/n where 1 − yᵢsᵢ > 0, else 0.
"""

from __future__ import annotations

import numpy as np

from .module import Loss
from .tensor import Tensor

__all__ = ["Mse", "SoftmaxCrossEntropy", "Hinge"]


def _as_column_target(name: str, pred: np.ndarray, target: np.ndarray) -> np.ndarray:
    """``target`` shaped like ``pred``: equal shapes, or (n,) targets for (n, 1) predictions."""
    if target.shape == pred.shape:
        return target
    if pred.ndim == 2 and pred.shape[1] == 1 and target.shape == pred.shape[:1]:
        return target.reshape(pred.shape)
    raise ValueError(f"{name}: predictions of shape {pred.shape} but targets of shape {target.shape}")


def _labels_for(name: str, pred: np.ndarray, labels: np.ndarray) -> int:
    """Check that there is one label per row of ``pred``; return the number of rows."""
    n = pred.shape[0] if pred.ndim else 0
    if labels.ndim != 1 or labels.shape[0] != n:
        raise ValueError(f"{name}: {pred.shape} predictions need labels of shape ({n},), got {labels.shape}")
    if n == 0:
        raise ValueError(f"{name}: no predictions")
    return n


class Mse(Loss):
    """Mean squared error L = (1/N) Σ (ŷ − y)²; ∂L/∂ŷ = (2/N) · (ŷ − y).

    Targets have the shape of the predictions, or shape (n,) for predictions (n, 1).
    """

    finite_by_construction = True  # NumPy reports an overflow of the squares or their mean

    def forward(self, pred: np.ndarray, target: np.ndarray) -> np.ndarray:
        if pred.size == 0:
            raise ValueError("Mse: no predictions")
        diff = pred - _as_column_target("Mse", pred, target)
        return np.mean(diff * diff)

    def bwd(self, out: Tensor, inp: Tensor, target: Tensor) -> None:
        pred = inp.data
        # finite: forward squared these differences without overflow
        inp.set_g_unchecked((2.0 * out.g / pred.size) * (pred - target.data.reshape(pred.shape)))


class SoftmaxCrossEntropy(Loss):
    """Cross-entropy of softmax(logits) against class labels; see the module docstring.

    Takes logits (n, k), the raw scores of the last `Lin` layer (no softmax before it),
    and labels (n,): whole numbers 0 … k−1 (given as ints or floats).
    ``forward`` keeps the probabilities p, which ``bwd`` needs.
    """

    finite_by_construction = True  # every exponent is <= 0 and every log sees a number >= 1

    def forward(self, logits: np.ndarray, labels: np.ndarray) -> np.ndarray:
        if logits.ndim != 2:
            raise ValueError(f"SoftmaxCrossEntropy: logits must have shape (n, classes), got {logits.shape}")
        n = _labels_for("SoftmaxCrossEntropy", logits, labels)
        k = logits.shape[1]
        if k == 0:
            raise ValueError(f"SoftmaxCrossEntropy: logits of shape {logits.shape} have no classes")
        if labels.min() < 0 or labels.max() > k - 1 or (labels != np.floor(labels)).any():
            raise ValueError(f"SoftmaxCrossEntropy: labels must be whole numbers from 0 to {k - 1}")
        classes = labels.astype(np.intp)
        rows = np.arange(n)
        shifted = logits - logits.max(axis=1, keepdims=True)
        exps = np.exp(shifted)
        sums = exps.sum(axis=1, keepdims=True)
        self._probs = exps / sums
        self._rows, self._classes = rows, classes
        # log p[i, y_i] = shifted[i, y_i] - log Σ_j exp(shifted[i, j])
        return np.mean(np.log(sums[:, 0]) - shifted[rows, classes])

    def bwd(self, out: Tensor, inp: Tensor, labels: Tensor) -> None:
        g = self._probs.copy()
        g[self._rows, self._classes] -= 1.0
        g *= out.g / g.shape[0]
        inp.set_g_unchecked(g)  # probabilities minus one-hot, over n: finite


class Hinge(Loss):
    """Mean hinge loss L = (1/n) Σ max(0, 1 − yᵢsᵢ) for labels yᵢ ∈ {−1, +1}.

    ∂L/∂sᵢ = −yᵢ/n where the margin 1 − yᵢsᵢ is positive, 0 elsewhere (also at 0).
    Scores have shape (n,) or (n, 1).
    """

    finite_by_construction = True  # NumPy reports an overflow of 1 - y·s

    def forward(self, scores: np.ndarray, labels: np.ndarray) -> np.ndarray:
        if scores.ndim == 2 and scores.shape[1] == 1:
            scores = scores[:, 0]
        if scores.ndim != 1:
            raise ValueError(f"Hinge: scores must have shape (n,) or (n, 1), got {scores.shape}")
        _labels_for("Hinge", scores, labels)
        if not np.all((labels == 1.0) | (labels == -1.0)):
            raise ValueError("Hinge: labels must be -1 or +1")
        return np.mean(np.maximum(1.0 - labels * scores, 0.0))

    def bwd(self, out: Tensor, inp: Tensor, labels: Tensor) -> None:
        y = labels.data
        s = inp.data.reshape(y.shape)
        g = np.where(1.0 - y * s > 0.0, -y, 0.0) * (out.g / y.shape[0])
        inp.set_g_unchecked(g.reshape(inp.data.shape))  # 0 or ±1/n
