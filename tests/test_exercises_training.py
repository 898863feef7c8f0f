"""The exercises of the training chapter accept their reference answers, tell a blank
from a wrong answer, and explain typical wrong answers without giving the answer away."""

from __future__ import annotations

import pytest

from nnscratch import MLP, Value
from nnscratch.exercises import ____
from nnscratch.exercises.training import BUGGY_LOOP, HINGE_LABELS, HINGE_SCORES, XS, YS, q1, q2, q3, q4
from nnscratch.losses import hinge, mse


def run_solution(problem, name):
    """The problem's worked solution, run in a notebook-like namespace."""
    scope: dict = {"model": MLP(3, [4, 4, 1], seed=1), "xs": [list(x) for x in XS], "ys": list(YS),
                   "print": lambda *args: None}
    exec(problem._solution, scope)
    return scope[name]


def make_train(*, zero_grad="before", sign=-1, mean=False, record="data", lr_fixed=None,
               use_globals=False, steps_fixed=None):
    """A training loop with one of the slips learners make."""

    def train(model, xs, ys, steps, lr):
        if use_globals:
            xs, ys = [list(x) for x in XS], list(YS)
        lr = lr if lr_fixed is None else lr_fixed
        losses = []
        for _ in range(steps if steps_fixed is None else steps_fixed):
            preds = [model(x) for x in xs]
            loss = mse(preds, ys) if mean else sum((p - y) ** 2 for p, y in zip(preds, ys))
            if zero_grad == "before":
                model.zero_grad()
            loss.backward()
            if zero_grad == "after-backward":
                model.zero_grad()
            for p in model.parameters():
                p.data += sign * lr * p.grad
            losses.append(loss.data if record == "data" else loss)
        return losses

    return train


# -- q1: the training loop ------------------------------------------------------------


def test_q1_solution_is_correct():
    assert q1.grade(run_solution(q1, "train")).correct


def test_q1_equivalent_loops_are_correct():
    assert q1.grade(make_train()).correct

    def with_sgd(model, xs, ys, steps, lr):
        from nnscratch.optim import SGD

        opt = SGD(model.parameters(), lr)
        out = []
        for _ in range(steps):
            loss = sum(((model(x) - y) ** 2 for x, y in zip(xs, ys)), Value(0.0))
            opt.zero_grad()
            loss.backward()
            opt.step()
            out.append(loss.data)
        return out

    assert q1.grade(with_sgd).correct


def test_q1_blank_is_unattempted():
    assert q1.grade(____).status == "unattempted"

    def starter(model, xs, ys, steps, lr):
        losses = []
        for k in range(steps):
            ...
            losses.append(____)
        return losses

    assert q1.grade(starter).status == "unattempted"


@pytest.mark.parametrize(
    "wrong, message",
    [
        (make_train(zero_grad="never"), "never resets the gradients"),
        (make_train(zero_grad="after-backward"), "the parameters never moved"),
        (make_train(sign=+1), "went uphill"),
        (make_train(mean=True), "the mean of the squared errors"),
        (make_train(record="value"), "`loss.data`"),
        (make_train(use_globals=True), "use the `xs` and `ys` it is given"),
        (make_train(lr_fixed=0.05), "whatever `lr` it is given"),
        (make_train(steps_fixed=10), "one per step, 25 in all"),
        (lambda model, xs, ys, steps, lr: None, "forget `return losses`"),
        (lambda model, xs, ys, steps, lr: 3.0, "should return a list"),
        ("train", "should be a function"),
    ],
)
def test_q1_wrong_answers_are_explained(wrong, message):
    result = q1.grade(wrong)
    assert result.status == "incorrect"
    assert message in result.message


def test_q1_a_loop_that_differs_later_says_when():
    def late_slip(model, xs, ys, steps, lr):
        losses = []
        for k in range(steps):
            loss = sum((model(x) - y) ** 2 for x, y in zip(xs, ys))
            model.zero_grad()
            loss.backward()
            for p in model.parameters():
                p.data -= (lr if k < 3 else lr / 2) * p.grad
            losses.append(loss.data)
        return losses

    result = q1.grade(late_slip)
    assert result.status == "incorrect"
    assert "for the first 4 steps" in result.message


