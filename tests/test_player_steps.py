"""`nnscratch.viz.backprop_steps`: the backward pass step by step, as the engine runs it.

For `nnscratch.Value` and for engines such as the chapters build (nodes with
``_backward`` closures, a ``backward()`` that runs them in reverse topological order):
the order of the steps, what each one adds (or, in a buggy engine, overwrites), final
gradients equal to what the engine's own ``backward()`` leaves, the caller's gradients
and functions left as they were, hand-chosen orders, and bad input.

The chapter-style engines defined here are also used by the player's other tests.
"""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

pytest.importorskip("graphviz", reason="nnscratch.viz needs the graphviz Python package")

from expressions import build, freeze, points, trees  # noqa: E402

import nnscratch  # noqa: E402
from nnscratch import MLP  # noqa: E402
from nnscratch.engine import backward_order  # noqa: E402
from nnscratch.viz import Change, Step, backprop_steps  # noqa: E402

# -- engines such as the chapters build ---------------------------------------------------


def chapter_engine(accumulate: bool = True, slots: bool = False) -> type:
    """A fresh closure-based `Value` class; ``slots=True`` gives it ``__slots__``."""

    def passes(target, amount):
        if accumulate:
            target.grad += amount
        else:
            target.grad = amount

    class Value:
        if slots:
            __slots__ = ("data", "grad", "label", "op", "children", "_backward")

        def __init__(self, data, children=(), op="", label=""):
            self.data = data
            self.grad = 0.0
            self.label = label
            self.op = op
            self.children = tuple(children)
            self._backward = lambda: None

        def __repr__(self):
            return f"Value(data={self.data}, grad={self.grad})"

        def __add__(self, other):
            other = other if isinstance(other, Value) else Value(other)
            out = Value(self.data + other.data, (self, other), "+")

            def _backward():
                passes(self, 1.0 * out.grad)
                passes(other, 1.0 * out.grad)

            out._backward = _backward
            return out

        def __mul__(self, other):
            other = other if isinstance(other, Value) else Value(other)
            out = Value(self.data * other.data, (self, other), "*")

            def _backward():
                passes(self, other.data * out.grad)
                passes(other, self.data * out.grad)

            out._backward = _backward
            return out

        def __pow__(self, k):
            out = Value(self.data**k, (self,), f"**{k}")

            def _backward():
                passes(self, k * self.data ** (k - 1) * out.grad)

            out._backward = _backward
            return out

        def tanh(self):
            t = math.tanh(self.data)
            out = Value(t, (self,), "tanh")

            def _backward():
                passes(self, (1 - t * t) * out.grad)

            out._backward = _backward
            return out

        def exp(self):
            out = Value(math.exp(self.data), (self,), "exp")

            def _backward():
                passes(self, out.data * out.grad)

            out._backward = _backward
            return out

        def __radd__(self, other):
            return self + other

        def __rmul__(self, other):
            return self * other

        def __neg__(self):
            return self * -1

        def __sub__(self, other):
            return self + (-other)

        def __truediv__(self, other):
            return self * other**-1

        def backward(self):
            order, visited = [], set()

            def visit(node):
                if node not in visited:
                    visited.add(node)
                    for child in node.children:
                        visit(child)
                    order.append(node)

            visit(self)
            self.grad = 1.0
            for node in reversed(order):
                node._backward()

    return Value


def running_example(Value):
    """L = (a·b + c)·f with a = 2, b = −3, c = 10, f = −2, every value labelled."""
    a, b = Value(2.0, label="a"), Value(-3.0, label="b")
    c, f = Value(10.0, label="c"), Value(-2.0, label="f")
    e = a * b
    e.label = "e"
    d = e + c
    d.label = "d"
    L = d * f
    L.label = "L"
    return L, dict(a=a, b=b, c=c, f=f, e=e, d=d, L=L)


