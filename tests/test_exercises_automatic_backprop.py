"""The checks of chapter 04's exercises: reference answers grade correct, blanks grade
unattempted, and each typical mistake grades incorrect with a message that says what
is off, without giving the answer away.

The sigmoid exercise runs on the `Value` class that the chapter builds, so a copy of
that class lives here."""

from __future__ import annotations

import math

import pytest

import nnscratch
from nnscratch.exercises import ____
from nnscratch.exercises.automatic_backprop import q1, q2, q3, q4


# -- the chapter's engine: closures, accumulation, an iterative topological order -------

def topological_order(root):
    order, visited = [], {root}
    stack = [(root, iter(root.children))]
    while stack:
        node, children = stack[-1]
        child = next(children, None)
        if child is None:
            stack.pop()
            order.append(node)
        elif child not in visited:
            visited.add(child)
            stack.append((child, iter(child.children)))
    return order


class Value:
    def __init__(self, data, children=(), op="", label=""):
        self.data = data
        self.grad = 0.0
        self.label = label
        self.op = op
        self.children = tuple(children)
        self._backward = lambda: None

    def __add__(self, other):
        other = other if isinstance(other, Value) else Value(other)
        out = Value(self.data + other.data, (self, other), "+")

        def _backward():
            self.grad += out.grad
            other.grad += out.grad

        out._backward = _backward
        return out

    def __mul__(self, other):
        other = other if isinstance(other, Value) else Value(other)
        out = Value(self.data * other.data, (self, other), "*")

        def _backward():
            self.grad += other.data * out.grad
            other.grad += self.data * out.grad

        out._backward = _backward
        return out

    def __radd__(self, other):
        return self + other

    def __rmul__(self, other):
        return self * other

    def backward(self):
        self.grad = 1.0
        for node in reversed(topological_order(self)):
            node._backward()


def make_sigmoid(backward_step, *, attach=True, child=True, forward=None, give_back=True):
    """A learner's `sigmoid`: ``backward_step(self, out, s)`` is the body of its
    `_backward`; the keywords spoil other parts of it."""

    def sigmoid(self):
        s = forward(self.data) if forward else 1 / (1 + math.exp(-self.data))
        out = Value(s, (self,) if child else (), "sigmoid")

        def _backward():
            backward_step(self, out, s)

        if attach:
            out._backward = _backward
        return out if give_back else None

    return sigmoid


def right(self, out, s):
    self.grad += s * (1 - s) * out.grad


def assert_incorrect(result, *phrases):
    assert result.status == "incorrect", result
    for phrase in phrases:
        assert phrase in result.message, (phrase, result.message)
    assert "(1 - s)" not in result.message and "1 - σ" not in result.message


# -- q1: sigmoid ----------------------------------------------------------------------

def test_q1_reference_is_correct():
    assert q1.grade(make_sigmoid(right), Value).correct


def test_q1_solution_as_printed_is_correct():
    ns = {"Value": Value, "math": math}
    exec(q1._solution, ns)
    assert q1.grade(ns["sigmoid"], Value).correct


def test_q1_starter_with_the_blank_is_unattempted():
    def sigmoid(self):
        s = 1 / (1 + math.exp(-self.data))
        out = Value(s, (self,), "sigmoid")

        def _backward():
            ____

        out._backward = _backward
        return out

    result = q1.grade(sigmoid, Value)
    assert result.status == "unattempted" and "____" in result.message


def test_q1_assigning_instead_of_accumulating():
    def assigns(self, out, s):
        self.grad = s * (1 - s) * out.grad

    assert_incorrect(q1.grade(make_sigmoid(assigns), Value), "used twice", "+=")


def test_q1_forgetting_the_chain_rule():
    def local_only(self, out, s):
        self.grad += s * (1 - s)

    assert_incorrect(q1.grade(make_sigmoid(local_only), Value), "out.grad", "chain rule")


def test_q1_derivative_from_the_input_instead_of_the_output():
    def from_input(self, out, s):
        self.grad += self.data * (1 - self.data) * out.grad

    assert_incorrect(q1.grade(make_sigmoid(from_input), Value), "output s = σ(x)", "input x")


