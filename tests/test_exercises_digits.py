"""The exercises of chapter 11 (the digit classifier) accept their reference answers,
tell a blank from a wrong answer, and explain typical wrong answers without giving the
answer away."""

from __future__ import annotations

import numpy as np
import pytest

from nnscratch.exercises import ____
from nnscratch.exercises.digits import q1, q2, q3, q4
from nnscratch.layers import SoftmaxCrossEntropy


def run_solution(problem, name):
    scope = {"np": np}
    exec(problem._solution, scope)
    return scope[name]


def stable(z):
    e = np.exp(z - z.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


# -- q1: softmax ---------------------------------------------------------------


def test_q1_solution_is_correct():
    assert q1.grade(run_solution(q1, "softmax")).correct


def test_q1_unattempted():
    assert q1.grade(____).status == "unattempted"
    assert q1.grade(lambda z: ____).status == "unattempted"


@pytest.mark.parametrize(
    "wrong, message",
    [
        (lambda z: np.exp(z) / np.exp(z).sum(axis=1, keepdims=True), "e^1000 overflows"),
        (lambda z: np.exp(z - z.max()) / np.exp(z - z.max()).sum(axis=1, keepdims=True), "each row's own maximum"),
        (lambda z: np.exp(z) / np.exp(z).sum(axis=0, keepdims=True), "columns of your result sum to 1"),
        (lambda z: np.exp(z) / np.exp(z).sum(), "whole array sums to 1"),
        (lambda z: np.exp(z), "do not sum to 1"),
        (lambda z: stable(z)[:, :2], "returned shape"),
        (lambda z: stable(z ** 2), "probabilities are off"),
        (lambda z: None, "None"),
        ("softmax", "should be a function"),
    ],
)
def test_q1_wrong_answers_are_explained(wrong, message):
    result = q1.grade(wrong)
    assert result.status == "incorrect"
    assert message in result.message


# -- q2: cross_entropy_grad ------------------------------------------------------


def test_q2_solution_is_correct_and_matches_the_package():
    grad = run_solution(q2, "cross_entropy_grad")
    assert q2.grade(grad).correct
    z = np.random.default_rng(0).standard_normal((6, 4))
    y = np.array([0, 1, 2, 3, 3, 1])
    loss = SoftmaxCrossEntropy()
    loss(z, y)
    loss.backward()
    np.testing.assert_allclose(grad(z.copy(), y), loss.args[0].g)


def test_q2_unattempted():
    assert q2.grade(____).status == "unattempted"
    assert q2.grade(lambda z, y: ____).status == "unattempted"


def onehot(z, y):
    return np.eye(z.shape[1])[y]


@pytest.mark.parametrize(
    "wrong, message",
    [
        (lambda z, y: stable(z) - onehot(z, y), "n times too large"),
        (lambda z, y: (onehot(z, y) - stable(z)) / len(y), "wrong sign"),
        (lambda z, y: stable(z) / len(y), "probabilities alone"),
        (lambda z, y: -onehot(z, y) / len(y), "only has the −1"),
        (lambda z, y: (np.exp(z) / np.exp(z).sum(1, keepdims=True) - onehot(z, y)) / len(y), "nan or inf"),
        (lambda z, y: (stable(z) - onehot(z, y)).sum(0) / len(y), "should match the scores"),
        (lambda z, y: (stable(z) - 1) / len(y), "not right"),
    ],
)
def test_q2_wrong_answers_are_explained(wrong, message):
    result = q2.grade(wrong)
    assert result.status == "incorrect"
    assert message in result.message


# -- q3: accuracy --------------------------------------------------------------


def test_q3_solution_is_correct():
    assert q3.grade(run_solution(q3, "accuracy")).correct
    assert q3.grade(lambda logits, labels: float((logits.argmax(1) == labels).mean())).correct
    assert q3.grade(____).status == "unattempted"


@pytest.mark.parametrize(
    "wrong, message",
    [
        (lambda s, y: (s.argmax(1) == y).sum(), "number of right answers"),
        (lambda s, y: 100 * (s.argmax(1) == y).mean(), "percentage"),
        (lambda s, y: (s.argmax(0) == y).mean(), "argmax along axis=1"),
        (lambda s, y: (s.argmin(1) == y).mean(), "smallest score"),
        (lambda s, y: s.argmax(1) == y, "one number"),
        (lambda s, y: 0.5, "not right"),
        (lambda s, y: None, "forget `return`"),
    ],
)
def test_q3_wrong_answers_are_explained(wrong, message):
    result = q3.grade(wrong)
    assert result.status == "incorrect"
    assert message in result.message
    assert "0.8" not in result.message and "0.6" not in result.message


# -- q4: confusion ---------------------------------------------------------------


def test_q4_solution_is_correct():
    assert q4.grade(run_solution(q4, "confusion")).correct
    assert q4.grade(____).status == "unattempted"


def counts(true, pred, k):
    m = np.zeros((k, k), dtype=int)
    np.add.at(m, (true, pred), 1)
    return m


@pytest.mark.parametrize(
    "wrong, message",
    [
        (lambda t, p, k: counts(t, p, k).T, "rows and columns are swapped"),
        (lambda t, p, k: counts(t, p, k) / len(t), "fractions"),
        (lambda t, p, k: counts(t, p, 3), "not for 4"),
        (lambda t, p, k: counts(t, p, k) + np.eye(k, dtype=int), "add up to"),
        (lambda t, p, k: counts(t, t, k), "wrong cells"),
        (lambda t, p, k: counts(t, p, k)[:2], "k × k"),
        (lambda t, p, k: None, "forget `return`"),
    ],
)
def test_q4_wrong_answers_are_explained(wrong, message):
    result = q4.grade(wrong)
    assert result.status == "incorrect"
    assert message in result.message