def neuron(Value, bias=6.8813735870195432):
    """o = tanh(x1·w1 + x2·w2 + b), chapter 03's neuron, every value labelled."""
    x1, w1 = Value(2.0, label="x1"), Value(-3.0, label="w1")
    x2, w2 = Value(0.0, label="x2"), Value(1.0, label="w2")
    b = Value(bias, label="b")
    x1w1 = x1 * w1
    x1w1.label = "x1*w1"
    x2w2 = x2 * w2
    x2w2.label = "x2*w2"
    s = x1w1 + x2w2
    s.label = "x1*w1 + x2*w2"
    n = s + b
    n.label = "n"
    o = n.tanh()
    o.label = "o"
    return o, dict(x1=x1, w1=w1, x2=x2, w2=w2, b=b, x1w1=x1w1, x2w2=x2w2, s=s, n=n, o=o)


def used_twice(Value):
    """f = (a·b)·(a + b) with a = −2, b = 3: a and b each reach f along two paths."""
    a, b = Value(-2.0, label="a"), Value(3.0, label="b")
    f = (a * b) * (a + b)
    f.label = "f"
    return f, dict(a=a, b=b)


def grads_after_backward(root, values):
    """What the engine's own ``backward()`` leaves in ``values``, from zero; put back after."""
    saved = [v.grad for v in values]
    for v in values:
        v.grad = 0.0
    root.backward()
    result = tuple(v.grad for v in values)
    for v, g in zip(values, saved):
        v.grad = g
    return result


def changes(step):
    return [(c.value.label, c.before, c.after, c.added, c.local, c.slot) for c in step.changes]


# -- nnscratch.Value ----------------------------------------------------------------------


def test_the_running_example_step_by_step():
    L, v = running_example(nnscratch.Value)
    steps = backprop_steps(L)
    assert steps.engine == "nnscratch.Value" and not steps.given_order
    assert [s.node for s in steps] == backward_order(L) == [v["L"], v["d"], v["e"]]
    assert [s.grad for s in steps] == [1.0, -2.0, -2.0]
    assert changes(steps[0]) == [("d", 0.0, -2.0, True, -2.0, 0), ("f", 0.0, 4.0, True, 4.0, 1)]
    assert changes(steps[1]) == [("e", 0.0, -2.0, True, 1.0, 0), ("c", 0.0, -2.0, True, 1.0, 1)]
    assert changes(steps[2]) == [("a", 0.0, 6.0, True, -3.0, 0), ("b", 0.0, -4.0, True, 2.0, 1)]
    assert [c.amount for c in steps[2].changes] == [6.0, -4.0]
    assert [(c.value, c.after) for c in steps.setup] == [(L, 1.0)]
    final = dict(zip((x.label for x in steps.values), steps.final))
    assert final == dict(a=6.0, b=-4.0, c=-2.0, d=-2.0, e=-2.0, f=4.0, L=1.0)


def test_the_steps_where_a_value_receives_its_gradient():
    o, v = neuron(nnscratch.Value)
    steps = backprop_steps(o)
    assert [s.node.label for s in steps] == ["o", "n", "x1*w1 + x2*w2", "x2*w2", "x1*w1"]
    assert steps.steps_changing(v["w1"]) == [5]
    assert steps.steps_changing(v["n"]) == [1]
    assert steps.steps_changing(v["o"]) == []  # set before the first step, by backward()
    f, v = used_twice(nnscratch.Value)
    assert backprop_steps(f).steps_changing(v["a"]) == [2, 3]


def test_a_value_used_twice_gets_both_contributions_as_two_changes():
    a = nnscratch.Value(3.0, "a")
    b = a + a
    (step,) = backprop_steps(b)
    assert [(c.value, c.slot, c.amount) for c in step.changes] == [(a, 0, 1.0), (a, 1, 1.0)]
    assert [c.after for c in step.changes] == [1.0, 2.0]


def test_the_grads_after_each_step_fill_in_one_step_at_a_time():
    L, v = running_example(nnscratch.Value)
    steps = backprop_steps(L)
    frames = list(steps.grads())
    assert len(frames) == len(steps) + 1
    order = [x.label for x in steps.values]  # a, b, e, c, d, f, L
    assert dict(zip(order, frames[0])) == dict(a=0, b=0, e=0, c=0, d=0, f=0, L=1.0)
    assert dict(zip(order, frames[1]))["d"] == -2.0 and dict(zip(order, frames[1]))["e"] == 0


