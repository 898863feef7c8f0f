"""`Tensor`: a NumPy array together with the gradient of the loss with respect to it.

The layer-level engine passes whole arrays between modules, and every module's
backward step needs a place to put ∂L/∂(its input). A NumPy array cannot hold an
extra attribute (``np.zeros(3).g = ...`` raises ``AttributeError``), so each array
travels in a small wrapper with two fields:

* ``data``: the array itself, always float64;
* ``g``: ∂L/∂data, an array of the same shape, or ``None`` until a backward pass
  has written it.

The wrapper is deliberately thin: all arithmetic happens on ``data`` with plain
NumPy, and nothing but the modules ever touches ``g``.
"""

from __future__ import annotations

from typing import Any

import numpy as np

__all__ = ["Tensor", "as_float_array"]

_F64 = np.dtype(np.float64)


def as_float_array(x: Any, what: str = "input") -> np.ndarray:
    """``x`` as a float64 NumPy array, or a `TypeError` that names ``what``.

    Integers and lower-precision floats are converted (exactly); booleans, complex
    numbers, strings and arbitrary objects are refused.
    """
    if type(x) is np.ndarray and x.dtype is _F64:
        return x
    try:
        a = np.asarray(x)
    except Exception as exc:  # ragged lists, for example
        raise TypeError(f"{what} must be an array of real numbers; NumPy could not read it: {exc}") from None
    kind = a.dtype.kind
    if kind == "f" or kind in "iu":
        return a.astype(np.float64, copy=False)
    if kind == "b":
        raise TypeError(f"{what} is an array of booleans; convert it with .astype(float) if you mean 0 and 1")
    if kind == "c":
        raise TypeError(f"{what} is an array of complex numbers; only real numbers are supported")
    raise TypeError(f"{what} must be an array of real numbers, got dtype {a.dtype}")


class Tensor:
    """A float64 array ``data`` and ``g`` = ∂L/∂data (``None`` until computed).

    ``Tensor(x)`` accepts anything `numpy.asarray` reads as real numbers; the data is
    stored as float64 (without a copy when it already is).
    """

    __slots__ = ("data", "g")

    def __init__(self, data: Any) -> None:
        self.data: np.ndarray = as_float_array(data, "Tensor data")
        self.g: np.ndarray | None = None

    @property
    def shape(self) -> tuple[int, ...]:
        return self.data.shape

    def __repr__(self) -> str:
        grad = "not computed" if self.g is None else "computed"
        return f"Tensor(shape={self.data.shape}, gradient {grad})"
