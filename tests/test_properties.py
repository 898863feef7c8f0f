"""Property tests: random expressions over a few inputs, differentiated by `backward()`
and by central differences, must agree; and algebraic identities hold for values and
gradients alike.

The expressions are random trees of every operation the engine has, made safe at
the chosen point by `expressions.freeze` (no kinks, poles or domain edges nearby). A
mutation test checks that these trees really catch a wrong derivative of each
operation.
"""

from __future__ import annotations

import math

import pytest
from hypothesis import HealthCheck, Phase, find, given, settings
from hypothesis import strategies as st

import nnscratch.engine as engine
from nnscratch import Value
from nnscratch.gradcheck import gradient_check

from expressions import build, freeze, points, trees, uses_inputs


def check(tree, point):
    """Freeze the tree at ``point``; return (safe tree, its value, the gradient check)."""
    safe, value = freeze(tree, point)
    result = gradient_check(lambda xs: build(safe, xs), point)
    return safe, value, result


# -- backward() agrees with central differences -----------------------------------------------


@given(trees, points)
def test_backward_matches_central_differences(tree, point):
    safe, value, result = check(tree, point)
    xs = [Value(x) for x in point]
    out = build(safe, xs)
    assert math.isclose(out.data, value, rel_tol=1e-12, abs_tol=1e-12)
    assert result.ok, f"{safe}\n{result}"


@given(trees, points)
def test_gradients_are_bit_for_bit_repeatable(tree, point):
    safe, _ = freeze(tree, point)

    def grads():
        xs = [Value(x) for x in point]
        build(safe, xs).backward()
        return [x.grad.hex() for x in xs]

    assert grads() == grads()


def test_the_trees_are_not_trivial():
    # Most trees use the inputs, and many have a clearly nonzero gradient, so agreement
    # in the test above is not the agreement of zeros.
    examples = []

    @settings(max_examples=200, suppress_health_check=list(HealthCheck))
    @given(trees, points)
    def collect(tree, point):
        safe, value, result = check(tree, point)
        examples.append((uses_inputs(tree), max(abs(g) for g in result.analytic), safe))

    collect()
    assert sum(uses for uses, _, _ in examples) > 0.7 * len(examples)
    assert sum(size > 1e-3 for _, size, _ in examples) > 0.5 * len(examples)
    depth = max(str(safe).count("(") for _, _, safe in examples)
    assert depth >= 8


# -- the trees catch a wrong derivative of any one operation ------------------------------------

_node = engine._node


def _num(x):
    return x if isinstance(x, Value) else Value(x)


MUTANTS = {
    "add": ("__add__", lambda self, o: _node(self.data + _num(o).data, "+", self, 1.0, _num(o), 0.5)),
    "sub": ("__sub__", lambda self, o: _node(self.data - _num(o).data, "-", self, 1.0, _num(o), 1.0)),
    "mul": ("__mul__", lambda self, o: _node(self.data * _num(o).data, "*", self, _num(o).data, _num(o), _num(o).data)),
    "div": ("__truediv__", lambda self, o: _node(self.data / _num(o).data, "/", self, 1 / _num(o).data, _num(o),
                                                   -1 / _num(o).data ** 2)),
    "pow": ("__pow__", lambda self, n: _node(self.data**n, "**", self, n * self.data**n)),
    "rpow": ("__rpow__", lambda self, c: _node(c**self.data, "**", self, c**self.data)),
    "neg": ("__neg__", lambda self: _node(-self.data, "neg", self, 1.0)),
    "exp": ("exp", lambda self: _node(math.exp(self.data), "exp", self, 1.0)),
    "log": ("log", lambda self: _node(math.log(self.data), "log", self, 1 / self.data**2)),
    "tanh": ("tanh", lambda self: _node(math.tanh(self.data), "tanh", self, 1 - math.tanh(self.data))),
    "sigmoid": ("sigmoid", lambda self: _node(1 / (1 + math.exp(-self.data)), "sigmoid", self,
                                              1 / (1 + math.exp(-self.data)))),
    "relu": ("relu", lambda self: _node(max(self.data, 0.0), "relu", self, 1.0)),
}


@pytest.mark.parametrize("name", MUTANTS)
def test_the_trees_catch_a_wrong_derivative(monkeypatch, name):
    method, wrong = MUTANTS[name]
    monkeypatch.setattr(engine.Value, method, wrong)
    if method == "__add__":  # keep the reflected form on the mutated path too
        monkeypatch.setattr(engine.Value, "__radd__", lambda self, o: wrong(_num(o), self))

    def caught(example):
        tree, point = example
        try:
            return not check(tree, point)[2].ok
        except (ValueError, ZeroDivisionError, OverflowError):  # a mutant may misbehave
            return False

    tree, point = find(st.tuples(trees, points), caught, settings=settings(max_examples=500, phases=[Phase.generate]))
    assert not check(tree, point)[2].ok


