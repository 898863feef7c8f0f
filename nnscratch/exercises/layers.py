"""Exercises for chapter 10, *Layers and matrices*.

* ``q1``: the backward pass of a linear layer, as a function ``lin_backward(x, W, g)``;
* ``q2``: the ``bwd`` of a ``Tanh`` module;
* ``q3``: the spread of Xavier-initialised weights for a 64 → 32 layer (``xavier_std``);
* ``q4``: two linear layers without an activation are one: its ``W`` and ``b``;
* ``q5``: open-ended, a skip connection in the layer engine, where gradients must add up.
"""

from __future__ import annotations

import math
from typing import Any

from .._extras import require

np = require("numpy", "nnscratch.exercises.layers")

from .core import NumberProblem, OpenEnded, Problem, Wrong, Unattempted, is_blank

__all__ = ["q1", "q2", "q3", "q4", "q5", "W1", "b1", "W2", "b2"]


def has(obj: Any, name: str) -> bool:
    """``hasattr``, for an answer whose attribute lookup may raise anything at all."""
    try:
        return hasattr(obj, name)
    except Exception:
        return False


def as_answer_array(answer: Any, what: str) -> np.ndarray:
    """``answer`` as a float array, or `Wrong` saying why it cannot be one: text, True and
    False, complex numbers, a list NumPy cannot read (ragged, holding itself, None) and
    numbers too large for a float are refused, each with its reason."""
    if is_blank(answer):
        raise Unattempted(f"{what} is still ____: fill it in, run that cell, then check again.")
    if answer is None:
        raise Wrong(f"{what} is None: did you forget `return` (or to assign it)?")
    if has(answer, "data") and has(answer, "g"):
        raise Wrong(f"{what} is a Tensor; give the NumPy array itself (its .data or .g).")
    if isinstance(answer, (str, bytes)):
        raise Wrong(f"{what} is text ({type(answer).__name__}); it should be a NumPy array of numbers.")
    try:
        array = np.asarray(answer)
    except Exception:  # a ragged list, a list that contains itself, an object whose __array__ fails
        raise Wrong(f"{what} should be a NumPy array of numbers, but NumPy cannot read it as one "
                    f"(it is a {type(answer).__name__}).") from None
    kind = array.dtype.kind
    if kind == "b":
        raise Wrong(f"{what} holds True and False; it should hold numbers.")
    if kind == "c":
        raise Wrong(f"{what} holds complex numbers; it should hold real numbers.")
    if kind not in "fiu":
        raise Wrong(f"{what} should be an array of numbers, but NumPy reads it as {array.dtype} "
                    "(text, None, a mixture of things, or numbers too large for a float).")
    return array.astype(float)


def same(a: np.ndarray, b: np.ndarray) -> bool:
    return a.shape == b.shape and np.allclose(a, b, rtol=1e-9, atol=1e-12)


# -- q1: lin_backward -------------------------------------------------------------


