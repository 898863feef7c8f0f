"""Exercises for chapter 11, *A digit classifier on real data*.

* ``q1``: a numerically stable ``softmax(z)`` for a batch of scores;
* ``q2``: ``cross_entropy_grad(z, y)``, the gradient of the mean softmax cross-entropy;
* ``q3``: ``accuracy(logits, labels)``, the fraction of examples classified right;
* ``q4``: ``confusion(true, predicted, k)``, the confusion matrix.
"""

from __future__ import annotations

import warnings
from typing import Any

from .._extras import require

np = require("numpy", "nnscratch.exercises.digits")

from .core import Problem, Wrong, Unattempted, is_blank
from .layers import as_answer_array, same

__all__ = ["q1", "q2", "q3", "q4"]


def _softmax(z: np.ndarray) -> np.ndarray:
    e = np.exp(z - z.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


def _call(f: Any, name: str, *args: Any) -> Any:
    """Call the learner's function on copies of ``args``, with NumPy's overflow warnings
    silenced (the checker reports the nan or inf they lead to)."""
    if not callable(f):
        raise Wrong(f"`{name}` should be a function, but it is a {type(f).__name__}.")
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore", RuntimeWarning)
        out = f(*(a.copy() if isinstance(a, np.ndarray) else a for a in args))
    if is_blank(out):
        raise Unattempted(f"`{name}` still returns ____: fill in its body, run that cell, then check again.")
    return out


# -- q1: softmax ---------------------------------------------------------------


class Softmax(Problem):
    """``softmax(z)``: each row of z turned into probabilities, without overflow."""

    ORDINARY = np.array([[1.0, 2.0, 3.0], [0.5, -0.5, 0.0], [2.0, 2.0, 2.0]])
    HUGE = np.array([[1000.0, 999.0, 990.0], [995.0, 1000.0, 998.0]])
    FAR_APART = np.array([[1000.0, 0.0, 1.0], [-1000.0, -1001.0, -999.0]])

    def _grade(self, softmax: Any) -> str | None:
        for z in (self.ORDINARY, self.HUGE, self.FAR_APART):
            got = as_answer_array(_call(softmax, "softmax", z), "what `softmax` returned")
            want = _softmax(z)
            if got.shape != z.shape:
                return (f"softmax of an array of shape {z.shape} returned shape {got.shape}; it should "
                        "give one probability per score, in the same shape.")
            if same(got, want):
                continue
            if not np.all(np.isfinite(got)):
                if z is self.FAR_APART:
                    return ("softmax gives nan for rows whose scores are far below the largest score in the "
                            "whole array: subtract each row's own maximum, not one maximum for everything.")
                return ("softmax gives nan or inf for large scores such as 1000: e^1000 overflows. Subtract a "
                        "row's largest score from all of its scores first; the ratio does not change.")
            if np.allclose(got.sum(axis=0), 1.0) and not np.allclose(got.sum(axis=1), 1.0):
                return "the columns of your result sum to 1; each row should (one row per example)."
            if np.isclose(got.sum(), 1.0) and not np.allclose(got.sum(axis=1), 1.0):
                return "the whole array sums to 1; each row should, on its own."
            if not np.allclose(got.sum(axis=1), 1.0):
                return "the rows of your result do not sum to 1. Divide each exponential by its row's sum."
            return "the rows sum to 1 but the probabilities are off: exponentiate the scores, then normalise each row."
        return None


q1 = Softmax(
    "softmax",
    hints=[
        "softmax(z)ᵢⱼ = e^zᵢⱼ / Σₘ e^zᵢₘ: exponentiate, then divide by the row's sum. "
        "`np.exp`, and `.sum(axis=1, keepdims=True)` so that the division works row by row.",
        "To avoid overflow, subtract each row's largest score before exponentiating: "
        "`z - z.max(axis=1, keepdims=True)`. Every exponent is then at most 0.",
    ],
    solution='''\
def softmax(z):
    e = np.exp(z - z.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)''',
    explanation=("Subtracting the same number m from every score in a row multiplies the numerator "
                 "and the denominator by the same e^-m, so the result is unchanged; but now the "
                 "largest exponential is e⁰ = 1, which cannot overflow, and the sum is at least 1."),
)


# -- q2: the gradient of softmax cross-entropy ------------------------------------


class CrossEntropyGrad(Problem):
    """``cross_entropy_grad(z, y)`` = (softmax(z) − onehot(y)) / n."""

    def _grade(self, cross_entropy_grad: Any) -> str | None:
        rng = np.random.default_rng(12)
        cases = [
            (rng.standard_normal((5, 4)), np.array([0, 3, 1, 1, 2])),
            (rng.standard_normal((3, 10)) * 400, np.array([9, 0, 4])),
        ]
        for z, y in cases:
            got = as_answer_array(_call(cross_entropy_grad, "cross_entropy_grad", z, y),
                                  "what `cross_entropy_grad` returned")
            n = z.shape[0]
            p = _softmax(z)
            onehot = np.eye(z.shape[1])[y]
            want = (p - onehot) / n
            if got.shape != z.shape:
                return f"for scores of shape {z.shape}, the gradient has shape {got.shape}; it should match the scores."
            if same(got, want):
                continue
            if not np.all(np.isfinite(got)):
                return "the gradient has nan or inf for large scores: compute the softmax stably (subtract each row's maximum)."
            if same(got, want * n):
                return "the gradient is n times too large: the loss is the mean over the n examples, so divide by n."
            if same(got, -want):
                return "the gradient has the wrong sign."
            if same(got, p / n) or same(got, p):
                return "the gradient is the probabilities alone; the true class has a −1 as well."
            if same(got, -onehot / n) or same(got, -onehot):
                return ("the gradient only has the −1 at the true class; every class's probability "
                        "belongs in it too (the log-sum-exp part of the loss).")
            return "the gradient is not right. Differentiate log Σⱼ e^zⱼ − z_y with respect to each zⱼ."
        return None


q2 = CrossEntropyGrad(
    "cross_entropy_grad",
    hints=[
        "For one example, L = log Σⱼ e^zⱼ − z_y. The derivative of the first term with respect to zⱼ "
        "is the softmax probability pⱼ; the second term contributes −1 for j = y only.",
        "So for one example ∂L/∂z = p − onehot(y). The loss is the mean over n examples: divide by n. "
        "`p[np.arange(n), y] -= 1` subtracts the one-hot without building it.",
    ],
    solution='''\
def cross_entropy_grad(z, y):
    n = z.shape[0]
    p = np.exp(z - z.max(axis=1, keepdims=True))
    p /= p.sum(axis=1, keepdims=True)
    p[np.arange(n), y] -= 1
    return p / n''',
    explanation=("This is what `SoftmaxCrossEntropy.bwd` computes. Each row of the gradient sums to "
                 "0: raising every score by the same amount changes nothing."),
)


# -- q3: accuracy -------------------------------------------------------------


class Accuracy(Problem):
    """``accuracy(logits, labels)``: the fraction of rows whose largest score is at the label."""

    def _grade(self, accuracy: Any) -> str | None:
        logits = np.array([
            [0.1, 2.0, -1.0],
            [3.0, 0.0, 5.0],
            [-2.0, -1.0, -3.0],
            [0.2, 0.1, 0.0],
            [1.0, 4.0, 2.0],
        ])
        cases = [(logits, np.array([1, 2, 1, 0, 0]), 0.8), (logits, np.array([1, 1, 1, 0, 2]), 0.6)]
        for scores, labels, want in cases:
            try:
                got = _call(accuracy, "accuracy", scores, labels)
            except ValueError as exc:
                if "broadcast" not in str(exc):
                    raise
                return ("the predictions and the labels have different lengths: take the largest score "
                        "of each row (argmax along axis=1), one prediction per example.")
            if got is None:
                return "`accuracy` returned None: did you forget `return`?"
            if isinstance(got, np.ndarray) and got.dtype == bool and got.shape != ():
                return (f"`accuracy` returned an array of shape {got.shape}, True where a prediction is "
                        "right; it should return one number, the fraction of them that are True.")
            value = as_answer_array(got, "what `accuracy` returned")
            if value.shape != ():
                return f"`accuracy` returned an array of shape {value.shape}; it should return one number."
            value = float(value)
            if abs(value - want) < 1e-12:
                continue
            if abs(value - want * len(labels)) < 1e-12:
                return "`accuracy` returned the number of right answers; divide by the number of examples."
            if abs(value - 100 * want) < 1e-9:
                return "`accuracy` returned a percentage; give the fraction, between 0 and 1."
            if abs(value - np.mean(scores.argmin(axis=1) == labels)) < 1e-12:
                return "`accuracy` predicts the class with the smallest score; the prediction is the largest."
            return "`accuracy` is not right: predict the class with the largest score in each row, then count matches."
        return None


q3 = Accuracy(
    "accuracy",
    hints=[
        "The prediction for an example is the class with the largest score: `logits.argmax(axis=1)`.",
        "Compare the predictions with the labels (an array of True and False), and take the mean: "
        "True counts as 1.",
    ],
    solution='''\
def accuracy(logits, labels):
    return np.mean(logits.argmax(axis=1) == labels)''',
    explanation="The softmax never changes which score is largest, so the raw scores (logits) are enough.",
)


# -- q4: the confusion matrix ---------------------------------------------------


class Confusion(Problem):
    """``confusion(true, predicted, k)``: a k × k array, entry [i, j] counting examples of
    class i predicted as j."""

    def _grade(self, confusion: Any) -> str | None:
        true = np.array([0, 0, 1, 2, 2, 2, 1, 0, 2])
        pred = np.array([0, 1, 1, 2, 0, 2, 1, 0, 1])
        k = 3
        want = np.zeros((k, k))
        np.add.at(want, (true, pred), 1)
        got = _call(confusion, "confusion", true, pred, k)
        if got is None:
            return "`confusion` returned None: did you forget `return`?"
        m = as_answer_array(got, "what `confusion` returned")
        if m.shape != (k, k):
            return f"for k = {k} classes, `confusion` returned shape {m.shape}; it should be a k × k array."
        if same(m, want):
            extra = self._grade_four(confusion)
            return extra
        if same(m, want.T):
            return "rows and columns are swapped: row i should collect the examples whose TRUE class is i."
        if np.isclose(m.sum(), 1.0) or np.allclose(m.sum(axis=1), 1.0):
            return "`confusion` returned fractions; count the examples instead."
        if m.sum() != len(true):
            return f"the entries add up to {m.sum():g}, but there are {len(true)} examples: each one belongs in exactly one cell."
        return "the counts are in the wrong cells: entry [i, j] counts the examples of class i that were predicted as j."

    @staticmethod
    def _grade_four(confusion: Any) -> str | None:
        """The same on four classes, some never predicted, to catch a hard-coded size."""
        true = np.array([3, 3, 0, 1])
        pred = np.array([3, 0, 0, 3])
        want = np.zeros((4, 4))
        np.add.at(want, (true, pred), 1)
        try:
            m = as_answer_array(_call(confusion, "confusion", true, pred, 4), "what `confusion` returned")
        except IndexError:
            m = None
        if m is None or not same(m, want):
            return "`confusion` works for 3 classes but not for 4: use k for the size, not a fixed number."
        return None


q4 = Confusion(
    "confusion",
    hints=[
        "Start from `np.zeros((k, k), dtype=int)` and add 1 for every example, in the row of its true "
        "class and the column of its predicted class.",
        "A loop over `zip(true, predicted)` does it: `m[t, p] += 1`.",
    ],
    solution='''\
def confusion(true, predicted, k):
    m = np.zeros((k, k), dtype=int)
    for t, p in zip(true, predicted):
        m[t, p] += 1
    return m''',
    explanation=("The diagonal holds the right answers; everything off it is a mistake, and where it "
                 "sits says which class was taken for which. `np.add.at(m, (true, predicted), 1)` does "
                 "the same without a loop."),
)
