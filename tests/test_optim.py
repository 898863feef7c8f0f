"""`nnscratch.optim.SGD`: one step is p ← p - lr·grad; the learning rate is checked."""

from __future__ import annotations

import math

import pytest

from nnscratch import MLP, Value
from nnscratch.optim import SGD


def test_step_moves_every_parameter_against_its_gradient():
    params = [Value(1.0), Value(-2.0), Value(0.5)]
    grads = [0.5, -3.0, 0.0]
    for p, g in zip(params, grads):
        p.grad = g
    opt = SGD(params, lr=0.1)
    opt.step()
    assert [p.data for p in params] == [1.0 - 0.1 * 0.5, -2.0 - 0.1 * -3.0, 0.5]
    assert [p.grad for p in params] == grads  # step does not touch the gradients


def test_zero_grad_resets_the_gradients():
    params = [Value(1.0), Value(2.0)]
    for p in params:
        p.grad = 7.0
    SGD(params).zero_grad()
    assert [p.grad for p in params] == [0.0, 0.0]


def test_sgd_minimises_a_quadratic():
    x = Value(0.0)
    opt = SGD([x], lr=0.1)
    for _ in range(200):
        loss = (x - 3.0) ** 2
        opt.zero_grad()
        loss.backward()
        opt.step()
    assert math.isclose(x.data, 3.0, rel_tol=1e-12)


def test_sgd_lowers_an_mlp_loss():
    model = MLP(3, [4, 4, 1], seed=0)
    xs = [[2.0, 3.0, -1.0], [3.0, -1.0, 0.5], [0.5, 1.0, 1.0], [1.0, 1.0, -1.0]]
    ys = [1.0, -1.0, -1.0, 1.0]
    opt = SGD(model.parameters(), lr=0.05)
    losses = []
    for _ in range(20):
        loss = sum(((model(x) - y) ** 2 for x, y in zip(xs, ys)), Value(0.0))
        opt.zero_grad()
        loss.backward()
        opt.step()
        losses.append(loss.data)
    assert losses[-1] < losses[0] / 2


def test_learning_rate_can_change_between_steps():
    p = Value(1.0)
    p.grad = 1.0
    opt = SGD([p], lr=0.5)
    opt.step()
    opt.lr = 0.25
    opt.step()
    assert p.data == 1.0 - 0.5 - 0.25
    assert opt.lr == 0.25


def test_an_int_learning_rate_becomes_a_float():
    opt = SGD([Value(0.0)], lr=1)
    assert opt.lr == 1.0 and type(opt.lr) is float


@pytest.mark.parametrize("bad", [0, 0.0, -0.1, math.nan, math.inf, True, "0.1", None])
def test_bad_learning_rates_are_refused(bad):
    with pytest.raises(ValueError) as info:
        SGD([Value(0.0)], lr=bad)
    assert "learning rate" in str(info.value) and repr(bad) in str(info.value)
    opt = SGD([Value(0.0)], lr=0.1)
    with pytest.raises(ValueError):
        opt.lr = bad
    assert opt.lr == 0.1  # a refused value leaves the old one


def test_parameters_can_come_from_a_generator():
    params = [Value(1.0), Value(2.0)]
    opt = SGD(p for p in params)
    assert opt.parameters == params


def test_parameters_must_be_values():
    with pytest.raises(TypeError, match="parameter 1 is a float"):
        SGD([Value(1.0), 2.0])


def test_no_parameters_is_an_error():
    with pytest.raises(ValueError, match="no parameters"):
        SGD([])


def test_a_parameter_listed_twice_is_refused():
    a, b = Value(1.0), Value(2.0)
    with pytest.raises(ValueError, match="parameter 2 is parameter 0 again"):
        SGD([a, b, a])
    opt = SGD(list(dict.fromkeys([a, b, a])))  # the remedy the message suggests
    assert opt.parameters == [a, b]


def test_the_same_number_twice_is_two_parameters():
    SGD([Value(1.0), Value(1.0)])  # equal data, different parameters: fine


def test_learning_rates_of_any_real_type_are_accepted():
    np = pytest.importorskip("numpy", reason="numpy scalars as learning rates")
    from fractions import Fraction

    for lr, value in ((np.float32(0.5), 0.5), (np.float64(0.1), 0.1), (Fraction(1, 10), 0.1), (np.int64(2), 2.0)):
        opt = SGD([Value(0.0)], lr=lr)
        assert opt.lr == value and type(opt.lr) is float


@pytest.mark.parametrize("bad", ["Decimal", 10**400, -(10**400)])
def test_other_learning_rates_are_refused_by_name(bad):
    from decimal import Decimal

    bad = Decimal("0.1") if bad == "Decimal" else bad
    with pytest.raises(ValueError, match="learning rate"):
        SGD([Value(0.0)], lr=bad)


def test_repr():
    assert repr(SGD(MLP(3, [4, 4, 1]).parameters(), lr=0.05)) == "SGD(41 parameters, lr=0.05)"