@given(trees, points)
def test_final_grads_are_backwards_own_bit_for_bit(tree, point):
    safe, _ = freeze(tree, point)
    xs = [nnscratch.Value(x) for x in point]
    out = build(safe, xs)
    steps = backprop_steps(out)
    assert steps.final == grads_after_backward(out, steps.values)
    assert all(v.grad == 0.0 for v in steps.values)  # nothing was touched


def test_a_whole_network_and_the_callers_grads_untouched():
    model = MLP(2, [3, 1], seed=0)
    out = model([0.5, -1.0])
    for i, p in enumerate(model.parameters()):
        p.grad = 0.25 * i
    before = [v.grad for v in backprop_steps(out).values]
    steps = backprop_steps(out)
    assert [v.grad for v in steps.values] == before
    assert [s.node for s in steps] == backward_order(out)
    assert steps.final == grads_after_backward(out, steps.values)


def test_start_current_accumulates_as_backward_does():
    L, v = running_example(nnscratch.Value)
    L.backward()  # now every leaf holds a gradient, and e, d hold theirs
    v["e"].grad = 99.0
    steps = backprop_steps(L, start="current")
    expected_start = tuple(x.grad for x in steps.values)
    L.backward()  # the engine's second pass: leaves accumulate, op nodes reset first
    assert steps.start == expected_start
    assert steps.final == tuple(x.grad for x in steps.values)
    assert [(c.value.label, c.before, c.after) for c in steps.setup] == [
        ("d", -2.0, 0.0), ("e", 99.0, 0.0), ("L", 1.0, 1.0)]


def test_a_leaf_has_nothing_to_propagate():
    x = nnscratch.Value(5.0, "x")
    steps = backprop_steps(x)
    assert len(steps) == 0
    assert [(c.value, c.after, c.added) for c in steps.setup] == [(x, 1.0, True)]
    x.grad = 2.0
    assert backprop_steps(x, start="current").final == (3.0,)  # backward() adds 1 to a leaf
    assert x.grad == 2.0


# -- a fused node and other value-like classes with local_grads ----------------------------


class Node:
    """A value-like class that stores its local derivatives, like `nnscratch.Value`."""

    def __init__(self, data, children=(), local_grads=(), op="", label=""):
        self.data, self.grad, self.label, self.op = data, 0.0, label, op
        self.children, self.local_grads = tuple(children), tuple(local_grads)


def fused_neuron(n):
    """o = tanh(Σ wᵢxᵢ + b) with the weighted sum one node of 2n + 1 children."""
    ws = [Node(0.1 * (i + 1), label=f"w{i + 1}") for i in range(n)]
    xs = [Node(1.0 - 0.2 * i, label=f"x{i + 1}") for i in range(n)]
    b = Node(0.5, label="b")
    children = [u for pair in zip(ws, xs) for u in pair] + [b]
    local = [u for pair in zip(xs, ws) for u in (pair[0].data, pair[1].data)] + [1.0]
    s = Node(sum(w.data * x.data for w, x in zip(ws, xs)) + b.data, children, local, "Σwx+b", "n")
    t = math.tanh(s.data)
    return Node(t, (s,), (1 - t * t,), "tanh", "o"), ws, xs, b


def test_a_fused_node_passes_its_gradient_to_every_operand_in_order():
    o, ws, xs, b = fused_neuron(5)
    steps = backprop_steps(o)
    assert steps.engine == "local_grads"
    assert [s.node.label for s in steps] == ["o", "n"]
    fused = steps[1]
    assert len(fused.changes) == 11
    assert [c.slot for c in fused.changes] == list(range(11))
    g = 1 - o.data**2
    for w, x, cw, cx in zip(ws, xs, fused.changes[0::2], fused.changes[1::2]):
        assert (cw.value, cw.local, cw.amount) == (w, x.data, x.data * g)
        assert (cx.value, cx.local, cx.amount) == (x, w.data, w.data * g)
    assert (fused.changes[-1].value, fused.changes[-1].amount) == (b, g)


