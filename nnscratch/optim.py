"""Stochastic gradient descent: step every parameter against its gradient.

    p ← p - lr · ∂loss/∂p
"""

from __future__ import annotations

import math
from collections.abc import Iterable

from .engine import Value, _finite_real, _show


def learning_rate(value: object) -> float:
    """``value`` as a positive, finite float (any real number type), or ValueError."""
    try:
        lr = _finite_real(value, "SGD: the learning rate")
    except ValueError:
        lr = math.nan  # not a finite number at all: refused below, with the one message
    if not lr > 0.0:
        raise ValueError(f"SGD: the learning rate must be a positive, finite number, got {_show(value)}")
    return lr


class SGD:
    """Plain gradient descent on a list of parameters (`Value` objects).

    ``lr`` can be changed between steps (a learning-rate schedule sets it each step).
    A parameter may appear only once: listed twice, it would be stepped twice, so that
    is refused (``list(dict.fromkeys(params))`` removes repeats and keeps the order).
    """

    #: what a parameter must be (`nnscratch.layers.SGD` steps array tensors instead)
    parameter_type: type = Value

    def __init__(self, parameters: Iterable[Value], lr: float = 0.1) -> None:
        self.parameters = list(parameters)
        kind = self.parameter_type
        first: dict[int, int] = {}
        for i, p in enumerate(self.parameters):
            if not isinstance(p, kind):
                raise TypeError(f"SGD: parameter {i} is a {type(p).__name__}, not a {kind.__name__}")
            j = first.setdefault(id(p), i)
            if j != i:
                raise ValueError(
                    f"SGD: parameter {i} is parameter {j} again; listed twice, it would be "
                    "stepped twice (list(dict.fromkeys(params)) keeps one of each)"
                )
        if len(self.parameters) == 0:
            raise ValueError("SGD: no parameters to optimise")
        self.lr = lr

    @property
    def lr(self) -> float:
        return self._lr

    @lr.setter
    def lr(self, value: float) -> None:
        self._lr = learning_rate(value)

    def step(self) -> None:
        """p ← p - lr · p.grad for every parameter.

        If any new value would not be a finite float, no parameter changes and
        OverflowError names the first one.
        """
        lr = self._lr
        params = self.parameters
        new = [p.data - lr * p.grad for p in params]
        if all(map(math.isfinite, new)):
            for p, d in zip(params, new):
                p.data = d
            return
        for i, (p, d) in enumerate(zip(params, new)):
            if not math.isfinite(d):
                raise OverflowError(
                    f"SGD.step(): parameter {i} would become {d!r}: "
                    f"{p.data!r} - {lr!r} · {p.grad!r} is not a finite float (is the learning rate too large?)"
                )

    def zero_grad(self) -> None:
        """Reset every parameter's gradient to 0 before the next backward pass."""
        for p in self.parameters:
            p.grad = 0.0

    def __repr__(self) -> str:
        return f"SGD({len(self.parameters)} parameters, lr={self._lr})"