def test_q1_missing_factor_and_wrong_sign():
    def sigma_only(self, out, s):
        self.grad += s * out.grad

    def negated(self, out, s):
        self.grad -= s * (1 - s) * out.grad

    assert_incorrect(q1.grade(make_sigmoid(sigma_only), Value), "one more factor")
    assert_incorrect(q1.grade(make_sigmoid(negated), Value), "wrong sign")


def test_q1_step_never_attached_or_output_not_returned():
    assert_incorrect(q1.grade(make_sigmoid(right, attach=False), Value), "still 0",
                     "out._backward = _backward")
    assert_incorrect(q1.grade(make_sigmoid(right, give_back=False), Value), "returned None")


def test_q1_output_without_its_child_or_with_a_wrong_forward_value():
    assert_incorrect(q1.grade(make_sigmoid(right, child=False), Value), "`children`")
    wrong_forward = make_sigmoid(right, forward=lambda x: 1 / (1 + math.exp(x)))
    assert_incorrect(q1.grade(wrong_forward, Value), "forward value is off")


def test_q1_not_a_function_or_no_class():
    assert_incorrect(q1.grade(0.5, Value), "should be a function")
    assert_incorrect(q1.grade(make_sigmoid(right), 3), "Value class")


# -- q2: the backward order by counting uses ------------------------------------------

def reference_order(root):
    ns: dict = {}
    exec(q2._solution, ns)
    return ns["backward_order"](root)


def test_q2_solution_as_printed_is_correct():
    assert q2.grade(reference_order).correct


def test_q2_the_chapters_sort_reversed_is_correct():
    assert q2.grade(lambda root: topological_order(root)[::-1]).correct


def test_q2_starter_with_the_blank_is_unattempted():
    def backward_order(root):
        order = []
        ____
        return order

    result = q2.grade(backward_order)
    assert result.status == "unattempted" and "____" in result.message


def test_q2_recursion_fails_on_the_deep_chain():
    def recursive(root):
        order, seen = [], set()

        def visit(node):
            if node not in seen:
                seen.add(node)
                for child in node.children:
                    visit(child)
                order.append(node)

        visit(root)
        return order[::-1]

    assert_incorrect(q2.grade(recursive), "chain 10,000 operations deep", "recursion depth",
                     "stack")


def test_q2_leaves_first_is_reversed():
    assert_incorrect(q2.grade(topological_order), "reversed", "root first")


def test_q2_breadth_first_puts_a_node_before_one_of_its_users():
    def breadth_first(root):
        order, seen, queue = [], {root}, [root]
        while queue:
            node = queue.pop(0)
            order.append(node)
            for child in node.children:
                if child not in seen:
                    seen.add(child)
                    queue.append(child)
        return order

    assert_incorrect(q2.grade(breadth_first), "h = a + tanh(tanh(a))",
                     "a comes before tanh(a), which uses it")


def test_q2_no_visited_set_lists_a_node_twice():
    def no_visited(root):
        order, stack = [], [root]
        while stack:
            node = stack.pop()
            order.append(node)
            stack.extend(node.children)
        return order

    assert_incorrect(q2.grade(no_visited), "b = a + a", "more than once")


def test_q2_missing_nodes_and_no_return():
    assert_incorrect(q2.grade(lambda root: [n for n in reference_order(root) if n.children]),
                     "leaves out", "leaves included")
    assert_incorrect(q2.grade(lambda root: None), "returned None")
    assert_incorrect(q2.grade("topological"), "should be a function")


# -- q3: the used-twice bug ----------------------------------------------------------------

class BuggyValue:
    """The chapter's first engine: steps assign (=) and the sort is recursive."""

    def __init__(self, data, children=()):
        self.data = data
        self.grad = 0.0
        self.children = tuple(children)
        self._backward = lambda: None

    def __add__(self, other):
        out = BuggyValue(self.data + other.data, (self, other))

        def _backward():
            self.grad = 1.0 * out.grad
            other.grad = 1.0 * out.grad

        out._backward = _backward
        return out

    def __mul__(self, other):
        out = BuggyValue(self.data * other.data, (self, other))

        def _backward():
            self.grad = other.data * out.grad
            other.grad = self.data * out.grad

        out._backward = _backward
        return out

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


