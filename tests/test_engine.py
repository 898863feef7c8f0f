"""`nnscratch.engine.Value`: every operation's value and local derivative, the graph it
records, the worked examples the chapters rely on, large inputs, and bad input."""

from __future__ import annotations

import math
from decimal import Decimal
from fractions import Fraction

import pytest

import nnscratch
from nnscratch import Value
from nnscratch.engine import Value as EngineValue


def test_value_is_exported_at_the_top_level():
    assert nnscratch.Value is EngineValue


# -- values and local derivatives ----------------------------------------------------
# Each case: a function of two leaves a, b, their data, and the expected value and
# derivatives with respect to a and b, written as independent hand formulas.

A, B = 3.0, -2.0

BINARY = {
    "a + b": (lambda a, b: a + b, A + B, 1.0, 1.0),
    "a - b": (lambda a, b: a - b, A - B, 1.0, -1.0),
    "a * b": (lambda a, b: a * b, A * B, B, A),
    "a / b": (lambda a, b: a / b, -1.5, -0.5, -0.75),  # 1/b, -a/b²
    "a * a * b": (lambda a, b: a * a * b, -18.0, 2 * A * B, A * A),
    "(a - b) / (a + b)": (lambda a, b: (a - b) / (a + b), 5.0, -4.0, -6.0),  # 2b/(a+b)², -2a/(a+b)²
}


@pytest.mark.parametrize("name", BINARY)
def test_binary_operation_value_and_derivatives(name):
    f, value, da, db = BINARY[name]
    a, b = Value(A), Value(B)
    out = f(a, b)
    out.backward()
    assert out.data == value
    assert out.grad == 1.0
    assert a.grad == da
    assert b.grad == db


POWERS = [
    # base, exponent, value, derivative n·a^(n-1)
    (3.0, 2, 9.0, 6.0),
    (3.0, 2.0, 9.0, 6.0),
    (3.0, 3, 27.0, 27.0),
    (-2.0, 3, -8.0, 12.0),
    (-2.0, 2, 4.0, -4.0),
    (4.0, -1, 0.25, -1.0 / 16.0),
    (-2.0, -1, -0.5, -0.25),
    (2.0, -2, 0.25, -0.25),
    (4.0, 0.5, 2.0, 0.25),
    (4.0, 1.5, 8.0, 3.0),
    (4.0, -0.5, 0.5, -1.0 / 16.0),
    (8.0, Fraction(1, 3), 2.0, 1.0 / 12.0),
    (3.0, 1, 3.0, 1.0),
    (3.0, 0, 1.0, 0.0),
    (0.0, 2, 0.0, 0.0),
    (0.0, 0, 1.0, 0.0),
]


@pytest.mark.parametrize("base, n, value, derivative", POWERS)
def test_power_with_a_number_exponent(base, n, value, derivative):
    a = Value(base)
    out = a**n
    out.backward()
    assert math.isclose(out.data, value, rel_tol=1e-15, abs_tol=0.0)
    assert math.isclose(a.grad, derivative, rel_tol=1e-15, abs_tol=0.0)
    assert type(out.data) is float and type(a.grad) is float


def test_power_of_zero_with_an_exponent_below_one_has_an_infinite_slope_and_is_refused():
    with pytest.raises(ZeroDivisionError, match="derivative"):
        Value(0.0) ** 0.5
    with pytest.raises(ZeroDivisionError, match="derivative"):
        Value(0.0) ** 0.25


def test_unary_minus():
    a = Value(A)
    out = -a
    out.backward()
    assert out.data == -3.0
    assert a.grad == -1.0


REFLECTED = {
    "2 + v": (lambda v: 2 + v, 5.0, 1.0),
    "2 - v": (lambda v: 2 - v, -1.0, -1.0),
    "2 * v": (lambda v: 2 * v, 6.0, 2.0),
    "2 / v": (lambda v: 2 / v, 2.0 / 3.0, -2.0 / 9.0),
    "2 ** v": (lambda v: 2**v, 8.0, 8.0 * math.log(2.0)),
    "2.5 + v": (lambda v: 2.5 + v, 5.5, 1.0),
    "0.5 ** v": (lambda v: 0.5**v, 0.125, 0.125 * math.log(0.5)),
    "v + 2": (lambda v: v + 2, 5.0, 1.0),
    "v - 2": (lambda v: v - 2, 1.0, 1.0),
    "v * 2": (lambda v: v * 2, 6.0, 2.0),
    "v / 2": (lambda v: v / 2, 1.5, 0.5),
}


