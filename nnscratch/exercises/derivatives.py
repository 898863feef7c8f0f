"""Exercises for chapter 01, *Derivatives*.

The chapter studies f(x) = 3x² − 4x + 5, whose derivative is f′(x) = 6x − 4.

* ``q1``: the slope of f at x = −1 from a difference quotient (``slope``).
* ``q2``: the central difference as a function (``central_difference``).
* ``q3``: the x where f′ is zero (``x_flat``).
* ``q4``: three partial derivatives of w = a·b + b·c by nudging (``dw_da``, ``dw_db``, ``dw_dc``).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from .core import NumberProblem, Problem, Wrong, as_number, Unattempted, describe_number_error, is_blank

__all__ = ["q1", "q2", "q3", "q4"]


def f(x: float) -> float:
    """The chapter's function, f(x) = 3x² − 4x + 5."""
    return 3 * x**2 - 4 * x + 5


def f_prime(x: float) -> float:
    """Its derivative, f′(x) = 6x − 4."""
    return 6 * x - 4


def _close(a: float, b: float, rel: float = 1e-6, abs_: float = 1e-9) -> bool:
    return math.isclose(a, b, rel_tol=rel, abs_tol=abs_)


# -- q1: a slope from rise over run ---------------------------------------------------

q1 = NumberProblem(
    "slope",
    f_prime(-1.0),
    rel_tol=1e-3,
    hints=[
        "Nudge x = −1 by a small h, see how much f changes (the rise), and divide by "
        "the run h: (f(x + h) − f(x)) / h.",
        "With x = -1.0 and h = 0.0001 already set, one line does it: "
        "`slope = (f(x + h) - f(x)) / h`.",
    ],
    solution="""\
x = -1.0
h = 0.0001
slope = (f(x + h) - f(x)) / h   # about -9.9997""",
    explanation="The slope is negative: at x = −1 the curve runs downhill, so a step to the "
    "right lowers f, by about 10 for every unit of x. From f′(x) = 6x − 4 the exact "
    "slope is −10; the one-sided difference overshoots it by 3h.",
    mistakes=[
        (lambda s: _close(s, f(-1.0)),
         "`slope` is f(−1), the height of the curve at x = −1. The slope is how fast that "
         "height changes: the rise f(x + h) − f(x) divided by the run h."),
        (lambda s: _close(s, f_prime(3.0), rel=1e-3),
         "`slope` is the slope at x = 3, from the chapter. This exercise asks about x = −1."),
        (lambda s: abs(s) < 0.05,
         "`slope` is tiny: that looks like the rise alone. Divide it by the run h."),
        (lambda s: _close(s, -f_prime(-1.0), rel=1e-3),
         "`slope` has the right size but the wrong sign: is the rise f(x + h) − f(x), in "
         "that order?"),
        (lambda s: _close(s, f_prime(-1.0), rel=0.05),
         "`slope` is close, but not within 0.1%: make h smaller (or step both ways, as "
         "the central difference does)."),
    ],
    praise="downhill at x = −1, about 10 down for each step to the right.",
)


# -- q2: the central difference as a function -----------------------------------------


class _Named:
    """A function that prints as the code that defines it, for readable messages."""

    def __init__(self, text: str, fn: Callable[[float], float]) -> None:
        self.text = text
        self.fn = fn

    def __call__(self, x: float) -> float:
        return self.fn(x)

    def __repr__(self) -> str:
        return self.text


_PARABOLA = _Named("lambda x: 3*x**2 - 4*x + 5", f)
_CUBE = _Named("lambda x: x**3", lambda x: x**3)
_EXP = _Named("math.exp", math.exp)


def _central(g: Callable[[float], float], x: float, h: float) -> float:
    return (g(x + h) - g(x - h)) / (2 * h)


