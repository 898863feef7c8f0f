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

No module stores a number that is not finite. Inputs are checked where they enter (a
`Tensor` refuses nan and ±inf); while a module computes, NumPy's floating-point errors
are raised, not warned about, and come out as an `OverflowError` (or a `ValueError`
for nan, a `ZeroDivisionError` for a division by zero) naming the module; the output
of a module that could overflow without NumPy noticing (a matrix product, which BLAS
may compute in other threads, or any module written by hand) is checked; and every
gradient is checked as it is stored (see `Tensor.g`). Modules whose results are finite
whenever their inputs are (ReLU, Sigmoid, the losses, whose arithmetic NumPy watches)
say so with ``finite_by_construction = True`` and skip the output check.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .tensor import Tensor, as_float_array, check_finite

__all__ = ["Module", "Loss", "numpy_raises", "arithmetic_error"]

_F64 = np.dtype(np.float64)

#: NumPy's floating-point errors raise while a module computes (instead of warning).
_RAISE = {"over": "raise", "invalid": "raise", "divide": "raise"}


def numpy_raises() -> np.errstate:
    """A context in which NumPy raises FloatingPointError on overflow, nan and division by 0."""
    return np.errstate(**_RAISE)


def arithmetic_error(where: str, exc: FloatingPointError, arrays: tuple[np.ndarray, ...]) -> ArithmeticError:
    """NumPy's FloatingPointError ("overflow encountered in matmul") as the error Python
    itself would raise, naming ``where`` and the size of the numbers involved."""
    text = str(exc)
    kind = OverflowError if "overflow" in text else ZeroDivisionError if "divide" in text else ValueError
    given = "; ".join(f"shape {a.shape}, largest entry {float(np.max(np.abs(a))):.3g} in size" if a.size
                      else f"shape {a.shape}" for a in arrays)
    return kind(f"{where}: {text} (its arrays: {given})")


class Module:
    """Base class: subclasses implement ``forward(*arrays) -> array`` and
    ``bwd(out, *inputs)``, and list their trainable tensors in ``parameters()``."""

    args: tuple[Tensor, ...]
    out: Tensor

    #: True if the output is finite whenever the inputs are and NumPy reports no error,
    #: so that it needs no check of its own (see the module notes).
    finite_by_construction = False

    def __call__(self, *args: Any) -> Tensor:
        with numpy_raises():
            return self._call(args)

    def _call(self, args: tuple[Any, ...]) -> Tensor:
        """Run forward on ``args`` (NumPy's errors already raising; `Model` sets that
        once for all its layers)."""
        tensors, arrays = [], []
        for i, a in enumerate(args):
            if type(a) is not Tensor:  # data from outside: checked as it comes in
                a = Tensor.wrap(as_float_array(a, lambda i=i: f"input {i} of {self!r}"))
            tensors.append(a)
            arrays.append(a.data)
        self.args = tuple(tensors)
        try:
            y = self.forward(*arrays)
        except FloatingPointError as exc:
            raise arithmetic_error(f"{self!r}.forward", exc, arrays) from None
        if type(y) is np.float64:  # what a mean or a sum gives
            y = np.asarray(y)
        if type(y) is not np.ndarray or y.dtype is not _F64:
            y = as_float_array(y, lambda: f"what {self!r}.forward returned")
        elif not self.finite_by_construction:
            check_finite(y, lambda: f"the output of {self!r}.forward", computed=True)
        self.out = Tensor.wrap(y)
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
        with numpy_raises():
            self._backward()

    def _backward(self) -> None:
        """Run bwd (NumPy's errors already raising), naming this module in any error."""
        try:
            self.bwd(self.out, *self.args)
        except FloatingPointError as exc:
            raise arithmetic_error(f"{self!r}.bwd", exc, (self.out.g, *(t.data for t in self.args))) from None
        except (ValueError, OverflowError) as exc:
            if type(exc) in (ValueError, OverflowError):  # from Tensor.g: say which module
                raise type(exc)(f"{self!r}.bwd: {exc}") from None
            raise
        if not isinstance(self, Loss) and self.args and self.args[0].g is None:
            raise RuntimeError(f"{self!r}.bwd did not set the gradient of its input (inp.g = ...)")

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
        out.set_g_unchecked(np.ones(()))  # ∂L/∂L = 1
        with numpy_raises():
            self._backward()
