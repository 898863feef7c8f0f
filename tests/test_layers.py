"""The layer-level engine (`nnscratch.layers`): every layer's gradients against central
differences, numerical stability, shapes and dtypes, the model, SGD and batches."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from nnscratch.layers import (
    SGD,
    Hinge,
    Lin,
    Loss,
    Model,
    Module,
    Mse,
    ReLU,
    Sigmoid,
    SoftmaxCrossEntropy,
    Tensor,
    as_float_array,
    batches,
    he,
    sigmoid,
    xavier,
)

H = 1e-6


def numeric_gradient(f, x: np.ndarray, h: float = H) -> np.ndarray:
    """Central differences of the scalar function f() with respect to every entry of
    x, which f reads (x is changed in place and restored)."""
    grad = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        old = x[i]
        x[i] = old + h
        up = f()
        x[i] = old - h
        down = f()
        x[i] = old
        grad[i] = (up - down) / (2 * h)
    return grad


def check_layer(layer: Module, *inputs: np.ndarray, seed: int = 0, tol: float = 1e-7) -> None:
    """bwd of ``layer`` against central differences of L = Σ out · R, R random, for
    the first input and every parameter."""
    out = layer(*inputs)
    upstream = np.random.default_rng(seed).standard_normal(out.shape)
    out.g = upstream
    layer.backward()
    x = layer.args[0]
    analytic = {"input": x.g, **{f"param {i}": p.g for i, p in enumerate(layer.parameters())}}
    arrays = {"input": x.data, **{f"param {i}": p.data for i, p in enumerate(layer.parameters())}}

    def f() -> float:
        return float(np.sum(layer.forward(*(a.data for a in layer.args)) * upstream))

    for name, array in arrays.items():
        expected = numeric_gradient(f, array)
        assert analytic[name].shape == array.shape, name
        np.testing.assert_allclose(analytic[name], expected, rtol=tol, atol=tol, err_msg=name)


def check_loss(loss: Loss, pred: np.ndarray, target: np.ndarray, tol: float = 1e-7) -> None:
    value = loss(pred, target)
    loss.backward()
    p = loss.args[0]

    def f() -> float:
        return float(loss.forward(p.data, loss.args[1].data))

    assert float(value.data) == pytest.approx(f())
    np.testing.assert_allclose(p.g, numeric_gradient(f, p.data), rtol=tol, atol=tol)


rng = np.random.default_rng(42)


# -- Tensor ----------------------------------------------------------------------


def test_tensor_holds_float64_and_no_gradient_yet():
    t = Tensor([[1, 2], [3, 4]])
    assert t.data.dtype == np.float64 and t.shape == (2, 2) and t.g is None
    assert repr(t) == "Tensor(shape=(2, 2), gradient not computed)"
    a = np.ones(3)
    assert Tensor(a).data is a  # float64 arrays are not copied
    assert Tensor(np.ones(3, dtype=np.float32)).data.dtype == np.float64


def test_tensor_cannot_hold_a_new_attribute_so_g_is_the_only_slot():
    with pytest.raises(AttributeError):
        np.zeros(3).g = 1.0  # the reason Tensor exists
    with pytest.raises(AttributeError):
        Tensor([1.0]).grad = 1.0


@pytest.mark.parametrize(
    "bad, words",
    [
        (np.array([True, False]), "booleans"),
        (np.array([1j]), "complex"),
        (np.array(["a"]), "dtype <U1"),
        ([[1.0], [2.0, 3.0]], "could not read"),
        (np.array([object()]), "dtype object"),
    ],
)
def test_tensor_refuses_what_is_not_real_numbers(bad, words):
    with pytest.raises(TypeError, match=words):
        Tensor(bad)
    with pytest.raises(TypeError, match="^x "):
        as_float_array(bad, "x")


# -- gradients against central differences ---------------------------------------


def test_lin_gradients():
    layer = Lin(4, 3, seed=1)
    layer.b.data[:] = rng.standard_normal(3)
    check_layer(layer, rng.standard_normal((5, 4)))


def test_lin_gradient_formulas_by_hand():
    """y = x @ W + b on a 1×2 input and a 2×2 W: the formulas in the docstring, entry by entry."""
    layer = Lin.from_arrays([[1.0, 2.0], [3.0, 4.0]], [0.5, -0.5])
    out = layer(np.array([[10.0, 20.0]]))
    np.testing.assert_array_equal(out.data, [[70.5, 99.5]])
    out.g = np.array([[1.0, -1.0]])
    layer.backward()
    np.testing.assert_array_equal(layer.args[0].g, [[1 - 2, 3 - 4]])  # g @ Wᵀ
    np.testing.assert_array_equal(layer.w.g, [[10.0, -10.0], [20.0, -20.0]])  # xᵀ @ g
    np.testing.assert_array_equal(layer.b.g, [1.0, -1.0])


@pytest.mark.parametrize("layer", [ReLU(), Sigmoid()], ids=["ReLU", "Sigmoid"])
def test_activation_gradients(layer):
    x = rng.standard_normal((6, 5)) * 3
    x[np.abs(x) < 1e-3] = 0.5  # keep ReLU's kink out of reach of the finite difference
    check_layer(layer, x)


def test_relu_derivative_at_zero_is_zero_like_the_scalar_engine():
    layer = ReLU()
    out = layer(np.array([-1.0, 0.0, 2.0]))
    out.g = np.ones(3)
    layer.backward()
    np.testing.assert_array_equal(layer.args[0].g, [0.0, 0.0, 1.0])


def test_mse_gradients():
    check_loss(Mse(), rng.standard_normal((7, 1)), rng.standard_normal(7))
    check_loss(Mse(), rng.standard_normal((4, 3)), rng.standard_normal((4, 3)))


def test_softmax_cross_entropy_gradients():
    check_loss(SoftmaxCrossEntropy(), rng.standard_normal((6, 4)) * 2, np.array([0, 3, 1, 1, 2, 3]))


def test_hinge_gradients():
    scores = np.array([[0.3], [-2.0], [1.7], [0.2], [-0.4]])
    check_loss(Hinge(), scores, np.array([1, 1, 1, -1, -1]))


def test_model_gradients_through_every_layer():
    r = np.random.default_rng(3)
    model = Model([Lin(3, 5, seed=r), Sigmoid(), Lin(5, 4, seed=r), ReLU(), Lin(4, 2, seed=r)], SoftmaxCrossEntropy())
    x = r.standard_normal((8, 3))
    y = r.integers(0, 2, 8)
    model(x, y)
    model.backward()
    for i, p in enumerate(model.parameters()):
        np.testing.assert_allclose(p.g, numeric_gradient(lambda: model(x, y), p.data), rtol=1e-6, atol=1e-8, err_msg=f"parameter {i}")


@given(
    n=st.integers(1, 4),
    nin=st.integers(1, 4),
    nout=st.integers(1, 4),
    seed=st.integers(0, 2**32 - 1),
)
def test_lin_gradients_for_any_shape(n, nin, nout, seed):
    r = np.random.default_rng(seed)
    layer = Lin.from_arrays(r.standard_normal((nin, nout)), r.standard_normal(nout))
    check_layer(layer, r.standard_normal((n, nin)), seed=seed)


# -- the math, by definition -------------------------------------------------------


def test_losses_match_their_definitions():
    p = rng.standard_normal((5, 1))
    t = rng.standard_normal(5)
    assert float(Mse()(p, t).data) == pytest.approx(np.mean((p[:, 0] - t) ** 2), rel=1e-14)
    z = rng.standard_normal((5, 3))
    y = np.array([0, 2, 1, 2, 0])
    probs = np.exp(z) / np.exp(z).sum(1, keepdims=True)
    assert float(SoftmaxCrossEntropy()(z, y).data) == pytest.approx(-np.mean(np.log(probs[range(5), y])), rel=1e-13)
    s = np.array([0.5, -2.0, 3.0])
    assert float(Hinge()(s, np.array([1, 1, -1])).data) == pytest.approx((0.5 + 3.0 + 4.0) / 3)


def test_sigmoid_is_stable_and_exact_at_both_ends():
    x = np.array([-1000.0, -40.0, -1.0, 0.0, 1.0, 40.0, 1000.0])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        s = sigmoid(x)
    assert s[0] == 0.0 and s[-1] == 1.0 and s[3] == 0.5
    assert s[1] == pytest.approx(math.exp(-40), rel=1e-14)  # not rounded to 0 by 1 - (1 - ε)
    np.testing.assert_allclose(s[2], 1 / (1 + math.e), rtol=1e-15)


def test_cross_entropy_is_stable_for_huge_logits():
    z = np.array([[1000.0, 0.0, -1000.0], [-5e300, 5e300, 0.0]])
    loss = SoftmaxCrossEntropy()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        value = float(loss(z, np.array([0, 0])).data)
        loss.backward()
    # Row 0 is right with certainty (loss 0); row 1 scores its class 1e301 below the best.
    assert value == pytest.approx(1e301 / 2)
    np.testing.assert_allclose(loss.args[0].g, [[0, 0, 0], [-0.5, 0.5, 0]])


def test_gradients_are_written_not_accumulated():
    layer = Lin(2, 2, seed=0)
    for _ in range(2):
        out = layer(np.ones((1, 2)))
        out.g = np.ones((1, 2))
        layer.backward()
    np.testing.assert_array_equal(layer.w.g, np.ones((2, 2)))


# -- initialisation ---------------------------------------------------------------


@pytest.mark.parametrize("init, variance", [(xavier, lambda i, o: 2 / (i + o)), (he, lambda i, o: 2 / i)])
def test_initialisations_have_the_stated_variance_and_repeat(init, variance):
    w = init(400, 600, seed=5)
    assert w.shape == (400, 600)
    assert abs(w.mean()) < 0.01 * math.sqrt(variance(400, 600)) * 10
    assert w.var() == pytest.approx(variance(400, 600), rel=0.02)
    np.testing.assert_array_equal(w, init(400, 600, seed=5))
    assert not np.array_equal(w, init(400, 600, seed=6))


def test_lin_initialisation_is_seeded_and_a_shared_generator_gives_new_weights():
    np.testing.assert_array_equal(Lin(3, 4, seed=7).w.data, Lin(3, 4, seed=7).w.data)
    np.testing.assert_array_equal(Lin(3, 4, init="he", seed=7).w.data, he(3, 4, seed=7))
    r = np.random.default_rng(7)
    first, second = Lin(3, 4, seed=r), Lin(3, 4, seed=r)
    assert not np.array_equal(first.w.data, second.w.data)
    assert np.all(first.b.data == 0)


@pytest.mark.parametrize(
    "make, error, words",
    [
        (lambda: Lin(0, 3), ValueError, "nin must be a positive int"),
        (lambda: Lin(3, 2.5), ValueError, "nout must be a positive int"),
        (lambda: Lin(3, 2, init="glorot"), ValueError, "init must be one of xavier, he"),
        (lambda: Lin(3, 2, seed="one"), TypeError, "seed must be an int"),
        (lambda: Lin.from_arrays(np.ones(3), np.ones(3)), ValueError, "2-d"),
        (lambda: Lin.from_arrays(np.ones((3, 2)), np.ones(3)), ValueError, r"shape \(2,\)"),
    ],
)
def test_bad_layer_arguments(make, error, words):
    with pytest.raises(error, match=words):
        make()


# -- shapes and dtypes ------------------------------------------------------------


@pytest.mark.parametrize(
    "call, words",
    [
        (lambda: Lin(3, 2)(np.ones((4, 5))), r"Lin\(3 -> 2\) takes inputs of shape \(n, 3\), got \(4, 5\)"),
        (lambda: Lin(3, 2)(np.ones(3)), r"got \(3,\)"),
        (lambda: Mse()(np.ones((4, 1)), np.ones(3)), r"predictions of shape \(4, 1\) but targets of shape \(3,\)"),
        (lambda: Mse()(np.ones((4, 2)), np.ones(4)), "targets of shape"),
        (lambda: SoftmaxCrossEntropy()(np.ones(4), np.zeros(4)), r"logits must have shape \(n, classes\)"),
        (lambda: SoftmaxCrossEntropy()(np.ones((4, 3)), np.zeros(3)), r"labels of shape \(4,\)"),
        (lambda: SoftmaxCrossEntropy()(np.ones((2, 3)), np.array([0, 3])), "whole numbers from 0 to 2"),
        (lambda: SoftmaxCrossEntropy()(np.ones((2, 3)), np.array([0, -1])), "whole numbers from 0 to 2"),
        (lambda: SoftmaxCrossEntropy()(np.ones((2, 3)), np.array([0, 1.5])), "whole numbers"),
        (lambda: Hinge()(np.ones(3), np.array([1, 0, -1])), "labels must be -1 or \\+1"),
        (lambda: Hinge()(np.ones((3, 2)), np.ones(3)), "scores must have shape"),
    ],
)
def test_bad_shapes_and_labels_are_named(call, words):
    with pytest.raises(ValueError, match=words):
        call()


def test_bad_dtypes_are_named():
    with pytest.raises(TypeError, match="booleans"):
        Lin(2, 2)(np.ones((1, 2), dtype=bool))
    with pytest.raises(TypeError, match="complex"):
        Sigmoid()(np.ones(2) * 1j)
    out = Lin(2, 1)(np.ones((1, 2), dtype=np.int32))  # whole numbers are fine: made float64
    assert out.data.dtype == np.float64


# -- modules, models, training ----------------------------------------------------


def test_backward_in_the_wrong_order_says_what_to_do():
    layer = Sigmoid()
    with pytest.raises(RuntimeError, match="call the module on an input first"):
        layer.backward()
    layer(np.ones(2))
    with pytest.raises(RuntimeError, match="gradient of its output is not known yet"):
        layer.backward()
    with pytest.raises(RuntimeError, match="compute the loss first"):
        Mse().backward()


def test_a_module_must_define_forward_and_bwd():
    class Half(Module):
        pass

    with pytest.raises(NotImplementedError, match="Half must implement forward"):
        Half()(np.ones(2))


def test_model_runs_layers_forward_then_backward_in_reverse():
    calls = []

    class Spy(Module):
        def __init__(self, name):
            self.name = name

        def forward(self, x):
            calls.append(f"forward {self.name}")
            return x

        def bwd(self, out, inp):
            calls.append(f"bwd {self.name}")
            inp.g = out.g

    model = Model([Spy("a"), Spy("b")], Mse())
    assert model(np.ones((2, 1)), np.zeros(2)) == 1.0
    model.backward()
    assert calls == ["forward a", "forward b", "bwd b", "bwd a"]


def test_model_checks_its_parts_and_its_order_of_calls():
    lin = Lin(1, 1)
    with pytest.raises(ValueError, match="appears twice"):
        Model([lin, ReLU(), lin], Mse())
    with pytest.raises(TypeError, match="must be a Loss"):
        Model([lin], ReLU())
    with pytest.raises(TypeError, match="layer 1"):
        Model([lin, Mse()], Mse())
    with pytest.raises(ValueError, match="at least one layer"):
        Model([], Mse())
    model = Model([lin], Mse())
    with pytest.raises(RuntimeError, match="model\\(x, target\\) first"):
        model.backward()
    model(np.ones((2, 1)), np.ones(2))
    model.predict(np.ones((3, 1)))
    with pytest.raises(RuntimeError, match="model\\(x, target\\) first"):
        model.backward()
    assert repr(model) == "Model([Lin(1 -> 1)], Mse(), 2 parameters)"


def test_sgd_step_moves_against_the_gradient():
    p = Tensor([1.0, 2.0])
    p.g = np.array([0.5, -1.0])
    opt = SGD([p], lr=0.1)
    opt.step()
    np.testing.assert_allclose(p.data, [0.95, 2.1])
    with pytest.raises(RuntimeError, match="run backward"):
        SGD([Tensor([1.0])]).step()
    with pytest.raises(ValueError, match="learning rate"):
        SGD([p], lr=0)
    with pytest.raises(TypeError, match="not a Tensor"):
        SGD([np.ones(2)])


def test_training_lowers_the_loss_and_repeats_exactly():
    def train() -> list[float]:
        r = np.random.default_rng(0)
        x = r.standard_normal((50, 1))
        model = Model([Lin(1, 20, seed=r), Sigmoid(), Lin(20, 1, seed=r)], Mse())
        opt = SGD(model.parameters(), lr=0.05)
        losses = []
        for _ in range(1000):
            losses.append(model(x, x[:, 0] ** 2))
            model.backward()
            opt.step()
        return losses

    first = train()
    assert first[-1] < 0.25 * first[0]
    assert first == train()


def test_batches_cover_every_row_once_in_a_seeded_order():
    x = np.arange(20.0).reshape(10, 2)
    y = np.arange(10)
    parts = list(batches(x, y, 4, seed=1))
    assert [len(b) for b, _ in parts] == [4, 4, 2]
    rows = np.concatenate([b[:, 0] / 2 for b, _ in parts])
    assert sorted(rows) == list(range(10)) and list(rows) != list(range(10))
    assert all(np.array_equal(b[:, 0] / 2, t) for b, t in parts)  # rows and labels stay together
    again = list(batches(x, y, 4, seed=1))
    assert all(np.array_equal(a[0], b[0]) for a, b in zip(parts, again))
    in_order = np.concatenate([t for _, t in batches(x, y, 3, shuffle=False)])
    np.testing.assert_array_equal(in_order, y)
    assert [len(b) for b, _ in batches(x, y, 4, seed=1, drop_last=True)] == [4, 4]
    assert [len(b) for b, _ in batches(x, y, 5, drop_last=True)] == [5, 5]
    # Dropping the short batch leaves the shuffled order of the others as it was.
    kept = [t for _, t in batches(x, y, 4, seed=1, drop_last=True)]
    assert all(np.array_equal(a, b) for a, (_, b) in zip(kept, parts))
    r = np.random.default_rng(0)
    assert not np.array_equal(next(batches(x, y, 10, r))[1], next(batches(x, y, 10, r))[1])


@pytest.mark.parametrize(
    "args, words",
    [
        ((np.ones((3, 2)), np.ones(4), 2), "same number of rows"),
        ((np.ones((3, 2)), np.ones(3), 0), "batch_size must be a positive int"),
    ],
)
def test_batches_bad_arguments(args, words):
    with pytest.raises(ValueError, match=words):
        next(batches(*args))