def grad_of_g(engine) -> float:
    a = engine(3.0)
    g = a * a + a
    g.backward()
    return a.grad


BUGGY, TRUE = grad_of_g(BuggyValue), grad_of_g(nnscratch.Value)


def test_q3_reference_is_correct():
    assert BUGGY != TRUE
    assert q3.grade(BUGGY, TRUE).correct


def test_q3_solution_as_printed_is_correct():
    ns: dict = {}
    exec(q3._solution, ns)
    assert q3.grade(ns["buggy_grad"], ns["true_grad"]).correct


def test_q3_blank_is_unattempted():
    assert q3.grade(____, TRUE).status == "unattempted"
    assert q3.grade(____, ____).status == "unattempted"


@pytest.mark.parametrize("buggy, true, phrases", [
    (TRUE, TRUE, ("what a correct engine gives", "overwrites")),
    (1.0, TRUE, ("not the last one",)),
    (6.0, TRUE, ("two contributions from a·a", "replaces")),
    (BUGGY, 6.0, ("∂(a·a)/∂a alone", "+ a")),
    (BUGGY, 8.0, ("`true_grad` is too large", "three times")),
    (-BUGGY, TRUE, ("`buggy_grad` has the right size but the wrong sign",)),
])
def test_q3_typical_mistakes(buggy, true, phrases):
    result = q3.grade(buggy, true)
    assert_incorrect(result, *phrases)
    if not math.isclose(buggy, BUGGY):
        assert f"{BUGGY:g}" not in result.message.replace("`", " ").split()
    assert f"{TRUE:g}" not in result.message.split()


def test_q3_a_value_is_not_a_number():
    assert_incorrect(q3.grade(nnscratch.Value(3.0), TRUE), "`buggy_grad` is a Value")


# -- q4, open-ended: a second derivative ---------------------------------------------------

def test_q4_is_open_ended_with_hints_and_a_discussion(capsys):
    from nnscratch.exercises.core import OpenEnded

    assert isinstance(q4, OpenEnded) and len(q4.hints) == 2
    q4.check()
    assert capsys.readouterr().out.startswith("◇ Open-ended: there is no single answer")
    assert "<summary>Discussion</summary>" in q4.as_markdown()


def test_q4_the_chapters_engine_leaves_a_float_with_nothing_to_backpropagate():
    x = Value(3.0)
    y = x * x * x
    y.backward()
    assert type(x.grad) is float and x.grad == 27.0
    assert not hasattr(x.grad, "backward")


class GradValue(Value):
    """What the discussion proposes: steps that compute with Values, so that the
    gradient is a Value with a graph of its own."""

    def __add__(self, other):
        other = other if isinstance(other, GradValue) else GradValue(other)
        out = GradValue(self.data + other.data, (self, other), "+")

        def _backward():
            self.grad = self.grad + out.grad
            other.grad = other.grad + out.grad

        out._backward = _backward
        return out

    def __mul__(self, other):
        other = other if isinstance(other, GradValue) else GradValue(other)
        out = GradValue(self.data * other.data, (self, other), "*")

        def _backward():
            self.grad = self.grad + other * out.grad
            other.grad = other.grad + self * out.grad

        out._backward = _backward
        return out

    def backward(self):
        self.grad = GradValue(1.0)
        for node in reversed(topological_order(self)):
            node._backward()


def test_q4_what_the_discussion_proposes_gives_the_second_derivative():
    def first_derivative(x0):
        x = GradValue(x0)
        y = x * x * x
        y.backward()
        return x, x.grad

    x, g = first_derivative(3.0)
    assert isinstance(g, GradValue) and g.data == 27.0
    for node in topological_order(g):  # x is in g's graph
        node.grad = 0.0
    g.backward()
    assert x.grad.data == 18.0  # 6x
    h = 1e-5  # the central difference of the first derivative agrees
    slope = (first_derivative(3.0 + h)[1].data - first_derivative(3.0 - h)[1].data) / (2 * h)
    assert math.isclose(slope, 18.0, rel_tol=1e-8)