@pytest.mark.parametrize("name", REFLECTED)
def test_operations_with_a_plain_number(name):
    f, value, derivative = REFLECTED[name]
    v = Value(A)
    out = f(v)
    assert isinstance(out, Value)
    out.backward()
    assert math.isclose(out.data, value, rel_tol=1e-15)
    assert math.isclose(v.grad, derivative, rel_tol=1e-15)


def _tanh(x):
    return (math.exp(2 * x) - 1) / (math.exp(2 * x) + 1)


def _sigmoid(x):
    return 1 / (1 + math.exp(-x))


UNARY = [
    # method, input, value, derivative (hand formulas, independent of the engine's)
    ("exp", 1.5, math.e**1.5, math.e**1.5),
    ("exp", -2.0, math.e**-2.0, math.e**-2.0),
    ("exp", 0.0, 1.0, 1.0),
    ("log", 3.0, math.log(3.0), 1.0 / 3.0),
    ("log", 0.25, -math.log(4.0), 4.0),
    ("log", 1.0, 0.0, 1.0),
    ("tanh", 0.5, _tanh(0.5), 1.0 / math.cosh(0.5) ** 2),
    ("tanh", -1.25, _tanh(-1.25), 1.0 / math.cosh(-1.25) ** 2),
    ("tanh", 0.0, 0.0, 1.0),
    ("sigmoid", 0.5, _sigmoid(0.5), math.exp(-0.5) / (1 + math.exp(-0.5)) ** 2),
    ("sigmoid", -1.5, _sigmoid(-1.5), math.exp(1.5) / (1 + math.exp(1.5)) ** 2),
    ("sigmoid", 0.0, 0.5, 0.25),
    ("relu", 2.5, 2.5, 1.0),
    ("relu", -2.5, 0.0, 0.0),
    ("relu", 0.0, 0.0, 0.0),  # the kink: derivative 0 there, as in PyTorch
]


@pytest.mark.parametrize("method, x, value, derivative", UNARY)
def test_function_value_and_derivative(method, x, value, derivative):
    a = Value(x)
    out = getattr(a, method)()
    out.backward()
    assert math.isclose(out.data, value, rel_tol=1e-14, abs_tol=1e-300)
    assert math.isclose(a.grad, derivative, rel_tol=1e-14, abs_tol=1e-300)
    assert type(out.data) is float and type(a.grad) is float


def test_ints_become_floats():
    a = Value(3)
    assert type(a.data) is float and a.data == 3.0
    assert type(a.grad) is float and a.grad == 0.0
    for out in (a + 1, a * 2, a - 5, a / 2, a**2, 2**a, -a, a * 10**20):
        assert type(out.data) is float, out


def test_fractions_are_accepted_as_floats():
    assert Value(Fraction(1, 4)).data == 0.25
    assert type(Value(Fraction(1, 4)).data) is float


def test_numpy_numbers_work_on_either_side():
    np = pytest.importorskip("numpy", reason="numpy scalars are only an extra convenience")
    a = Value(3.0)
    for out in (np.float64(2.0) * a, a * np.float64(2.0), np.int64(2) * a, np.float32(2.0) * a):
        assert type(out) is Value
        assert out.data == 6.0
        assert type(out.data) is float


# -- the graph ------------------------------------------------------------------------


def test_a_leaf_has_no_children_and_no_op():
    a = Value(1.0, label="a")
    assert a.children == ()
    assert a.op == ""
    assert a.label == "a"
    assert a.grad == 0.0


@pytest.mark.parametrize(
    "f, op",
    [
        (lambda a, b: a + b, "+"),
        (lambda a, b: a - b, "-"),
        (lambda a, b: a * b, "*"),
        (lambda a, b: a / b, "/"),
    ],
)
def test_binary_children_are_the_operands_in_order(f, op):
    a, b = Value(2.0), Value(5.0)
    out = f(a, b)
    assert out.op == op
    assert isinstance(out.children, tuple)
    assert len(out.children) == 2
    assert out.children[0] is a and out.children[1] is b
    swapped = f(b, a)
    assert swapped.children[0] is b and swapped.children[1] is a


