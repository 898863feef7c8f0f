"""Exercises for the chapter *Training a network*.

* `q1`: write the training loop, ``train(model, xs, ys, steps, lr)``;
* `q2`: pick a learning rate that brings the loss down far enough in 20 steps;
* `q3`: find the line that stops a training loop from learning;
* `q4`: work out a hinge loss by hand;
* `q5` (open-ended): add momentum to the training loop and compare;
* `q6` (open-ended): how the width of the network and the noise of the data change the
  decision boundary, and the gap between training and test accuracy.

Checks that train a network build a fresh, seeded `MLP` each time, so they give the same
verdict on every run.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Sequence
from typing import Any

from ..engine import Value
from ..nn import MLP
from .core import NumberProblem, OpenEnded, Problem, Unattempted, Wrong, as_number, is_blank

__all__ = ["q1", "q2", "q3", "q4", "q5", "q6", "XS", "YS", "BUGGY_LOOP", "HINGE_SCORES", "HINGE_LABELS"]

# The chapter's four examples and their targets.
XS: tuple[tuple[float, ...], ...] = (
    (2.0, 3.0, -1.0),
    (3.0, -1.0, 0.5),
    (0.5, 1.0, 1.0),
    (1.0, 1.0, -1.0),
)
YS: tuple[float, ...] = (1.0, -1.0, -1.0, 1.0)


def _fresh_model(seed: int) -> MLP:
    return MLP(3, [4, 4, 1], seed=seed)


def _squared_error(model: MLP, xs: Sequence[Sequence[float]], ys: Sequence[float]) -> Value:
    """Σ (model(x) - y)² over the examples."""
    return sum(((model(list(x)) - y) ** 2 for x, y in zip(xs, ys)), Value(0.0))


def _reference_losses(
    seed: int, xs: Sequence[Sequence[float]], ys: Sequence[float], steps: int, lr: float,
    zero_grad: bool = True,
) -> list[float]:
    """The loss before each of ``steps`` steps of gradient descent on a fresh model, and
    the loss after the last one (``steps + 1`` numbers). ``zero_grad=False`` forgets to
    reset the gradients, as a buggy loop would."""
    model = _fresh_model(seed)
    losses = []
    for _ in range(steps):
        loss = _squared_error(model, xs, ys)
        losses.append(loss.data)
        if zero_grad:
            model.zero_grad()
        loss.backward()
        for p in model.parameters():
            p.data -= lr * p.grad
    losses.append(_squared_error(model, xs, ys).data)
    return losses


def _close(a: Sequence[float], b: Sequence[float], rel_tol: float = 1e-6) -> bool:
    return len(a) == len(b) and all(math.isclose(x, y, rel_tol=rel_tol, abs_tol=1e-12) for x, y in zip(a, b))


# -- q1: the training loop ------------------------------------------------------------


class TrainingLoop(Problem):
    """``train(model, xs, ys, steps, lr)`` must do ``steps`` steps of gradient descent on
    the sum of squared errors and return the loss of each step, as numbers."""

    SEED = 1
    STEPS = 25
    LR = 0.05

    def _run(self, train: Any, xs: Sequence[Sequence[float]], ys: Sequence[float], steps: int, lr: float) -> list[float]:
        """Run the learner's function on a fresh model; return its losses as floats."""
        call = f"train(model, xs, ys, steps={steps}, lr={lr})"
        out = train(_fresh_model(self.SEED), [list(x) for x in xs], list(ys), steps, lr)
        if is_blank(out):
            raise Unattempted("`train` still returns a ____: fill in the loop, run that cell, then check again.")
        if out is None:
            raise Wrong(f"{call} returned None: did you forget `return losses`?")
        if not isinstance(out, (list, tuple)):
            raise Wrong(f"{call} returned a {type(out).__name__}; it should return a list of losses.")
        if len(out) != steps:
            raise Wrong(f"{call} returned {len(out)} losses; it should return one per step, {steps} in all.")
        if any(isinstance(v, Value) for v in out):
            raise Wrong(f"{call} returned a list of Values; store each step's loss as a plain number, `loss.data`.")
        return [as_number(v, f"each loss {call} returned") for v in out]

    def _grade(self, train: Any) -> str | None:
        if not callable(train):
            return f"`train` should be a function, but it is a {type(train).__name__}."
        got = self._run(train, XS, YS, self.STEPS, self.LR)
        right = _reference_losses(self.SEED, XS, YS, self.STEPS, self.LR)[:-1]
        if _close(got, right):
            return self._same_with_other_arguments(train)
        first = right[0]
        if math.isclose(got[0], first / len(XS), rel_tol=1e-6):
            return ("the first loss is the mean of the squared errors; this chapter's loss is their "
                    "sum, Σ (prediction − target)².")
        if not math.isclose(got[0], first, rel_tol=1e-6):
            return ("the first loss is not the sum of squared errors of the untrained model. "
                    "Compute it from the predictions of every example, before any update.")
        if all(math.isclose(v, got[0], rel_tol=1e-12) for v in got):
            return ("the loss is the same at every step, so the parameters never moved. Update every "
                    "p.data with the gradients of this step still in place: after backward(), before "
                    "the next zero_grad().")
        if got[1] > got[0]:
            return ("the loss grows after the first step, so the step went uphill. The gradient points "
                    "to where the loss increases; move each parameter against it.")
        if _close(got, _reference_losses(self.SEED, XS, YS, self.STEPS, self.LR, zero_grad=False)[:-1]):
            return ("the losses are those of a loop that never resets the gradients: each backward() "
                    "adds to the gradients of the steps before. Zero them at every step.")
        step = next(k for k, (a, b) in enumerate(zip(got, right)) if not math.isclose(a, b, rel_tol=1e-6))
        return (f"the losses agree with gradient descent for the first {step} steps and then differ. Check "
                "that every step does forward, zero_grad, backward and the update, once each, with the "
                "learning rate `lr`.")

    def _same_with_other_arguments(self, train: Any) -> str | None:
        """A second run with other data, steps and learning rate: the function must use its
        arguments rather than the notebook's variables or fixed numbers."""
        xs = [list(reversed(x)) for x in XS]
        ys = [-y for y in YS]
        steps, lr = 7, 0.1
        got = self._run(train, xs, ys, steps, lr)
        if _close(got, _reference_losses(self.SEED, xs, ys, steps, lr)[:-1]):
            return None
        if _close(got, _reference_losses(self.SEED, XS, YS, steps, lr)[:-1]):
            return ("with other examples your function gives the losses of this chapter's xs and ys: "
                    "use the `xs` and `ys` it is given, not the notebook's.")
        if _close(got, _reference_losses(self.SEED, xs, ys, steps, self.LR)[:-1]):
            return f"your function steps with a learning rate of {self.LR} whatever `lr` it is given; use `lr`."
        return ("right for the chapter's data, but not with other examples or another learning rate: "
                "use the `xs`, `ys`, `steps` and `lr` the function is given.")


