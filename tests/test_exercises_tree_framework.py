"""The checkers of chapter 08's exercises: each worked solution is graded correct, the
blank is "not attempted", and each typical mistake gets the message meant for it."""

from __future__ import annotations

import math

import pytest

import nnscratch.tree as tree
from nnscratch.exercises import ____
from nnscratch.exercises.core import _MISSING
from nnscratch.exercises.tree_framework import q1, q2, q3, q4
from nnscratch.tree import Add, Input, Multiply, Operation, Parameter, Sigmoid


# Names that need the graphviz package (nnscratch.tree imports them only when asked).
GRAPHVIZ_NAMES = {"draw_tree", "tree_player", "TreePlayer"}

def run_solution(problem, **names):
    namespace = {**{name: getattr(tree, name) for name in tree.__all__ if name not in GRAPHVIZ_NAMES}, "math": math, **names}
    exec(problem._solution, namespace)
    return namespace


def assert_incorrect(result, *fragments):
    assert result.status == "incorrect", result
    for fragment in fragments:
        assert fragment in result.message, (fragment, result.message)


# Node classes written the way the chapter writes them, to check that the checks work with
# the learner's own classes as well as with nnscratch.tree's.


class NotebookNode:
    def __init__(self, children=None):
        self.children = list(children or [])

    def forward(self):
        return self.op([c.forward() for c in self.children])


class NotebookOperation(NotebookNode):
    def predict(self, inputs):
        found = []

        def visit(n):
            for c in n.children:
                if isinstance(c, NotebookInput):
                    found.append(c)
                else:
                    visit(c)

        visit(self)
        for node, value in zip(found, inputs):
            node.value = value
        return self.forward()


class NotebookInput(NotebookNode):
    def __init__(self, value=0.0):
        super().__init__()
        self.value = value

    def op(self, x):
        return self.value


NotebookInput.__name__ = "Input"


class NotebookParameter(NotebookNode):
    def __init__(self, value=0.0):
        super().__init__()
        self.value = value

    def op(self, x):
        return self.value


NotebookParameter.__name__ = "Parameter"


class NotebookAdd(NotebookOperation):
    def op(self, x):
        return sum(x)


class NotebookMultiply(NotebookOperation):
    def op(self, x):
        return math.prod(x)


# -- q1: depth -------------------------------------------------------------------------------


def test_q1_solution_is_correct():
    assert q1.grade(run_solution(q1)["depth"]).correct


def test_q1_blank_and_missing():
    assert q1.grade(____).status == "unattempted"
    assert q1.grade(lambda node: ____).status == "unattempted"
    assert q1.grade(_MISSING).status == "unattempted"


def count_nodes(node):
    return 1 + sum(count_nodes(c) for c in node.children)


def depth_from_zero(node):
    return max((1 + depth_from_zero(c) for c in node.children), default=0)


def first_child_only(node):
    return 1 + (first_child_only(node.children[0]) if node.children else 0)


def leaf_is_zero_always(node):
    return 0 if not node.children else 1 + max(leaf_is_zero_always(c) for c in node.children)


@pytest.mark.parametrize("fn, fragments", [
    (count_nodes, ["counts every node"]),
    (depth_from_zero, ["a single leaf is a tree of depth 1"]),
    (first_child_only, ["follows only the first child"]),
    (lambda node: None, ["did you forget `return`"]),
    (lambda node: 2.0, ["whole number"]),
    (lambda node: 7 if node.children else 1, ["which is not right"]),
    (5, ["should be a function"]),
])
def test_q1_typical_mistakes(fn, fragments):
    assert_incorrect(q1.grade(fn), *fragments)


def test_q1_one_short_is_named():
    def short(node):  # forgets to count the node itself above the leaves
        return 1 if not node.children else max(short(c) for c in node.children)

    assert_incorrect(q1.grade(short), "one short")


# -- q2: Celsius to Fahrenheit -------------------------------------------------------------------


def test_q2_solution_is_correct_with_the_package_and_with_notebook_classes():
    assert q2.grade(run_solution(q2)["c_to_f"]).correct
    notebook_model = NotebookAdd([NotebookMultiply([NotebookParameter(1.8), NotebookInput()]), NotebookParameter(32.0)])
    assert q2.grade(notebook_model).correct


def test_q2_blank_and_missing():
    assert q2.grade(____).status == "unattempted"
    assert q2.grade(_MISSING).status == "unattempted"


@pytest.mark.parametrize("model, fragments", [
    (Add([Multiply([Parameter(32.0), Input()]), Parameter(1.8)]), ["swapped"]),
    (Add([Multiply([Parameter(5 / 9), Input()]), Parameter(-160 / 9)]), ["Fahrenheit to Celsius"]),
    (Add([Multiply([Parameter(2.0), Input()]), Parameter(32.0)]), ["check the weight"]),
    (Add([Multiply([Parameter(1.8), Input()]), Parameter(30.0)]), ["check the bias"]),
    (Add([Multiply([Input(1.8), Input()]), Input(32.0)]), ["3 Input nodes"]),
    (Add([Multiply([Parameter(1.8), Input()]), Input(32.0)]), ["2 Input nodes"]),
    (Multiply([Parameter(1.8), Input()]), ["1 Parameter node"]),
    (Sigmoid([Add([Multiply([Parameter(1.8), Input()]), Parameter(32.0)])]), ["not the boiling point"]),
    (212.0, ["should be the root of a tree"]),
])
def test_q2_typical_mistakes(model, fragments):
    assert_incorrect(q2.grade(model), *fragments)