@pytest.mark.parametrize(
    "f, op",
    [
        (lambda a: -a, "neg"),
        (lambda a: a**2, "**2"),
        (lambda a: a**2.0, "**2"),
        (lambda a: a**-1, "**-1"),
        (lambda a: a**0.5, "**0.5"),
        (lambda a: a**-1.5, "**-1.5"),
        (lambda a: 2**a, "2**"),
        (lambda a: 0.5**a, "0.5**"),
        (lambda a: a.exp(), "exp"),
        (lambda a: a.log(), "log"),
        (lambda a: a.tanh(), "tanh"),
        (lambda a: a.sigmoid(), "sigmoid"),
        (lambda a: a.relu(), "relu"),
    ],
)
def test_unary_op_names_and_single_child(f, op):
    a = Value(2.0)
    out = f(a)
    assert out.op == op
    assert out.children == (a,)
    assert out.children[0] is a


@pytest.mark.parametrize(
    "f, op",
    [
        (lambda v: 2 + v, "+"),
        (lambda v: 2 - v, "-"),
        (lambda v: 2 * v, "*"),
        (lambda v: 2 / v, "/"),
    ],
)
def test_a_plain_number_on_the_left_stays_on_the_left(f, op):
    v = Value(7.0)
    out = f(v)
    assert out.op == op
    first, second = out.children
    assert first.data == 2.0 and first.children == () and first is not v
    assert second is v


@pytest.mark.parametrize("f", [lambda v: v + 2, lambda v: v - 2, lambda v: v * 2, lambda v: v / 2])
def test_a_plain_number_on_the_right_stays_on_the_right(f):
    v = Value(7.0)
    first, second = f(v).children
    assert first is v
    assert second.data == 2.0 and second.children == ()


def test_an_operand_used_twice_is_listed_twice():
    a = Value(3.0)
    assert (a + a).children == (a, a)
    assert (a * a).children == (a, a)


def test_values_have_slots_and_no_closures():
    a = Value(1.0)
    out = a * 2 + 1
    assert not hasattr(out, "__dict__")
    with pytest.raises(AttributeError):
        out.anything = 1
    assert not hasattr(out, "_backward")


def test_local_derivatives_are_taken_when_the_node_is_made():
    # Changing an input's data afterwards changes neither the result nor the slopes
    # stored on the graph: the graph is a record of one forward pass.
    a, b = Value(2.0), Value(-3.0)
    out = a * b
    a.data = 100.0
    out.backward()
    assert out.data == -6.0
    assert a.grad == -3.0
    assert b.grad == 2.0


# -- the worked examples of the chapters ----------------------------------------------


def test_d_equals_a_times_b_plus_c():
    a, b, c = Value(2.0, "a"), Value(-3.0, "b"), Value(10.0, "c")
    d = a * b + c
    d.backward()
    assert d.data == 4.0
    assert (a.grad, b.grad, c.grad) == (-3.0, 2.0, 1.0)


def _loss_graph(a_, b_, c_, f_):
    a, b, c, f = Value(a_, "a"), Value(b_, "b"), Value(c_, "c"), Value(f_, "f")
    e = a * b
    e.label = "e"
    d = e + c
    d.label = "d"
    L = d * f
    L.label = "L"
    return a, b, c, d, e, f, L


def test_the_loss_example_and_its_six_gradients():
    a, b, c, d, e, f, L = _loss_graph(2.0, -3.0, 10.0, -2.0)
    L.backward()
    assert L.data == -8.0
    assert (a.grad, b.grad, c.grad, d.grad, e.grad, f.grad) == (6.0, -4.0, -2.0, -2.0, -2.0, 4.0)
    assert L.grad == 1.0


def test_one_step_along_the_gradient_gives_the_books_number():
    # "One step of 0.01·grad on the leaves": each leaf is nudged BY +0.01·grad, the
    # direction that increases L (the chapter shows that following the gradient raises
    # the output). Stepping the other way gives a different number.
    a, b, c, d, e, f, L = _loss_graph(2.0, -3.0, 10.0, -2.0)
    L.backward()
    leaves = (a, b, c, f)
    up = [leaf.data + 0.01 * leaf.grad for leaf in leaves]
    down = [leaf.data - 0.01 * leaf.grad for leaf in leaves]
    L_up = _loss_graph(*up)[-1].data
    L_down = _loss_graph(*down)[-1].data
    assert math.isclose(L_up, -7.286496, rel_tol=1e-12)
    assert not math.isclose(L_down, -7.286496, rel_tol=1e-3)
    assert L_up > L.data > L_down


SQRT_HALF = 1 / math.sqrt(2)


def _neuron(b_value):
    x1, x2 = Value(2.0, "x1"), Value(0.0, "x2")
    w1, w2 = Value(-3.0, "w1"), Value(1.0, "w2")
    b = Value(b_value, "b")
    n = x1 * w1 + x2 * w2 + b
    o = n.tanh()
    o.backward()
    return x1, x2, w1, w2, n, o