q1 = TrainingLoop(
    "train",
    hints=[
        "Each step has four parts: the forward pass (predictions and the loss), "
        "`model.zero_grad()`, `loss.backward()`, and the update of every parameter. "
        "Record `loss.data` in `losses`.",
        "The update is `p.data -= lr * p.grad` for every `p` in `model.parameters()`. The loss "
        "is `sum((model(x) - y) ** 2 for x, y in zip(xs, ys))`.",
    ],
    solution='''\
def train(model, xs, ys, steps, lr):
    losses = []
    for k in range(steps):
        loss = sum((model(x) - y) ** 2 for x, y in zip(xs, ys))  # forward
        model.zero_grad()                     # forget the last step's gradients
        loss.backward()                       # backward
        for p in model.parameters():          # update
            p.data -= lr * p.grad
        losses.append(loss.data)
    return losses''',
    explanation=("The loss appended is the one computed at the start of the step, before its update; "
                 "`loss.data` is a plain number, and appending the `Value` itself would keep the whole "
                 "graph of every step alive."),
)


# -- q2: a learning rate that works ---------------------------------------------------


class LearningRate(Problem):
    """``lr`` must bring the loss of ``MLP(3, [4, 4, 1], seed=SEED)`` below ``TARGET`` in
    ``STEPS`` steps of gradient descent on the chapter's examples."""

    SEED = 4
    STEPS = 20
    TARGET = 0.025
    MIDDLE = 0.2  # of the learning rates that work; a failing lr below it is too small

    def _grade(self, lr: Any) -> str | None:
        if isinstance(lr, Value):
            return "`lr` is a Value; the learning rate is a plain number."
        if isinstance(lr, bool) or not isinstance(lr, numbers.Real):
            return f"`lr` should be a number, but it is a {type(lr).__name__}."
        lr = float(lr)
        if not math.isfinite(lr):
            return "`lr` must be a finite number."
        if lr == 0:
            return "with lr = 0 the parameters never move; the learning rate must be positive."
        if lr < 0:
            return ("a negative learning rate moves every parameter along its gradient, uphill: "
                    "the loss grows. It must be positive.")
        losses = _reference_losses(self.SEED, XS, YS, self.STEPS, lr)
        start, end = losses[0], losses[-1]
        if end < self.TARGET:
            return None
        if lr < self.MIDDLE:
            return (f"with lr = {lr:g} the loss fell from {start:.4f} to {end:.4f} in {self.STEPS} steps, "
                    f"not yet below {self.TARGET}: the steps are too small to get there in time.")
        return (f"with lr = {lr:g} the loss started at {start:.4f} and ended at {end:.4f}: the steps are "
                "too large. They throw the weights so far that the loss bounces around, or the tanh "
                "neurons saturate and the gradients all but vanish. Try smaller steps.")