def test_local_grads_that_do_not_match_the_children_are_an_error():
    x = Node(1.0)
    y = Node(2.0, (x, x), (1.0,), "+")
    with pytest.raises(ValueError, match="2 children but 1 local_grads"):
        backprop_steps(y)


# -- engines of closures, as the chapters build -----------------------------------------------


@pytest.mark.parametrize("make", [running_example, neuron, used_twice])
@pytest.mark.parametrize("slots", [False, True])
def test_a_chapter_engine_gets_the_same_steps_and_grads_as_nnscratch(make, slots):
    Value = chapter_engine(accumulate=True, slots=slots)
    root, _ = make(Value)
    theirs_root, _ = make(nnscratch.Value)
    steps = backprop_steps(root)
    theirs = backprop_steps(theirs_root)
    assert steps.engine == "closures"
    assert [s.node.op for s in steps] == [s.node.op for s in theirs]
    assert [[c.slot for c in s.changes] for s in steps] == [[c.slot for c in s.changes] for s in theirs]
    assert all(c.added for s in steps for c in s.changes)
    for mine, ref in zip(steps.final, theirs.final):
        assert math.isclose(mine, ref, rel_tol=1e-12, abs_tol=1e-15)
    assert steps.final == grads_after_backward(root, steps.values)


def test_the_local_derivative_of_each_closure_step_is_read_off_what_it_added():
    L, v = running_example(chapter_engine())
    steps = backprop_steps(L)
    assert [[(c.value.label, c.local) for c in s.changes] for s in steps] == [
        [("d", -2.0), ("f", 4.0)], [("e", 1.0), ("c", 1.0)], [("a", -3.0), ("b", 2.0)]]


def test_the_buggy_engine_is_shown_losing_a_contribution():
    Value = chapter_engine(accumulate=False)
    f, v = used_twice(Value)
    steps = backprop_steps(f)
    assert steps.final == grads_after_backward(f, steps.values)  # exactly what it does
    a_changes = [c for s in steps for c in s.changes if c.value is v["a"]]
    assert [(c.before, c.after, c.added, c.lost) for c in a_changes] == [
        (0.0, -6.0, False, False), (-6.0, 3.0, False, True)]
    assert a_changes[1].local == 3.0  # = b, the local derivative of a*b, times f's 1
    assert steps.final[steps.position(v["a"])] == 3.0  # chapter 04: the wrong 3, not -3


def test_b_equals_a_plus_a_with_the_bug_overwrites_within_one_step():
    Value = chapter_engine(accumulate=False)
    a = Value(3.0, label="a")
    b = a + a
    (step,) = backprop_steps(b)
    assert [(c.before, c.after, c.lost, c.slot) for c in step.changes] == [
        (0.0, 1.0, False, 0), (1.0, 1.0, True, 1)]


def test_a_hand_chosen_wrong_order_passes_on_zero():
    Value = chapter_engine()
    o, v = neuron(Value)
    order = [v["x1w1"], v["o"], v["n"], v["s"], v["x2w2"]]  # chapter 04: x1*w1 too early
    steps = backprop_steps(o, order=order)
    assert steps.given_order
    assert [s.node for s in steps] == order
    assert steps[0].grad == 0.0
    assert [(c.value.label, c.after) for c in steps[0].changes] == [("x1", 0.0), ("w1", 0.0)]
    # the same calls made by hand give the same grads
    for node in steps.values:
        node.grad = 0.0
    o.grad = 1.0
    for node in order:
        node._backward()
    assert steps.final == tuple(node.grad for node in steps.values)


def test_an_order_may_repeat_a_step_and_it_adds_twice():
    a = nnscratch.Value(2.0, "a")
    b = a * 3.0
    steps = backprop_steps(b, order=[b, b])
    assert [c.after for s in steps for c in s.changes if c.value is a] == [3.0, 6.0]


