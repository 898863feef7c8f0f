"""No silent infinities: no operation stores a value, local derivative or gradient that
is not a finite float. Each overflow is an error that names the operation and its
operands, in the forward pass, in ``backward()`` and in an SGD step, and leaves what
it would have changed unchanged."""

from __future__ import annotations

import math

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from nnscratch import MLP, Value
from nnscratch.engine import backward_order, weighted_sum
from nnscratch.optim import SGD

# -- the forward pass -------------------------------------------------------------------------

OVERFLOWS = {
    "a * b": (lambda: Value(1e200) * Value(1e200), ["1e+200 * 1e+200", "too large"]),
    "a * number": (lambda: Value(1e200) * 1e200, ["1e+200 * 1e+200"]),
    "number * a": (lambda: 1e200 * Value(1e200), ["1e+200 * 1e+200"]),
    "a + b": (lambda: Value(1e308) + Value(1e308), ["1e+308 + 1e+308"]),
    "number + a": (lambda: 1e308 + Value(1e308), ["1e+308 + 1e+308"]),
    "a - b": (lambda: Value(-1e308) - Value(1e308), ["-1e+308 - 1e+308"]),
    "number - a": (lambda: -1e308 - Value(1e308), ["-1e+308 - 1e+308"]),
    "1 / tiny": (lambda: 1 / Value(1e-320), ["1.0 / 1e-320", "too large"]),
    "a / tiny": (lambda: Value(1.0) / Value(1e-320), ["1.0 / 1e-320"]),
    "d(a/b)/db": (lambda: Value(1.0) / Value(1e-200), ["1.0 / 1e-200", "derivative", "second operand"]),
    "d(a/b)/da": (lambda: Value(1e-300) / Value(1e-309), ["derivative", "first operand"]),
    "d(log a)/da": (lambda: Value(5e-324).log(), ["log(5e-324)", "derivative"]),
    "d(c ** a)/da": (lambda: 10 ** Value(308.0), ["10 ** 308.0", "derivative"]),
    "a ** n": (lambda: Value(10.0) ** 400, ["10.0 ** 400"]),
    "d(a ** n)/da": (lambda: Value(1e-200) ** -1, ["1e-200 ** -1", "derivative"]),
    "d(a ** n)/da, n huge": (lambda: Value(0.5) ** -1023.5, ["0.5 ** -1023.5"]),
    "exp": (lambda: Value(710.0).exp(), ["exp(710.0)"]),
}


@pytest.mark.parametrize("name", OVERFLOWS)
def test_every_operation_that_overflows_raises_and_names_itself(name):
    f, words = OVERFLOWS[name]
    with pytest.raises(OverflowError) as info:
        f()
    for word in words:
        assert word in str(info.value), (name, str(info.value))


def test_the_largest_results_that_fit_are_fine():
    big = Value(1e308)
    assert (big + Value(7e307)).data == 1e308 + 7e307
    assert (Value(1e154) * Value(1e154)).data == 1e308
    out = Value(1.0) / Value(1e-100)
    out.backward()
    assert out.data == 1e100 and out.children[1].grad == -1e200


def test_a_square_root_at_zero_has_an_infinite_slope_and_is_refused():
    with pytest.raises(ZeroDivisionError, match=r"0\.0 \*\* 0\.5: its derivative .* infinite"):
        Value(0.0) ** 0.5
    assert (Value(0.0) ** 1.5).data == 0.0  # slope 0 there: fine


def test_a_fused_weighted_sum_that_overflows_raises():
    w = [Value(1e200), Value(1e200)]
    with pytest.raises(OverflowError, match="weighted sum"):
        weighted_sum(w, [1e200, 1.0], Value(0.0))
    with pytest.raises(OverflowError, match="weighted sum"):
        weighted_sum([Value(1e308), Value(1e308)], [1.0, 1.0], Value(0.0))


# -- backward() ---------------------------------------------------------------------------------


def test_a_gradient_that_overflows_through_a_chain_raises_and_changes_nothing():
    # Every value is finite (1e-300 · 1e300 = 1, · 1e300 = 1e300), but d(out)/da is
    # 1e300 · 1e300, which is not.
    a = Value(1e-300, label="a")
    a.grad = 0.25
    out = (a * 1e300) * 1e300
    with pytest.raises(OverflowError) as info:
        out.backward()
    message = str(info.value)
    assert "backward()" in message and "'a'" in message and "'*'" in message
    assert a.grad == 0.25  # as before the call
    assert all(node.grad == 0.0 for node in backward_order(out))


def test_a_gradient_that_overflows_while_contributions_add_up_raises():
    # a is used twice; each use passes 1e308 back, and 1e308 + 1e308 does not fit.
    a = Value(1e-10, label="a")
    out = a * 1e308 + a * 1e308
    assert math.isfinite(out.data)
    with pytest.raises(OverflowError, match="gradient of the leaf 'a'"):
        out.backward()
    assert a.grad == 0.0