q2 = LearningRate(
    "lr",
    hints=[
        "Look back at the plot of loss curves for different learning rates: which ones got far in "
        "the first 20 steps, and which one got stuck?",
        "Try a few values a factor of about 2 or 3 apart and run the check after each; the message "
        "tells you whether the steps were too small or too large.",
    ],
    solution="lr = 0.2",
    explanation=("Anything from about 0.11 to 0.32 works here. Much smaller and 20 steps are not "
                 "enough. Larger, and it becomes a matter of luck: some values land low, most throw the "
                 "weights so far that the tanh neurons saturate, their gradients vanish, and the loss "
                 "stays stuck high."),
)


# -- q3: find the bug -----------------------------------------------------------------

BUGGY_LOOP = """\
for k in range(20):                                         # line 1
    ypred = [model(x) for x in xs]                          # line 2
    loss = sum((yp - y) ** 2 for yp, y in zip(ypred, ys))   # line 3
    loss.backward()                                         # line 4
    model.zero_grad()                                       # line 5
    for p in model.parameters():                            # line 6
        p.data -= 0.05 * p.grad                             # line 7
    print(k, loss.data)                                     # line 8"""

_FINE_LINES = {
    1: "Line 1 repeats the step 20 times, which is what a training loop does. It is fine.",
    2: "Line 2 is the forward pass: the predictions that the loss needs. It is fine.",
    3: "Line 3 is the sum of squared errors, as in this chapter. It is fine.",
    4: "Line 4 computes the gradients, which the update needs. It is fine.",
    6: "Line 6 goes through every parameter, which is what the update should do. It is fine.",
    7: "Line 7 moves each parameter against its gradient, with the right sign. It is fine.",
    8: "Line 8 only prints the loss; it changes nothing. It is fine.",
}


