"""The tree framework's nodes: values, local derivatives, the backward pass on a tree,
reproducible parameters, and clear errors for bad input."""

from __future__ import annotations

import math
import random

import pytest

from nnscratch.tree import (Add, Input, Linear, ModelError, Multiply, Output, Parameter, ReLU, Sigmoid, Softmax,
                            backward_single_parent, linear_regression, manual_seed, mse_loss, mse_loss_grad)
from test_tree_support import as_values, central_difference, close


# -- forward ---------------------------------------------------------------------------


def test_each_operation_computes_its_value():
    a, b, c = Parameter(2.0), Parameter(-3.0), Parameter(0.5)
    assert Add([a, b, c]).forward() == -0.5
    assert Multiply([a, b, c]).forward() == -3.0
    assert ReLU([b]).forward() == 0.0
    assert ReLU([a]).forward() == 2.0
    assert close(Sigmoid([c]).forward(), 1 / (1 + math.exp(-0.5)))


def test_sigmoid_is_stable_for_large_inputs():
    assert Sigmoid([Parameter(800.0)]).forward() == 1.0
    assert Sigmoid([Parameter(-800.0)]).forward() == 0.0


def test_the_seeds_linear_model_predicts_w_x_plus_b():
    model = linear_regression(weight=5 / 9, bias=-160 / 9)
    assert abs(model.predict([32.0])) < 1e-12
    assert close(model.predict([212.0]), 100.0)


# -- local derivatives -----------------------------------------------------------------


def test_multiply_gradient_is_the_product_of_the_others_even_with_zeros():
    kids = [Parameter(v) for v in (2.0, 0.0, -3.0, 5.0)]
    assert Multiply(kids).grad() == [0.0, -30.0, 0.0, 0.0]
    assert Multiply(kids[:2]).grad() == [0.0, 2.0]
    assert Multiply([kids[0]]).grad() == [1.0]


def test_relu_and_sigmoid_local_derivatives():
    assert ReLU([Parameter(0.3)]).grad() == [1.0]
    assert ReLU([Parameter(-0.3)]).grad() == [0.0]
    assert ReLU([Parameter(0.0)]).grad() == [0.0]
    s = 1 / (1 + math.exp(-0.4))
    assert close(Sigmoid([Parameter(0.4)]).grad()[0], s * (1 - s))


# -- the backward pass on a tree ---------------------------------------------------------


def two_layer_net():
    """pred(x) = w₂·relu(w₁x + b₁) + b₂, with fixed values."""
    w1, b1, w2, b2 = Parameter(0.8), Parameter(-0.2), Parameter(1.5), Parameter(0.1)
    x = Input()
    return Add([Multiply([w2, ReLU([Add([Multiply([w1, x]), b1])])]), b2]), (w1, b1, w2, b2), x


def test_backward_gives_the_derivatives_of_the_value_engine_and_of_central_differences():
    model, params, x = two_layer_net()
    model.predict([1.3])
    model.backward(1.0, update=False)
    out, leaves = as_values(model)
    out.backward()
    for p in params:
        assert close(p.derivative, leaves[id(p)].grad)
        assert close(p.derivative, central_difference(model, p, lambda y: y), rel=1e-6, abs_=1e-8)
    assert close(x.derivative, leaves[id(x)].grad)


def test_backward_with_update_steps_every_parameter_against_its_derivative():
    model, params, _ = two_layer_net()
    for p in params:
        p.learning_rate = 0.1
    model.predict([1.3])
    model.backward(1.0, update=False)
    expected = [p.value - 0.1 * p.derivative for p in params]
    model.backward(1.0)
    assert [p.value for p in params] == expected


def test_on_a_tree_backward_and_the_recursive_pass_agree_bit_for_bit():
    manual_seed(3)
    a, _, _ = two_layer_net()
    manual_seed(3)
    b, _, _ = two_layer_net()
    for x, y in [(0.5, 1.0), (-1.2, 0.3), (2.0, -1.0)]:
        pa, pb = a.predict([x]), b.predict([x])
        a.backward(mse_loss_grad(y, pa))
        backward_single_parent(b, mse_loss_grad(y, pb))
    assert [p.value for p in a.parameters()] == [p.value for p in b.parameters()]


def test_a_parameter_with_learning_rate_zero_stays_put():
    w = Parameter(0.3, learning_rate=0.0)
    model = Multiply([w, Input()])
    model.predict([2.0])
    model.backward(5.0)
    assert w.value == 0.3 and w.derivative == 10.0


def test_a_diverging_update_raises_a_clear_error():
    w = Parameter(1.0, learning_rate=10.0)
    model = Multiply([w, Input()])
    model.predict([1.0])
    with pytest.raises(OverflowError, match="learning rate"):
        model.backward(-1e308)
    assert w.value == 1.0


# -- reproducible parameters -------------------------------------------------------------