def test_the_callers_grads_classes_and_backward_functions_are_put_back():
    Value = chapter_engine()
    L, v = running_example(Value)
    for i, node in enumerate(v.values()):
        node.grad = float(i)
    saved = {k: (node.grad, node._backward, type(node)) for k, node in v.items()}
    backprop_steps(L)
    backprop_steps(L, start="current")
    assert {k: (node.grad, node._backward, type(node)) for k, node in v.items()} == saved
    assert all(type(node) is Value for node in v.values())


def test_an_engine_that_raises_is_still_put_back():
    Value = chapter_engine()
    L, v = running_example(Value)
    original = v["e"]._backward

    def broken():
        v["a"].grad = 123.0
        raise ZeroDivisionError("inside a step")

    v["e"]._backward = broken
    with pytest.raises(ZeroDivisionError, match="inside a step"):
        backprop_steps(L)
    assert v["a"].grad == 0.0 and type(v["a"]) is Value and v["e"]._backward is broken
    v["e"]._backward = original


def test_start_current_shows_a_chapter_engine_piling_up():
    Value = chapter_engine()
    a = Value(3.0, label="a")
    b = a + a
    b.backward()  # a.grad = 2
    steps = backprop_steps(b, start="current")
    b.backward()  # the second pass: a.grad = 4
    assert steps.final == (a.grad, b.grad) == (4.0, 1.0)
    assert a.grad == 4.0  # (the caller's own second pass, not the player's)


def test_writes_outside_any_step_are_kept_as_steps_of_their_own():
    Value = chapter_engine()

    class Resetting(Value):
        def backward(self):
            super().backward()
            self.children[0].grad = 0.0  # a strange engine that resets grads at the end
            self.children[1].grad = 0.0

    a, b = Resetting(2.0, label="a"), Resetting(5.0, label="b")
    out = Resetting(7.0, (a, b), "+", "out")

    def step():
        a.grad += out.grad
        b.grad += out.grad

    out._backward = step
    steps = backprop_steps(out)
    assert [s.node for s in steps] == [out, None]
    assert [(c.value, c.before, c.after) for c in steps[1].changes] == [(a, 1.0, 0.0), (b, 1.0, 0.0)]


def test_a_write_that_goes_around_the_attribute_is_still_seen_at_the_end():
    Value = chapter_engine()
    a = Value(2.0, label="a")
    out = a * 1.0

    def sneaky():
        a.__dict__["grad"] = 42.0  # not through `a.grad = ...`

    out._backward = sneaky
    steps = backprop_steps(out)
    assert steps[-1].node is None and steps.final[steps.position(a)] == 42.0


def test_a_recursive_engine_is_recorded_in_the_order_things_happen():
    Value = chapter_engine()
    a, b = Value(2.0, label="a"), Value(-1.0, label="b")
    p = a * b
    p.label = "p"
    out = p + a
    out.label = "out"

    def out_step():  # passes its gradient down, then runs its children's steps itself
        p.grad += out.grad
        a.grad += out.grad
        p._backward()

    out._backward = out_step

    def backward():
        out.grad = 1.0
        out._backward()

    out.backward = backward
    steps = backprop_steps(out)
    assert [s.node for s in steps] == [out, p]
    assert [c.value for c in steps[0].changes] == [p, a]
    assert [(c.value, c.after) for c in steps[1].changes] == [(a, 0.0), (b, 2.0)]


def test_a_backward_step_written_as_a_method_of_the_class_is_watched_and_left_alone():
    class Dispatching:
        """Each node's step is one method that looks at the node's op."""

        def __init__(self, data, children=(), op="", label=""):
            self.data, self.grad, self.children, self.op, self.label = data, 0.0, tuple(children), op, label

        def __mul__(self, other):
            return Dispatching(self.data * other.data, (self, other), "*")

        def _backward(self):
            if self.op == "*":
                a, b = self.children
                a.grad += b.data * self.grad
                b.grad += a.data * self.grad

        def backward(self):
            self.grad = 1.0
            self._backward()

    a, b = Dispatching(2.0, label="a"), Dispatching(5.0, label="b")
    out = a * b
    steps = backprop_steps(out)
    assert [(c.value, c.after) for c in steps[0].changes] == [(a, 5.0), (b, 2.0)]
    assert "_backward" not in vars(out) and type(out) is Dispatching


