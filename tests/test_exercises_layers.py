"""The exercises of chapter 10 (layers and matrices) accept their reference answers,
tell a blank from a wrong answer, and explain typical wrong answers without giving the
answer away."""

from __future__ import annotations

import math

import numpy as np
import pytest

from nnscratch.exercises import ____
from nnscratch.exercises.layers import W1, W2, b1, b2, q1, q2, q3, q4, q5
from nnscratch.layers import Module


def run_solution(problem, name):
    scope = {"np": np, "math": math, "Module": Module, "W1": W1, "b1": b1, "W2": W2, "b2": b2}
    exec(problem._solution, scope)
    return scope[name]


# -- q1: lin_backward ----------------------------------------------------------


def test_q1_solution_is_correct():
    assert q1.grade(run_solution(q1, "lin_backward")).correct


def test_q1_unattempted():
    assert q1.grade(____).status == "unattempted"
    assert q1.grade(lambda x, W, g: ____).status == "unattempted"
    assert q1.grade(lambda x, W, g: (g @ W.T, ____, g.sum(0))).status == "unattempted"


@pytest.mark.parametrize(
    "wrong, message",
    [
        (lambda x, W, g: (g @ W, x.T @ g, g.sum(0)), "failed in a matrix product"),
        (lambda x, W, g: (g @ W.T, g.T @ x, g.sum(0)), "shape of the transpose of W"),
        (lambda x, W, g: ((g @ W.T).T, x.T @ g, g.sum(0)), "shape of the transpose of x"),
        (lambda x, W, g: (g @ W.T, x.T @ g, g.sum(1)), "one entry per row of the batch"),
        (lambda x, W, g: (g @ W.T, x.T @ g, g.sum(0, keepdims=True)), "Drop the extra axis"),
        (lambda x, W, g: (g @ W.T, x.T @ g, g.mean(0)), "mean over the rows"),
        (lambda x, W, g: (-(g @ W.T), x.T @ g, g.sum(0)), "`dx` has the right shape but not the right values"),
        (lambda x, W, g: (g @ W.T, 2 * x.T @ g, g.sum(0)), "`dW` has the right shape but not the right values"),
        (lambda x, W, g: (g @ W.T, x.T @ g, g.sum(0) + 1), "`db` has the right shape but not the right values"),
        (lambda x, W, g: (g @ W.T, x.T @ g), "should return three arrays"),
        (lambda x, W, g: None, "should return three arrays"),
        (lambda x, W, g: (g @ W.T, x.T @ g, None), "db from"),
        ("lin_backward", "should be a function"),
    ],
)
def test_q1_wrong_answers_are_explained(wrong, message):
    result = q1.grade(wrong)
    assert result.status == "incorrect"
    assert message in result.message
    assert "W.T" not in result.message and "x.T" not in result.message


# -- q2: Tanh ----------------------------------------------------------------


def tanh_class(bwd):
    class Tanh(Module):
        def forward(self, x):
            return np.tanh(x)

    Tanh.bwd = lambda self, out, inp: setattr(inp, "g", bwd(out, inp))
    return Tanh


def test_q2_solution_is_correct():
    assert q2.grade(run_solution(q2, "Tanh")).correct


def test_q2_a_module_written_from_scratch_in_the_notebook_style_is_correct_too():
    class Tensor:
        def __init__(self, data):
            self.data, self.g = np.asarray(data, dtype=float), None

    class MyModule:
        def __call__(self, *args):
            self.args = tuple(Tensor(a) for a in args)
            self.out = Tensor(self.forward(*(a.data for a in self.args)))
            return self.out

        def backward(self):
            self.bwd(self.out, *self.args)

    class Tanh(MyModule):
        def forward(self, x):
            return np.tanh(x)

        def bwd(self, out, inp):
            inp.g = out.g * (1 - out.data**2)

    assert q2.grade(Tanh).correct


def test_q2_unattempted():
    assert q2.grade(____).status == "unattempted"
    assert q2.grade(tanh_class(lambda out, inp: ____)).status == "unattempted"


