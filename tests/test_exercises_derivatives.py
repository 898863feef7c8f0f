"""The checkers of chapter 01's exercises: the worked solution is graded correct, the
blank is "not attempted", and each typical mistake gets the message meant for it,
which never contains the expected answer."""

from __future__ import annotations

import math

import pytest

from nnscratch.exercises import ____
from nnscratch.exercises.core import _MISSING
from nnscratch.exercises.derivatives import q1, q2, q3, q4


def f(x):
    return 3 * x**2 - 4 * x + 5


def w(a, b, c):
    return a * b + b * c


def run_solution(problem, **names):
    """Execute the solution a learner is shown, in a namespace like the notebook's."""
    namespace = {"f": f, "w": w, "math": math, **names}
    exec(problem._solution, namespace)
    return namespace


def assert_incorrect(result, *fragments, forbidden=()):
    assert result.status == "incorrect", result
    for fragment in fragments:
        assert fragment in result.message, (fragment, result.message)
    for text in forbidden:
        assert text not in result.message, (text, result.message)


# -- q1: the slope at x = -1 ---------------------------------------------------------


def test_q1_solution_is_correct():
    ns = run_solution(q1)
    assert q1.grade(ns["slope"]).correct


@pytest.mark.parametrize("h", [1e-4, 1e-5, 1e-6])
def test_q1_accepts_one_sided_and_central_estimates(h):
    assert q1.grade((f(-1 + h) - f(-1)) / h).correct
    assert q1.grade((f(-1 + h) - f(-1 - h)) / (2 * h)).correct


def test_q1_blank_and_missing_are_unattempted():
    assert q1.grade(____).status == "unattempted"
    missing = q1.grade(_MISSING)
    assert missing.status == "unattempted"
    assert "not defined" in missing.message


@pytest.mark.parametrize(
    "answer, fragments",
    [
        (f(-1.0), ["height of the curve"]),
        (14.0, ["slope at x = 3"]),
        (f(-1 + 1e-4) - f(-1), ["rise alone", "Divide"]),
        (10.0, ["wrong sign", "f(x + h) − f(x)"]),
        ((f(-1 + 0.01) - f(-1)) / 0.01, ["close", "make h smaller"]),
        (-25.0, ["too large"]),
        ("-10", ["should be a number"]),
    ],
)
def test_q1_typical_mistakes(answer, fragments):
    assert_incorrect(q1.grade(answer), *fragments, forbidden=["-10", "−10"])


# -- q2: central_difference ----------------------------------------------------------


def test_q2_solution_is_correct():
    ns = run_solution(q2)
    assert q2.grade(ns["central_difference"]).correct


def test_q2_accepts_equivalent_forms():
    assert q2.grade(lambda g, x, h: (g(x + h) - g(x - h)) / 2 / h).correct
    assert q2.grade(lambda g, x, h: 0.5 * (g(x + h) - g(x - h)) / h).correct


def test_q2_blank_is_unattempted():
    assert q2.grade(____).status == "unattempted"

    def central_difference(f, x, h):
        return ____

    result = q2.grade(central_difference)
    assert result.status == "unattempted"
    assert "still returns ____" in result.message


@pytest.mark.parametrize(
    "answer, fragments",
    [
        (lambda g, x, h: (g(x + h) - g(x)) / h, ["one-sided", "both sides"]),
        (lambda g, x, h: (g(x) - g(x - h)) / h, ["to the left", "both sides"]),
        (lambda g, x, h: (g(x + h) - g(x - h)) / h, ["twice the right size"]),
        (lambda g, x, h: (g(x + h) - g(x - h)) / 2 * h, ["brackets"]),
        (lambda g, x, h: (g(x - h) - g(x + h)) / (2 * h), ["wrong sign"]),
        (lambda g, x, h: (g(x + 1e-4) - g(x - 1e-4)) / 2e-4, ["same result", "argument h"]),
        (lambda g, x, h: None, ["returned None", "return"]),
        (lambda g, x, h: g(x), ["not right"]),
        (lambda g, x: 0.0, ["TypeError"]),
        (3.0, ["should be a function"]),
    ],
)
def test_q2_typical_mistakes(answer, fragments):
    assert_incorrect(q2.grade(answer), *fragments)


def test_q2_messages_name_the_call_but_not_the_expected_output():
    result = q2.grade(lambda g, x, h: (g(x + h) - g(x)) / h)
    assert "central_difference(lambda x: 3*x**2 - 4*x + 5, 3.0, 0.001)" in result.message
    assert "14.0" not in result.message.replace("14.003", "")


# -- q3: where f' is zero --------------------------------------------------------------


def test_q3_solution_is_correct():
    ns = run_solution(q3)
    assert q3.grade(ns["x_flat"]).correct


@pytest.mark.parametrize("answer", [2 / 3, 0.6667, 0.667, 0.666])
def test_q3_accepts_answers_within_a_thousandth(answer):
    assert q3.grade(answer).correct


def test_q3_blank_is_unattempted():
    assert q3.grade(____).status == "unattempted"


@pytest.mark.parametrize(
    "answer, fragments",
    [
        (11 / 3, ["smallest value of f"]),
        (1.0, ["positive", "to the left"]),
        (4 / 3, ["positive", "to the left"]),
        (-2 / 3, ["right size but the wrong sign"]),
        (0.0, ["negative", "to the right"]),
        (0.65, ["negative", "to the right"]),
        ([2 / 3], ["should be a number"]),
    ],
)
def test_q3_typical_mistakes(answer, fragments):
    assert_incorrect(q3.grade(answer), *fragments, forbidden=["2/3", "0.666", "0.667"])


# -- q4: partial derivatives of w = a·b + b·c --------------------------------------------


def test_q4_solution_is_correct():
    ns = run_solution(q4, a=2.0, b=-3.0, c=10.0)
    assert q4.grade(ns["dw_da"], ns["dw_db"], ns["dw_dc"]).correct


def test_q4_blank_is_unattempted():
    assert q4.grade(____, ____, ____).status == "unattempted"
    result = q4.grade(-3.0, ____, -3.0)
    assert result.status == "unattempted"
    assert "dw_db" in result.message


@pytest.mark.parametrize(
    "answers, fragments",
    [
        ((-3.0, 2.0, -3.0), ["only one of the two places", "both"]),
        ((-3.0, 10.0, -3.0), ["only one of the two places"]),
        ((-3.0, -36.0, -3.0), ["equals w itself"]),
        ((12.0, -3.0, -3.0), ["right three numbers", "right place"]),
        ((-3e-4, 1.2e-3, -3e-4), ["tiny", "Divide"]),
        ((-3.01, 12.01, -3.01), ["close", "make h smaller"]),
        ((3.0, 12.0, -3.0), ["`dw_da` has the right size but the wrong sign"]),
        ((-3.0, 12.0, 10.0), ["`dw_dc`"]),
    ],
)
def test_q4_typical_mistakes(answers, fragments):
    assert_incorrect(q4.grade(*answers), *fragments, forbidden=["12", "−3", "-3"])