def test_the_tanh_neuron_example():
    x1, x2, w1, w2, n, o = _neuron(6.8813735870195432)
    assert math.isclose(o.data, SQRT_HALF, rel_tol=1e-15)
    assert math.isclose(n.grad, 0.5, rel_tol=1e-15)
    assert math.isclose(x1.grad, -1.5, rel_tol=1e-15)
    assert math.isclose(w1.grad, 1.0, rel_tol=1e-15)
    assert math.isclose(x2.grad, 0.5, rel_tol=1e-15)
    assert w2.grad == 0.0


def test_the_tanh_neuron_example_with_b_equal_to_6():
    x1, x2, w1, w2, n, o = _neuron(6.0)
    assert o.data == 0.0
    assert n.grad == 1.0
    assert (x1.grad, w1.grad, x2.grad, w2.grad) == (-3.0, 2.0, 1.0, 0.0)


def test_the_neuron_with_tanh_spelled_out_in_exp_gives_the_same_gradients():
    x1, x2 = Value(2.0), Value(0.0)
    w1, w2 = Value(-3.0), Value(1.0)
    b = Value(6.8813735870195432)
    n = x1 * w1 + x2 * w2 + b
    e = (2 * n).exp()
    o = (e - 1) / (e + 1)
    o.backward()
    assert math.isclose(o.data, SQRT_HALF, rel_tol=1e-14)
    assert math.isclose(x1.grad, -1.5, rel_tol=1e-14)
    assert math.isclose(w1.grad, 1.0, rel_tol=1e-14)
    assert math.isclose(x2.grad, 0.5, rel_tol=1e-14)
    assert w2.grad == 0.0


def test_b_equals_a_plus_a():
    a = Value(3.0)
    b = a + a
    b.backward()
    assert b.data == 6.0
    assert a.grad == 2.0


def test_f_equals_ab_times_a_plus_b():
    a, b = Value(-2.0), Value(3.0)
    f = (a * b) * (a + b)
    f.backward()
    assert f.data == -6.0
    assert a.grad == -3.0
    assert b.grad == -8.0


# -- large inputs ---------------------------------------------------------------------


@pytest.mark.parametrize("x, value", [(800.0, 1.0), (-800.0, -1.0), (30.0, 1.0), (-30.0, -1.0)])
def test_tanh_saturates_without_overflow(x, value):
    a = Value(x)
    out = a.tanh()
    out.backward()
    assert out.data == value
    assert a.grad == 0.0


@pytest.mark.parametrize("x, value", [(800.0, 1.0), (-800.0, 0.0), (745.0, 1.0), (-745.0, 0.0)])
def test_sigmoid_saturates_without_overflow(x, value):
    a = Value(x)
    out = a.sigmoid()
    out.backward()
    assert math.isfinite(out.data) and math.isclose(out.data, value, rel_tol=0, abs_tol=1e-300)
    assert a.grad == 0.0 or abs(a.grad) < 1e-300


def test_sigmoid_keeps_tiny_probabilities():
    # 1 - σ(40) rounds to 0 in floats, but σ(-40) itself is a perfectly good small number.
    out = Value(-40.0).sigmoid()
    assert math.isclose(out.data, math.exp(-40.0) / (1 + math.exp(-40.0)), rel_tol=1e-14)
    assert out.data > 0.0


def test_exp_of_a_large_negative_number_is_zero():
    a = Value(-800.0)
    out = a.exp()
    out.backward()
    assert out.data == 0.0
    assert a.grad == 0.0


def test_exp_of_709_is_still_a_float():
    assert math.isclose(Value(709.0).exp().data, math.exp(709.0), rel_tol=1e-15)


def test_exp_overflow_names_exp_and_the_input():
    with pytest.raises(OverflowError, match=r"exp\(800\.0\)"):
        Value(800.0).exp()


@pytest.mark.parametrize(
    "f, pattern",
    [
        (lambda: Value(10.0) ** 400, r"10\.0 \*\* 400"),
        (lambda: 2 ** Value(2000.0), r"2\.0 \*\* 2000\.0"),
        (lambda: Value(10**400), r"Value\(\).*too large"),
        (lambda: Value(1.0) + 10**400, r"too large"),
    ],
)
def test_other_overflows_raise_and_say_where(f, pattern):
    with pytest.raises(OverflowError, match=pattern):
        f()