class FindTheBug(Problem):
    """``bug_line`` must name the line of `BUGGY_LOOP` that stops it from learning."""

    BUG = 5

    def _grade(self, bug_line: Any) -> str | None:
        if isinstance(bug_line, bool) or not isinstance(bug_line, numbers.Integral):
            if isinstance(bug_line, float) and bug_line.is_integer():
                bug_line = int(bug_line)
            else:
                return f"`bug_line` should be a line number from 1 to 8, not a {type(bug_line).__name__}."
        if bug_line == self.BUG:
            return None
        if bug_line in _FINE_LINES:
            return _FINE_LINES[bug_line]
        return f"there is no line {bug_line}: the lines are numbered 1 to 8."


q3 = FindTheBug(
    "bug_line",
    hints=[
        "The printed loss is exactly the same at every step. So the parameters never change: "
        "at the moment of the update, what is in every `p.grad`?",
        "Follow the gradients through one step: which line fills them in, and which line empties "
        "them again before line 7 can use them?",
    ],
    solution="""\
bug_line = 5

# Fixed: reset the gradients before backward(), not between backward()
# and the update.
for k in range(20):
    ypred = [model(x) for x in xs]
    loss = sum((yp - y) ** 2 for yp, y in zip(ypred, ys))
    model.zero_grad()
    loss.backward()
    for p in model.parameters():
        p.data -= 0.05 * p.grad
    print(k, loss.data)""",
    explanation=("`zero_grad()` between `backward()` and the update wipes the gradients the update "
                 "needs: every step subtracts 0.05 · 0, so nothing ever moves. It belongs before "
                 "`backward()` (anywhere in the step before it, even before the forward pass)."),
)


# -- q4: the hinge loss ---------------------------------------------------------------

HINGE_SCORES: tuple[float, ...] = (2.0, 0.5, -0.3, -2.0)
HINGE_LABELS: tuple[int, ...] = (1, 1, 1, -1)

q4 = NumberProblem(
    "hinge_loss",
    sum(max(0.0, 1 - y * s) for s, y in zip(HINGE_SCORES, HINGE_LABELS)) / len(HINGE_LABELS),
    hints=[
        "Work out max(0, 1 − y·s) for each of the four points, then take their mean.",
        "A point on the right side with a score of at least 1 in size costs nothing; a point "
        "on the right side but closer to the boundary than that costs a little; a point on the "
        "wrong side costs more than 1.",
    ],
    solution="""\
# max(0, 1 - y*s) for each point:
#   s =  2.0, y = +1:  max(0, 1 - 2.0) = 0
#   s =  0.5, y = +1:  max(0, 1 - 0.5) = 0.5
#   s = -0.3, y = +1:  max(0, 1 + 0.3) = 1.3
#   s = -2.0, y = -1:  max(0, 1 - 2.0) = 0
hinge_loss = (0 + 0.5 + 1.3 + 0) / 4""",
    explanation=("Only the second and third points cost anything: the third is on the wrong side, and "
                 "the second is on the right side but inside the margin. `nnscratch.losses.hinge` "
                 "gives the same number."),
    mistakes=[
        (lambda v: math.isclose(v, 1.8), "that is the sum of the four terms; the loss is their mean."),
        (lambda v: math.isclose(v, -0.05),
         "a loss below zero: some terms went negative. Each term is max(0, 1 − y·s), never below 0."),
        (lambda v: math.isclose(v, 2.05), "check the sign inside: the term is 1 − y·s, not 1 + y·s."),
        (lambda v: math.isclose(v, 0.075),
         "this leaves out the margin: the term is max(0, 1 − y·s), so a point needs a score of at "
         "least 1 in size, on the right side, to cost nothing."),
        (lambda v: math.isclose(v, 0.325),
         "this counts only the point on the wrong side. Another one is on the right side but "
         "inside the margin, and costs a little too."),
    ],
)


