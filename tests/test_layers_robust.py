"""The layer engine under extremes: no forward, bwd, loss or SGD step stores a number
that is not finite (nor lets NumPy print a warning), overflow is an error that names
the module, numbers and shapes are checked with messages that name them."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nnscratch.layers import (SGD, Hinge, Lin, Model, Module, Mse, ReLU, Sigmoid, SoftmaxCrossEntropy, Tensor,
                              batches, he, xavier)
from nnscratch.layers.tensor import check_finite


@pytest.fixture(autouse=True)
def no_warnings():
    """Every test here fails if NumPy (or anything) warns."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        yield


def lin(w, b=None) -> Lin:
    w = np.asarray(w, dtype=float)
    return Lin.from_arrays(w, np.zeros(w.shape[1]) if b is None else b)


# -- forward ------------------------------------------------------------------------------------


def test_a_linear_layer_that_overflows_names_itself():
    layer = lin([[1e200], [1e200]])
    with pytest.raises(OverflowError, match=r"Lin\(2 -> 1\)\.forward: overflow encountered in matmul"):
        layer(np.array([[1e200, 1e200]]))


def test_the_output_of_a_matrix_product_is_checked_even_when_numpy_says_nothing():
    # A BLAS that multiplies in several threads loses the overflow flag; ignoring NumPy's
    # errors has the same effect, and the layer's own check must still catch it.
    layer = lin([[1e200], [1e200]])
    with np.errstate(all="ignore"), pytest.raises(OverflowError, match=r"the output of Lin\(2 -> 1\)\.forward "
                                                                     "overflows: 1 of its 1 value is ±inf"):
        layer._call((np.array([[1e200, 1e200]]),))
    out = lin([[2.0]])(np.ones((1, 1)))
    with np.errstate(all="ignore"), pytest.raises(OverflowError, match=r"Lin\(2 -> 1\)\.bwd: the gradient overflows"):
        layer.args = (Tensor([[1e200, 1e200]]),)
        layer.out = Tensor([[1.0]])
        layer.out.g = np.array([[1e200]])
        layer._backward()
    assert out.data[0, 0] == 2.0


@pytest.mark.parametrize("result, error, message", [
    (lambda x: np.full(x.shape, np.inf), OverflowError, r"the output of Made\(\)\.forward overflows"),
    (lambda x: np.full(x.shape, np.nan), ValueError, r"the output of Made\(\)\.forward must be finite"),
    (lambda x: np.log(x - x), ZeroDivisionError, r"Made\(\)\.forward: divide by zero encountered in log"),
    (lambda x: np.sqrt(-x), ValueError, r"Made\(\)\.forward: invalid value encountered in sqrt"),
    (lambda x: np.exp(x * 1000), OverflowError, r"Made\(\)\.forward: overflow encountered in exp"),
    (lambda x: x > 0, TypeError, r"what Made\(\)\.forward returned is an array of booleans"),
    (lambda x: "x", TypeError, r"what Made\(\)\.forward returned must be an array of real numbers, got str"),
])
def test_a_module_written_by_hand_cannot_store_what_is_not_finite(result, error, message):
    class Made(Module):
        def forward(self, x):
            return result(x)

        def bwd(self, out, inp):
            inp.g = out.g

    made = Made()
    with pytest.raises(error, match=message):
        made(np.ones((2, 2)))
    assert "out" not in made.__dict__


def test_a_module_may_return_a_list_or_ints_and_gets_float64():
    class Listy(Module):
        def forward(self, x):
            return [[1, 2]]

    out = Listy()(np.ones((1, 2)))
    assert out.data.dtype == np.float64 and out.data.tolist() == [[1.0, 2.0]]


