"""Chapter 01, *Derivatives*: the right numeric answers of its questions."""

from __future__ import annotations

from nnscratch import Value
from nnscratch.gradcheck import numerical_derivative

from . import computes


def f(x):
    """The chapter's function, f(x) = 3x² − 4x + 5, for floats and Values alike."""
    return 3 * x**2 - 4 * x + 5


@computes
def slope_of_f_at_0() -> float:
    x = Value(0.0)
    f(x).backward()
    return x.grad


@computes
def central_difference_of_f_at_3_with_h_0_5() -> float:
    return numerical_derivative(f, 3.0, h=0.5)


@computes
def dd_da_with_b_5() -> float:
    a, b, c = Value(2.0), Value(5.0), Value(10.0)
    (a * b + c).backward()
    return a.grad