@st.composite
def random_graphs(draw):
    """A random graph of +, * and tanh over three leaves, values reused freely."""
    ops = draw(st.lists(st.tuples(st.sampled_from(["+", "*", "tanh"]),
                                  st.integers(0, 99), st.integers(0, 99)), min_size=1, max_size=12))
    leaves = draw(st.lists(st.floats(-2, 2, allow_nan=False), min_size=3, max_size=3))
    return ops, leaves


def build_random(Value, ops, leaves):
    nodes = [Value(x, label=f"x{i}") for i, x in enumerate(leaves)]
    for op, i, j in ops:
        a, b = nodes[i % len(nodes)], nodes[j % len(nodes)]
        nodes.append(a.tanh() if op == "tanh" else (a + b if op == "+" else a * b))
    return nodes[-1]


@given(random_graphs())
def test_random_graphs_closures_match_nnscratch_and_the_engines_own_backward(graph):
    ops, leaves = graph
    root = build_random(chapter_engine(), ops, leaves)
    steps = backprop_steps(root)
    assert steps.final == grads_after_backward(root, steps.values)
    reference = backprop_steps(build_random(nnscratch.Value, ops, leaves))
    for mine, ref in zip(steps.final, reference.final):
        assert math.isclose(mine, ref, rel_tol=1e-9, abs_tol=1e-12)
    buggy = build_random(chapter_engine(accumulate=False), ops, leaves)
    assert backprop_steps(buggy).final == grads_after_backward(buggy, backprop_steps(buggy).values)


# -- bad input -------------------------------------------------------------------------------


@pytest.mark.parametrize("bad", [3.0, None, [1.0], "x", object()])
def test_something_that_is_not_a_value_is_a_type_error_naming_its_type(bad):
    with pytest.raises(TypeError, match=f"got {type(bad).__name__}"):
        backprop_steps(bad)


def test_a_value_class_with_neither_closures_nor_local_grads_is_refused():
    class Plain:
        data, grad, children, op, label = 1.0, 0.0, (), "", ""

    with pytest.raises(TypeError, match="_backward steps .* or local_grads"):
        backprop_steps(Plain())


def test_a_closure_engine_without_backward_needs_an_order():
    Value = chapter_engine()
    a = Value(1.0)
    out = a * 2.0
    del Value.backward
    with pytest.raises(TypeError, match=r"no backward\(\) method.*order="):
        backprop_steps(out)
    assert len(backprop_steps(out, order=[out])) == 1


def test_bad_orders_are_refused_with_the_position_named():
    L, v = running_example(nnscratch.Value)
    with pytest.raises(ValueError, match=r"order\[1\] is not a value of this graph"):
        backprop_steps(L, order=[L, nnscratch.Value(1.0)])
    with pytest.raises(ValueError, match=r"order\[0\] is a leaf"):
        backprop_steps(L, order=[v["a"]])
    with pytest.raises(TypeError, match="order must be a list"):
        backprop_steps(L, order=L)


@pytest.mark.parametrize("start", ["zeros", "", None, 0])
def test_a_bad_start_is_refused(start):
    with pytest.raises(ValueError, match="start must be 'zero' or 'current'"):
        backprop_steps(nnscratch.Value(1.0), start=start)


def test_too_big_a_graph_is_refused_with_the_cap_named():
    out = MLP(2, [4, 1], seed=0)([1.0, 2.0])
    with pytest.raises(ValueError, match=r"more than max_values=10; pass max_values=\d+"):
        backprop_steps(out, max_values=10)


def test_step_and_change_are_plain_records():
    a = nnscratch.Value(1.0)
    step = backprop_steps(a * 2.0)[0]
    assert isinstance(step, Step) and all(isinstance(c, Change) for c in step.changes)
