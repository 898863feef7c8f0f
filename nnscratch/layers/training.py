"""Training: a gradient-descent step, and the data in shuffled mini-batches.

SGD moves every parameter a little against its gradient,

    p ← p − lr · ∂L/∂p

where L is the loss on a *mini-batch*: a few rows of the training set rather than
all of them. Each epoch shuffles the rows (with a seeded generator, so runs repeat)
and cuts them into batches; the gradient of a batch is a noisy but cheap estimate of
the gradient on the whole set.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

import numpy as np

from .init import Seed, make_rng
from .tensor import Tensor, as_float_array

__all__ = ["SGD", "batches"]


class SGD:
    """p ← p − lr · p.g for every parameter, in place."""

    def __init__(self, parameters: Iterable[Tensor], lr: float = 0.1) -> None:
        self.parameters = list(parameters)
        if not self.parameters:
            raise ValueError("SGD: no parameters to optimise")
        for i, p in enumerate(self.parameters):
            if not isinstance(p, Tensor):
                raise TypeError(f"SGD: parameter {i} is a {type(p).__name__}, not a Tensor")
        self.lr = lr

    @property
    def lr(self) -> float:
        return self._lr

    @lr.setter
    def lr(self, value: float) -> None:
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not value > 0:
            raise ValueError(f"SGD: the learning rate must be a positive number, got {value!r}")
        self._lr = float(value)

    def step(self) -> None:
        lr = self._lr
        for p in self.parameters:
            g = p.g
            if g is None:
                raise RuntimeError("SGD.step(): a parameter has no gradient; run backward() first")
            p.data -= lr * g

    def __repr__(self) -> str:
        return f"SGD({len(self.parameters)} tensors, lr={self._lr})"


def batches(
    x: Any, y: Any, batch_size: int, seed: Seed = 0, shuffle: bool = True, drop_last: bool = False
) -> Iterator[tuple[np.ndarray, np.ndarray]]:
    """One epoch of ``(x_batch, y_batch)`` pairs, rows shuffled by ``seed`` (an int or a
    generator; pass one generator to get a new order every epoch).

    When ``batch_size`` does not divide the number of rows, the last batch is smaller;
    ``drop_last=True`` leaves it out (a step on a handful of rows is as large as a step
    on a full batch, but much noisier; with shuffling, different rows miss out each epoch).
    """
    x = as_float_array(x, "batches: x")
    y = as_float_array(y, "batches: y")
    if x.ndim == 0 or y.ndim == 0 or x.shape[0] != y.shape[0]:
        raise ValueError(f"batches: x and y need the same number of rows, got shapes {x.shape} and {y.shape}")
    if isinstance(batch_size, bool) or not isinstance(batch_size, (int, np.integer)) or batch_size < 1:
        raise ValueError(f"batches: batch_size must be a positive int, got {batch_size!r}")
    n = x.shape[0]
    order = make_rng(seed).permutation(n) if shuffle else np.arange(n)
    end = n - n % batch_size if drop_last else n
    for start in range(0, end, batch_size):
        rows = order[start:start + batch_size]
        yield x[rows], y[rows]
