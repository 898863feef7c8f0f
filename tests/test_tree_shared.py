"""Nodes with several parents: a shared node receives the sum of its parents'
derivatives, and each parameter steps once per backward pass, with its full derivative.
The plain recursive pass gets both wrong; on a tree it agrees with backward exactly."""

from __future__ import annotations

import math

from hypothesis import given
from hypothesis import strategies as st

from nnscratch import Value
from nnscratch.tree import (Add, Input, Multiply, Parameter, Sigmoid, backward_single_parent, topological_order,
                            walk)
from test_tree_support import as_values, central_difference, close, random_model


def shared_model(learning_rate=0.1):
    """y = a·h + c·h with h = σ(w·x + b): h has two parents."""
    x = Input(name="x")
    w, b = Parameter(0.8, learning_rate), Parameter(-0.3, learning_rate)
    a, c = Parameter(1.5, learning_rate), Parameter(-0.5, learning_rate)
    h = Sigmoid([Add([Multiply([w, x]), b])])
    return Add([Multiply([a, h]), Multiply([c, h])]), dict(x=x, w=w, b=b, a=a, c=c, h=h)


def test_a_shared_node_receives_the_sum_of_its_parents_derivatives():
    model, n = shared_model()
    model.predict([2.0])
    model.backward(1.0, update=False)
    assert n["h"].derivative == n["a"].value + n["c"].value  # ∂y/∂h = a + c
    out, leaves = as_values(model)
    out.backward()
    for name in "xwbac":
        assert close(n[name].derivative, leaves[id(n[name])].grad, rel=1e-12)
        assert close(n[name].derivative, central_difference(model, n[name], lambda y: y), rel=1e-6)


def test_the_recursive_pass_keeps_only_the_last_parents_share():
    model, n = shared_model()
    model.predict([2.0])
    backward_single_parent(model, 1.0, update=False)
    assert n["h"].derivative == n["c"].value  # the part through the second parent only
    assert n["h"].derivative != n["a"].value + n["c"].value


def test_one_step_moves_each_parameter_once_by_its_full_derivative():
    model, n = shared_model()
    model.predict([2.0])
    model.backward(1.0, update=False)
    expected = {k: n[k].value - 0.1 * n[k].derivative for k in "wbac"}
    model.backward(1.0)
    assert {k: n[k].value for k in "wbac"} == expected


def test_the_recursive_pass_steps_a_shared_parameter_twice_and_lands_elsewhere():
    right, n_right = shared_model()
    wrong, n_wrong = shared_model()
    right.predict([2.0])
    wrong.predict([2.0])
    right.backward(1.0)
    steps = []
    original = Parameter.on_backward

    class Counting(Parameter):
        __slots__ = ()

        def on_backward(self, derivative):
            steps.append(derivative)
            original(self, derivative)

    n_wrong["w"].__class__ = Counting
    backward_single_parent(wrong, 1.0)
    assert len(steps) == 2  # w below h: one step per path from the root
    assert not math.isclose(n_wrong["w"].value, n_right["w"].value, rel_tol=1e-9)
    assert n_wrong["a"].value == n_right["a"].value  # a is not shared: no difference


def test_a_parameter_used_twice_by_one_parent():
    w = Parameter(3.0)
    model = Multiply([w, w])
    model.backward(1.0, update=False)
    assert w.derivative == 6.0


def test_a_ladder_of_shared_nodes_takes_one_visit_per_node():
    # h₀ = x, hᵢ₊₁ = hᵢ + hᵢ: 2⁶⁰ paths from the top to x, yet 62 nodes
    x = Input()
    h = x
    for _ in range(60):
        h = Add([h, h])
    model = h.compile()
    assert model.predict([1.0]) == 2.0 ** 60
    assert len(topological_order(model)) == 61
    model.backward(1.0)
    assert x.derivative == 2.0 ** 60


@given(st.data())
def test_on_any_model_with_shared_nodes_the_derivatives_match_the_value_engine(data):
    model = random_model(data, shared=True)
    model.compile()
    model.forward()
    model.backward(1.0, update=False)
    out, leaves = as_values(model)
    out.backward()
    for node in walk(model):
        if id(node) in leaves:
            assert math.isclose(node.derivative, leaves[id(node)].grad, rel_tol=1e-9, abs_tol=1e-12)


@given(st.data())
def test_on_a_tree_backward_and_the_recursive_pass_agree_exactly(data):
    model = random_model(data, shared=False)
    twin_values = [p.value for p in model.parameters()]
    model.compile()
    model.forward()
    model.backward(0.7, update=False)
    first = [n.derivative for n in walk(model)]
    backward_single_parent(model, 0.7, update=False)
    assert [n.derivative for n in walk(model)] == first
    assert [p.value for p in model.parameters()] == twin_values


def test_value_engine_agrees_on_the_classic_shared_example():
    # f = (a·b)·(a + b) with a = -2, b = 3: ∂f/∂a = -3, ∂f/∂b = -8 (checked by hand in Part I)
    a, b = Parameter(-2.0), Parameter(3.0)
    f = Multiply([Multiply([a, b]), Add([a, b])])
    f.backward(1.0, update=False)
    assert (a.derivative, b.derivative) == (-3.0, -8.0)
    va, vb = Value(-2.0), Value(3.0)
    ((va * vb) * (va + vb)).backward()
    assert (va.grad, vb.grad) == (a.derivative, b.derivative)
