"""The checkers of chapter 02's exercises: the worked solution is graded correct, the
blank is "not attempted", and each typical mistake gets the message meant for it."""

from __future__ import annotations

import pytest

from nnscratch import Value as PackageValue
from nnscratch import draw_dot, trace
from nnscratch.exercises import ____
from nnscratch.exercises.computation_graphs import q1, q2, q3


def make_value_class():
    """A fresh copy of the Value class as chapter 02 leaves it (tests patch it)."""

    class Value:
        def __init__(self, data, children=(), op="", label=""):
            self.data = data
            self.grad = 0.0
            self.label = label
            self.op = op
            self.children = children

        def __repr__(self):
            label = f", label={self.label!r}" if self.label else ""
            return f"Value(data={self.data}, grad={self.grad}{label})"

        def __add__(self, other):
            return Value(self.data + other.data, (self, other), "+")

        def __mul__(self, other):
            return Value(self.data * other.data, (self, other), "*")

    return Value


def assert_incorrect(result, *fragments):
    assert result.status == "incorrect", result
    for fragment in fragments:
        assert fragment in result.message, (fragment, result.message)


# -- q1: the neuron's weighted sum -----------------------------------------------------


def leaves(Value):
    return {
        "x1": Value(2.0, label="x1"),
        "x2": Value(0.0, label="x2"),
        "w1": Value(-3.0, label="w1"),
        "w2": Value(1.0, label="w2"),
        "b": Value(6.8813735870195432, label="b"),
    }


def test_q1_solution_is_correct_and_draws():
    Value = make_value_class()
    ns = {"Value": Value, "draw_dot": draw_dot, **leaves(Value)}
    exec(q1._solution, ns)
    assert q1.grade(ns["n"]).correct
    assert 'label="{ n | data 0.8814 }"' in repr(draw_dot(ns["n"], show_grad=False))


@pytest.mark.parametrize("Value", [make_value_class(), PackageValue])
def test_q1_accepts_any_order_of_the_same_sum(Value):
    v = leaves(Value)
    assert q1.grade(v["x1"] * v["w1"] + v["x2"] * v["w2"] + v["b"]).correct
    assert q1.grade(v["b"] + (v["w2"] * v["x2"] + v["w1"] * v["x1"])).correct


def test_q1_blank_is_unattempted():
    assert q1.grade(____).status == "unattempted"


@pytest.mark.parametrize(
    "build, fragments",
    [
        (lambda v: v["x1"].data * v["w1"].data + v["x2"].data * v["w2"].data + v["b"].data,
         ["plain number", "no `.data`"]),
        (lambda v: type(v["b"])(0.8813735870195432), ["leaf", "no children"]),
        (lambda v: v["x1"] * v["w2"] + v["x2"] * v["w1"] + v["b"], ["n.data", "multiplied"]),
        (lambda v: v["x1"] * v["w1"] + v["x2"] * v["w2"], ["leaves", "five given Values"]),
        (lambda v: (v["x1"] + v["w1"]) * (v["x2"] + v["w2"]) + v["b"],
         ["1 multiplication and 3 additions", "needs two"]),
        (lambda v: [v["x1"], v["w1"]], ["should be a Value", "list"]),
    ],
)
def test_q1_typical_mistakes(build, fragments):
    assert_incorrect(q1.grade(build(leaves(make_value_class()))), *fragments)


# -- q2: predict the drawing --------------------------------------------------------------


def test_q2_solution_is_correct():
    ns = {}
    exec(q2._solution, ns)
    assert q2.grade(ns["n_values"], ns["n_ops"], ns["n_arrows"]).correct


def test_q2_expected_counts_are_what_draw_dot_draws():
    Value = make_value_class()
    a = Value(2.0, label="a")
    b = Value(3.0, label="b")
    p = a * b
    q = p + b
    r = q * p
    source = repr(draw_dot(r))
    boxes = source.count("shape=record")
    ovals = source.count("shape=ellipse")
    arrows = source.count("->")
    assert q2.grade(boxes, ovals, arrows).correct
    nodes, edges = trace(r)
    assert (len(nodes), len(edges)) == (5, 6)


def test_q2_blank_is_unattempted():
    assert q2.grade(5, ____, 9).status == "unattempted"


@pytest.mark.parametrize(
    "answers, fragments",
    [
        ((9, 3, 9), ["expression tree", "once"]),
        ((7, 3, 9), ["expression tree"]),
        ((3, 3, 9), ["leaves a and b"]),
        ((5, 3, 6), ["into the operation ovals", "also has an arrow"]),
        ((5, 3, 3), ["only the arrows from the ovals"]),
        ((5, 2, 9), ["`n_ops` is too small"]),
        ((5, 3, 12), ["`n_arrows` is too large"]),
    ],
)
def test_q2_typical_mistakes(answers, fragments):
    result = q2.grade(*answers)
    assert_incorrect(result, *fragments)


# -- q3: __sub__ ------------------------------------------------------------------------------


def with_sub(sub):
    Value = make_value_class()
    Value.__sub__ = sub
    return Value


def test_q3_solution_is_correct():
    Value = make_value_class()
    ns = {"Value": Value}
    exec(q3._solution, ns)
    assert q3.grade(ns["Value"]).correct
    a, b = Value(5.0, label="a"), Value(3.0, label="b")
    c = a - b
    assert (c.data, c.op, c.children) == (2.0, "-", (a, b))


def test_q3_blank_is_unattempted():
    def value_sub(self, other):
        return ____

    result = q3.grade(with_sub(value_sub))
    assert result.status == "unattempted"
    assert "still returns ____" in result.message
    assert q3.grade(____).status == "unattempted"


def _mutating_sub(self, other):
    self.data = self.data - other.data
    return type(self)(self.data, (self, other), "-")


def _in_place_sub(self, other):
    self.data = self.data - other.data
    return self


@pytest.mark.parametrize(
    "sub, fragments",
    [
        (lambda self, other: type(self)(other.data - self.data, (self, other), "-"), ["b - a"]),
        (lambda self, other: self.data - other.data, ["plain number"]),
        (lambda self, other: None, ["returned None", "return"]),
        (lambda self, other: type(self)(self.data - other.data), ["no children"]),
        (lambda self, other: type(self)(self.data - other.data, (other, self), "-"), ["(other, self)"]),
        (lambda self, other: type(self)(self.data - other.data, [self, other], "-"), ["list", "tuple"]),
        (lambda self, other: type(self)(self.data - other.data, (self,), "-"), ["exactly its two operands"]),
        (lambda self, other: type(self)(self.data - other.data, (self, other), "+"), ["op '+'", '"-"']),
        (lambda self, other: type(self)(self.data - other.data, (self, other)), ["op ''"]),
        (lambda self, other: type(self)(self.data + other.data, (self, other), "-"), ["gave data"]),
        (_in_place_sub, ["returned one of its operands"]),
        (_mutating_sub, ["changed an operand"]),
        (lambda self, other: (self.data - other.data, (self, other)), ["tuple", "new Value"]),
    ],
)
def test_q3_typical_mistakes(sub, fragments):
    assert_incorrect(q3.grade(with_sub(sub)), *fragments)


def test_q3_a_class_without_sub_is_told_so():
    assert_incorrect(q3.grade(make_value_class()), "no `__sub__` yet")
    assert_incorrect(q3.grade(3), "not a class")


def test_q3_messages_do_not_give_the_answer_away():
    result = q3.grade(with_sub(lambda self, other: type(self)(self.data + other.data, (self, other), "-")))
    assert "2.0" not in result.message
