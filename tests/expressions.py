"""Random expression trees over a few inputs, for the property and PyTorch tests.

A tree is nested tuples: ``("x", i)`` is input i, ``("c", 1.5)`` a constant,
``("tanh", t)``, ``("**", t, n)``, ``("/", t, u)``, ``("n/", 2.0, t)`` (the number on the
left: ``2.0 / t``), and the helpers ``("+n", t, c)`` and ``("*n", t, c)``.

`freeze` makes a tree safe at a point: where an operation would sit at a kink, a pole
or the edge of its domain (ReLU near 0, a denominator or a negative power's base near
0, a log or fractional power of something not comfortably positive), it *shifts* the
operand by a constant, so the operation stays in the tree and gradients still flow
through it, but at a point where it is smooth. Values are kept to a modest size by
scaling with a constant.
"""

from __future__ import annotations

import math

from hypothesis import strategies as st

from nnscratch import Value

N_INPUTS = 3
MARGIN = 0.5  # how far a denominator, a log's argument, ... stays from trouble
RELU_MARGIN = 0.05
LIMIT = 10.0  # largest |value| of any node

UNARY = ("neg", "exp", "log", "tanh", "sigmoid", "relu")
BINARY = ("+", "-", "*", "/")
NUMBER_LEFT = ("n+", "n-", "n*", "n/", "n**")  # 2 + t, 2 - t, 2 * t, 2 / t, 2 ** t
EXPONENTS = (2, 3, -1, -2, 0.5, 1.5, -0.5, 2.5)

# A leaf is an input three times in four, else a constant.
_constants = st.tuples(st.just("c"), st.sampled_from([-2.0, -0.5, 0.5, 1.5, 3.0]))
leaves = st.integers(0, 3).flatmap(lambda i: st.just(("x", i % N_INPUTS)) if i < 3 else _constants)


def _extend(children):
    return st.one_of(
        st.tuples(st.sampled_from(UNARY), children),
        st.tuples(st.just("**"), children, st.sampled_from(EXPONENTS)),
        st.tuples(st.sampled_from(BINARY), children, children),
        st.tuples(st.sampled_from(NUMBER_LEFT), st.sampled_from([0.5, 2.0, 3.0]), children),
    )


trees = st.recursive(leaves, _extend, max_leaves=16)
points = st.lists(st.floats(-2.0, 2.0, allow_nan=False, allow_infinity=False), min_size=N_INPUTS, max_size=N_INPUTS)


# -- evaluating a tree with plain floats (independent of the engine) ----------------------------


def _apply(kind, *args):
    if kind == "neg":
        return -args[0]
    if kind == "exp":
        return math.exp(args[0])
    if kind == "log":
        return math.log(args[0])
    if kind == "tanh":
        return math.tanh(args[0])
    if kind == "sigmoid":
        return 1.0 / (1.0 + math.exp(-args[0]))
    if kind == "relu":
        return args[0] if args[0] > 0 else 0.0
    if kind == "**":
        return args[0] ** args[1]
    a, b = args
    if kind in ("+", "n+", "+n"):
        return a + b
    if kind in ("-", "n-"):
        return a - b
    if kind in ("*", "n*", "*n"):
        return a * b
    if kind in ("/", "n/"):
        return a / b
    return a**b  # "n**": a positive number to the power b


def _shift(tree, value, target):
    """``tree + (target - value)``: the same tree, moved to where it is safe."""
    c = target - value
    return ("+n", tree, c), value + c


def _safe_positive(tree, value):
    return _shift(tree, value, 1.0 + abs(value)) if value < MARGIN else (tree, value)


def _safe_nonzero(tree, value):
    return _shift(tree, value, 1.0 + abs(value)) if abs(value) < MARGIN else (tree, value)


def freeze(tree, point):
    """Return (safe tree, its value at ``point``): the tree with shifts inserted where an
    operation would be at a kink, pole or domain edge, and scalings where a value would
    exceed LIMIT. The returned tree is smooth in a neighbourhood of ``point``."""
    kind = tree[0]
    if kind == "x":
        return tree, point[tree[1]]
    if kind == "c":
        return tree, tree[1]
    if kind in UNARY:
        child, v = freeze(tree[1], point)
        if kind == "log":
            child, v = _safe_positive(child, v)
        elif kind == "relu" and abs(v) < RELU_MARGIN:
            child, v = _shift(child, v, v + 2 * RELU_MARGIN if v >= 0 else v - 2 * RELU_MARGIN)
        out, value = (kind, child), _apply(kind, v)
    elif kind == "**":
        child, v = freeze(tree[1], point)
        n = tree[2]
        if n != int(n):
            child, v = _safe_positive(child, v)
        elif n < 0:
            child, v = _safe_nonzero(child, v)
        out, value = ("**", child, n), _apply("**", v, n)
    elif kind in BINARY:
        left, a = freeze(tree[1], point)
        right, b = freeze(tree[2], point)
        if kind == "/":
            right, b = _safe_nonzero(right, b)
        out, value = (kind, left, right), _apply(kind, a, b)
    elif kind in NUMBER_LEFT:
        c = tree[1]
        child, v = freeze(tree[2], point)
        if kind == "n/":
            child, v = _safe_nonzero(child, v)
        out, value = (kind, c, child), _apply(kind, c, v)
    elif kind == "+n":
        child, v = freeze(tree[1], point)
        out, value = (kind, child, tree[2]), v + tree[2]
    else:  # "*n"
        child, v = freeze(tree[1], point)
        out, value = (kind, child, tree[2]), v * tree[2]
    if abs(value) > LIMIT:
        scale = 4.0 / abs(value)
        out, value = ("*n", out, scale), value * scale
    return out, value


def build(tree, xs):
    """The tree as a `Value` graph over the inputs ``xs``."""
    kind = tree[0]
    if kind == "x":
        return xs[tree[1]]
    if kind == "c":
        return Value(tree[1])
    if kind == "neg":
        return -build(tree[1], xs)
    if kind in UNARY:
        return getattr(build(tree[1], xs), kind)()
    if kind == "**":
        return build(tree[1], xs) ** tree[2]
    if kind in BINARY:
        a, b = build(tree[1], xs), build(tree[2], xs)
        return {"+": a.__add__, "-": a.__sub__, "*": a.__mul__, "/": a.__truediv__}[kind](b)
    if kind in NUMBER_LEFT:
        c, t = tree[1], build(tree[2], xs)
        if kind == "n+":
            return c + t
        if kind == "n-":
            return c - t
        if kind == "n*":
            return c * t
        if kind == "n/":
            return c / t
        return c**t
    if kind == "+n":
        return build(tree[1], xs) + tree[2]
    return build(tree[1], xs) * tree[2]  # "*n"


def uses_inputs(tree) -> bool:
    if tree[0] == "x":
        return True
    return any(isinstance(part, tuple) and uses_inputs(part) for part in tree[1:])
