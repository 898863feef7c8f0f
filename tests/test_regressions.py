"""One test per failure that learners meet in small autograd engines like the one the
course builds (micrograd and its many re-implementations). Each test is named after
the symptom, so a regression says what broke."""

from __future__ import annotations

import math
import os
import subprocess
import sys
import textwrap

import pytest

import nnscratch.engine
from nnscratch import MLP, Value

PYTHON = sys.executable


def run_python(code: str, env_extra: dict | None = None, timeout: float = 900) -> subprocess.CompletedProcess:
    """Run ``code`` in a fresh interpreter (crashes there cannot take pytest down)."""
    env = dict(os.environ)
    env.update(env_extra or {})
    return subprocess.run(
        [PYTHON, "-c", textwrap.dedent(code)],
        capture_output=True,
        text=True,
        timeout=timeout,
        env=env,
    )


# -- a node used more than once -------------------------------------------------------


def test_node_used_twice_in_addition_gets_both_contributions():
    a = Value(3.0)
    b = a + a
    b.backward()
    assert a.grad == 2.0  # an engine that assigns (=) instead of adding (+=) gives 1


def test_node_used_twice_in_multiplication_gets_both_contributions():
    a = Value(3.0)
    b = a * a
    b.backward()
    assert a.grad == 6.0  # 2a; assigning instead of adding gives a = 3


def test_nodes_used_in_two_branches_get_both_contributions():
    a, b = Value(-2.0), Value(3.0)
    f = (a * b) * (a + b)
    f.backward()
    assert (a.grad, b.grad) == (-3.0, -8.0)


def test_node_reached_by_paths_of_different_lengths():
    # g = (ab + a)·(ab): e = ab feeds g directly and through f = e + a. An order that
    # visits e before f has passed its share on gets de/da wrong.
    a, b = Value(1.5), Value(-2.0)
    e = a * b
    f = e + a
    g = f * e
    g.backward()
    ab = 1.5 * -2.0
    assert g.data == (ab + 1.5) * ab
    assert a.grad == (-2.0 + 1.0) * ab + (ab + 1.5) * -2.0
    assert b.grad == 1.5 * ab + (ab + 1.5) * 1.5
    assert e.grad == f.data + e.data  # ∂g/∂e through both paths


# -- backward() called more than once ---------------------------------------------------


def _graph():
    a, b, c, f = Value(2.0), Value(-3.0), Value(10.0), Value(-2.0)
    e = a * b
    d = e + c
    L = (d * f).tanh() * 3.0 + d
    return (a, b, c, f), (e, d), L


def test_backward_twice_exactly_doubles_leaf_grads():
    # Each leaf here gets one contribution per pass, so doubling is exact in floats.
    leaves, _, L = _graph()
    L.backward()
    once = [v.grad for v in leaves]
    L.backward()
    assert [v.grad for v in leaves] == [2 * g for g in once]
    assert any(g != 0 for g in once)


def test_backward_twice_does_not_double_count_intermediate_grads():
    # If intermediate grads accumulated too, the second pass would push 2·(their grad)
    # into the leaves, and the leaves would end up with 3x instead of 2x.
    _, inner, L = _graph()
    L.backward()
    once = [v.grad for v in inner]
    L.backward()
    assert [v.grad for v in inner] == once
    assert L.grad == 1.0


def test_a_second_output_sees_no_stale_intermediate_grads():
    a, b = Value(0.5), Value(-1.5)
    e = a * b
    L1 = e * 10.0
    L2 = e.tanh()
    L1.backward()
    a.grad = b.grad = 0.0
    L2.backward()
    slope = 1 - math.tanh(0.5 * -1.5) ** 2
    assert math.isclose(a.grad, slope * -1.5, rel_tol=1e-15)
    assert math.isclose(b.grad, slope * 0.5, rel_tol=1e-15)


# -- deep graphs ------------------------------------------------------------------------


