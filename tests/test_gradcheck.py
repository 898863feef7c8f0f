"""`nnscratch.gradcheck`: central differences, and a gradient check that passes right
gradients and catches wrong ones."""

from __future__ import annotations

import math

import pytest

import nnscratch.engine as engine
from nnscratch import MLP, Value
from nnscratch.gradcheck import GradientCheck, gradient_check, numerical_derivative

# -- numerical_derivative -------------------------------------------------------------------


def test_the_books_example_f_of_3():
    def f(x):
        return 3 * x**2 - 4 * x + 5

    assert f(3.0) == 20.0
    assert math.isclose(numerical_derivative(f, 3.0), 14.0, rel_tol=1e-8)
    assert abs(numerical_derivative(f, 2 / 3)) < 1e-8


def test_central_difference_error_shrinks_like_h_squared():
    # error ≈ f'''(x)·h²/6; for exp at 1 that is e·h²/6
    errors = {h: abs(numerical_derivative(math.exp, 1.0, h) - math.e) for h in (1e-2, 1e-3)}
    assert math.isclose(errors[1e-2], math.e * 1e-4 / 6, rel_tol=0.01)
    assert math.isclose(errors[1e-3], math.e * 1e-6 / 6, rel_tol=0.01)
    assert 95 < errors[1e-2] / errors[1e-3] < 105


def test_central_difference_beats_the_one_sided_one():
    h = 1e-3
    central = abs(numerical_derivative(math.sin, 0.5, h) - math.cos(0.5))
    one_sided = abs((math.sin(0.5 + h) - math.sin(0.5)) / h - math.cos(0.5))
    assert central < one_sided / 100


def test_central_difference_is_exact_enough_for_quadratics():
    assert abs(numerical_derivative(lambda x: x * x, 3.0, 1e-3) - 6.0) < 1e-9


@pytest.mark.parametrize("bad", [0.0, -1e-6])
def test_h_must_be_positive(bad):
    with pytest.raises(ValueError, match="h must be positive"):
        numerical_derivative(math.exp, 1.0, bad)


@pytest.mark.parametrize("bad", [math.nan, math.inf, "1e-6", None])
def test_h_must_be_a_finite_number(bad):
    with pytest.raises(ValueError, match="h must be a"):
        numerical_derivative(math.exp, 1.0, bad)


def test_an_h_lost_in_the_rounding_of_x_is_refused():
    # 1e20 + 1e-6 == 1e20: the difference quotient would be 0 / 2e-6 = 0, silently.
    with pytest.raises(ValueError, match="too small or too large next to x"):
        numerical_derivative(lambda x: x * x, 1e20)
    with pytest.raises(ValueError, match="too small or too large"):
        numerical_derivative(lambda x: x, 1.7e308, h=1e307)  # x + h overflows


@pytest.mark.parametrize("x", [math.inf, math.nan, "1.0"])
def test_x_must_be_a_finite_number(x):
    with pytest.raises(ValueError, match="x must be a"):
        numerical_derivative(math.exp, x)


def test_a_function_value_that_is_not_finite_is_refused():
    with pytest.raises(ValueError, match=r"f\(.*\) is inf"):
        numerical_derivative(lambda x: math.inf, 1.0)
    with pytest.raises(ValueError, match="not a finite number"):
        numerical_derivative(lambda x: math.nan if x > 1 else 0.0, 1.0)


def test_a_function_that_returns_something_else_is_refused():
    with pytest.raises(TypeError, match="f must return a number.*Value"):
        numerical_derivative(lambda x: Value(x), 1.0)


def test_a_difference_quotient_that_overflows_is_refused():
    with pytest.raises(OverflowError, match="difference quotient"):
        numerical_derivative(lambda x: 1e308 if x > 0 else -1e308, 0.0, h=1e-3)


@pytest.mark.parametrize("bad", [math.inf, math.nan, "2"])
def test_gradient_check_names_a_bad_input(bad):
    with pytest.raises(ValueError, match="gradient_check: input 1"):
        gradient_check(lambda x: x[0] * x[1], [1.0, bad])


@pytest.mark.parametrize("name", ["rtol", "atol"])
@pytest.mark.parametrize("bad", [-1e-5, math.nan])
def test_gradient_check_tolerances_must_be_finite_and_not_negative(name, bad):
    with pytest.raises(ValueError, match=name):
        gradient_check(lambda x: x[0] * 2, [1.0], **{name: bad})


def test_gradient_check_where_f_overflows_near_the_point_says_so():
    with pytest.raises(OverflowError):
        gradient_check(lambda x: (x[0] * 1e300) * 1e300, [1e-300])