@pytest.mark.parametrize("bad, error, words", [
    (np.array([[np.inf, 1.0]]), ValueError, r"input 0 of Lin\(2 -> 1\) must be finite, but 1 of its 2 values is not"),
    (np.array([[np.nan, 1.0]]), ValueError, "the first, nan, at index \\(0, 0\\)"),
    (np.array([[True, False]]), TypeError, r"input 0 of Lin\(2 -> 1\) is an array of booleans"),
    ([[1.0, None]], TypeError, "dtype object"),
    ([[10 ** 400, 1]], TypeError, "dtype object"),
    ("ab", TypeError, "must be an array of real numbers, got str"),
])
def test_what_enters_a_module_is_finite_real_numbers(bad, error, words):
    with pytest.raises(error, match=words):
        Lin(2, 1)(bad)


# -- losses ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("loss, pred, target, message", [
    (Mse(), np.full((2, 1), 1e200), np.zeros(2), r"Mse\(\)\.forward: overflow encountered in multiply"),
    (Hinge(), np.full((2, 1), 1e308), np.array([-1.0, -1.0]), r"Hinge\(\)\.forward: overflow encountered"),
    (SoftmaxCrossEntropy(), np.array([[1e308, -1e308]]), np.array([1]), r"SoftmaxCrossEntropy\(\)\.forward: overflow"),
])
def test_a_loss_too_large_for_a_float_is_an_error(loss, pred, target, message):
    with pytest.raises(OverflowError, match=message):
        loss(pred, target)


@pytest.mark.parametrize("labels", [np.array([np.nan, 1.0]), np.array([1e300, 1.0]), np.array([0.5, 1.0]),
                                    np.array([-1.0, 1.0]), np.array([3.0, 1.0])])
def test_class_labels_that_are_not_classes_are_refused_before_any_cast(labels):
    with pytest.raises(ValueError, match="labels must be whole numbers from 0 to 2|must be finite"):
        SoftmaxCrossEntropy()(np.zeros((2, 3)), labels)


# -- gradients -----------------------------------------------------------------------------------------


def test_a_gradient_is_checked_as_it_is_stored():
    t = Tensor(np.zeros((2, 3)))
    with pytest.raises(OverflowError, match="the gradient overflows: 6 of its 6 values are ±inf"):
        t.g = np.full((2, 3), np.inf)
    with pytest.raises(ValueError, match="must be finite, but 1 of its 6 values is not"):
        t.g = np.array([[0, 0, 0], [0, np.nan, 0]])
    with pytest.raises(ValueError, match=r"the data has shape \(2, 3\), the gradient \(3, 2\)"):
        t.g = np.zeros((3, 2))
    with pytest.raises(ValueError, match=r"the data has shape \(2, 3\), the gradient \(3,\)"):
        t.g = np.zeros(3)  # would broadcast: refused all the same
    with pytest.raises(TypeError, match="a gradient must be an array of real numbers, got str"):
        t.g = "0"
    with pytest.raises(TypeError, match="booleans"):
        t.g = np.ones((2, 3), dtype=bool)
    assert t.g is None
    t.g = [[1, 2, 3], [4, 5, 6]]  # numbers in any form, stored as float64
    assert t.g.dtype == np.float64 and t.g.sum() == 21.0


def test_a_bwd_that_overflows_or_writes_a_bad_gradient_names_its_module():
    layer = lin([[1e200]])
    out = layer(np.array([[1.0]]))
    out.g = np.array([[1e200]])
    with pytest.raises(OverflowError, match=r"Lin\(1 -> 1\)\.bwd: overflow encountered in matmul"):
        layer.backward()

    class Short(Module):
        def forward(self, x):
            return x * 2.0

        def bwd(self, out, inp):
            inp.g = out.g[:1]

    short = Short()
    short(np.ones(2)).g = np.ones(2)
    with pytest.raises(ValueError, match=r"Short\(\)\.bwd: a gradient must have the shape .* \(2,\), the gradient \(1,\)"):
        short.backward()

    class Forgets(Short):
        def bwd(self, out, inp):
            pass

    forgets = Forgets()
    forgets(np.ones(2)).g = np.ones(2)
    with pytest.raises(RuntimeError, match=r"Forgets\(\)\.bwd did not set the gradient of its input"):
        forgets.backward()


# -- SGD --------------------------------------------------------------------------------------------------


