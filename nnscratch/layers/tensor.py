"""`Tensor`: a NumPy array together with the gradient of the loss with respect to it.

The layer-level engine passes whole arrays between modules, and every module's
backward step needs a place to put ∂L/∂(its input). A NumPy array cannot hold an
extra attribute (``np.zeros(3).g = ...`` raises ``AttributeError``), so each array
travels in a small wrapper with two fields:

* ``data``: the array itself, always float64;
* ``g``: ∂L/∂data, an array of the same shape, or ``None`` until a backward pass
  has written it.

The wrapper is deliberately thin: all arithmetic happens on ``data`` with plain
NumPy, and nothing but the modules ever touches ``g``. It checks what it is given:
``data`` must be finite real numbers, and a gradient must have the shape of ``data``
(a gradient has the shape of the thing it is the gradient of).
"""

from __future__ import annotations

from typing import Any, Callable, Union

import numpy as np

__all__ = ["Tensor", "as_float_array", "check_finite"]

_F64 = np.dtype(np.float64)
_isfinite = np.isfinite
_every = np.logical_and.reduce  # ndarray.all() goes through a Python wrapper; this does not

What = Union[str, Callable[[], str]]  # a description, or a function that makes one when needed


def _describe(what: What) -> str:
    return what() if callable(what) else what


def check_finite(a: np.ndarray, what: What, computed: bool = False) -> np.ndarray:
    """``a`` if every entry is finite, else an error that names ``what``, counts the
    entries that are not finite and shows the first. A `ValueError`, or for a
    ``computed`` result whose bad entries are all ±inf, an `OverflowError`. (Two quick
    NumPy calls when all is well.)"""
    if _every(_isfinite(a), axis=None):
        return a
    bad = ~np.isfinite(a)
    count = int(bad.sum())
    where = tuple(int(i) for i in np.argwhere(bad)[0]) if a.ndim else ()
    first = float(a[where])
    values = f"{count} of its {a.size} value{'s' * (a.size != 1)}"
    place = f"the first, {first!r}, at index {where} (shape {a.shape})"
    if computed and not np.isnan(a).any():
        raise OverflowError(f"{_describe(what)} overflows: {values} {'is' if count == 1 else 'are'} ±inf; {place}")
    raise ValueError(f"{_describe(what)} must be finite, but {values} {'is' if count == 1 else 'are'} not "
                     f"(nan or ±inf); {place}")


def as_float_array(x: Any, what: What = "input") -> np.ndarray:
    """``x`` as a float64 NumPy array of finite numbers, or an error that names ``what``.

    Integers and lower-precision floats are converted (exactly); booleans, complex
    numbers, strings, arbitrary objects, and nan or ±inf entries are refused.
    """
    if type(x) is np.ndarray and x.dtype is _F64:
        return check_finite(x, what)
    if isinstance(x, (str, bytes)):
        raise TypeError(f"{_describe(what)} must be an array of real numbers, got {type(x).__name__} {x[:40]!r}")
    try:
        a = np.asarray(x)
    except Exception as exc:  # ragged lists, for example
        raise TypeError(f"{_describe(what)} must be an array of real numbers; NumPy could not read it: {exc}") from None
    kind = a.dtype.kind
    if kind == "f":
        return check_finite(a.astype(np.float64, copy=False), what)
    if kind in "iu":  # whole numbers are always finite (and exact in float64 up to 2**53)
        return a.astype(np.float64)
    if kind == "b":
        raise TypeError(f"{_describe(what)} is an array of booleans; convert it with .astype(float) if you mean 0 and 1")
    if kind == "c":
        raise TypeError(f"{_describe(what)} is an array of complex numbers; only real numbers are supported")
    if kind == "O":
        raise TypeError(f"{_describe(what)} must be an array of real numbers, got dtype object (NumPy found "
                        "something that is not a plain number: None, a number too large for a float, a "
                        "mixture of types, ...)")
    raise TypeError(f"{_describe(what)} must be an array of real numbers, got dtype {a.dtype}")


class Tensor:
    """A float64 array ``data`` and ``g`` = ∂L/∂data (``None`` until computed).

    ``Tensor(x)`` accepts anything `numpy.asarray` reads as finite real numbers; the
    data is stored as float64 (without a copy when it already is). ``g`` must be set to
    an array of the same shape as ``data`` (or to None).
    """

    __slots__ = ("data", "_g")

    def __init__(self, data: Any) -> None:
        self.data: np.ndarray = as_float_array(data, "Tensor data")
        self._g: np.ndarray | None = None

    @classmethod
    def wrap(cls, data: np.ndarray) -> Tensor:
        """A Tensor around a float64 array already known to be finite (a module's
        output, checked by the module), without checking it again."""
        t = cls.__new__(cls)
        t.data = data
        t._g = None
        return t

    @property
    def g(self) -> np.ndarray | None:
        """∂L/∂data: an array of finite numbers in the shape of ``data``, or None until a
        backward pass sets it. Setting anything else is an error, so no module (nor a
        hand-written one) can store a gradient that is not finite or of the wrong shape."""
        return self._g

    @g.setter
    def g(self, value: Any) -> None:
        if value is not None:
            if type(value) is not np.ndarray or value.dtype is not _F64:
                value = as_float_array(value, "a gradient")
            if value.shape != self.data.shape:
                raise ValueError(f"a gradient must have the shape of what it is the gradient of: the data has "
                                 f"shape {self.data.shape}, the gradient {value.shape}")
            if not _every(_isfinite(value), axis=None):
                check_finite(value, "the gradient", computed=True)
        self._g = value

    def set_g_unchecked(self, g: np.ndarray) -> None:
        """Store ``g`` without the checks of ``g = ...``: for the package's modules whose
        gradient is finite and of the right shape by construction (a ReLU's, the
        losses'), where checking would only cost time."""
        self._g = g

    @property
    def shape(self) -> tuple[int, ...]:
        return self.data.shape

    def __repr__(self) -> str:
        grad = "not computed" if self._g is None else "computed"
        return f"Tensor(shape={self.data.shape}, gradient {grad})"