@pytest.mark.parametrize(
    "bwd, message",
    [
        (lambda out, inp: 1 - out.data**2, "local derivative alone"),
        (lambda out, inp: out.g * (1 - inp.data**2), "square the output, not the input"),
        (lambda out, inp: -out.g * (1 - out.data**2), "wrong sign"),
        (lambda out, inp: out.g * (1 - out.data), "the square of tanh"),
        (lambda out, inp: out.g, "unchanged"),
        (lambda out, inp: out.g * out.data, "is not ∂L/∂input"),
        (lambda out, inp: (out.g * (1 - out.data**2)).sum(0), "shape of the input"),
        (lambda out, inp: None, "None"),
    ],
)
def test_q2_wrong_answers_are_explained(bwd, message):
    result = q2.grade(tanh_class(bwd))
    assert result.status == "incorrect"
    assert message in result.message


def test_q2_a_changed_forward_and_a_non_class_are_caught():
    class Tanh(Module):
        def forward(self, x):
            return x

        def bwd(self, out, inp):
            inp.g = out.g

    assert "leave forward as it was" in q2.grade(Tanh).message
    assert "should be a class" in q2.grade(np.tanh).message


# -- q3: xavier_std ------------------------------------------------------------


def test_q3_solution_is_correct():
    assert q3.grade(run_solution(q3, "xavier_std")).correct
    assert q3.grade(____).status == "unattempted"


@pytest.mark.parametrize(
    "wrong, message",
    [
        (2 / 96, "is the variance"),
        (math.sqrt(2 / 64), "He initialisation"),
        (1 / 8, "1/√nin"),
        (math.sqrt(1 / 96), "factor of √2"),
        (math.sqrt(2 / 32), "only nout"),
        (0.5, "too large"),
        (-math.sqrt(2 / 96), "wrong sign"),
    ],
)
def test_q3_wrong_answers_are_explained(wrong, message):
    result = q3.grade(wrong)
    assert result.status == "incorrect" and message in result.message
    assert "0.144" not in result.message


# -- q4: collapse two layers -------------------------------------------------------


def test_q4_solution_is_correct_and_really_collapses_the_layers():
    W, b = (run_solution(q4, n) for n in ("W", "b"))
    assert q4.grade(W, b).correct
    x = np.random.default_rng(0).standard_normal((7, 2))
    np.testing.assert_allclose(x @ W + b, (x @ W1 + b1) @ W2 + b2)
    assert q4.grade(W, float(b[0])).correct  # one number is fine too


@pytest.mark.parametrize(
    "W, b, message",
    [
        (W1 @ W2, b2, "leaves out the first layer's bias"),
        (W1 @ W2, b1.sum(keepdims=True) + b2, "b1 passes through W2"),
        (W1 @ W2, b1 @ W2, "b1 passes through W2"),
        (W1 @ W2, b1 + b2, "one number"),
        ((W1 @ W2).T, b1 @ W2 + b2, "transpose"),
        (W1, b1 @ W2 + b2, "needs shape (2, 1)"),
        (2 * W1 @ W2, b1 @ W2 + b2, "right shape but not the right values"),
        (W1 @ W2, b1 @ W2 + 2 * b2, "collect every term"),
        (W1 @ W2, "b", "should be a NumPy array"),
    ],
)
def test_q4_wrong_answers_are_explained(W, b, message):
    result = q4.grade(W, b)
    assert result.status == "incorrect" and message in result.message


def test_q4_unattempted():
    assert q4.grade(____, ____).status == "unattempted"
    assert q4.grade(W1 @ W2, ____).status == "unattempted"


# -- q5: open-ended ----------------------------------------------------------------


def test_q5_is_open_ended_with_hints_and_a_discussion(capsys):
    from nnscratch.exercises.core import OpenEnded

    assert isinstance(q5, OpenEnded)
    assert len(q5.hints) >= 2
    q5.check()
    assert "Open-ended" in capsys.readouterr().out
    text = q5.as_markdown()
    assert "Discussion" in text and "add_to" in text and "topological order" in text
