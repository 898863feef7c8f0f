"""Checking gradients numerically, with central differences.

The derivative of f at x is the limit of a difference quotient. The *central*
difference

    f'(x) ≈ (f(x + h) - f(x - h)) / 2h

has an error that shrinks like h² (the one-sided (f(x + h) - f(x)) / h only like h),
so it is the standard way to check a gradient that backpropagation computed.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from numbers import Real

from .engine import Value, _finite_real, _show


def numerical_derivative(f: Callable[[float], float], x: float, h: float = 1e-6) -> float:
    """The central difference (f(x + h) - f(x - h)) / 2h.

    ``f`` takes a float and returns a number. Refused, with the reason: an ``h`` that is
    not positive and finite, an ``h`` so small next to ``x`` that x ± h rounds to x, and
    a value of ``f`` or a difference that is not a finite float.
    """
    h = _finite_real(h, "h")
    if not h > 0:
        raise ValueError(f"h must be positive, got {h!r}")
    x = _finite_real(x, "x")
    above, below = x + h, x - h
    if above == x or below == x or not (math.isfinite(above) and math.isfinite(below)):
        raise ValueError(f"h={h!r} is too small or too large next to x={x!r}: x + h and x - h "
                         "must be finite floats that differ from x")
    values = []
    for point in (above, below):
        y = f(point)
        if isinstance(y, bool) or not isinstance(y, Real):
            raise TypeError(f"f must return a number, but f({point!r}) returned {type(y).__name__} {_show(y)}")
        y = float(y)
        if not math.isfinite(y):
            raise ValueError(f"f({point!r}) is {y!r}, not a finite number")
        values.append(y)
    slope = (values[0] - values[1]) / (2 * h)
    if not math.isfinite(slope):
        raise OverflowError(f"the difference quotient (f({above!r}) - f({below!r})) / {2 * h!r} "
                            "is too large for a float")
    return slope


@dataclass(frozen=True)
class GradientCheck:
    """The outcome of `gradient_check`: both gradients and whether they agree."""

    analytic: tuple[float, ...]
    numeric: tuple[float, ...]
    rtol: float
    atol: float

    @property
    def errors(self) -> tuple[float, ...]:
        return tuple(abs(a - n) for a, n in zip(self.analytic, self.numeric))

    @property
    def ok(self) -> bool:
        return all(
            abs(a - n) <= self.atol + self.rtol * abs(n)
            for a, n in zip(self.analytic, self.numeric)
        )

    def __bool__(self) -> bool:
        return self.ok

    def __str__(self) -> str:
        rows = [f"{'input':>5}  {'backprop':>14}  {'numeric':>14}  {'error':>9}"]
        for i, (a, n, e) in enumerate(zip(self.analytic, self.numeric, self.errors)):
            rows.append(f"{i:>5}  {a:>14.8f}  {n:>14.8f}  {e:>9.1e}")
        rows.append("gradients agree" if self.ok else "gradients DIFFER")
        return "\n".join(rows)


def gradient_check(
    f: Callable[[list[Value]], Value],
    inputs: Sequence[float],
    h: float = 1e-6,
    rtol: float = 1e-5,
    atol: float = 1e-7,
) -> GradientCheck:
    """Compare the gradient of ``f`` at ``inputs`` from ``backward()`` with central
    differences, one input at a time.

    ``f`` takes a list of `Value` and returns one `Value`.
    """
    inputs = [_finite_real(x, f"gradient_check: input {i}") for i, x in enumerate(inputs)]
    for name, tol in (("rtol", rtol), ("atol", atol)):
        if _finite_real(tol, name) < 0:
            raise ValueError(f"{name} must be >= 0, got {tol!r}")
    xs = [Value(x) for x in inputs]
    out = f(xs)
    if not isinstance(out, Value):
        raise TypeError(f"f must return a Value, got {type(out).__name__}")
    out.backward()
    analytic = tuple(x.grad for x in xs)

    def f_at(i: int, xi: float) -> float:
        point = [Value(x) for x in inputs]
        point[i] = Value(xi)
        out = f(point)
        if not isinstance(out, Value):
            raise TypeError(f"f must return a Value, got {type(out).__name__}")
        return out.data

    numeric = tuple(
        numerical_derivative(lambda xi, i=i: f_at(i, xi), x, h) for i, x in enumerate(inputs)
    )
    return GradientCheck(analytic, numeric, rtol, atol)
