"""`nnscratch.losses`: each loss's value and gradients against hand formulas, and the
checks on its labels."""

from __future__ import annotations

import math

import pytest

from nnscratch import Value
from nnscratch.losses import binary_cross_entropy, hinge, l2, mse


def close(x: float, y: float) -> bool:
    return math.isclose(x, y, rel_tol=1e-14, abs_tol=1e-15)


# -- mean squared error -------------------------------------------------------------------


def test_mse_value_and_gradients():
    preds = [Value(1.0), Value(-0.5), Value(2.0)]
    targets = [0.0, 0.5, 2.5]
    loss = mse(preds, targets)
    loss.backward()
    assert isinstance(loss, Value)
    assert close(loss.data, (1.0 + 1.0 + 0.25) / 3)
    # ∂/∂ŷᵢ = 2(ŷᵢ - yᵢ)/n
    for p, y in zip(preds, targets):
        assert close(p.grad, 2 * (p.data - y) / 3)


def test_mse_of_a_perfect_fit_is_zero_with_zero_gradients():
    preds = [Value(0.25), Value(-4.0)]
    loss = mse(preds, [0.25, -4.0])
    loss.backward()
    assert loss.data == 0.0
    assert [p.grad for p in preds] == [0.0, 0.0]


def test_mse_accepts_plain_numbers_as_predictions():
    assert close(mse([1.0, 2.0], [0.0, 0.0]).data, 2.5)


def test_mse_through_a_model():
    w = Value(0.5)
    xs, ys = [1.0, 2.0, 3.0], [2.0, 4.0, 6.0]
    loss = mse([w * x for x in xs], ys)
    loss.backward()
    # L(w) = (1/3) Σ (w x - y)², dL/dw = (2/3) Σ (w x - y) x
    assert close(loss.data, sum((0.5 * x - y) ** 2 for x, y in zip(xs, ys)) / 3)
    assert close(w.grad, 2 / 3 * sum((0.5 * x - y) * x for x, y in zip(xs, ys)))


# -- hinge --------------------------------------------------------------------------------


def test_hinge_value_and_gradients():
    scores = [Value(2.0), Value(0.5), Value(-0.25), Value(-3.0)]
    labels = [1, 1, 1, -1]
    loss = hinge(scores, labels)
    loss.backward()
    # max(0, 1 - y·s): 0, 0.5, 1.25, 0
    assert close(loss.data, (0.0 + 0.5 + 1.25 + 0.0) / 4)
    # ∂/∂sᵢ = -yᵢ/n where the margin is violated, 0 where it is not
    assert [s.grad for s in scores] == [0.0, -0.25, -0.25, 0.0]


def test_hinge_pushes_negative_examples_down():
    scores = [Value(0.5), Value(-0.5)]
    loss = hinge(scores, [-1, -1])
    loss.backward()
    assert close(loss.data, (1.5 + 0.5) / 2)
    assert [s.grad for s in scores] == [0.5, 0.5]


def test_hinge_is_zero_for_confident_correct_scores():
    assert hinge([Value(1.0), Value(-7.0)], [1, -1]).data == 0.0


@pytest.mark.parametrize("bad", [0, 2, -2, 0.5, True, "1", None])
def test_hinge_labels_must_be_plus_or_minus_one(bad):
    with pytest.raises(ValueError) as info:
        hinge([Value(0.0), Value(0.0)], [1, bad])
    message = str(info.value)
    assert "hinge" in message and "target 1" in message and repr(bad) in message
    assert "-1 or 1" in message


def test_hinge_accepts_float_labels_equal_to_plus_or_minus_one():
    assert close(hinge([Value(0.5)], [1.0]).data, 0.5)


# -- binary cross-entropy ------------------------------------------------------------------


def test_binary_cross_entropy_value_and_gradients():
    probs = [Value(0.9), Value(0.2), Value(0.6)]
    labels = [1, 0, 1]
    loss = binary_cross_entropy(probs, labels)
    loss.backward()
    assert close(loss.data, -(math.log(0.9) + math.log(0.8) + math.log(0.6)) / 3)
    # ∂/∂p = -1/(n p) for y = 1, 1/(n (1 - p)) for y = 0
    assert close(probs[0].grad, -1 / (3 * 0.9))
    assert close(probs[1].grad, 1 / (3 * 0.8))
    assert close(probs[2].grad, -1 / (3 * 0.6))


def test_binary_cross_entropy_on_sigmoid_outputs_has_gradient_p_minus_y():
    # The classic simplification: d/dz BCE(σ(z), y) = (σ(z) - y)/n.
    zs = [Value(0.3), Value(-1.2), Value(2.0)]
    labels = [1, 0, 0]
    loss = binary_cross_entropy([z.sigmoid() for z in zs], labels)
    loss.backward()
    for z, y in zip(zs, labels):
        p = 1 / (1 + math.exp(-z.data))
        assert math.isclose(z.grad, (p - y) / 3, rel_tol=1e-12)