# -- gradient_check: right gradients pass ------------------------------------------------------


@pytest.mark.parametrize(
    "f, inputs",
    [
        (lambda x: x[0] * x[1] + x[2], [2.0, -3.0, 10.0]),
        (lambda x: ((x[0] * x[1]).tanh() + x[2].exp()) / (x[0] ** 2 + 1), [0.3, -1.2, 0.5]),
        (lambda x: (x[0].sigmoid() * x[1].relu()).log(), [0.7, 1.3]),
        (lambda x: 2 ** x[0] - 3 / x[1] + (-x[0]) ** 3, [1.5, 2.5]),
        (lambda x: x[0] * x[0] * x[0], [1.1]),
    ],
)
def test_right_gradients_pass(f, inputs):
    result = gradient_check(f, inputs)
    assert result.ok and bool(result)
    assert len(result.analytic) == len(result.numeric) == len(inputs)
    assert all(e <= 1e-6 for e in result.errors)
    assert str(result).endswith("gradients agree")


def test_an_mlp_passes():
    model = MLP(3, [4, 4, 1], seed=0)

    def f(x):
        return model(x)

    result = gradient_check(f, [0.5, -1.0, 2.0])
    assert result.ok, str(result)
    assert any(abs(a) > 1e-3 for a in result.analytic)


# -- gradient_check: wrong gradients are caught -------------------------------------------------


def test_a_graph_broken_by_using_data_is_caught():
    # x * Value(x.data): the second factor is a fresh leaf, so backprop misses half of
    # d(x²)/dx — a classic bug when writing a loss by hand.
    result = gradient_check(lambda x: x[0] * Value(x[0].data), [1.5])
    assert not result.ok and not bool(result)
    assert result.analytic == (1.5,)
    assert math.isclose(result.numeric[0], 3.0, rel_tol=1e-8)
    assert str(result).endswith("gradients DIFFER")


def test_a_wrong_local_derivative_in_the_engine_is_caught(monkeypatch):
    # An engine whose tanh stores 1 - tanh a instead of 1 - tanh²a.
    def wrong_tanh(self):
        t = math.tanh(self.data)
        return engine._node(t, "tanh", self, 1.0 - t)

    monkeypatch.setattr(engine.Value, "tanh", wrong_tanh)
    assert not gradient_check(lambda x: x[0].tanh(), [0.5]).ok
    assert not gradient_check(lambda x: (x[0] * x[1]).tanh() + x[1], [0.5, 0.8]).ok
    assert gradient_check(lambda x: x[0] * x[1] + x[1].exp(), [0.5, 0.8]).ok  # no tanh: fine
    assert gradient_check(lambda x: x[0].tanh(), [0.0]).ok  # 1 - t = 1 - t² at t = 0


def test_a_wrong_gradient_in_one_input_only_is_reported_for_that_input():
    result = gradient_check(lambda x: x[0] * 2.0 + x[1] * Value(x[1].data), [1.0, 3.0])
    assert not result.ok
    assert result.errors[0] < 1e-8
    assert math.isclose(result.errors[1], 3.0, rel_tol=1e-6)


def test_f_must_return_a_value():
    with pytest.raises(TypeError, match="must return a Value, got float"):
        gradient_check(lambda x: x[0].data * 2, [1.0])


# -- GradientCheck ------------------------------------------------------------------------------


def test_tolerances_decide():
    close = GradientCheck(analytic=(1.0,), numeric=(1.0 + 1e-6,), rtol=1e-5, atol=0.0)
    assert close.ok
    strict = GradientCheck(analytic=(1.0,), numeric=(1.0 + 1e-6,), rtol=1e-7, atol=0.0)
    assert not strict.ok
    absolute = GradientCheck(analytic=(0.0,), numeric=(1e-8,), rtol=0.0, atol=1e-7)
    assert absolute.ok


def test_nan_never_agrees():
    assert not GradientCheck(analytic=(math.nan,), numeric=(1.0,), rtol=1e-5, atol=1e-7).ok
    assert not GradientCheck(analytic=(1.0,), numeric=(math.nan,), rtol=1e-5, atol=1e-7).ok


def test_the_table():
    text = str(gradient_check(lambda x: x[0] * x[1], [2.0, -3.0]))
    lines = text.splitlines()
    assert lines[0].split() == ["input", "backprop", "numeric", "error"]
    assert lines[1].split()[:2] == ["0", "-3.00000000"]
    assert lines[2].split()[:2] == ["1", "2.00000000"]
    assert lines[-1] == "gradients agree"