def test_a_gradient_that_overflows_in_an_intermediate_node_raises():
    x = Value(1e-300, label="x")
    e = x * 1.0
    out = (e * 1e300) * 1e300 + (e * 1e300) * 1e300
    with pytest.raises(OverflowError, match="backward"):
        out.backward()
    assert x.grad == 0.0 and e.grad == 0.0


def test_a_leaf_whose_gradient_would_overflow_keeps_its_old_gradient():
    a = Value(1e-10, label="a")
    a.grad = 1.5e308
    with pytest.raises(OverflowError):
        (a * 1e308).backward()
    assert a.grad == 1.5e308


def test_after_a_failed_backward_a_good_one_works():
    a = Value(1e-300)
    bad = (a * 1e300) * 1e300
    with pytest.raises(OverflowError):
        bad.backward()
    good = a * 3.0
    good.backward()
    assert a.grad == 3.0


def test_backward_through_a_fused_node_that_overflows_raises():
    w = [Value(1e300), Value(2.0)]
    x = [Value(1e-300), Value(1.0)]
    z = weighted_sum(w, x, Value(0.0))  # 1 + 2: fine
    out = z * 1e300
    with pytest.raises(OverflowError, match="Σwx\\+b"):
        out.backward()
    assert all(v.grad == 0.0 for v in w + x)


# -- SGD --------------------------------------------------------------------------------------


def test_an_sgd_step_that_would_overflow_changes_no_parameter():
    params = [Value(1.0), Value(-1e308), Value(2.0)]
    for p, g in zip(params, [1.0, 1e308, 1.0]):
        p.grad = g
    opt = SGD(params, lr=10.0)
    with pytest.raises(OverflowError) as info:
        opt.step()
    assert "parameter 1" in str(info.value) and "-1e+308" in str(info.value)
    assert [p.data for p in params] == [1.0, -1e308, 2.0]


def test_an_sgd_step_on_a_gradient_set_to_nan_by_hand_is_refused():
    p = Value(1.0)
    p.grad = math.nan
    with pytest.raises(OverflowError, match="parameter 0"):
        SGD([p]).step()
    assert p.data == 1.0


# -- property: random finite inputs never give a non-finite number without an error ----------

finite = st.floats(allow_nan=False, allow_infinity=False)
ops = st.sampled_from(["+", "-", "*", "/", "rsub", "rdiv", "exp", "log", "tanh", "sigmoid", "relu", "neg",
                       "**2", "**-1", "**0.5", "**3", "2**"])


def _apply(op: str, a: Value, b: Value, c: float) -> Value:
    if op == "+":
        return a + b
    if op == "-":
        return a - b
    if op == "*":
        return a * b
    if op == "/":
        return a / b
    if op == "rsub":
        return c - a
    if op == "rdiv":
        return c / a
    if op == "neg":
        return -a
    if op.startswith("**"):
        return a ** float(op[2:])
    if op == "2**":
        return 2 ** a
    return getattr(a, op)()


def _all_finite(root: Value) -> bool:
    stack, seen = [root], set()
    while stack:
        v = stack.pop()
        if id(v) in seen:
            continue
        seen.add(id(v))
        if not (math.isfinite(v.data) and math.isfinite(v.grad) and all(map(math.isfinite, v.local_grads))):
            return False
        stack.extend(v.children)
    return True


REFUSALS = (OverflowError, ZeroDivisionError, ValueError)


@settings(max_examples=400, deadline=None)
@given(st.lists(finite, min_size=2, max_size=4), st.lists(st.tuples(ops, st.integers(0, 99), st.integers(0, 99),
                                                                     finite), min_size=1, max_size=12))
def test_random_finite_inputs_never_give_a_non_finite_number_without_an_error(inputs, program):
    leaves = [Value(x) for x in inputs]
    values = list(leaves)
    for op, i, j, c in program:
        try:
            values.append(_apply(op, values[i % len(values)], values[j % len(values)], c))
        except REFUSALS:
            pass
    root = values[-1]
    assume(root.children)
    assert _all_finite(root)
    before = [leaf.grad for leaf in leaves]
    try:
        root.backward()
    except OverflowError:
        assert [leaf.grad for leaf in leaves] == before  # nothing changed
    assert _all_finite(root)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.floats(-1e6, 1e6), min_size=2, max_size=2), st.floats(1e-3, 1e3))
def test_training_on_random_finite_data_stays_finite_or_stops_with_an_error(point, scale):
    model = MLP(2, [4, 1], activation="relu", linear_output=True, seed=0)
    opt = SGD(model.parameters(), lr=scale)
    for _ in range(5):
        try:
            loss = (model(point) - 1.0) ** 2
            opt.zero_grad()
            loss.backward()
            opt.step()
        except OverflowError:
            break
        assert all(math.isfinite(p.data) and math.isfinite(p.grad) for p in model.parameters())
    assert all(math.isfinite(p.data) for p in model.parameters())
