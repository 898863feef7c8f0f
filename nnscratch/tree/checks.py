"""Which numbers the tree framework accepts, and the errors for the rest.

A value, a derivative or a learning rate is a *finite real number*: an ``int``, a
``float``, a ``fractions.Fraction`` or a NumPy integer or float, stored as a Python
``float``. Refused, each with an error that names the argument: ``bool`` (``True`` is
not 1.0 here), strings, complex numbers, ``nan``, ``±inf`` and ints too large for a
float. A count (epochs, a number of classes) is a whole number: an ``int`` or a NumPy
integer, not a bool and not a float such as ``2.0`` (a ValueError, as for the sizes of
`nnscratch.nn` and `nnscratch.layers`); a seed is an int too (else a TypeError).

No operation of the framework stores a number that is not finite: a result that
overflows raises an `OverflowError` naming the operation and its operands, and one
that is not a number (nan) a `ValueError`.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from numbers import Integral, Real
from typing import Optional

__all__ = ["as_finite", "as_finite_list", "as_count", "as_float", "show", "show_all", "not_finite"]


def show(x: object) -> str:
    """``repr(x)``, kept short: a 5000-digit int or a long list should not fill the screen
    (nor fail, as ``repr`` of an int of more than 4300 digits does)."""
    if isinstance(x, int) and not isinstance(x, bool) and x.bit_length() > 128:
        return f"an int of about {int(x.bit_length() * math.log10(2)) + 1:,} digits"
    try:
        r = repr(x)
    except Exception as exc:  # an object whose repr fails
        return f"a {type(x).__name__} (whose repr raised {type(exc).__name__})"
    return r if len(r) <= 60 else f"{r[:40]}...{r[-12:]}"


def show_all(values: Sequence[object], most: int = 6, sep: str = ", ") -> str:
    """The values joined by ``sep``, with the middle left out of a long list."""
    shown = [show(v) for v in values] if len(values) <= most else (
        [show(v) for v in values[:most - 2]] + ["..."] + [show(v) for v in values[-2:]])
    return sep.join(shown)


def as_float(x: Real) -> float:
    """``float(x)``, with inf for a number too large for a float (a huge int, say), so
    that the caller's finiteness check sees it."""
    try:
        return float(x)
    except OverflowError:
        return math.inf


def as_finite(x: object, what: str) -> float:
    """``x`` as a finite float, or a TypeError/ValueError/OverflowError that names ``what``."""
    t = type(x)
    if t is float:
        if x - x == 0.0:  # type: ignore[operator]  # inf - inf and nan - nan are nan
            return x  # type: ignore[return-value]
    elif isinstance(x, bool) or not isinstance(x, Real):
        raise TypeError(f"{what} must be a real number, got {t.__name__} {show(x)}")
    try:
        f = float(x)
    except OverflowError:
        raise OverflowError(f"{what} is too large for a float, got {show(x)}") from None
    if not math.isfinite(f):
        raise ValueError(f"{what} must be a finite number, got {show(x)}")
    return f


def as_finite_list(values: object, what: str, per: str, n: Optional[int] = None) -> list[float]:
    """``values`` (a list, a tuple, a NumPy array, ...) as a list of finite floats, ``n``
    of them if ``n`` is given; ``per`` says what the list holds, for the error."""
    if isinstance(values, (str, bytes, Mapping)) or not hasattr(values, "__len__") or not hasattr(values, "__iter__"):
        raise TypeError(f"{what} needs {per}, as a list; got {type(values).__name__} {show(values)}")
    if n is not None and len(values) != n:
        raise ValueError(f"{what} needs {per}: {n}, got {len(values)}")
    return [as_finite(v, f"{what}: item {i}") for i, v in enumerate(values)]


def as_count(x: object, what: str, minimum: Optional[int] = 0) -> int:
    """``x`` as an int >= ``minimum`` (None: any int), or a ValueError that names ``what``
    (as the rest of the package does for sizes and counts)."""
    if isinstance(x, bool) or not isinstance(x, Integral) or (minimum is not None and x < minimum):
        at_least = f" >= {minimum}" if minimum is not None else ""
        raise ValueError(f"{what} must be an int{at_least}, got {type(x).__name__} {show(x)}")
    return int(x)


def not_finite(what: str, result: float) -> ArithmeticError | ValueError:
    """The error for a ``result`` of ``what`` (a description such as ``1e+308 + 1e+308``)
    that is not finite: `OverflowError` for ±inf, `ValueError` for nan."""
    if isinstance(result, (int, float)) and math.isinf(result):
        return OverflowError(f"{what} overflows: the result is too large for a float")
    return ValueError(f"{what} is not a number (nan)")