# -- q5 (open-ended): momentum ----------------------------------------------------------
# tests/test_exercises_training.py reruns the experiments and checks every number the
# discussion states.

q5 = OpenEnded(
    hints=[
        "Keep one velocity per parameter, a list `velocity = [0.0] * len(model.parameters())` "
        "made before the loop. In each step, after `backward()`, update every velocity first "
        "and then its parameter.",
        "Start from `fit` in the chapter and change only the update. Print the loss after 20 "
        "and after 50 steps for each β, or plot the curves on a log scale, as the chapter does.",
    ],
    discussion="""\
With the chapter's learning rate, 0.05, the loss after 50 steps is 0.0178 without momentum
(β = 0), 0.0069 with β = 0.5 and 0.0001 with β = 0.9. On a steady slope the velocity builds
up to 1/(1 − β) times the gradient, so β = 0.9 makes the steps up to ten times as long:
momentum buys speed in the long, gentle stretches where plain gradient descent crawls, and
across a narrow valley the gradients of successive steps point opposite ways and partly
cancel in the velocity, which damps the zigzag.

The longer steps are also its risk. A learning rate that works without momentum can be too
large with it: with 0.5, plain gradient descent ends 100 steps at a loss of 0.0006, but with
β = 0.9 the network's tanh neurons saturate and the loss sticks near 8, as with 1.0 in the
chapter. So a learning rate chosen without momentum has to be chosen again with it. On
(w − 3)² with learning rate 0.1, plain descent approaches 3 from below and never passes it;
with β = 0.9 the velocity carries w to about 5.1 before it turns, and the swings die down
only slowly.

And β = 1 is the loop that forgets `zero_grad`: the velocity is then the sum of all the
gradients so far, exactly what `.grad` accumulates when nobody resets it, and the two loops
give the same losses up to rounding in the last digits. Momentum is that mistake made on
purpose, with friction: β < 1 lets the old gradients fade.""",
)


# -- q6 (open-ended): width, noise and the boundary -------------------------------------

q6 = OpenEnded(
    hints=[
        "Wrap the chapter's two-moons training in a function of the width, the noise and the "
        "seed that returns the trained model; `accuracy` and `draw_boundary` from the chapter "
        "then measure and draw it. `MLP(..., fused=True)` computes the same numbers several "
        "times faster ([Why the scalar engine is slow, and making it "
        "fast](12_making_it_fast.ipynb) shows how).",
        "Draw the test points with the same noise as the training points: "
        "`make_moons(n_samples=500, noise=0.3, seed=1, signed=True)`.",
    ],
    discussion="""\
Over the seeds 0 to 4, with the chapter's recipe:

- **Width 2** often learns nothing: for three of the five seeds the network gives every
  point the same label, right for half of them, on both sets. In two of those, both neurons
  of the second hidden layer end up switched off at every point, so the score is one number
  everywhere. With so few neurons one bad step can silence all of them, and a neuron that
  is off at every point gets no gradient that could bring it back.
- **Width 4** gets 84–91% of the training points and 83–88% of the test points right: its
  boundary has too few straight pieces to follow the moons' bends. Training and test
  accuracy are low together, and close together: the network is too simple for the data
  (it underfits).
- **Width 16** gets 89–98% of the training points right depending on the seed: at this
  size, with 20 steps, the seed matters as much as the width, which is why one run proves
  little.
- **Noise 0.3** makes the moons overlap, and no run gets 89% of the test points right.
  In every run that learnt something, the training accuracy is higher than the test
  accuracy, by up to 7 points, against at most 3 at noise 0.1 (where the test score is
  sometimes the higher one): with more noise there is more of it to fit, and a boundary
  that bends around noisy training points does worse on fresh ones.

Choosing the width by these test accuracies would use the test set to make a choice, and
then its verdict on the winner is too kind. A separate validation split is the place for
choosing; [A digit classifier on real data](11_digit_classifier.ipynb) does that.""",
)