def test_a_step_that_would_overflow_moves_no_parameter():
    first, second = Tensor([1.0, 2.0]), Tensor([1e308, 0.0])
    first.g, second.g = np.array([1.0, 1.0]), np.array([-1e308, 0.0])
    before = [first.data.copy(), second.data.copy()]
    with pytest.raises(OverflowError, match=r"SGD\.step\(\), parameter 1 \(lr = 1\.0\): overflow encountered in subtract"):
        SGD([first, second], lr=1.0).step()
    assert np.array_equal(first.data, before[0]) and np.array_equal(second.data, before[1])
    with pytest.raises(OverflowError, match=r"parameter 0 \(lr = 1e\+300\): overflow encountered in multiply"):
        _step_with(1e300, 1e10)


def _step_with(lr, g):
    p = Tensor([1.0])
    p.g = np.array([g])
    SGD([p], lr=lr).step()


def test_sgd_steps_in_place():
    p = Tensor(np.array([1.0, 2.0]))
    data = p.data
    p.g = np.array([1.0, -1.0])
    SGD([p], lr=0.5).step()
    assert p.data is data and data.tolist() == [0.5, 2.5]


# -- nothing non-finite without an error, whatever the finite inputs ------------------------------------------


def finite(limit):
    return st.floats(-limit, limit, allow_nan=False, allow_infinity=False)


def everything_is_finite(model: Model) -> bool:
    arrays = [p.data for p in model.parameters()] + [p.g for p in model.parameters() if p.g is not None]
    for module in [*model.layers, model.loss]:
        saved = module.__dict__
        for t in (*saved.get("args", ()), *([saved["out"]] if "out" in saved else [])):
            arrays += [t.data] + ([t.g] if t.g is not None else [])
    return all(np.isfinite(a).all() for a in arrays)


@settings(max_examples=150, deadline=None)
@given(data=st.data(), scale=st.sampled_from([1.0, 1e100, 1e150, 1e200, 1e300]),
       loss=st.sampled_from(["mse", "sce", "hinge"]), activation=st.sampled_from([ReLU, Sigmoid]),
       lr=st.sampled_from([0.1, 1e100, 1e300]))
def test_random_finite_inputs_never_give_a_non_finite_number_without_an_error(data, scale, loss, activation, lr):
    n, nin, hidden = data.draw(st.integers(1, 4)), data.draw(st.integers(1, 3)), data.draw(st.integers(1, 4))
    nout = {"mse": 1, "hinge": 1, "sce": data.draw(st.integers(2, 3))}[loss]
    w1 = np.array(data.draw(st.lists(finite(scale), min_size=nin * hidden, max_size=nin * hidden))).reshape(nin, hidden)
    w2 = np.array(data.draw(st.lists(finite(scale), min_size=hidden * nout, max_size=hidden * nout))).reshape(hidden, nout)
    x = np.array(data.draw(st.lists(finite(scale), min_size=n * nin, max_size=n * nin))).reshape(n, nin)
    if loss == "sce":
        target = np.array(data.draw(st.lists(st.integers(0, nout - 1), min_size=n, max_size=n)))
    elif loss == "hinge":
        target = np.array(data.draw(st.lists(st.sampled_from([-1.0, 1.0]), min_size=n, max_size=n)))
    else:
        target = np.array(data.draw(st.lists(finite(scale), min_size=n, max_size=n)))
    model = Model([lin(w1), activation(), lin(w2)], {"mse": Mse, "sce": SoftmaxCrossEntropy, "hinge": Hinge}[loss]())
    params_before = [p.data.copy() for p in model.parameters()]
    stepped = False
    try:
        value = model(x, target)
        assert np.isfinite(value)
        model.backward()
        SGD(model.parameters(), lr=lr).step()
        stepped = True
    except (OverflowError, ValueError, ZeroDivisionError) as error:
        assert "overflow" in str(error) or "invalid value" in str(error) or "divide" in str(error), error
    assert everything_is_finite(model)
    if not stepped:
        assert all(np.array_equal(a, p.data) for a, p in zip(params_before, model.parameters()))


