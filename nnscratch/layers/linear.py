"""`Lin`: the linear (fully connected) layer  y = x @ W + b.

Shapes, for a batch of n rows:  x (n, nin),  W (nin, nout),  b (nout,),  y (n, nout).
Entry by entry,  y[i, j] = Σ_k x[i, k] · W[k, j] + b[j].

Backward, with g = ∂L/∂y of shape (n, nout):

* ∂L/∂x = g @ Wᵀ      (n, nout) @ (nout, nin) → (n, nin)
  since x[i, k] reaches L through every y[i, j], with weight W[k, j];
* ∂L/∂W = xᵀ @ g      (nin, n) @ (n, nout) → (nin, nout)
  since W[k, j] reaches L through y[i, j] of every row i, with weight x[i, k];
* ∂L/∂b = Σ_rows g    (nout,)
  since b[j] is added to y[i, j] of every row i.

Each gradient has the shape of the thing it is the gradient of, which is a good way
to remember where the transposes go.
"""

from __future__ import annotations

import numpy as np

from .init import INITS, Seed
from .module import Module
from .tensor import Tensor, as_float_array

__all__ = ["Lin"]


class Lin(Module):
    """y = x @ W + b, with W of shape (nin, nout) and b of shape (nout,).

    ``Lin(nin, nout, init="xavier", seed=0)`` draws W with `xavier` or `he`
    initialisation and sets b to zero; ``Lin.from_arrays(W, b)`` uses given arrays.
    The parameters are the tensors ``w`` and ``b``.
    """

    def __init__(self, nin: int, nout: int, init: str = "xavier", seed: Seed = 0) -> None:
        if not isinstance(init, str) or init not in INITS:
            raise ValueError(f"init must be one of {', '.join(INITS)}; got {init!r}")
        self._set(INITS[init](nin, nout, seed), np.zeros(nout))

    @classmethod
    def from_arrays(cls, w: np.ndarray, b: np.ndarray) -> Lin:
        """A layer with the given weights (nin, nout) and biases (nout,), copied."""
        layer = cls.__new__(cls)
        layer._set(as_float_array(w, "Lin weights").copy(), as_float_array(b, "Lin biases").copy())
        return layer

    def _set(self, w: np.ndarray, b: np.ndarray) -> None:
        if w.ndim != 2:
            raise ValueError(f"Lin weights must be a 2-d array (nin, nout), got shape {w.shape}")
        if 0 in w.shape:
            raise ValueError(f"Lin weights must have at least one row and one column, got shape {w.shape}")
        if b.shape != (w.shape[1],):
            raise ValueError(f"Lin biases must have shape ({w.shape[1]},) to match weights {w.shape}, got {b.shape}")
        self.w = Tensor(w)
        self.b = Tensor(b)
        self.nin, self.nout = w.shape

    def forward(self, x: np.ndarray) -> np.ndarray:
        if x.ndim != 2 or x.shape[1] != self.nin:
            raise ValueError(f"{self!r} takes inputs of shape (n, {self.nin}), got {x.shape}")
        y = x @ self.w.data
        y += self.b.data
        return y

    def bwd(self, out: Tensor, inp: Tensor) -> None:
        g = out.g
        w = self.w
        inp.g = g @ w.data.T  # matrix products: checked as they are stored
        w.g = inp.data.T @ g
        self.b.set_g_unchecked(g.sum(axis=0))  # NumPy itself reports a sum that overflows

    def parameters(self) -> list[Tensor]:
        return [self.w, self.b]

    def __repr__(self) -> str:
        return f"Lin({self.nin} -> {self.nout})"
