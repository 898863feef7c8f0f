"""Chapter 02, *Values and computation graphs*: the right numeric answers of its
questions."""

from __future__ import annotations

from nnscratch import Value, trace

from . import computes


@computes
def boxes_of_a_plus_b_written_twice() -> float:
    a, b = Value(2.0), Value(-3.0)
    g = (a + b) * (a + b)
    values, _ = trace(g)
    return float(len(values))