# -- algebraic identities, in value and in gradient ------------------------------------------------

reals = st.floats(-50.0, 50.0, allow_nan=False, allow_infinity=False)
away_from_zero = reals.filter(lambda x: abs(x) > 1e-3)
positive = st.floats(1e-3, 50.0, allow_nan=False, allow_infinity=False)


def grads_of(f, *inputs):
    xs = [Value(x) for x in inputs]
    out = f(*xs)
    out.backward()
    return out.data, [x.grad for x in xs]


def same(f, g, *inputs):
    """f and g agree bit for bit, in value and gradients."""
    assert grads_of(f, *inputs) == grads_of(g, *inputs)


def close(f, g, *inputs, rel=1e-12, abs_=1e-12):
    (vf, gf), (vg, gg) = grads_of(f, *inputs), grads_of(g, *inputs)
    assert math.isclose(vf, vg, rel_tol=rel, abs_tol=abs_)
    for a, b in zip(gf, gg):
        assert math.isclose(a, b, rel_tol=rel, abs_tol=abs_)


@given(reals, reals)
def test_subtraction_is_adding_the_negative(a, b):
    same(lambda x, y: x - y, lambda x, y: x + (-y), a, b)


@given(reals, reals)
def test_addition_and_multiplication_commute(a, b):
    same(lambda x, y: x + y, lambda x, y: y + x, a, b)
    same(lambda x, y: x * y, lambda x, y: y * x, a, b)


@given(reals, away_from_zero)
def test_division_is_multiplying_by_the_reciprocal(a, b):
    close(lambda x, y: x / y, lambda x, y: x * y**-1, a, b, rel=1e-14, abs_=1e-300)


@given(reals, reals, reals)
def test_multiplication_distributes(a, b, c):
    v1, g1 = grads_of(lambda x, y, z: x * (y + z), a, b, c)
    v2, g2 = grads_of(lambda x, y, z: x * y + x * z, a, b, c)
    scale = abs(a) * (abs(b) + abs(c)) + 1e-300
    assert abs(v1 - v2) <= 1e-14 * scale
    assert g1[1:] == g2[1:]  # ∂/∂y = ∂/∂z = x either way
    assert abs(g1[0] - g2[0]) <= 1e-14 * (abs(b) + abs(c))


@given(reals)
def test_reflected_operations_equal_their_explicit_forms(a):
    for c in (2.0, -0.5):
        same(lambda x: c + x, lambda x: Value(c) + x, a)
        same(lambda x: c - x, lambda x: Value(c) - x, a)
        same(lambda x: c * x, lambda x: Value(c) * x, a)
    if abs(a) > 1e-3:
        same(lambda x: 2.0 / x, lambda x: Value(2.0) / x, a)
    close(lambda x: 2.0**x, lambda x: (x * math.log(2.0)).exp(), a, rel=1e-13)


@given(reals)
def test_double_negation(a):
    v, (g,) = grads_of(lambda x: -(-x), a)
    assert v == a and g == 1.0


@given(positive)
def test_exp_undoes_log(a):
    v, (g,) = grads_of(lambda x: x.log().exp(), a)
    assert math.isclose(v, a, rel_tol=1e-14)
    assert math.isclose(g, 1.0, rel_tol=1e-14)


@given(st.floats(-20.0, 20.0))
def test_tanh_is_a_rescaled_sigmoid(a):
    close(lambda x: x.tanh(), lambda x: 2 * (2 * x).sigmoid() - 1, a, rel=1e-12, abs_=1e-15)


@given(reals)
def test_sigmoid_is_symmetric(a):
    v, (g,) = grads_of(lambda x: x.sigmoid() + (-x).sigmoid(), a)
    assert math.isclose(v, 1.0, rel_tol=1e-15)
    assert abs(g) <= 1e-15


@given(away_from_zero)
def test_relu_splits_a_number_into_its_parts(a):
    v, (g,) = grads_of(lambda x: x.relu() - (-x).relu(), a)
    assert v == a and g == 1.0
    v, (g,) = grads_of(lambda x: x.relu() + (-x).relu(), a)
    assert v == abs(a) and g == math.copysign(1.0, a)


@given(away_from_zero, st.sampled_from([2, 3, 4, 5]))
def test_integer_powers_are_repeated_products(a, n):
    def product(x):
        out = x
        for _ in range(n - 1):
            out = out * x
        return out

    close(lambda x: x**n, product, a, rel=1e-13, abs_=0.0)


@given(trees, points, st.sampled_from([2.0, 0.5, -4.0]))
def test_backward_is_linear_in_the_output(tree, point, k):
    safe, _ = freeze(tree, point)
    _, g = grads_of(lambda *xs: build(safe, list(xs)), *point)
    _, gk = grads_of(lambda *xs: build(safe, list(xs)) * k, *point)
    assert gk == [k * x for x in g]  # multiplying by a power of two is exact