class LinBackward(Problem):
    """``lin_backward(x, W, g)`` must return (∂L/∂x, ∂L/∂W, ∂L/∂b) = (g @ Wᵀ, xᵀ @ g, Σ_rows g)."""

    SHAPES = ((5, 3, 4), (2, 6, 1), (1, 2, 3))

    def _grade(self, lin_backward: Any) -> str | None:
        if not callable(lin_backward):
            return f"`lin_backward` should be a function, but it is a {type(lin_backward).__name__}."
        rng = np.random.default_rng(10)
        for n, nin, nout in self.SHAPES:
            x = rng.standard_normal((n, nin))
            w = rng.standard_normal((nin, nout))
            g = rng.standard_normal((n, nout))
            call = f"lin_backward(x, W, g) with x {x.shape}, W {w.shape}, g {g.shape}"
            try:
                result = lin_backward(x.copy(), w.copy(), g.copy())
            except ValueError as exc:
                if "matmul" in str(exc):
                    return (f"{call} failed in a matrix product ({exc}). Line up the shapes: in "
                            "a @ b, the columns of a must match the rows of b.")
                raise
            if is_blank(result):
                raise Unattempted("`lin_backward` still returns ____: fill in its body, run that cell, then check again.")
            if not isinstance(result, (tuple, list)) or len(result) != 3:
                return f"{call} should return three arrays, (dx, dW, db); it returned {type(result).__name__}."
            dx, dw, db = (as_answer_array(a, f"{name} from {call}") for a, name in zip(result, ("dx", "dW", "db")))
            problem = self._check(x, w, g, dx, dw, db)
            if problem:
                return f"{call}: {problem}"
        return None

    @staticmethod
    def _check(x, w, g, dx, dw, db) -> str | None:
        for got, of, name in ((dx, x, "dx"), (dw, w, "dW")):
            want_shape = of.shape
            if got.shape != want_shape:
                if got.shape == want_shape[::-1] and want_shape[0] != want_shape[1]:
                    return (f"`{name}` has shape {got.shape}, the shape of the transpose of "
                            f"{name[1:]}. A gradient has the shape of the thing it is the gradient of.")
                return (f"`{name}` has shape {got.shape}, but {name[1:]} has shape {want_shape}. "
                        "A gradient has the shape of the thing it is the gradient of.")
        if not same(dx, g @ w.T):
            return "`dx` has the right shape but not the right values. Write ∂L/∂x[i,k] as a sum over j and read off which matrix product it is."
        if not same(dw, x.T @ g):
            return "`dW` has the right shape but not the right values. W[k,j] meets x[i,k] in every row i: which product sums over the rows?"
        if db.shape != (w.shape[1],):
            if db.shape == (x.shape[0],) and x.shape[0] != w.shape[1]:
                return ("`db` has one entry per row of the batch; b has one entry per output. "
                        "Sum over the other axis.")
            if db.shape == (1, w.shape[1]):
                return "`db` has shape (1, nout); b has shape (nout,). Drop the extra axis (no keepdims)."
            return f"`db` has shape {db.shape}, but b has shape {(w.shape[1],)}."
        if same(db * x.shape[0], g.sum(axis=0)) and x.shape[0] > 1:
            return ("`db` is the mean over the rows. Every row adds b, so every row's gradient "
                    "reaches b in full: add them up instead of averaging.")
        if not same(db, g.sum(axis=0)):
            return "`db` has the right shape but not the right values. b[j] is added to y[i, j] in every row i."
        return None


q1 = LinBackward(
    "lin_backward",
    hints=[
        "Each gradient has the shape of what it is the gradient of: dx is (n, nin) like x, "
        "dW is (nin, nout) like W, db is (nout,) like b. Given the shapes of g (n, nout), x and "
        "W, there is only one way to multiply them that gives each shape.",
        "dx needs W's nin rows at the end, so g goes first and W is transposed. dW needs x's "
        "nin columns first, so x is transposed and goes first. db adds g over the batch: "
        "`g.sum(axis=0)`.",
    ],
    solution='''\
def lin_backward(x, W, g):
    dx = g @ W.T            # (n, nout) @ (nout, nin) -> (n, nin)
    dW = x.T @ g            # (nin, n) @ (n, nout)    -> (nin, nout)
    db = g.sum(axis=0)      # (nout,)
    return dx, dW, db''',
    explanation="These three lines are the whole of `Lin.bwd` in `nnscratch.layers`.",
)


# -- q2: a Tanh module ----------------------------------------------------------


class _Slot:
    """A stand-in for a Tensor, handed to the learner's ``bwd``: ``data`` and ``g``, with
    no checks of its own, so that whatever ``bwd`` stores can be looked at and explained."""

    __slots__ = ("data", "g")

    def __init__(self, data: np.ndarray, g: Any = None) -> None:
        self.data, self.g = data, g

    def __repr__(self) -> str:
        return f"Tensor(shape={self.data.shape})"