def test_division_by_a_tiny_number_is_fine_when_the_result_and_slopes_are():
    a, b = Value(1.0), Value(1e-100)
    out = a / b
    out.backward()
    assert out.data == 1e100
    assert a.grad == 1e100
    assert b.grad == -1e200


def test_division_whose_slope_does_not_fit_in_a_float_is_refused():
    # 1 / 1e-200 = 1e200 fits; its derivative -1/b² = -1e400 does not.
    with pytest.raises(OverflowError, match=r"1\.0 / 1e-200: its derivative with respect to the second operand"):
        Value(1.0) / Value(1e-200)


def test_division_by_a_huge_number_keeps_the_derivative():
    # d(a/b)/db = -a/b²; b² overflows to inf, but -a/b² itself is a normal float.
    a, b = Value(1e150), Value(1e200)
    out = a / b
    out.backward()
    assert math.isclose(out.data, 1e-50, rel_tol=1e-15)
    assert math.isclose(b.grad, -1e-250, rel_tol=1e-14)


def test_a_power_whose_slope_overflows_says_so():
    # 1e-200 ** -1 = 1e200 fits in a float; its slope -1e400 does not.
    with pytest.raises(OverflowError) as info:
        Value(1e-200) ** -1
    message = str(info.value)
    assert "1e-200" in message and "-1" in message
    assert "derivative" in message


# -- bad input ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "bad, type_name",
    [
        ("abc", "str"),
        (None, "NoneType"),
        (1j, "complex"),
        (True, "bool"),
        (False, "bool"),
        ([1.0], "list"),
        (Decimal("1.5"), "Decimal"),
        (Value(1.0), "Value"),
    ],
)
def test_value_rejects_what_is_not_a_real_number(bad, type_name):
    with pytest.raises(TypeError) as info:
        Value(bad)
    assert type_name in str(info.value)
    assert "Value()" in str(info.value)


def test_value_names_the_string_it_was_given():
    with pytest.raises(TypeError, match="'abc'"):
        Value("abc")


@pytest.mark.parametrize("bad", [math.nan, math.inf, -math.inf])
def test_value_rejects_nan_and_infinity(bad):
    with pytest.raises(ValueError, match=r"not a finite number"):
        Value(bad)


def test_a_huge_int_is_shown_shortened():
    with pytest.raises(OverflowError) as info:
        Value(10**400)
    assert len(str(info.value)) < 200


@pytest.mark.parametrize(
    "f",
    [
        lambda v: v + "abc",
        lambda v: "abc" + v,
        lambda v: v * None,
        lambda v: None * v,
        lambda v: v - 1j,
        lambda v: 1j - v,
        lambda v: v / [1],
        lambda v: [1] / v,
        lambda v: v + True,
        lambda v: True * v,
    ],
)
def test_operations_with_non_numbers_raise_type_error(f):
    with pytest.raises(TypeError):
        f(Value(2.0))


@pytest.mark.parametrize("bad", [math.nan, math.inf])
def test_operations_with_nan_or_inf_raise(bad):
    with pytest.raises(ValueError, match="not a finite number"):
        Value(1.0) + bad
    with pytest.raises(ValueError, match="not a finite number"):
        Value(1.0) ** bad


@pytest.mark.parametrize(
    "f, error, words",
    [
        (lambda: Value(0.0).log(), ValueError, ["log(0.0)", "positive"]),
        (lambda: Value(-1.0).log(), ValueError, ["log(-1.0)", "positive"]),
        (lambda: Value(-1e-300).log(), ValueError, ["log(-1e-300)"]),
        (lambda: Value(0.0) ** -1, ZeroDivisionError, ["0.0 ** -1", "negative power"]),
        (lambda: Value(0) ** -0.5, ZeroDivisionError, ["0.0 ** -0.5"]),
        (lambda: Value(-8.0) ** (1 / 3), ValueError, ["(-8.0) **", "fractional"]),
        (lambda: Value(-2.0) ** 0.5, ValueError, ["(-2.0) ** 0.5", "not a real number"]),
        (lambda: Value(3.0) / 0, ZeroDivisionError, ["division by zero", "3.0 / 0.0"]),
        (lambda: Value(3.0) / Value(0.0), ZeroDivisionError, ["3.0 / 0.0"]),
        (lambda: 2 / Value(0.0), ZeroDivisionError, ["2.0 / 0.0"]),
        (lambda: (-2) ** Value(0.5), ValueError, ["-2.0 ** Value", "positive base"]),
        (lambda: 0 ** Value(0.5), ValueError, ["0.0 ** Value", "positive base"]),
        (lambda: Value(2.0) ** Value(3.0), TypeError, ["Value ** Value", "exponent must be a number"]),
        (lambda: Value(2.0) ** "2", TypeError, ["exponent", "str"]),
        (lambda: Value(2.0) ** 1j, TypeError, ["exponent", "complex"]),
        (lambda: Value(2.0) ** True, TypeError, ["exponent", "bool"]),
        (lambda: "2" ** Value(2.0), TypeError, ["base", "str"]),
    ],
)
def test_bad_operations_raise_the_right_error_naming_operation_and_values(f, error, words):
    with pytest.raises(error) as info:
        f()
    assert type(info.value) is error
    for word in words:
        assert word in str(info.value)


