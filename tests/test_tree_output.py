"""Roots with several outputs: Output and Softmax, categorical cross-entropy, and the
loss functions' derivatives."""

from __future__ import annotations

import math
import random

import pytest
from hypothesis import given
from hypothesis import strategies as st

from nnscratch.tree import (Add, Input, Multiply, Output, Parameter, ReLU, Softmax, bce_loss, bce_loss_grad,
                            categorical_cross_entropy, categorical_cross_entropy_grad, mse_loss, mse_loss_grad,
                            softmax, softmax_backward, softmax_classifier, three_classes, train_model)
from test_tree_support import as_values, central_difference, close

finite = st.floats(-30, 30, allow_nan=False)


@given(st.lists(finite, min_size=2, max_size=6))
def test_softmax_gives_positive_probabilities_that_sum_to_one(zs):
    p = softmax(zs)
    assert all(pi >= 0 for pi in p)
    assert math.isclose(sum(p), 1.0, rel_tol=1e-12)
    for zi, pi in zip(zs, p):  # a larger number gets a probability at least as large
        assert all(pi <= pj for zj, pj in zip(zs, p) if zi <= zj)


def test_softmax_does_not_overflow():
    assert softmax([1000.0, 1000.0]) == [0.5, 0.5]
    assert softmax([-1000.0, 0.0])[1] == 1.0


@given(st.lists(finite, min_size=2, max_size=5), st.data())
def test_softmax_backward_is_the_vector_jacobian_product(zs, data):
    g = data.draw(st.lists(st.floats(-3, 3, allow_nan=False), min_size=len(zs), max_size=len(zs)))
    p = softmax(zs)
    got = softmax_backward(p, g)
    h = 1e-6
    for j in range(len(zs)):
        up = softmax(zs[:j] + [zs[j] + h] + zs[j + 1:])
        down = softmax(zs[:j] + [zs[j] - h] + zs[j + 1:])
        numeric = sum(gi * (u - d) / (2 * h) for gi, u, d in zip(g, up, down))
        assert math.isclose(got[j], numeric, rel_tol=1e-5, abs_tol=1e-7)


def three_logit_model():
    x = Input(0.7, name="x")
    z = [Add([Multiply([Parameter(w), x]), Parameter(b)]) for w, b in ((0.5, 0.1), (-1.2, 0.3), (2.0, -0.4))]
    return Softmax(z), x


@pytest.mark.parametrize("label", [0, 1, 2])
def test_derivatives_through_softmax_and_cross_entropy_match_central_differences_and_value(label):
    model, x = three_logit_model()
    model.compile()
    p = model.predict([0.7])
    model.backward(categorical_cross_entropy_grad(label, p), update=False)
    loss = lambda probs: categorical_cross_entropy(label, probs)  # noqa: E731
    out, leaves = as_values(model)
    (-out[label].log()).backward()
    for param in model.parameters():
        assert close(param.derivative, central_difference(model, param, loss), rel=1e-6, abs_=1e-8)
        assert close(param.derivative, leaves[id(param)].grad, rel=1e-9)
    # together, softmax and cross-entropy hand each logit p - onehot
    for j, z in enumerate(model.children):
        assert close(z.derivative, p[j] - (j == label), rel=1e-9, abs_=1e-12)


def test_an_output_root_returns_its_childrens_values_and_passes_derivatives_through():
    a, b = Parameter(2.0), Parameter(-1.0)
    out = Output([Multiply([a, Input()]), ReLU([b])])
    assert out.predict([3.0]) == [6.0, 0.0]
    returned = out.forward()
    returned.append(99.0)  # the caller's list, not the cache
    assert out.forward() == [6.0, 0.0]
    out.backward([1.0, 5.0], update=False)
    assert [c.derivative for c in out.children] == [1.0, 5.0]
    assert a.derivative == 3.0 and b.derivative == 0.0
    assert out.funcify() == "[2.0 * x1, relu(-1.0)]"


def test_the_softmax_classifier_learns_three_classes():
    X, y = three_classes(150, seed=0)
    assert sorted(set(y)) == [0, 1, 2] and [y.count(k) for k in range(3)] == [50, 50, 50]
    assert three_classes(150, seed=0) == (X, y)
    model = softmax_classifier(rng=random.Random(0)).compile()
    assert len(model.inputs) == 2 and all(len(x.parents) == 3 for x in model.inputs)
    history = train_model(model, categorical_cross_entropy, categorical_cross_entropy_grad, list(zip(X, y)),
                          epochs=20, print_every=None, learning_rate=0.1)
    assert history[-1] < history[0] / 2
    predictions = [max(range(3), key=model.predict(x).__getitem__) for x in X]
    accuracy = sum(p == t for p, t in zip(predictions, y)) / len(y)
    assert accuracy >= 0.9
    assert all(math.isclose(sum(model.predict(x)), 1.0) for x in X[:10])


# -- the losses' derivatives ----------------------------------------------------------------------


@pytest.mark.parametrize("loss, grad, y, p", [
    (mse_loss, mse_loss_grad, 3.0, 1.25),
    (mse_loss, mse_loss_grad, -1.0, 4.0),
    (bce_loss, bce_loss_grad, 1, 0.3),
    (bce_loss, bce_loss_grad, 0, 0.3),
    (bce_loss, bce_loss_grad, 0.25, 0.9),
])
def test_each_loss_derivative_matches_central_differences(loss, grad, y, p):
    h = 1e-6
    assert close(grad(y, p), (loss(y, p + h) - loss(y, p - h)) / (2 * h), rel=1e-6)


def test_categorical_cross_entropy_and_its_derivative():
    p = [0.2, 0.5, 0.3]
    assert close(categorical_cross_entropy(1, p), -math.log(0.5))
    assert categorical_cross_entropy_grad(1, p) == [0.0, -2.0, 0.0]
    assert categorical_cross_entropy(0, [0.0, 1.0]) == pytest.approx(-math.log(1e-12))


@pytest.mark.parametrize("call, error, message", [
    (lambda: categorical_cross_entropy(3, [0.5, 0.5]), ValueError, "class 3 does not exist; there are 2 classes"),
    (lambda: categorical_cross_entropy(1.0, [0.5, 0.5]), TypeError, "class number"),
    (lambda: bce_loss(2, 0.5), ValueError, "label must lie between 0 and 1"),
    (lambda: bce_loss(1, 1.5), ValueError, "probability between 0 and 1"),
    (lambda: mse_loss("1", 0.5), TypeError, "y_true must be a real number, got str"),
    (lambda: softmax_backward([0.5, 0.5], [1.0]), ValueError, "one derivative per probability: 2, got 1"),
])
def test_bad_loss_input_is_refused(call, error, message):
    with pytest.raises(error, match=message):
        call()