class CentralDifference(Problem):
    """The learner's ``central_difference(f, x, h)``, tested on a few functions; a
    wrong result is matched against the usual slips (one-sided, missing 2, brackets)."""

    cases = ((_PARABOLA, 3.0, 1e-3), (_CUBE, 2.0, 0.1), (_CUBE, 2.0, 0.5), (_EXP, 1.0, 1e-4))

    def __init__(self) -> None:
        super().__init__(
            "central_difference",
            hints=[
                "Step a distance h to each side of x, take the difference of the two values "
                "of f, and divide by the distance between the two points.",
                "The two points x − h and x + h are 2h apart, so the run is 2h. Mind the "
                "brackets: in Python `a / 2 * h` means (a / 2) · h.",
            ],
            solution="""\
def central_difference(f, x, h):
    return (f(x + h) - f(x - h)) / (2 * h)""",
            explanation="Stepping both ways cancels the error that the one-sided "
            "difference makes by looking only to the right: for a parabola the central "
            "difference is exact, and in general its error shrinks like h² instead of h.",
            praise="this is the formula nnscratch.gradcheck uses to check gradients.",
        )

    def _call(self, fn: Callable[..., Any], g: _Named, x: float, h: float) -> float:
        call = f"central_difference({g!r}, {x!r}, {h!r})"
        out = fn(g, x, h)
        if is_blank(out):
            raise Unattempted("`central_difference` still returns ____: fill in its body, "
                               "run that cell, then check again.")
        if out is None:
            raise Wrong(f"{call} returned None: did you forget `return`?")
        return as_number(out, call)

    def _grade(self, fn: Any) -> str | None:
        if not callable(fn):
            return f"`central_difference` should be a function, but it is a {type(fn).__name__}."
        for g, x, h in self.cases:
            got = self._call(fn, g, x, h)
            want = _central(g, x, h)
            if _close(got, want, rel=1e-9):
                continue
            call = f"central_difference({g!r}, {x!r}, {h!r})"
            rise = g(x + h) - g(x - h)
            if g is _CUBE and _close(self._call(fn, g, x, h / 5), got, rel=1e-12):
                return (f"{call} gives the same result for h = {h} and for h = {h / 5}: "
                        "use the argument h, not a variable from outside the function.")
            if _close(got, (g(x + h) - g(x)) / h, rel=1e-9):
                return (f"{call} returned {got!r}: that is the one-sided difference "
                        "(f(x + h) − f(x)) / h. The central difference steps to both sides of x.")
            if _close(got, (g(x) - g(x - h)) / h, rel=1e-9):
                return (f"{call} returned {got!r}: that is the one-sided difference to the "
                        "left, (f(x) − f(x − h)) / h. The central difference steps to both sides of x.")
            if _close(got, rise / h, rel=1e-9):
                return (f"{call} returned {got!r}, twice the right size: x − h and x + h are "
                        "more than h apart.")
            if _close(got, rise / 2 * h, rel=1e-9):
                return (f"{call} returned {got!r}: check the brackets. In Python `a / 2 * h` "
                        "means (a / 2) · h, not a / (2h).")
            if _close(got, -want, rel=1e-9):
                return (f"{call} returned {got!r}, which has the wrong sign: subtract "
                        "f(x − h) from f(x + h), not the other way round.")
            return f"{call} returned {got!r}, which is not right. " + describe_number_error(call, got, want)
        return None


q2 = CentralDifference()


# -- q3: where the slope is zero --------------------------------------------------------


