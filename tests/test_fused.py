"""Fused neurons: ``weighted_sum`` makes one node for b + Σ wᵢxᵢ, and ``fused=True``
networks compute the same numbers as unfused ones with far fewer nodes."""

from __future__ import annotations

import copy
import math
import pickle

import pytest

from nnscratch import MLP, Layer, Neuron, Value
from nnscratch.data import make_moons
from nnscratch.engine import WEIGHTED_SUM, backward_order, weighted_sum
from nnscratch.losses import binary_cross_entropy, hinge, l2, mse
from nnscratch.nn import ACTIVATIONS
from nnscratch.optim import SGD

# -- the node -----------------------------------------------------------------------------------


def test_weighted_sum_value_children_and_local_derivatives():
    w = [Value(2.0, "w1"), Value(-3.0, "w2")]
    x = [Value(0.5, "x1"), Value(4.0, "x2")]
    b = Value(1.0, "b")
    z = weighted_sum(w, x, b)
    assert z.data == 1.0 + 2.0 * 0.5 + -3.0 * 4.0
    assert z.op == WEIGHTED_SUM == "Σwx+b"
    assert z.children == (*w, *x, b)
    assert z.local_grads == (0.5, 4.0, 2.0, -3.0, 1.0)  # d/dw = x, d/dx = w, d/db = 1
    z.backward()
    assert [v.grad for v in (*w, *x, b)] == [0.5, 4.0, 2.0, -3.0, 1.0]


def test_plain_number_inputs_are_not_children():
    w = [Value(2.0), Value(-3.0), Value(5.0)]
    b = Value(0.25)
    z = weighted_sum(w, [1.5, Value(2.0), 3], b)
    assert z.data == 0.25 + 3.0 - 6.0 + 15.0
    assert len(z.children) == len(z.local_grads) == 5
    assert z.children[:3] == tuple(w) and z.children[4] is b
    assert z.local_grads == (1.5, 2.0, 3.0, -3.0, 1.0)


def test_weighted_sum_is_the_same_float_as_the_operators():
    import random

    rng = random.Random(0)
    for n in (1, 3, 16, 64):
        w = [Value(rng.uniform(-1, 1)) for _ in range(n)]
        x = [Value(rng.uniform(-1, 1)) for _ in range(n)]
        b = Value(rng.uniform(-1, 1))
        unfused = sum((wi * xi for wi, xi in zip(w, x)), b)
        assert weighted_sum(w, x, b).data == unfused.data


@pytest.mark.parametrize(
    "args, error, words",
    [
        (([Value(1.0)], [1.0, 2.0], Value(0.0)), ValueError, ["1 weights but 2 inputs"]),
        (([1.0], [1.0], Value(0.0)), TypeError, ["weight 0", "float"]),
        (([Value(1.0)], [1.0], 0.0), TypeError, ["bias", "float"]),
        (([Value(1.0)], ["a"], Value(0.0)), TypeError, ["input 0", "str"]),
        (([Value(1.0)], [math.inf], Value(0.0)), ValueError, ["input 0", "not a finite number"]),
    ],
)
def test_weighted_sum_refuses_bad_arguments(args, error, words):
    with pytest.raises(error) as info:
        weighted_sum(*args)
    for word in words:
        assert word in str(info.value)


# -- networks --------------------------------------------------------------------------------------


def _pair(nin, nouts, **kwargs):
    return MLP(nin, nouts, seed=3, **kwargs), MLP(nin, nouts, seed=3, fused=True, **kwargs)


@pytest.mark.parametrize("activation", ACTIVATIONS)
def test_fused_and_unfused_give_the_same_outputs_and_gradients(activation):
    unfused, fused = _pair(3, [5, 4, 2], activation=activation)
    x = [0.5, -1.5, 2.0]
    outs = [unfused(x), fused(x)]
    for a, b in zip(*outs):
        assert a.data == b.data
    for model, out in zip((unfused, fused), outs):
        (out[0] * out[1]).backward()
    for p, q in zip(unfused.parameters(), fused.parameters()):
        assert math.isclose(p.grad, q.grad, rel_tol=1e-12, abs_tol=1e-300)


def test_a_fused_network_has_one_node_per_pre_activation():
    unfused, fused = _pair(2, [16, 16, 1], activation="relu", linear_output=True)
    x = [Value(0.3), Value(-0.7)]
    ops = [n.op for n in backward_order(fused(x))]
    assert ops.count(WEIGHTED_SUM) == 16 + 16 + 1
    assert ops.count("relu") == 32 and len(ops) == 65
    assert len(backward_order(unfused(x))) == 2 * (2 * 16 + 16 * 16 + 16) + 32  # 2n nodes per neuron
    first = backward_order(fused(x))[0]
    assert len(first.children) == 16 + 16 + 1 == len(first.local_grads)


