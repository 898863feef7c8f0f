"""Stochastic gradient descent: step every parameter against its gradient.

    p ← p - lr · ∂loss/∂p
"""

from __future__ import annotations

import math
from collections.abc import Iterable

from .engine import Value


class SGD:
    """Plain gradient descent on a list of parameters (`Value` objects).

    ``lr`` can be changed between steps (a learning-rate schedule sets it each step).
    """

    #: what a parameter must be (`nnscratch.layers.SGD` steps array tensors instead)
    parameter_type: type = Value

    def __init__(self, parameters: Iterable[Value], lr: float = 0.1) -> None:
        self.parameters = list(parameters)
        kind = self.parameter_type
        for i, p in enumerate(self.parameters):
            if not isinstance(p, kind):
                raise TypeError(f"SGD: parameter {i} is a {type(p).__name__}, not a {kind.__name__}")
        if len(self.parameters) == 0:
            raise ValueError("SGD: no parameters to optimise")
        self.lr = lr

    @property
    def lr(self) -> float:
        return self._lr

    @lr.setter
    def lr(self, value: float) -> None:
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 < value < math.inf:
            raise ValueError(f"SGD: the learning rate must be a positive, finite number, got {value!r}")
        self._lr = float(value)

    def step(self) -> None:
        """p ← p - lr · p.grad for every parameter."""
        lr = self._lr
        for p in self.parameters:
            p.data -= lr * p.grad

    def zero_grad(self) -> None:
        """Reset every parameter's gradient to 0 before the next backward pass."""
        for p in self.parameters:
            p.grad = 0.0

    def __repr__(self) -> str:
        return f"SGD({len(self.parameters)} parameters, lr={self._lr})"