def test_million_deep_chain_backward_works_and_the_graph_is_freed():
    result = run_python(
        """
        import sys
        from nnscratch import Value
        limit = sys.getrecursionlimit()
        x = Value(0.5)
        v = x
        for i in range(1_000_000):
            v = -v if i % 2 else v * 1.0
        assert v.data == 0.5, v.data
        v.backward()                      # no RecursionError, no raised recursion limit
        assert sys.getrecursionlimit() == limit
        print("grad", x.grad)
        del v                             # frees a million nested nodes
        print("freed")
        """
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.split() == ["grad", "1.0", "freed"]


def test_deep_chain_in_process_has_no_recursion_error():
    x = Value(1.0)
    v = x
    for _ in range(50_000):
        v = v.tanh() + 0.0
    v.backward()
    assert 0.0 < x.grad < 1.0
    del v


def test_graphs_are_not_reference_cycles():
    # Engines that keep a closure pointing back at its node make every graph a cycle,
    # and Python's cyclic garbage collector then spends most of a training step on
    # them. Here reference counting alone frees a whole training step's graph.
    result = run_python(
        """
        import gc
        from nnscratch import MLP
        from nnscratch.losses import mse
        model = MLP(3, [4, 4, 1], seed=0)
        xs = [[2.0, 3.0, -1.0], [3.0, -1.0, 0.5], [0.5, 1.0, 1.0], [1.0, 1.0, -1.0]]
        ys = [1.0, -1.0, -1.0, 1.0]
        gc.collect()
        gc.disable()
        loss = mse([model(x) for x in xs], ys)
        loss.backward()
        del loss
        print(gc.collect())
        """
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.strip() == "0"


# -- inputs that are not real numbers ----------------------------------------------------


@pytest.mark.parametrize("bad", ["abc", "3", b"3", 1j, 2 + 0j, None])
def test_strings_and_complex_numbers_are_rejected_early(bad):
    # Accepted silently, "3" * 2 is "33" and 1j ** 2 is -1: errors far from their cause.
    with pytest.raises(TypeError, match=type(bad).__name__):
        Value(bad)


def test_negative_base_to_a_fractional_power_is_not_a_complex_value():
    with pytest.raises(ValueError, match="fractional"):
        Value(-8.0) ** (1 / 3)


def test_complex_operand_is_rejected():
    with pytest.raises(TypeError):
        Value(2.0) * 1j
    with pytest.raises(TypeError):
        Value(2.0) ** 0.5j


# -- overflow -----------------------------------------------------------------------------


@pytest.mark.parametrize("x", [400.0, 800.0, -400.0, -800.0])
def test_tanh_of_a_large_number_does_not_overflow(x):
    # tanh written as (e^2x - 1)/(e^2x + 1) overflows once 2x > 709.
    a = Value(x)
    out = a.tanh()
    out.backward()
    assert out.data == math.copysign(1.0, x)
    assert a.grad == 0.0


@pytest.mark.parametrize("x", [800.0, -800.0])
def test_sigmoid_of_a_large_number_does_not_overflow(x):
    # 1/(1 + e^-x) overflows for x < -709 when written directly.
    a = Value(x)
    out = a.sigmoid()
    out.backward()
    assert out.data == (1.0 if x > 0 else 0.0)
    assert a.grad == 0.0


def test_exp_overflow_is_a_clear_overflow_error():
    with pytest.raises(OverflowError, match="exp"):
        Value(800.0).exp()


# -- missing operations -----------------------------------------------------------------


def test_reflected_operations_exist():
    v = Value(4.0)
    assert (2 - v).data == -2.0
    assert (2 / v).data == 0.5
    assert (2**v).data == 16.0
    assert (2 + v).data == 6.0
    assert (2 * v).data == 8.0


def test_value_to_a_value_power_explains_the_alternative():
    x, y = Value(2.0), Value(3.0)
    with pytest.raises(TypeError) as info:
        x**y
    assert "(y * x.log()).exp()" in str(info.value)
    out = (y * x.log()).exp()  # the suggested spelling works
    out.backward()
    assert math.isclose(out.data, 8.0, rel_tol=1e-15)
    assert math.isclose(x.grad, 3.0 * 2.0**2, rel_tol=1e-14)
    assert math.isclose(y.grad, 8.0 * math.log(2.0), rel_tol=1e-14)


def test_numpy_scalar_on_the_left_gives_a_value_not_an_array():
    np = pytest.importorskip("numpy", reason="checks how Value mixes with NumPy scalars")
    v = Value(3.0)
    out = np.float64(2.0) * v
    assert type(out) is Value
    out.backward()
    assert v.grad == 2.0


# -- determinism ------------------------------------------------------------------------

TRAIN = """
from nnscratch import MLP
from nnscratch.data import make_moons
from nnscratch.losses import hinge, l2
from nnscratch.optim import SGD

def train():
    X, y = make_moons(n_samples=24, noise=0.1, seed=3, signed=True)
    model = MLP(2, [8, 8, 1], activation="relu", linear_output=True, seed=7)
    opt = SGD(model.parameters(), lr=0.05)
    losses = []
    for step in range(4):
        scores = [model(x) for x in X]
        loss = hinge(scores, y) + 1e-4 * l2(model.parameters())
        opt.zero_grad()
        loss.backward()
        opt.step()
        losses.append(loss.data)
    return [v.hex() for v in losses] + [p.data.hex() for p in model.parameters()] + [
        p.grad.hex() for p in model.parameters()]
"""


def _train_in_process() -> list[str]:
    namespace: dict = {}
    exec(TRAIN, namespace)
    return namespace["train"]()


def test_training_is_bit_for_bit_deterministic_in_one_process():
    first = _train_in_process()
    second = _train_in_process()
    assert first == second
    assert len(set(first)) > 10  # really trained something


def test_training_is_bit_for_bit_deterministic_across_processes():
    code = TRAIN + "\nprint(' '.join(train()))\n"
    runs = [run_python(code, {"PYTHONHASHSEED": seed}) for seed in ("0", "12345")]
    for run in runs:
        assert run.returncode == 0, run.stderr[-2000:]
    assert runs[0].stdout.split() == runs[1].stdout.split() == _train_in_process()


# -- zero_grad ----------------------------------------------------------------------------


def _mlp_loss(model):
    xs = [[2.0, 3.0, -1.0], [3.0, -1.0, 0.5], [0.5, 1.0, 1.0], [1.0, 1.0, -1.0]]
    ys = [1.0, -1.0, -1.0, 1.0]
    return sum(((model(x) - y) ** 2 for x, y in zip(xs, ys)), Value(0.0))


def test_forgetting_zero_grad_accumulates_gradients():
    model = MLP(3, [4, 4, 1], seed=0)
    _mlp_loss(model).backward()
    first = [p.grad for p in model.parameters()]
    _mlp_loss(model).backward()
    # A weight of the first layer collects one contribution per example, so the second
    # pass adds them one by one onto the first total: twice as much, up to rounding.
    again = [p.grad for p in model.parameters()]
    assert all(math.isclose(g2, 2 * g1, rel_tol=1e-13, abs_tol=1e-300) for g1, g2 in zip(first, again))
    assert any(g != 0 for g in first)


def test_zero_grad_resets_and_the_next_backward_matches_a_fresh_one():
    model = MLP(3, [4, 4, 1], seed=0)
    _mlp_loss(model).backward()
    first = [p.grad for p in model.parameters()]
    _mlp_loss(model).backward()
    model.zero_grad()
    assert all(p.grad == 0.0 for p in model.parameters())
    _mlp_loss(model).backward()
    assert [p.grad for p in model.parameters()] == first


def test_training_without_zero_grad_differs_from_training_with_it():
    def train(reset: bool) -> list[float]:
        model = MLP(3, [4, 4, 1], seed=0)
        for _ in range(3):
            if reset:
                model.zero_grad()
            _mlp_loss(model).backward()
            for p in model.parameters():
                p.data -= 0.05 * p.grad
        return [p.data for p in model.parameters()]

    assert train(True) != train(False)


# -- what the engine documents about accumulation ------------------------------------------


def test_gradient_accumulation_is_documented_in_the_engine():
    doc = nnscratch.engine.__doc__
    assert "accumulate" in doc
    assert "zero_grad" in doc
    assert "intermediate" in doc


def test_leaves_accumulate_across_different_outputs_as_documented():
    a = Value(2.0)
    (a * 3.0).backward()
    (a * a).backward()
    assert a.grad == 3.0 + 4.0


def test_intermediate_grad_holds_the_most_recent_backward_as_documented():
    a = Value(2.0)
    e = a * 3.0
    (e * 5.0).backward()
    assert e.grad == 5.0
    (e * 7.0).backward()
    assert e.grad == 7.0  # not 12
    assert a.grad == 3.0 * 5.0 + 3.0 * 7.0