class FlatPoint(Problem):
    """The x where f′(x) = 6x − 4 is zero, to within 0.001."""

    def __init__(self) -> None:
        super().__init__(
            "x_flat",
            hints=[
                "f′(x) = 6x − 4 (the chapter worked it out). For which x is that zero? "
                "Or search: evaluate a difference quotient on a fine grid of x and keep "
                "the x where it is closest to zero.",
                "Solve 6x − 4 = 0 for x. Python can do the division for you: write it as a "
                "fraction, not a rounded decimal.",
            ],
            solution="""\
x_flat = 4 / 6     # 6x - 4 = 0  =>  x = 4/6 = 2/3""",
            explanation="Left of 2/3 the slope is negative (f falls), right of it positive "
            "(f rises): x = 2/3 is the bottom of the bowl, where f reaches its smallest "
            "value, f(2/3) = 11/3. Finding the input where the slope is zero is exactly "
            "what training a network tries to do, with millions of inputs at once.",
            praise="the bottom of the bowl, where f is smallest.",
        )

    def _grade(self, x: Any) -> str | None:
        x = as_number(x, "x_flat")
        if math.isnan(x) or math.isinf(x):
            return describe_number_error("x_flat", x, 2 / 3)
        if abs(x - 2 / 3) <= 1e-3:
            return None
        if _close(x, f(2 / 3), rel=1e-3):
            return ("`x_flat` is the smallest value of f, the height at the bottom of the "
                    "bowl. The exercise asks for the x where that happens.")
        if abs(x + 2 / 3) <= 1e-3:
            return ("`x_flat` has the right size but the wrong sign: at any negative x the "
                    "slope f′(x) = 6x − 4 is negative.")
        slope = f_prime(x)
        if slope > 0:
            return (f"at x = {x:.6g} the slope f′(x) is {slope:.4g}, positive: f is still "
                    "rising there, so the flat point lies to the left.")
        return (f"at x = {x:.6g} the slope f′(x) is {slope:.4g}, negative: f is still "
                "falling there, so the flat point lies to the right.")


q3 = FlatPoint()


# -- q4: partial derivatives by nudging --------------------------------------------------

_A, _B, _C = 2.0, -3.0, 10.0
_W = _A * _B + _B * _C
_PARTIALS = (_B, _A + _C, _B)  # ∂w/∂a = b, ∂w/∂b = a + c, ∂w/∂c = b


def _permuted(*got: float) -> bool:
    """The three right numbers, but not each where it belongs."""
    return sorted(round(g, 3) for g in got) == sorted(_PARTIALS)


q4 = NumberProblem(
    ("dw_da", "dw_db", "dw_dc"),
    _PARTIALS,
    rel_tol=1e-4,
    hints=[
        "Compute w at the given point. Then nudge ONE input by h (leave the other two "
        "alone), compute w again, and divide the change by h. Repeat for each input.",
        "For b: `(w(a, b + h, c) - w(a, b, c)) / h`. Notice that b appears in both "
        "products, so a nudge to b moves both of them.",
    ],
    solution="""\
h = 0.0001
w0 = w(a, b, c)
dw_da = (w(a + h, b, c) - w0) / h
dw_db = (w(a, b + h, c) - w0) / h
dw_dc = (w(a, b, c + h) - w0) / h""",
    explanation="Reading the formula confirms it: nudging a changes a·b by b·h, so "
    "∂w/∂a = b = −3; likewise ∂w/∂c = b = −3. But b sits in both products, so nudging it "
    "changes a·b by a·h and b·c by c·h: ∂w/∂b = a + c = 12. An input that is used twice "
    "collects a contribution from each use; *Backpropagation by hand* meets this again.",
    mistakes=[
        (lambda da, db, dc: any(_close(g, _W) for g in (da, db, dc)),
         "one of your answers equals w itself. A partial derivative is a rate of change: "
         "(w after the nudge − w before) / h."),
        (lambda da, db, dc: all(_close(g, p, rel=0.01) for g, p in zip((da, db, dc), _PARTIALS)),
         "close, but not within 0.01%: make h smaller."),
        (lambda da, db, dc: _permuted(da, db, dc),
         "you have the right three numbers, but not each in its right place: which input "
         "did you nudge for each one?"),
        (lambda da, db, dc: _close(db, _A, rel=1e-3) or _close(db, _C, rel=1e-3),
         "`dw_db` counts only one of the two places where b appears. It sits in both a·b "
         "and b·c, so a nudge to b moves both products."),
        (lambda da, db, dc: all(abs(g) < 0.05 for g in (da, db, dc)),
         "your answers are all tiny: they look like the changes in w alone. Divide each "
         "by the run h."),
    ],
    praise="b is used twice, and its partial derivative collects a contribution from each use.",
)
