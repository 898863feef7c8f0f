"""The exercises of the chapter on neurons, layers and MLPs accept their reference
answers, tell a blank from a wrong answer, and explain typical wrong answers without
giving the answer away."""

from __future__ import annotations

import math

import pytest

from nnscratch import MLP, Value
from nnscratch.exercises import ____
from nnscratch.exercises.neurons import q1, q2, q3, q4


def run_solution(problem, name):
    """The problem's own worked solution, executed; returns the variable it defines."""
    scope = {"MLP": MLP, "Value": Value}
    exec(problem._solution, scope)
    return scope[name]


# -- q1: count_parameters -----------------------------------------------------------


def test_q1_solution_is_correct():
    assert q1.grade(run_solution(q1, "count_parameters")).correct


def test_q1_matches_the_package_mlp():
    count = run_solution(q1, "count_parameters")
    for nin, nouts in [(3, [4, 4, 1]), (2, [16, 16, 1]), (7, [3, 5]), (1, [1])]:
        assert count(nin, nouts) == len(MLP(nin, nouts).parameters())
    assert count(3, [4, 4, 1]) == 41
    assert count(2, [16, 16, 1]) == 337


def test_q1_blank_and_missing_are_unattempted():
    assert q1.grade(____).status == "unattempted"
    assert q1.grade(lambda nin, nouts: ____).status == "unattempted"


@pytest.mark.parametrize(
    "wrong, message",
    [
        (lambda nin, nouts: sum(a * b for a, b in zip([nin] + nouts, nouts)), "not the biases"),
        (lambda nin, nouts: sum(nouts), "counts the neurons"),
        (lambda nin, nouts: sum(a * b + a for a, b in zip([nin] + nouts, nouts)), "one bias per input"),
        (lambda nin, nouts: sum(a * b + b for a, b in zip(nouts, nouts[1:])), "leaves out the first layer"),
        (lambda nin, nouts: sum(a * b + b for a, b in zip([nin] + nouts[:-1], nouts[:-1])), "leaves out the last layer"),
        (lambda nin, nouts: 1000, "too many"),
        (lambda nin, nouts: 41, "too few"),
        (lambda nin, nouts: None, "forget `return`"),
        (lambda nin, nouts: "41", "whole number"),
        (lambda nin, nouts: Value(41), "plain numbers"),
        (41, "should be a function"),
    ],
)
def test_q1_wrong_answers_are_explained(wrong, message):
    result = q1.grade(wrong)
    assert result.status == "incorrect"
    assert message in result.message
    assert "337" not in result.message and "139" not in result.message


def test_q1_a_crash_is_reported_not_raised():
    result = q1.grade(lambda nin, nouts: nouts[5])
    assert result.status == "incorrect" and "IndexError" in result.message


# -- q2: relu_neuron ----------------------------------------------------------------


def test_q2_solution_is_correct():
    assert q2.grade(run_solution(q2, "relu_neuron")).correct


def test_q2_a_one_line_answer_is_correct_too():
    assert q2.grade(lambda x, w, b: sum((wi * xi for wi, xi in zip(w, x)), b).relu()).correct


def test_q2_blank_is_unattempted():
    assert q2.grade(____).status == "unattempted"
    assert q2.grade(lambda x, w, b: ____).status == "unattempted"


@pytest.mark.parametrize(
    "wrong, message",
    [
        (lambda x, w, b: sum((wi * xi for wi, xi in zip(w, x)), Value(0)).relu(), "leaves out the bias"),
        (lambda x, w, b: sum((wi * xi for wi, xi in zip(w, x)), b).tanh(), "applies tanh"),
        (lambda x, w, b: sum((wi * xi for wi, xi in zip(w, x)), b), "no ReLU was applied"),
        (lambda x, w, b: max(0.0, b.data + sum(wi.data * xi for wi, xi in zip(w, x))), "plain number"),
        (lambda x, w, b: Value(max(0.0, b.data + sum(wi.data * xi for wi, xi in zip(w, x)))), "gradient of w[0]"),
        (lambda x, w, b: sum((wi * xi for wi, xi in zip(w, x)), Value(b.data)).relu(), "gradient of b"),
        (lambda x, w, b: None, "forget `return`"),
        (lambda x, w, b: [b], "one Value"),
    ],
)
def test_q2_wrong_answers_are_explained(wrong, message):
    result = q2.grade(wrong)
    assert result.status == "incorrect"
    assert message in result.message


# -- q3: two linear neurons ---------------------------------------------------------


def test_q3_solution_is_correct():
    scope: dict = {}
    exec(q3._solution, scope)
    assert q3.grade(scope["w"], scope["b"]).correct


def test_q3_the_answer_really_is_one_line():
    scope: dict = {}
    exec(q3._solution, scope)
    for x in (-2.0, 0.0, 0.5, 3.0):
        h = 2 * x + 1
        assert math.isclose(-3 * h + 4, scope["w"] * x + scope["b"])


def test_q3_blank_is_unattempted():
    assert q3.grade(____, ____).status == "unattempted"
    assert q3.grade(-6, ____).status == "unattempted"


@pytest.mark.parametrize(
    "w, b, message",
    [
        (-6, 4, "`w` is right"),
        (-6, 5, "`w` is right"),
        (-1, 1, "weights multiply"),
        (6, 1, "wrong sign"),
        (-6, -1, "`b` has the right size but the wrong sign"),
    ],
)
def test_q3_wrong_answers_are_explained(w, b, message):
    result = q3.grade(w, b)
    assert result.status == "incorrect"
    assert message in result.message


# -- q4: build a model ----------------------------------------------------------------


def test_q4_solution_is_correct():
    assert q4.grade(run_solution(q4, "model")).correct


def test_q4_blank_is_unattempted():
    assert q4.grade(____).status == "unattempted"


class NotesMLP:
    """A stand-in for the MLP class a learner writes in the chapter."""

    def __init__(self) -> None:
        self.layers = []

    def parameters(self):
        return []


@pytest.mark.parametrize(
    "wrong, message",
    [
        (MLP(3, [8, 8, 1], activation="relu", linear_output=True, seed=7), "takes 3 inputs"),
        (MLP(2, [8, 8, 2], activation="relu", linear_output=True, seed=7), "layer of 2 neurons"),
        (MLP(2, [8, 1], activation="relu", linear_output=True, seed=7), "1 hidden layers"),
        (MLP(2, [16, 16, 1], activation="relu", linear_output=True, seed=7), "16 and 16"),
        (MLP(2, [8, 8, 1], activation="tanh", linear_output=True, seed=7), "use tanh"),
        (MLP(2, [8, 8, 1], activation="relu", seed=7), "applies relu"),
        (MLP(2, [8, 8, 1], activation="relu", linear_output=True), "seed"),
        (MLP(2, [8, 8, 1], activation="relu", linear_output=True, seed=70), "seed"),
        (NotesMLP(), "not nnscratch's"),
        ([8, 8, 1], "it is a list"),
    ],
)
def test_q4_wrong_answers_are_explained(wrong, message):
    result = q4.grade(wrong)
    assert result.status == "incorrect"
    assert message in result.message


def test_every_problem_has_hints_and_a_solution_block():
    for q in (q1, q2, q3, q4):
        text = q.as_markdown()
        assert text.count("<details>") == len(q.hints) + 1
        assert "<summary>Solution</summary>" in text
