"""Training tree models: two gradient steps by hand, Fahrenheit to Celsius, the
above/below-the-line classifier, and train_model's checks and printing."""

from __future__ import annotations

import pytest

from nnscratch.data import above_below_line, fahrenheit_celsius
from nnscratch.tree import (Input, Linear, above_below_classifier, bce_loss, bce_loss_grad, linear_regression,
                            manual_seed, mse_loss, mse_loss_grad, train_model)
from test_tree_support import close


def two_steps_by_hand(w, b, lr, examples):
    """Gradient descent on (w·x + b − y)², written out: ∂L/∂ŷ = 2(ŷ − y), ∂L/∂w = ∂L/∂ŷ·x, ∂L/∂b = ∂L/∂ŷ."""
    for x, y in examples:
        g = 2 * ((w * x + b) - y)
        w, b = w - lr * g * x, b - lr * g
    return w, b


@pytest.mark.parametrize("w, b, lr, examples, expected", [
    (1.0, 0.0, 0.1, [(2.0, 3.0), (1.0, 0.5)], (1.18, -0.02)),
    (0.5, 1.0, 0.05, [(3.0, 1.0), (-1.0, 2.0)], (-0.07, 0.97)),
])
def test_two_training_steps_match_the_hand_computation(w, b, lr, examples, expected):
    assert all(close(a, e, abs_=1e-12) for a, e in zip(two_steps_by_hand(w, b, lr, examples), expected))
    model = linear_regression(weight=w, bias=b, learning_rate=lr)
    train_model(model, mse_loss, mse_loss_grad, [([x], y) for x, y in examples], epochs=1, print_every=None)
    weight, bias = model.parameters()
    assert close(weight.value, expected[0], abs_=1e-12) and close(bias.value, expected[1], abs_=1e-12)


def test_fahrenheit_to_celsius_learns_five_ninths_and_minus_160_ninths():
    X, y = fahrenheit_celsius(200, seed=0)
    manual_seed(0)
    model = linear_regression()
    history = train_model(model, mse_loss, mse_loss_grad, list(zip(X, y)), epochs=30, print_every=None)
    weight, bias = model.parameters()
    assert abs(weight.value - 5 / 9) < 1e-4 and abs(bias.value + 160 / 9) < 1e-4
    assert abs(model.predict([32.0])) < 1e-2
    assert history[-1] < 1e-8 < history[0]
    # the loss falls every epoch until it reaches the rounding error of floats
    assert all(later < earlier for earlier, later in zip(history[:20], history[1:20]))


def test_the_classifier_learns_which_side_of_the_line_a_point_is_on():
    X, y = above_below_line(500, seed=0)
    manual_seed(1)
    model = above_below_classifier()
    history = train_model(model, bce_loss, bce_loss_grad, list(zip(X, y)), epochs=3, print_every=None,
                          learning_rate=0.1)
    assert history[-1] < 0.15 < history[0]
    accuracy = sum((model.predict(x) > 0.5) == (label == 1) for x, label in zip(X, y)) / len(y)
    assert accuracy > 0.95
    assert model.predict([1.0, 0.0]) < 0.1 and model.predict([0.0, 1.0]) > 0.9


def test_the_same_seed_trains_the_same_model():
    X, y = above_below_line(100, seed=3)
    runs = []
    for _ in range(2):
        manual_seed(4)
        model = above_below_classifier()
        train_model(model, bce_loss, bce_loss_grad, list(zip(X, y)), epochs=2, print_every=None)
        runs.append([p.value for p in model.parameters()])
    assert runs[0] == runs[1]


def test_train_model_prints_every_k_epochs_and_the_last(capsys):
    model = linear_regression(weight=0.0, bias=0.0)
    train_model(model, mse_loss, mse_loss_grad, [([1.0], 2.0)], epochs=5, print_every=2)
    lines = capsys.readouterr().out.splitlines()
    assert [line.split(":")[0] for line in lines] == ["epoch    0", "epoch    2", "epoch    4"]
    assert lines[0] == "epoch    0: loss 4"


@pytest.mark.parametrize("kwargs, error, message", [
    (dict(data=[]), ValueError, "no data"),
    (dict(data=[([1.0], 2.0, 3.0)]), ValueError, r"\(inputs, target\) pairs"),
    (dict(epochs=-1), ValueError, "epochs must be an int >= 0"),
    (dict(print_every=0), ValueError, "print_every"),
    (dict(learning_rate=-0.1), ValueError, "learning_rate must be >= 0"),
    (dict(loss_fn=3), TypeError, "loss_fn and loss_grad_fn must be functions"),
    (dict(model="model"), TypeError, "model must be a node"),
])
def test_train_model_refuses_bad_arguments(kwargs, error, message):
    args = dict(model=linear_regression(weight=0.0, bias=0.0), loss_fn=mse_loss, loss_grad_fn=mse_loss_grad,
                data=[([1.0], 2.0)], epochs=1, print_every=None)
    args.update(kwargs)
    with pytest.raises(error, match=message):
        train_model(**args)


def test_a_macro_root_must_be_compiled_before_training():
    from nnscratch.tree import ModelError

    layer = Linear([Input()])
    with pytest.raises(ModelError, match="compile"):
        train_model(layer, mse_loss, mse_loss_grad, [([1.0], 2.0)], epochs=1, print_every=None)
    model = layer.compile()
    train_model(model, mse_loss, mse_loss_grad, [([1.0], 2.0)], epochs=50, print_every=None, learning_rate=0.1)
    assert close(model.predict([1.0]), 2.0, rel=1e-6)