# -- numbers and shapes ----------------------------------------------------------------------------------------


def test_sizes_and_seeds_take_ints_and_numpy_ints():
    layer = Lin(np.int64(3), np.int32(2), seed=np.int64(4))
    assert layer.w.shape == (3, 2)
    assert np.array_equal(layer.w.data, Lin(3, 2, seed=4).w.data)
    assert len(list(batches(np.ones((4, 2)), np.ones(4), np.int64(3)))) == 2
    assert xavier(np.int8(2), 3).shape == he(2, np.uint16(3)).shape == (2, 3)


@pytest.mark.parametrize("make, error, words", [
    (lambda: Lin(2.0, 3), ValueError, "nin must be a positive int, got 2.0"),
    (lambda: Lin(2, True), ValueError, "nout must be a positive int, got True"),
    (lambda: Lin("2", 3), ValueError, "nin must be a positive int, got '2'"),
    (lambda: Lin(10 ** 6, 10 ** 6), ValueError, "1,000,000,000,000 weights is more than 1,000,000,000"),
    (lambda: Lin(2, 3, init=["he"]), ValueError, r"init must be one of xavier, he; got \['he'\]"),
    (lambda: Lin(2, 3, seed=-1), ValueError, "seed must be an int >= 0, got -1"),
    (lambda: Lin(2, 3, seed=1.0), TypeError, "seed must be an int or a numpy.random.Generator, got float"),
    (lambda: Lin.from_arrays(np.ones((0, 3)), np.zeros(3)), ValueError, r"at least one row and one column, got shape \(0, 3\)"),
    (lambda: Lin.from_arrays([[np.inf]], [0.0]), ValueError, "Lin weights must be finite"),
    (lambda: Lin.from_arrays([[1.0]], [np.nan]), ValueError, "Lin biases must be finite"),
    (lambda: next(batches(np.ones((4, 2)), np.ones(4), 2.0)), ValueError, "batch_size must be a positive int, got 2.0"),
    (lambda: next(batches(np.ones((4, 2)), np.ones(4), 2, shuffle="no")), TypeError, "shuffle must be True or False"),
    (lambda: next(batches(np.ones((4, 2)), np.ones(4), 2, drop_last=1)), TypeError, "drop_last must be True or False"),
    (lambda: next(batches(np.full((4, 2), np.inf), np.ones(4), 2)), ValueError, "batches: x must be finite"),
])
def test_bad_numbers_are_refused_naming_the_argument(make, error, words):
    with pytest.raises(error, match=words):
        make()


@pytest.mark.parametrize("call, words", [
    (lambda: Lin(3, 2)(np.ones((4, 5))), r"Lin\(3 -> 2\) takes inputs of shape \(n, 3\), got \(4, 5\)"),
    (lambda: Model([Lin(2, 1)], Mse()).predict(np.ones(2)), r"takes inputs of shape \(n, 2\), got \(2,\)"),
    (lambda: Mse()(np.ones((4, 1)), np.ones((4, 2))), r"predictions of shape \(4, 1\) but targets of shape \(4, 2\)"),
    (lambda: SoftmaxCrossEntropy()(np.ones((2, 0)), np.zeros(2)), r"logits of shape \(2, 0\) have no classes"),
    (lambda: Lin.from_arrays(np.ones((2, 3)), np.ones((1, 3))), r"biases must have shape \(3,\) to match weights \(2, 3\), got \(1, 3\)"),
])
def test_shapes_are_checked_naming_both(call, words):
    with pytest.raises(ValueError, match=words):
        call()


def test_check_finite_is_quiet_on_finite_arrays_and_exact_on_the_others():
    a = np.array([[1.0, 1e308], [-1e308, 0.0]])  # finite, though its sum would overflow
    assert check_finite(a, "a") is a
    b = a.copy()
    b[1, 1] = -np.inf
    with pytest.raises(ValueError, match=r"the first, -inf, at index \(1, 1\) \(shape \(2, 2\)\)"):
        check_finite(b, "b")
