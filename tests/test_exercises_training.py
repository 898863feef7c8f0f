"""The exercises of the training chapter accept their reference answers, tell a blank
from a wrong answer, and explain typical wrong answers without giving the answer away."""

from __future__ import annotations

import pytest

from nnscratch import MLP, Value
from nnscratch.data import make_moons
from nnscratch.exercises import ____
from nnscratch.exercises.core import OpenEnded
from nnscratch.exercises.training import BUGGY_LOOP, HINGE_LABELS, HINGE_SCORES, XS, YS, q1, q2, q3, q4, q5, q6
from nnscratch.losses import hinge, l2, mse


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


# -- q5, q6: open-ended; every number their discussions state is rerun here ----------


def test_q5_and_q6_are_open_ended_with_hints(capsys):
    for problem in (q5, q6):
        assert isinstance(problem, OpenEnded) and len(problem.hints) == 2
        problem.check()
        assert "no single answer" in capsys.readouterr().out


def squared_error(model, xs=XS, ys=YS):
    return sum((model(list(x)) - y) ** 2 for x, y in zip(xs, ys))


def momentum_losses(steps, lr, beta, seed=1):
    """The chapter's loop with momentum: v ← βv + grad, p ← p − lr·v."""
    model = MLP(3, [4, 4, 1], seed=seed)
    velocity = [0.0] * len(model.parameters())
    losses = []
    for _ in range(steps):
        loss = squared_error(model)
        model.zero_grad()
        loss.backward()
        for i, p in enumerate(model.parameters()):
            velocity[i] = beta * velocity[i] + p.grad
            p.data -= lr * velocity[i]
        losses.append(loss.data)
    return losses


def test_q5_the_losses_the_discussion_quotes():
    text = q5._discussion
    after_50 = {beta: momentum_losses(51, 0.05, beta)[50] for beta in (0.0, 0.5, 0.9)}
    assert f"{after_50[0.0]:.4f} without momentum" in text
    assert f"{after_50[0.5]:.4f} with β = 0.5" in text
    assert f"{after_50[0.9]:.4f} with β = 0.9" in text
    plain, fast = momentum_losses(100, 0.5, 0.0), momentum_losses(100, 0.5, 0.9)
    assert f"a loss of {plain[-1]:.4f}" in text
    assert "sticks near 8" in text and abs(fast[-1] - 8) < 1e-3 and min(fast[50:]) > 7.99


def test_q5_the_parabola_overshoots_only_with_momentum():
    def path(beta, steps=60):
        w, v, ws = 0.0, 0.0, []
        for _ in range(steps):
            v = beta * v + 2 * (w - 3)
            w -= 0.1 * v
            ws.append(w)
        return ws

    assert max(path(0.0)) < 3
    assert f"about {max(path(0.9)):.1f}" in q5._discussion


def test_q5_beta_one_is_the_loop_without_zero_grad():
    model = MLP(3, [4, 4, 1], seed=1)
    forgetful = []
    for _ in range(100):
        loss = squared_error(model)
        loss.backward()  # no zero_grad: .grad piles up
        for p in model.parameters():
            p.data -= 0.05 * p.grad
        forgetful.append(loss.data)
    with_beta_one = momentum_losses(100, 0.05, 1.0)
    assert forgetful != with_beta_one  # the same sums, added in another order
    assert all(abs(a - b) <= 1e-10 * max(abs(a), abs(b)) for a, b in zip(forgetful, with_beta_one))
    assert "up to rounding in the last digits" in q5._discussion


def moons_run(width, noise, seed):
    """The chapter's two-moons recipe at another width and noise: the scores the trained
    network gives the training points and the test points."""
    X, y = make_moons(n_samples=100, noise=noise, seed=0, signed=True)
    X_test, y_test = make_moons(n_samples=500, noise=noise, seed=1, signed=True)
    # fused=True gives the same numbers as the chapter's unfused network, faster
    model = MLP(2, [width, width, 1], activation="relu", linear_output=True, seed=seed, fused=True)
    for k in range(20):
        loss = hinge([model(p) for p in X], y) + 1e-4 * l2(model.parameters())
        model.zero_grad()
        loss.backward()
        for p in model.parameters():
            p.data -= (1.0 - 0.9 * k / 20) * p.grad
    hidden_off = all(v.data == 0.0 for p in X + X_test for v in model.layers[1](model.layers[0](p)))
    return ([model(p).data for p in X], y), ([model(p).data for p in X_test], y_test), hidden_off


def accuracy(scores, labels):
    return sum((s > 0) == (t > 0) for s, t in zip(scores, labels)) / len(labels)


@pytest.fixture(scope="module")
def moons_table():
    table = {}
    for noise in (0.1, 0.3):
        for width in (2, 4, 8, 16):
            for seed in range(5):
                train, test, off = moons_run(width, noise, seed)
                table[noise, width, seed] = (accuracy(*train), accuracy(*test), train, test, off)
    return table


def test_q6_the_chapter_network_is_the_one_in_the_table(moons_table):
    assert moons_table[0.1, 16, 3][:2] == (0.98, 0.97)  # the chapter's run, fused


def test_q6_width_two_often_learns_nothing(moons_table):
    text = q6._discussion
    same_label = [s for s in range(5)
                  if all(len({v > 0 for v in scores}) == 1 for scores, _ in moons_table[0.1, 2, s][2:4])]
    assert len(same_label) == 3 and "for three of the five seeds" in text
    assert all(moons_table[0.1, 2, s][:2] == (0.5, 0.5) for s in same_label)
    silent = [s for s in same_label if moons_table[0.1, 2, s][4]]
    assert len(silent) == 2 and "In two of those" in text
    for s in silent:
        assert len({v for scores, _ in moons_table[0.1, 2, s][2:4] for v in scores}) == 1


def test_q6_the_ranges_it_quotes(moons_table):
    text = q6._discussion

    def span(width, which, noise=0.1):
        values = [moons_table[noise, width, s][which] for s in range(5)]
        return f"{min(values) * 100:.0f}–{max(values) * 100:.0f}%"

    assert f"Width 4** gets {span(4, 0)} of the training points and {span(4, 1)} of the test" in text
    assert f"Width 16** gets {span(16, 0)} of the training points" in text


def test_q6_noise_widens_the_gap(moons_table):
    text = q6._discussion
    noisy = [moons_table[0.3, w, s] for w in (2, 4, 8, 16) for s in range(5)]
    assert max(r[1] for r in noisy) < 0.89 and "no run gets 89% of the test points" in text
    learnt = [r for r in noisy if r[0] > 0.5]
    assert all(r[0] > r[1] for r in learnt)
    gap = max(r[0] - r[1] for r in learnt)
    assert f"by up to {round(gap * 100)} points" in text
    calm = [moons_table[0.1, w, s] for w in (2, 4, 8, 16) for s in range(5)]
    assert f"at most {round(max(r[0] - r[1] for r in calm) * 100)} at noise 0.1" in text
    assert any(r[1] > r[0] for r in calm) and "sometimes the higher one" in text