def test_results_are_never_complex():
    # (-8) ** (1/3) is complex in plain Python; the engine refuses rather than return it.
    assert isinstance((-8.0) ** (1 / 3), complex)
    with pytest.raises(ValueError):
        Value(-8.0) ** (1 / 3)
    for n in (2, 3, -1, -2, 2.0, 3.0):
        out = Value(-1.5) ** n
        assert type(out.data) is float


# -- backward and repr ----------------------------------------------------------------


def test_backward_on_a_leaf_sets_its_grad_to_one():
    a = Value(5.0)
    a.backward()
    assert a.grad == 1.0


def test_backward_on_a_leaf_accumulates_like_any_leaf():
    a = Value(5.0)
    a.backward()
    a.backward()
    assert a.grad == 2.0


def test_backward_through_several_outputs_adds_into_shared_leaves():
    a, b = Value(2.0), Value(-3.0)
    (a * b).backward()
    (a + b).backward()
    assert a.grad == -3.0 + 1.0
    assert b.grad == 2.0 + 1.0


def test_backward_of_an_intermediate_node():
    a, b = Value(2.0), Value(-3.0)
    e = a * b
    L = e * 4.0
    e.backward()
    assert e.grad == 1.0
    assert (a.grad, b.grad) == (-3.0, 2.0)
    assert L.grad == 0.0


def test_repr():
    assert repr(Value(2.0)) == "Value(data=2.0, grad=0.0)"
    assert repr(Value(-3, label="b")) == "Value(data=-3.0, grad=0.0, label='b')"
    a = Value(2.0, "a")
    out = a * a
    out.backward()
    assert repr(a) == "Value(data=2.0, grad=4.0, label='a')"
    assert repr(out) == "Value(data=4.0, grad=1.0)"


def test_repr_of_a_label_with_quotes_is_valid_python():
    v = Value(1.5, label="it's")
    assert eval(repr(v).replace("Value(", "dict(")) == {"data": 1.5, "grad": 0.0, "label": "it's"}


def test_local_grads_line_up_with_children():
    a, b = Value(2.0), Value(-3.0)
    e = a * b
    assert e.children == (a, b)
    assert e.local_grads == (-3.0, 2.0)
    assert e.tanh().local_grads == (1.0 - math.tanh(-6.0) ** 2,)
    assert a.local_grads == ()


def test_backward_order_puts_every_node_before_its_children():
    from nnscratch.engine import backward_order

    a, b, c, f = Value(2.0), Value(-3.0), Value(10.0), Value(-2.0)
    e = a * b
    d = e + c
    L = d * f
    assert backward_order(L) == [L, d, e]
    assert backward_order(a) == []
    shared = a * a
    top = (shared + 1.0) * shared
    order = backward_order(top)
    assert order[0] is top and order[-1] is shared and len(order) == 3


def test_a_label_must_be_a_string():
    with pytest.raises(TypeError, match="label must be a str, got int"):
        Value(1.0, label=5)
    assert Value(1.0, label="").label == ""


def test_values_have_eight_slots_and_no_creation_number():
    assert Value.__slots__ == ("data", "grad", "label", "op", "_a", "_b", "_da", "_db")


def test_numbers_of_every_real_type_are_accepted_and_decimals_refused():
    np = pytest.importorskip("numpy", reason="numpy scalars")
    for x in (3, 3.0, Fraction(3), np.int64(3), np.float32(3.0), np.float64(3.0), np.int8(3)):
        assert Value(x).data == 3.0 and (Value(1.0) * x).data == 3.0 and (x * Value(1.0)).data == 3.0
    with pytest.raises(TypeError):
        Value(1.0) * Decimal("3")
    with pytest.raises(TypeError, match="Value.. needs a real number"):
        Value(np.True_)