# -- q3: the derivatives that reach w and b ---------------------------------------------------------


def test_q3_solution_is_correct():
    ns = run_solution(q3)
    assert q3.grade(ns["dL_dw"], ns["dL_db"]).correct


def test_q3_expected_matches_the_backward_pass_of_the_package():
    w, b = Parameter(0.5), Parameter(1.0)
    model = Add([Multiply([w, Input()]), b])
    prediction = model.predict([4.0])
    model.backward(tree.mse_loss_grad(2.0, prediction), update=False)
    assert q3.grade(w.derivative, b.derivative).correct


def test_q3_blank_and_missing():
    assert q3.grade(____, 2.0).status == "unattempted"
    assert q3.grade(_MISSING, _MISSING).status == "unattempted"


@pytest.mark.parametrize("answer, fragments", [
    ((4.0, 1.0), ["half as large", "factor 2"]),
    ((-8.0, -2.0), ["wrong sign"]),
    ((2.0, 8.0), ["swapped"]),
    ((1.0, 2.0), ["*other* child"]),
    ((8.0, 3.0), ["`dL_db`"]),
])
def test_q3_typical_mistakes(answer, fragments):
    result = q3.grade(*answer)
    assert_incorrect(result, *fragments)
    assert "8.0" not in result.message


# -- q4: Tanh ------------------------------------------------------------------------------------------


def test_q4_solution_is_correct_with_the_package_operation():
    assert q4.grade(run_solution(q4)["Tanh"]).correct


def test_q4_solution_is_correct_with_a_notebook_operation():
    ns = run_solution(q4, Operation=NotebookOperation)
    assert q4.grade(ns["Tanh"]).correct


def make_tanh(op, grad, base=Operation):
    return type("Tanh", (base,), {"__slots__": (), "op": op, "grad": grad})


def test_q4_blank_and_missing():
    assert q4.grade(____).status == "unattempted"
    assert q4.grade(_MISSING).status == "unattempted"
    assert q4.grade(make_tanh(lambda self, x: ____, lambda self: [____])).status == "unattempted"
    assert q4.grade(make_tanh(lambda self, x: math.tanh(x[0]), lambda self: [____])).status == "unattempted"


def value(self):
    return self.children[0].forward()


@pytest.mark.parametrize("cls, fragments", [
    (make_tanh(lambda self, x: math.tanh(x[0]), lambda self: [math.tanh(value(self))]), ["tanh(-2.0) itself"]),
    (make_tanh(lambda self, x: math.tanh(x[0]), lambda self: [1 - math.tanh(value(self))]), ["tanh squared"]),
    (make_tanh(lambda self, x: math.tanh(x[0]), lambda self: 1 - math.tanh(value(self)) ** 2), ["a list of one number"]),
    (make_tanh(lambda self, x: math.tanh(x[0]), lambda self: [1.0, 0.0]), ["2 derivatives"]),
    (make_tanh(lambda self, x: math.tanh(x[0]), lambda self: [0.5]), ["not the derivative of tanh"]),
    (make_tanh(lambda self, x: [math.tanh(x[0])], lambda self: [1.0]), ["returned a list"]),
    (make_tanh(lambda self, x: math.sinh(x[0]), lambda self: [1.0]), ["not tanh(-2.0)"]),
    (make_tanh(lambda self, x: math.tanh(x[0]), lambda self: [1 - math.tanh(value(self)) ** 2],
               base=object), ["raised TypeError"]),
    (math.tanh, ["should be a class"]),
])
def test_q4_typical_mistakes(cls, fragments):
    assert_incorrect(q4.grade(cls), *fragments)


# --- q5: open-ended; its discussion's numbers are those of the chapter's own classes ----------------

def test_q5_is_open_ended_and_its_discussion_is_true_of_the_chapters_classes():
    import sys
    from pathlib import Path

    from nnscratch.exercises.core import OpenEnded
    from nnscratch.exercises.tree_framework import q5

    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from tree_chapter import chapter_08

    assert isinstance(q5, OpenEnded) and len(q5.hints) == 2
    ns = chapter_08()
    w, x1, x2 = ns.Parameter(0.5, 0.1), ns.Input(1.0), ns.Input(2.0)
    ns.Add([ns.Multiply([w, x1]), ns.Multiply([w, x2])]).backward(1.0)
    assert w.value == pytest.approx(0.2) and w.derivative == 2.0
    assert "ends at 0.5 − 0.1·1 − 0.1·2 = 0.2" in q5._discussion and "it holds 2" in q5._discussion

    sigmoid = lambda u: 1.0 / (1.0 + math.exp(-u))  # noqa: E731
    w, x1, x2 = ns.Parameter(0.5, 0.1), ns.Input(1.0), ns.Input(2.0)
    ns.Add([ns.Multiply([w, x1]), ns.Sigmoid([ns.Multiply([w, x2])])]).backward(1.0)
    second = sigmoid(0.8) * (1 - sigmoid(0.8)) * 2
    right = sigmoid(1.0) * (1 - sigmoid(1.0)) * 2
    assert w.derivative == pytest.approx(second)
    assert f"{second:.3f}" in q5._discussion and f"{right:.3f}" in q5._discussion
    assert f"{w.value:.4f}" in q5._discussion
    assert f"{0.5 - 0.1 * (1 + right):.4f}" in q5._discussion