@pytest.mark.parametrize("bad", [-1, 2, 0.5, True, False, "0"])
def test_binary_cross_entropy_labels_must_be_zero_or_one(bad):
    with pytest.raises(ValueError) as info:
        binary_cross_entropy([Value(0.5)], [bad])
    message = str(info.value)
    assert "binary_cross_entropy" in message and "0 or 1" in message and repr(bad) in message


@pytest.mark.parametrize("p, y", [(1.5, 0), (1.5, 1), (-0.5, 1), (-0.5, 0), (1.0000000000000002, 1)])
def test_binary_cross_entropy_refuses_predictions_that_are_not_probabilities(p, y):
    # 1.5 with label 1 would give the negative loss -ln 1.5, silently.
    with pytest.raises(ValueError) as info:
        binary_cross_entropy([Value(0.5), Value(p)], [1, y])
    message = str(info.value)
    assert "prediction 1" in message and "not a probability" in message and repr(p) in message


@pytest.mark.parametrize("p, y", [(1.0, 0), (0.0, 1)])
def test_binary_cross_entropy_refuses_a_certain_wrong_prediction(p, y):
    with pytest.raises(ValueError, match="certain and wrong.*infinite"):
        binary_cross_entropy([Value(p)], [y])


@pytest.mark.parametrize("p, y", [(1.0, 1), (0.0, 0)])
def test_binary_cross_entropy_of_a_perfect_prediction_is_zero_not_minus_zero(p, y):
    loss = binary_cross_entropy([Value(p), p], [y, y])
    assert loss.data == 0.0 and math.copysign(1.0, loss.data) == 1.0
    assert repr(loss) == "Value(data=0.0, grad=0.0)"


@pytest.mark.parametrize(
    "loss, predictions, labels",
    [(hinge, [2.0, 0.5, -0.25], [1, 1, -1]), (binary_cross_entropy, [0.9, 0.2, 0.6], [1, 0, 1]),
     (mse, [1.0, -0.5, 2.0], [0.0, 0.5, 2.5])],
)
def test_every_loss_accepts_plain_numbers_as_predictions(loss, predictions, labels):
    plain = loss(predictions, labels)
    assert isinstance(plain, Value)
    assert plain.data == loss([Value(p) for p in predictions], labels).data


def test_numpy_numbers_work_as_predictions_targets_and_labels():
    np = pytest.importorskip("numpy", reason="numpy scalars")
    assert hinge([np.float64(0.5)], [np.int64(1)]).data == 0.5
    assert close(binary_cross_entropy([np.float32(0.5)], [np.int8(1)]).data, math.log(2.0))
    assert mse([Value(1.0)], [np.float64(3.0)]).data == 4.0
    with pytest.raises(ValueError, match="target 0"):
        hinge([0.5], [np.True_])


@pytest.mark.parametrize("bad", [math.inf, math.nan, "1.0", None])
def test_targets_must_be_finite_numbers(bad):
    with pytest.raises((TypeError, ValueError), match="mse: target 1"):
        mse([Value(0.0), Value(0.0)], [0.0, bad])


@pytest.mark.parametrize("loss, labels", [(mse, [0.0]), (hinge, [1]), (binary_cross_entropy, [1])])
@pytest.mark.parametrize("bad", [math.inf, "0.5"])
def test_predictions_that_are_not_finite_numbers_are_named(loss, labels, bad):
    with pytest.raises((TypeError, ValueError), match="prediction 0"):
        loss([bad], labels)


def test_a_loss_that_overflows_says_where():
    with pytest.raises(OverflowError, match=r"1e\+200 \*\* 2\.0 is too large"):
        mse([Value(1e200)], [0.0])


# -- L2 -------------------------------------------------------------------------------------


def test_l2_value_and_gradients():
    params = [Value(0.5), Value(-2.0), Value(0.0)]
    penalty = l2(params)
    penalty.backward()
    assert penalty.data == 0.25 + 4.0
    assert [p.grad for p in params] == [1.0, -4.0, 0.0]


def test_l2_of_nothing_is_zero():
    assert l2([]).data == 0.0


def test_hinge_plus_l2_adds_the_gradients():
    w = Value(0.75)
    loss = hinge([w * 1.0, w * -2.0], [1, 1]) + 0.01 * l2([w])
    loss.backward()
    # hinge: (max(0, 0.25) + max(0, 2.5)) / 2, slope (-1 + 2)/2; l2: 0.01 w², slope 0.02 w
    assert close(loss.data, (0.25 + 2.5) / 2 + 0.01 * 0.75**2)
    assert close(w.grad, 0.5 + 0.02 * 0.75)


# -- shapes -----------------------------------------------------------------------------------


@pytest.mark.parametrize("loss, labels", [(mse, [1.0]), (hinge, [1]), (binary_cross_entropy, [1])])
def test_length_mismatch_and_empty_input_are_errors(loss, labels):
    name = loss.__name__
    with pytest.raises(ValueError, match=f"{name}: 2 predictions but 1 targets"):
        loss([Value(0.5), Value(0.5)], labels)
    with pytest.raises(ValueError, match=f"{name}: no predictions"):
        loss([], [])