class TanhBackward(Problem):
    """``Tanh`` must be a module whose ``bwd`` sets ``inp.g = out.g · (1 − out²)``."""

    def _grade(self, Tanh: Any) -> str | None:  # noqa: N803 - the learner's class name
        if not isinstance(Tanh, type):
            return f"`Tanh` should be a class (a Module), but it is a {type(Tanh).__name__}."
        rng = np.random.default_rng(11)
        x = rng.standard_normal((4, 3)) * 1.5
        upstream = rng.standard_normal((4, 3))
        layer = Tanh()
        y = as_answer_array(layer.forward(x.copy()), "what `Tanh.forward` returned")
        if not same(y, np.tanh(x)):
            return "the forward pass of `Tanh` no longer computes np.tanh(x); leave forward as it was."
        out, inp = _Slot(y.copy(), upstream.copy()), _Slot(x.copy())
        layer.bwd(out, inp)
        got = as_answer_array(inp.g, "`inp.g`")
        if got.shape != x.shape:
            return f"`inp.g` has shape {got.shape}; it should have the shape of the input, {x.shape}."
        local = 1.0 - np.tanh(x) ** 2
        if same(got, upstream * local):
            return None
        if not np.all(np.isfinite(got)):
            return "`inp.g` holds nan or inf; the gradient of tanh is a plain number everywhere."
        if same(got, local):
            return ("`inp.g` is the local derivative alone. The chain rule multiplies it by "
                    "∂L/∂out, which arrives in `out.g`.")
        if same(got, upstream * (1.0 - x**2)):
            return ("`inp.g` uses 1 − x², with x the input. The derivative of tanh is 1 − tanh²(x): "
                    "square the output, not the input.")
        if same(got, -upstream * local):
            return "`inp.g` has the wrong sign."
        if same(got, upstream * (1.0 - np.tanh(x))):
            return "`inp.g` uses 1 − tanh(x); the derivative has the square of tanh."
        if same(got, upstream):
            return "`inp.g` passes `out.g` through unchanged; it needs the derivative of tanh as well."
        return "`inp.g` is not ∂L/∂input. Work out d tanh(x)/dx in terms of the output, then apply the chain rule."


q2 = TanhBackward(
    "Tanh",
    hints=[
        "d tanh(x)/dx = 1 − tanh²(x), and tanh(x) is the module's output: `out.data`.",
        "The chain rule: ∂L/∂input = ∂L/∂output · ∂output/∂input, element by element. "
        "∂L/∂output is `out.g`.",
    ],
    solution='''\
class Tanh(Module):
    def forward(self, x):
        return np.tanh(x)

    def bwd(self, out, inp):
        inp.g = out.g * (1 - out.data**2)''',
    explanation=("Like `Sigmoid`, tanh's derivative is easiest to write in terms of its output, "
                 "which the module saved on the forward pass: nothing has to be recomputed."),
)


# -- q3: the spread of Xavier weights -----------------------------------------------

q3 = NumberProblem(
    "xavier_std",
    math.sqrt(2 / (64 + 32)),
    hints=[
        "Xavier initialisation gives the weights the variance 2 / (nin + nout). The spread asked "
        "for is the standard deviation.",
        "The standard deviation is the square root of the variance: `math.sqrt(...)`. Here nin = 64 "
        "and nout = 32.",
    ],
    solution="""\
xavier_std = math.sqrt(2 / (64 + 32))   # about 0.144""",
    explanation=("`nnscratch.layers.xavier(64, 32)` draws such weights; `.std()` of the result "
                 "comes out close to this number."),
    mistakes=[
        (lambda s: math.isclose(s, 2 / 96, rel_tol=1e-6),
         "`xavier_std` is the variance. The standard deviation is its square root."),
        (lambda s: math.isclose(s, math.sqrt(2 / 64), rel_tol=1e-6),
         "`xavier_std` uses 2 / nin, which is He initialisation (made for ReLU). Xavier uses both nin and nout."),
        (lambda s: math.isclose(s, math.sqrt(1 / 64), rel_tol=1e-6),
         "`xavier_std` is 1/√nin: it only looks at the forward pass. Xavier balances the forward pass (nin) "
         "and the backward pass (nout)."),
        (lambda s: math.isclose(s, math.sqrt(1 / 96), rel_tol=1e-6) or math.isclose(s, math.sqrt(1 / 48), rel_tol=1e-6),
         "`xavier_std` is off by a factor of √2: check the 2 in the numerator and the sum in the denominator."),
        (lambda s: math.isclose(s, math.sqrt(2 / 32), rel_tol=1e-6),
         "`xavier_std` uses only nout. Xavier averages nin and nout."),
    ],
)


# -- q4: two linear layers in a row are one ---------------------------------------------

W1 = np.array([[1.0, -2.0, 0.5], [0.0, 1.0, 3.0]])
b1 = np.array([0.5, -1.0, 2.0])
W2 = np.array([[2.0], [1.0], [-1.0]])
b2 = np.array([0.25])