def test_training_fused_and_unfused_follows_the_same_path():
    X, y = make_moons(40, noise=0.1, seed=2, signed=True)
    losses = {}
    for fused in (False, True):
        model = MLP(2, [8, 8, 1], activation="relu", linear_output=True, seed=2, fused=fused)
        opt = SGD(model.parameters(), lr=0.2)
        losses[fused] = []
        for _ in range(8):
            loss = hinge([model(x) for x in X], y) + 1e-4 * l2(model.parameters())
            opt.zero_grad()
            loss.backward()
            opt.step()
            losses[fused].append(loss.data)
    for a, b in zip(losses[False], losses[True]):
        assert math.isclose(a, b, rel_tol=1e-12)
    assert losses[True][-1] < losses[True][0]


def test_fused_neurons_and_layers():
    neuron, fused_neuron = Neuron(3, "sigmoid", seed=1), Neuron(3, "sigmoid", seed=1, fused=True)
    x = [1.0, -2.0, 0.5]
    assert neuron(x).data == fused_neuron(x).data and fused_neuron(x).op == "sigmoid"
    layer, fused_layer = Layer(3, 4, seed=1), Layer(3, 4, seed=1, fused=True)
    assert [v.data for v in layer(x)] == [v.data for v in fused_layer(x)]
    assert repr(fused_neuron) == "Neuron(3, sigmoid, fused)"
    assert repr(fused_layer) == "Layer(3 -> 4, tanh, fused)"
    assert repr(MLP(2, [3, 1], fused=True)) == "MLP(2 -> 3 -> 1, tanh, fused, 13 parameters)"


def test_fused_takes_plain_numbers_numpy_numbers_and_values_as_inputs():
    np = pytest.importorskip("numpy", reason="numpy scalars as inputs")
    unfused, fused = _pair(2, [3, 1])
    for x in ([0.5, -1.0], [np.float64(0.5), np.float32(-1.0)], [Value(0.5), -1], np.array([0.5, -1.0])):
        assert fused(x).data == unfused(x).data


@pytest.mark.parametrize("bad, error", [([1.0], ValueError), ([1.0, "a"], TypeError), (5, TypeError)])
def test_a_fused_network_checks_its_inputs(bad, error):
    with pytest.raises(error):
        MLP(2, [3, 1], fused=True)(bad)


def test_zero_grad_sgd_pickling_and_copying_work_on_fused_networks():
    model = MLP(2, [4, 1], fused=True, seed=0)
    out = model([0.5, 1.0])
    out.backward()
    assert any(p.grad for p in model.parameters())
    model.zero_grad()
    assert all(p.grad == 0.0 for p in model.parameters())
    for clone in (pickle.loads(pickle.dumps(model)), copy.deepcopy(model)):
        assert [p.data for p in clone.parameters()] == [p.data for p in model.parameters()]
        assert clone([0.5, 1.0]).data == model([0.5, 1.0]).data
    loss = mse([model([0.5, 1.0])], [0.0])
    params, loss2 = pickle.loads(pickle.dumps((model.parameters(), loss)))
    loss2.backward()
    loss.backward()
    assert [p.grad for p in params] == [p.grad for p in model.parameters()]


def test_losses_work_on_fused_outputs():
    model = MLP(2, [4, 1], activation="sigmoid", fused=True, seed=1)
    p = model([0.2, 0.4])
    loss = binary_cross_entropy([p], [1])
    loss.backward()
    assert loss.data > 0 and model.parameters()[0].grad != 0.0


def test_draw_dot_draws_a_fused_node():
    pytest.importorskip("graphviz", reason="draw_dot needs the graphviz package")
    from nnscratch.viz import draw_dot, trace

    out = Neuron(2, fused=True, seed=0)([Value(1.0, "x1"), Value(-1.0, "x2")])
    nodes, edges = trace(out)
    assert len(nodes) == 7 and len(edges) == 6  # 2 weights, 2 inputs, bias, Σwx+b, tanh
    drawing = draw_dot(out)
    # the op is a box with one numbered slot per operand, each arrow landing in its own
    assert "| Σwx+b }" in drawing.source
    for slot in range(5):
        assert f"_op:i{slot}:n" in drawing.source
    assert "<svg" in drawing._repr_image_svg_xml()
