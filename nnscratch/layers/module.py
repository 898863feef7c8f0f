"""`Module`: one step of a network that knows its own derivative.

Calling a module runs its ``forward`` on the inputs' arrays and *remembers* the
inputs and the output. Later, ``backward()`` hands both to ``bwd``, which applies the
chain rule for this one step: from ``out.g`` = ∂L/∂output it computes ∂L/∂input and
writes it into each input's ``.g`` (and ∂L/∂parameter into each parameter's ``.g``).

Because the output of one module is the very `Tensor` that the next module receives
as its input, running ``backward()`` on the modules in reverse order carries ∂L/∂·
from the loss all the way back to the first layer.

A `Loss` is the module at the end: its output is the loss L itself, a single number,
so it starts the backward pass with ∂L/∂L = 1.

Two rules follow from saving inputs on the module:

* call each module once per forward pass (a second call overwrites what the first one
  saved), and
* gradients are *written*, not accumulated: every backward pass replaces the ``.g``
  of the tensors it reaches, so there is nothing to reset between steps.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .tensor import Tensor

__all__ = ["Module", "Loss"]


class Module:
    """Base class: subclasses implement ``forward(*arrays) -> array`` and
    ``bwd(out, *inputs)``, and list their trainable tensors in ``parameters()``."""

    args: tuple[Tensor, ...]
    out: Tensor

    def __call__(self, *args: Any) -> Tensor:
        tensors = tuple(a if type(a) is Tensor else Tensor(a) for a in args)
        self.args = tensors
        self.out = Tensor(self.forward(*(t.data for t in tensors)))
        return self.out

    def forward(self, *inputs: np.ndarray) -> np.ndarray:
        """The module's function, on plain arrays."""
        raise NotImplementedError(f"{type(self).__name__} must implement forward()")

    def bwd(self, out: Tensor, *inputs: Tensor) -> None:
        """From ``out.g`` = ∂L/∂out, set ``.g`` of each input (and each parameter)."""
        raise NotImplementedError(f"{type(self).__name__} must implement bwd()")

    def backward(self) -> None:
        """Run ``bwd`` on the saved output and inputs of the most recent call."""
        out = self.__dict__.get("out")
        if out is None:
            raise RuntimeError(f"{self!r}.backward(): call the module on an input first")
        if out.g is None:
            raise RuntimeError(
                f"{self!r}.backward(): the gradient of its output is not known yet; "
                "run backward() on the loss and on every module after this one first"
            )
        self.bwd(out, *self.args)

    def parameters(self) -> list[Tensor]:
        """The trainable tensors, in a fixed order (none by default)."""
        return []

    def __repr__(self) -> str:
        return f"{type(self).__name__}()"


class Loss(Module):
    """A module whose output is the loss L, a single number: its backward pass
    starts from ∂L/∂L = 1."""

    def backward(self) -> None:
        out = self.__dict__.get("out")
        if out is None:
            raise RuntimeError(f"{self!r}.backward(): compute the loss first")
        out.g = np.ones(())
        self.bwd(out, *self.args)