def test_q1_leaves_the_learners_model_alone():
    """The check trains models of its own: the learner's notebook variables are untouched."""
    model = MLP(3, [4, 4, 1], seed=1)
    before = [p.data for p in model.parameters()]
    q1.grade(run_solution(q1, "train"))
    assert [p.data for p in model.parameters()] == before


# -- q2: the learning rate ------------------------------------------------------------


def test_q2_solution_is_correct():
    assert q2.grade(run_solution(q2, "lr")).correct


@pytest.mark.parametrize("lr", [0.11, 0.15, 0.2, 0.25, 0.3])
def test_q2_the_working_range_in_the_explanation_works(lr):
    assert "0.11 to 0.32" in q2.explanation
    assert q2.grade(lr).correct


def test_q2_blank_is_unattempted():
    assert q2.grade(____).status == "unattempted"


@pytest.mark.parametrize(
    "lr, message",
    [
        (0.001, "too small"),
        (0.05, "too small"),
        (0.09, "too small"),
        (0.6, "too large"),
        (1.0, "too large"),
        (10, "too large"),
        (0, "never move"),
        (-0.1, "uphill"),
        ("0.1", "should be a number"),
        (Value(0.2), "plain number"),
        (float("inf"), "finite"),
    ],
)
def test_q2_wrong_answers_are_explained(lr, message):
    result = q2.grade(lr)
    assert result.status == "incorrect"
    assert message in result.message


# -- q3: find the bug -----------------------------------------------------------------


def test_q3_solution_is_correct():
    assert q3.grade(run_solution(q3, "bug_line")).correct


def test_q3_the_buggy_loop_really_is_stuck_and_the_fix_learns():
    model = MLP(3, [4, 4, 1], seed=1)
    scope = {"model": model, "xs": [list(x) for x in XS], "ys": list(YS), "print": lambda *a: None}
    losses = []
    exec(BUGGY_LOOP.replace("print(k, loss.data)", "losses.append(loss.data)"), {**scope, "losses": losses})
    assert len(set(losses)) == 1
    fixed = q3._solution.split("\n", 1)[1].replace("print(k, loss.data)", "losses.append(loss.data)")
    losses.clear()
    exec(fixed, {**scope, "model": MLP(3, [4, 4, 1], seed=1), "losses": losses})
    assert losses[-1] < losses[0] / 10


def test_q3_blank_is_unattempted():
    assert q3.grade(____).status == "unattempted"


@pytest.mark.parametrize(
    "line, message",
    [(1, "repeats the step"), (2, "forward pass"), (3, "sum of squared errors"),
     (4, "computes the gradients"), (6, "every parameter"), (7, "right sign"),
     (8, "only prints"), (9, "no line 9"), (0, "no line 0"), ("5", "line number"),
     (4.5, "line number")],
)
def test_q3_wrong_answers_are_explained(line, message):
    result = q3.grade(line)
    assert result.status == "incorrect"
    assert message in result.message
    assert "line 5" not in result.message.lower()


def test_q3_accepts_the_line_as_a_float():
    assert q3.grade(5.0).correct


# -- q4: the hinge loss ---------------------------------------------------------------


def test_q4_solution_is_correct():
    assert q4.grade(run_solution(q4, "hinge_loss")).correct


def test_q4_agrees_with_the_package_hinge():
    loss = hinge([Value(s) for s in HINGE_SCORES], list(HINGE_LABELS))
    assert q4.grade(loss.data).correct


def test_q4_blank_is_unattempted():
    assert q4.grade(____).status == "unattempted"


@pytest.mark.parametrize(
    "value, message",
    [
        (1.8, "the sum of the four terms"),
        (-0.05, "below zero"),
        (2.05, "1 − y·s, not 1 + y·s"),
        (0.075, "leaves out the margin"),
        (0.325, "only the point on the wrong side"),
        (0.9, "twice as large"),
        (0.7, "too large"),
        (Value(0.45), "is a Value"),
    ],
)
def test_q4_wrong_answers_are_explained(value, message):
    result = q4.grade(value)
    assert result.status == "incorrect"
    assert message in result.message
