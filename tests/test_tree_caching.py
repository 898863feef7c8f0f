"""Forward caching: a node reuses its value if and only if nothing below it changed.

Counts of forward() calls show what was recomputed: a node that reuses its value is
called but does not call its children."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from nnscratch.data import above_below_line
from nnscratch.tree import (Add, Input, Multiply, Parameter, ReLU, Sigmoid, above_below_classifier, bce_loss,
                            bce_loss_grad, manual_seed, reset_forward_calls, total_forward_calls, train_model, walk)
from test_tree_support import as_values, close


def small_model():
    x1, x2 = Input(name="x1"), Input(name="x2")
    w1, w2, b = Parameter(0.5), Parameter(-1.5), Parameter(0.25)
    left, right = Multiply([w1, x1]), Multiply([w2, x2])
    root = Sigmoid([Add([left, right, b])])
    return root, dict(x1=x1, x2=x2, w1=w1, w2=w2, b=b, left=left, right=right, add=root.children[0], root=root)


def calls(nodes):
    return {name: node.forward_calls for name, node in nodes.items()}


def test_a_second_forward_with_nothing_changed_computes_nothing():
    model, nodes = small_model()
    model.compile()
    first = model.predict([1.0, 2.0])
    reset_forward_calls(model)
    assert model.forward() == first
    assert total_forward_calls(model) == 1  # the root answers from its cache
    assert all(node.is_cached for node in walk(model) if node.children)


def test_changing_one_input_recomputes_exactly_the_nodes_above_it():
    model, nodes = small_model()
    model.compile()
    model.predict([1.0, 2.0])
    reset_forward_calls(model)
    nodes["x2"].value = 3.0
    assert [nodes[n].is_cached for n in ("left", "right", "add", "root")] == [True, False, False, False]
    model.forward()
    assert calls(nodes) == dict(x1=0, x2=1, w1=0, w2=1, b=1, left=1, right=1, add=1, root=1)


def test_setting_an_input_to_the_value_it_has_keeps_the_cache():
    model, nodes = small_model()
    model.compile()
    model.predict([1.0, 2.0])
    reset_forward_calls(model)
    model.predict([1.0, 2.0])
    assert total_forward_calls(model) == 1


def test_a_parameter_update_invalidates_exactly_its_ancestors():
    model, nodes = small_model()
    model.compile()
    model.predict([1.0, 2.0])
    nodes["w1"].value = 0.75
    assert [nodes[n].is_cached for n in ("left", "right", "add", "root")] == [False, True, False, False]
    assert close(model.forward(), as_values(model)[0].data)


def test_a_parameter_that_does_not_move_keeps_the_cache():
    model, nodes = small_model()
    model.compile()
    model.predict([1.0, 0.0])
    nodes["w2"].learning_rate = 0.1
    model.backward(1.0)  # w2 multiplies x2 = 0: its derivative is 0, so it stays
    assert nodes["right"].is_cached
    assert not nodes["left"].is_cached


def test_training_updates_leave_no_stale_value_behind():
    model, nodes = small_model()
    model.compile()
    for p in model.parameters():
        p.learning_rate = 0.3
    for x in ([1.0, 2.0], [0.5, -1.0], [-2.0, 0.25]):
        model.predict(x)
        model.backward(model.forward() - 1.0)
        assert close(model.forward(), as_values(model)[0].data)


def test_a_change_below_a_shared_node_reaches_both_parents():
    x = Input()
    h = ReLU([Multiply([Parameter(2.0), x])])
    left, right = Multiply([h, Parameter(3.0)]), Add([h, Parameter(1.0)])
    model = Add([left, right]).compile()
    assert model.predict([1.0]) == 2 * 3 + 2 + 1
    x.value = 2.0
    assert not left.is_cached and not right.is_cached
    assert model.forward() == 4 * 3 + 4 + 1


def test_without_caching_every_forward_recomputes():
    model, nodes = small_model()
    model.compile(cache=False)
    model.predict([1.0, 2.0])
    reset_forward_calls(model)
    model.forward()
    assert total_forward_calls(model) == 9
    assert not any(node.is_cached for node in walk(model))


@given(st.lists(st.tuples(st.sampled_from(["x1", "x2", "w1", "w2", "b", "forward"]),
                          st.floats(-3, 3, allow_nan=False)), max_size=25))
def test_the_cached_value_is_always_the_value_computed_afresh(steps):
    model, nodes = small_model()
    model.compile()
    for name, value in steps:
        if name == "forward":
            model.forward()
        else:
            nodes[name].value = value
        assert model.forward() == as_values(model)[0].data


def test_caching_cuts_the_forward_calls_of_training_the_classifier_and_changes_nothing_else():
    X, y = above_below_line(200, seed=0)
    data = list(zip(X, y))
    results = {}
    for cache in (False, True):
        manual_seed(1)
        model = above_below_classifier().compile(cache=cache)
        reset_forward_calls(model)
        history = train_model(model, bce_loss, bce_loss_grad, data, epochs=2, print_every=None, learning_rate=0.1)
        results[cache] = (history, [p.value for p in model.parameters()], total_forward_calls(model))
    assert results[True][:2] == results[False][:2]  # the same training, bit for bit
    per_example = {cache: results[cache][2] / (2 * len(data)) for cache in results}
    assert per_example[False] == 50 and per_example[True] < 25