def test_default_parameters_are_reproducible_after_manual_seed():
    manual_seed(0)
    first = [Parameter().value for _ in range(5)]
    manual_seed(0)
    again = [Parameter().value for _ in range(5)]
    assert first == again
    assert len(set(first)) == 5 and all(-1 <= v <= 1 for v in first)
    assert first[0] == random.Random(0).uniform(-1, 1)


def test_an_rng_argument_gives_its_own_stream():
    values = [Parameter(rng=random.Random(7)).value for _ in range(2)]
    assert values[0] == values[1] == random.Random(7).uniform(-1, 1)


def test_an_explicit_value_wins():
    assert Parameter(0.25).value == 0.25
    assert Parameter(3).value == 3.0 and isinstance(Parameter(3).value, float)


# -- clear errors ----------------------------------------------------------------------------


@pytest.mark.parametrize("make, error, message", [
    (lambda: ReLU([Parameter(1.0), Parameter(2.0)]), ValueError, "ReLU takes exactly 1 child, got 2"),
    (lambda: Sigmoid([]), ValueError, "Sigmoid takes exactly 1 child, got 0"),
    (lambda: Add([]), ValueError, "Add takes at least 1 child, got 0"),
    (lambda: Softmax([Parameter(1.0)]), ValueError, "Softmax takes at least 2 children, got 1"),
    (lambda: ReLU(Parameter(1.0)), TypeError, r"ReLU takes a list of children, e.g. ReLU\(\[node\]\)"),
    (lambda: Add([Parameter(1.0), 2.0]), TypeError, "child 1 is a float"),
    (lambda: Add(5), TypeError, "Add takes a list of child nodes"),
    (lambda: Add([Output([Parameter(1.0)])]), TypeError, "can only be the root"),
    (lambda: Parameter("0.5"), TypeError, "must be a real number, got str"),
    (lambda: Parameter(float("nan")), ValueError, "finite"),
    (lambda: Parameter(0.1, learning_rate=-1), ValueError, "learning_rate must be >= 0"),
    (lambda: Parameter(rng=7), TypeError, "rng must be a random.Random"),
    (lambda: Input(name="two words"), ValueError, "identifier"),
    (lambda: Input(name="relu"), ValueError, "names a function"),
    (lambda: manual_seed(1.5), TypeError, "manual_seed needs an int"),
])
def test_bad_construction_is_refused_with_a_message(make, error, message):
    with pytest.raises(error, match=message):
        make()


def test_predict_with_the_wrong_number_of_inputs_says_how_many():
    model = Add([Multiply([Parameter(1.0), Input()]), Multiply([Parameter(1.0), Input(name="y")])])
    with pytest.raises(ValueError, match=r"this model has 2 inputs \(x1, y\), but predict got 3 values"):
        model.predict([1.0, 2.0, 3.0])
    with pytest.raises(TypeError, match="predict takes a list of 2 numbers"):
        model.predict(1.0)
    with pytest.raises(TypeError, match="must be a real number, got str"):
        model.predict([1.0, "2"])
    with pytest.raises(ValueError, match="finite"):
        model.predict([1.0, math.inf])


def test_backward_checks_its_derivative():
    model = Add([Parameter(1.0)])
    with pytest.raises(TypeError, match="the derivative from the parent"):
        model.backward([1.0])
    out = Output([Parameter(1.0), Parameter(2.0)])
    with pytest.raises(ValueError, match="one derivative per output: 2, got 1"):
        out.backward([1.0])
    with pytest.raises(TypeError, match="one derivative per output"):
        out.backward(1.0)


def test_a_macro_must_be_compiled_before_use():
    layer = Linear([Input(), Input()])
    for use in (layer.forward, lambda: layer.predict([1.0, 2.0]), layer.backward, layer.funcify, layer.parameters):
        with pytest.raises(ModelError, match=r"compile the model first \(model = model.compile\(\)\)"):
            use()


# -- repr ------------------------------------------------------------------------------------


def test_repr_reads_like_the_code_that_builds_the_model():
    model = Add([Multiply([Parameter(0.5), Input(2.0, name="f")]), Parameter(-1.0)])
    assert repr(model) == "Add([Multiply([Parameter(0.5), Input(2.0, name='f')]), Parameter(-1.0)])"


def test_the_tree_framework_needs_only_the_standard_library():
    import json
    import subprocess
    import sys

    code = ("import json, sys, nnscratch.tree as t; m = t.above_below_classifier(); m.predict([0.1, 0.2]);"
            "m.backward(1.0); t.train_model(m, t.bce_loss, t.bce_loss_grad, [([0.1, 0.2], 1)], epochs=1,"
            " print_every=None); m.funcify();"
            "print(json.dumps([n for n in ('numpy', 'graphviz', 'matplotlib') if n in sys.modules]))")
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    assert json.loads(run.stdout.splitlines()[-1]) == []