class CollapseLayers(Problem):
    """``W`` and ``b`` with x @ W + b == (x @ W1 + b1) @ W2 + b2 for every x."""

    def _grade(self, W: Any, b: Any) -> str | None:  # noqa: N803 - the chapter's names
        w = as_answer_array(W, "`W`")
        bias = as_answer_array(b, "`b`")
        want_w, want_b = W1 @ W2, b1 @ W2 + b2
        if w.shape != want_w.shape:
            if w.shape == want_w.shape[::-1]:
                return f"`W` has shape {w.shape}, the shape of a transpose: x has 2 columns and the result 1."
            return f"`W` has shape {w.shape}; it maps x, with 2 columns, to one output, so it needs shape (2, 1)."
        if bias.shape not in ((1,), ()):
            return f"`b` has shape {bias.shape}; there is one output, so b holds one number."
        bias = bias.reshape(1)
        if not same(w, want_w):
            return "`W` has the right shape but not the right values: substitute the first layer into the second and multiply out."
        if same(bias, b2):
            return "`b` leaves out the first layer's bias: b1 also passes through the second layer's weights."
        if same(bias, b1.sum(keepdims=True) + b2) or same(bias, b1 @ W2):
            return "`b` is not right: b1 passes through W2 (it is multiplied), and then b2 is added."
        if not same(bias, want_b):
            return "`W` is right, but `b` is not: collect every term of the substituted formula that has no x in it."
        return None


q4 = CollapseLayers(
    ("W", "b"),
    hints=[
        "Substitute: (x @ W1 + b1) @ W2 + b2 = x @ W1 @ W2 + b1 @ W2 + b2. The matrix product "
        "distributes over the sum, just like numbers.",
        "Everything multiplying x is the new W; everything without an x is the new b.",
    ],
    solution="""\
W = W1 @ W2
b = b1 @ W2 + b2""",
    explanation=("However many linear layers you stack, without an activation between them they "
                 "compute one linear function. The non-linear activation is what makes depth useful."),
)


# -- q5 (open-ended): a skip connection ------------------------------------------------

q5 = OpenEnded(
    hints=[
        "List the readers of `h`: the `Add` and the inner `Lin`. Both write into `h.g`, and "
        "whichever runs second must add to what the first wrote; the safe choice is that both "
        "add (`add_to`), so `Add.bwd` changes too. Tensors with one reader may keep `=`.",
        "An order that works: the loss, the last layer, `Add`, the `Sigmoid` inside the block, the "
        "inner `Lin`, then the modules that made `h`. Every reader of `h` comes before its maker.",
        "For the gradient check, give `numerical_gradient` a function that runs the whole forward "
        "pass and returns the loss; check the first layer's weights, which every path reaches.",
    ],
    discussion="""\
With `Add` and the inner `Lin` both adding into `h.g`, every gradient agrees with central
differences. Let the one that runs second write with `=` and the first layer's gradients come
out wrong; the gradient check says so, though nothing else does. (The one that runs first gets
away with `=`, which is how such a bug hides in code that happens to run in a lucky order.)
The order matters as much: run the modules that made `h` before one of its readers, and they
pass on a gradient that is still missing a part.

Expect the first steps to spike. The last layer now reads `h` plus a sigmoid's output, about
twice the size of `h` alone, so its curvature is about four times the plain model's (`curvature`
measures it) and a learning rate the plain model handled overshoots. Whether the network then
trains faster or slower than the plain one depends on the starting weights and the rate:
measure it rather than assume.

Two ideas to take away. First, this is Part I's engine again, one level up: once a network is a
graph rather than a chain, backward needs gradients that add up and an order in which every
tensor's gradient is complete before it is passed on, a reverse topological order. A general
engine records, for every tensor, the module that made it, and finds that order itself, as
`Value.backward()` does; PyTorch's autograd works this way with whole tensors, and accumulates
into `.grad`.

Second, why skip connections matter. The `+ h` path has local derivative 1, so the gradient
reaches `h` in full, however little gets through the inner layer. Stacked many times, as in
residual networks (He et al., 2016), this keeps gradients from fading on their way back
through a deep network.""",
)
