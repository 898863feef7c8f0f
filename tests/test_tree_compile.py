"""compile(): the inputs found once and named; macros expanded into elementary
operations, with the same outputs and derivatives as writing the tree by hand."""

from __future__ import annotations

import random

import pytest

import nnscratch.tree.graph as graph
from nnscratch.tree import (Add, Input, Linear, Macro, Multiply, Parameter, ReLU, Sigmoid, find_input_nodes,
                            topological_order)
from test_tree_support import close

# -- finding the inputs once ------------------------------------------------------------------


def test_inputs_come_left_to_right_and_a_shared_input_once():
    a, b, c = Input(name="a"), Input(name="b"), Input(name="c")
    model = Add([Multiply([Parameter(1.0), b]), Multiply([a, ReLU([b])]), Sigmoid([c]), a])
    assert find_input_nodes(model) == [b, a, c]
    assert model.compile().inputs == (b, a, c)


def test_predict_after_compile_does_not_search_the_tree_again(monkeypatch):
    model = Add([Multiply([Parameter(2.0), Input()]), Parameter(1.0)])
    calls = []
    real = graph.find_input_nodes

    def counting(root):
        calls.append(root)
        return real(root)

    monkeypatch.setattr("nnscratch.tree.compiler.find_input_nodes", counting)
    assert model.predict([3.0]) == 7.0  # compiles on first use
    for x in range(100):
        assert model.predict([float(x)]) == 2.0 * x + 1.0
    assert len(calls) == 1


def test_unnamed_inputs_are_named_in_order_skipping_taken_names():
    first, second, third = Input(), Input(name="x2"), Input()
    model = Add([first, second, third]).compile()
    assert [n.name for n in model.inputs] == ["x1", "x2", "x3"]
    assert first.name == "x1" and third.name == "x3"


def test_two_different_inputs_with_one_name_are_refused():
    with pytest.raises(ValueError, match="both named 'x'"):
        Add([Input(name="x"), Input(name="x")]).compile()


def test_the_backward_order_puts_every_parent_before_its_children():
    x = Input()
    h = Sigmoid([Multiply([Parameter(0.5), x])])
    model = Add([Multiply([h, Parameter(2.0)]), ReLU([h]), x])
    order = topological_order(model)
    assert len(order) == len({id(n) for n in order}) == 8
    position = {id(n): i for i, n in enumerate(order)}
    for node in order:
        for child in node.children:
            assert position[id(node)] < position[id(child)]


def test_compile_refuses_a_non_bool_cache_flag():
    with pytest.raises(TypeError, match="cache must be True or False"):
        Add([Parameter(1.0)]).compile(cache="yes")


# -- macros ------------------------------------------------------------------------------------


def test_linear_expands_into_n_products_and_one_bias():
    xs = [Input(name=n) for n in "abc"]
    layer = Linear(xs, weights=[0.5, -1.0, 2.0], bias=0.25)
    model = layer.compile()
    assert isinstance(model, Add) and len(model.children) == 4
    for product, w, x in zip(model.children, layer.weights, xs):
        assert isinstance(product, Multiply)
        assert product.children == (w, x)  # the layer's own weights and its own inputs
    assert model.children[3] is layer.bias
    assert model.inputs == tuple(xs)
    assert model.funcify() == "0.5 * a - 1.0 * b + 2.0 * c + 0.25"


def test_a_linear_layer_computes_and_learns_exactly_like_the_tree_written_by_hand():
    def by_hand():
        x1, x2 = Input(), Input()
        w1, w2, b = Parameter(0.3, 0.05), Parameter(-0.6, 0.05), Parameter(0.1, 0.05)
        return Sigmoid([Add([Multiply([w1, x1]), Multiply([w2, x2]), b])])

    def with_macro():
        return Sigmoid([Linear([Input(), Input()], weights=[0.3, -0.6], bias=0.1, learning_rate=0.05)])

    a, b = by_hand().compile(), with_macro().compile()
    rng = random.Random(1)
    for _ in range(20):
        x = [rng.uniform(-2, 2), rng.uniform(-2, 2)]
        pa, pb = a.predict(x), b.predict(x)
        assert pa == pb
        a.backward(pa - 1.0)
        b.backward(pb - 1.0)
        assert [n.derivative for n in a.inputs] == [n.derivative for n in b.inputs]
    assert [p.value for p in a.parameters()] == [p.value for p in b.parameters()]


def test_default_linear_weights_come_from_the_rng():
    layer = Linear([Input(), Input()], rng=random.Random(5))
    rng = random.Random(5)
    assert [w.value for w in layer.weights] + [layer.bias.value] == [rng.uniform(-1, 1) for _ in range(3)]
    with pytest.raises(ValueError, match="needs 2 weights, got 3"):
        Linear([Input(), Input()], weights=[1.0, 2.0, 3.0])


class Neuron(Macro):
    """relu(w·x + b): a macro whose expansion holds another macro."""

    def expand(self):
        return ReLU([Linear(self.children, weights=[1.0] * len(self.children), bias=-1.0)])


def test_macros_inside_expansions_and_shared_macros_are_expanded_once():
    x, y = Input(name="x"), Input(name="y")
    neuron = Neuron([x, y])
    model = Add([Multiply([Parameter(2.0), neuron]), neuron]).compile()  # the neuron has two parents
    relu = model.children[1]
    assert isinstance(relu, ReLU) and model.children[0].children[1] is relu
    assert isinstance(relu.children[0], Add)  # the inner Linear is gone too
    assert not any(isinstance(n, Macro) for n in topological_order(model))
    assert model.funcify() == "2.0 * relu(1.0 * x + 1.0 * y - 1.0) + relu(1.0 * x + 1.0 * y - 1.0)"
    assert model.predict([2.0, 0.5]) == 3 * 1.5
    assert x.parents == (relu.children[0].children[0],)  # no longer the (expanded) macro's child


def test_a_macro_whose_expand_returns_a_non_node_is_refused():
    class Broken(Macro):
        def expand(self):
            return 3.0

    with pytest.raises(TypeError, match="must return a node, got float"):
        Add([Broken([Input()])]).compile()


def test_a_compiled_linear_layer_invalidates_through_its_expansion():
    x = Input()
    model = Linear([x], weights=[2.0], bias=1.0).compile()
    assert model.predict([1.0]) == 3.0
    assert model.predict([4.0]) == 9.0
    assert close(model.forward(), 9.0)
