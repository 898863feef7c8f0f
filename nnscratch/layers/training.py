"""Training: a gradient-descent step, and the data in shuffled mini-batches.

SGD moves every parameter a little against its gradient,

    p ← p − lr · ∂L/∂p

where L is the loss on a *mini-batch*: a few rows of the training set rather than
all of them. Each epoch shuffles the rows (with a seeded generator, so runs repeat)
and cuts them into batches; the gradient of a batch is a noisy but cheap estimate of
the gradient on the whole set.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import numpy as np

from .. import optim
from .init import Seed, make_rng
from .module import arithmetic_error, numpy_raises
from .tensor import Tensor, as_float_array

__all__ = ["SGD", "batches"]


class SGD(optim.SGD):
    """p ← p − lr · p.g for every parameter tensor, in place (``lr`` as in
    `nnscratch.optim.SGD`, which this steps arrays instead of scalars).

    A gradient is always finite (`Tensor.g` sees to it), so a step can go wrong only by
    overflowing: then an `OverflowError` names the parameter, and no parameter has moved.
    """

    parameter_type = Tensor

    def step(self) -> None:
        lr = self.lr
        steps = []
        with numpy_raises():
            for i, p in enumerate(self.parameters):
                g = p.g
                if g is None:
                    raise RuntimeError(f"SGD.step(): parameter {i} has no gradient; run backward() first")
                try:
                    step = lr * g
                    steps.append(np.subtract(p.data, step, out=step))  # the new values, not yet stored
                except FloatingPointError as exc:
                    raise arithmetic_error(f"SGD.step(), parameter {i} (lr = {lr!r})", exc, (p.data, g)) from None
        for p, new in zip(self.parameters, steps):
            np.copyto(p.data, new)

    def zero_grad(self) -> None:
        """Forget the gradients (each backward pass overwrites them anyway)."""
        for p in self.parameters:
            p.g = None

    def __repr__(self) -> str:
        return f"SGD({len(self.parameters)} tensors, lr={self.lr})"


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
    for flag, name in ((shuffle, "shuffle"), (drop_last, "drop_last")):
        if not isinstance(flag, (bool, np.bool_)):
            raise TypeError(f"batches: {name} must be True or False, got {flag!r}")
    n = x.shape[0]
    order = make_rng(seed).permutation(n) if shuffle else np.arange(n)
    end = n - n % batch_size if drop_last else n
    for start in range(0, end, batch_size):
        rows = order[start:start + batch_size]
        yield x[rows], y[rows]
