"""Exercises for the chapter *Checking against PyTorch*.

* `q1`: which ways of making a PyTorch tensor keep every digit of a float?
* `q2`: compute two gradients with PyTorch in float64;
* `q3`: an engine with a bug gives the gradients in `suspect_gradients`: which are wrong?
* `q4` (open-ended): how small should the step h of a central difference be?

The checks themselves do not need PyTorch (the learner's answers are compared with
nnscratch's own engine, which the chapter checks against PyTorch), so they work the same
with or without it.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Iterable
from typing import Any

from ..engine import Value
from .core import NumberProblem, OpenEnded, Problem, Wrong

__all__ = ["q1", "q2", "q3", "q4", "OPTIONS", "GRADIENT_INPUTS", "SUSPECT_INPUTS", "suspect_gradients"]


def _as_letters(answer: Any, name: str, allowed: Iterable[str]) -> set[str]:
    """The learner's collection of choices as a set of lower-case strings."""
    if isinstance(answer, str):
        raise Wrong(f"`{name}` should be a set of choices, like {{\"a\", \"b\"}}, not one string.")
    if not isinstance(answer, (set, frozenset, list, tuple)):
        raise Wrong(f"`{name}` should be a set, like {{\"a\", \"b\"}}, but it is a {type(answer).__name__}.")
    letters = set()
    for item in answer:
        if not isinstance(item, str):
            raise Wrong(f"`{name}` holds {item!r}; write each choice as a string in quotes, like \"a\".")
        letters.add(item.strip().lower())
    allowed = list(allowed)
    unknown = sorted(letters - set(allowed))
    if unknown:
        raise Wrong(f"`{name}` holds {', '.join(repr(u) for u in unknown)}, which is not one of the "
                    f"choices: {', '.join(allowed)}.")
    return letters


# -- q1: which constructions keep every digit ---------------------------------------

OPTIONS: dict[str, str] = {
    "a": "torch.Tensor([x]).double()",
    "b": "torch.tensor([x]).double()",
    "c": "torch.tensor([x], dtype=torch.float64)",
    "d": "torch.tensor(x, dtype=torch.double)",
    "e": "torch.from_numpy(np.array([x]))",
    "f": "torch.tensor([x], dtype=torch.float32).to(torch.float64)",
}

_EXACT = frozenset({"c", "d", "e"})

_WHY_NOT = {
    "a": ("a rounds x to float32 first: `torch.Tensor(...)` always builds a tensor of the default "
          "type, float32, and `.double()` only widens the number that is already rounded."),
    "b": ("b rounds too: `torch.tensor` turns a Python float into the default type, float32, unless "
          "it is given a dtype; `.double()` comes too late to help."),
    "f": ("f asks for float32 explicitly; converting to float64 afterwards cannot bring back the "
          "digits that were dropped."),
}


class KeepsEveryDigit(Problem):
    """``exact`` must be the set of `OPTIONS` that give a float64 tensor holding x exactly."""

    def _grade(self, exact: Any) -> str | None:
        chosen = _as_letters(exact, "exact", OPTIONS)
        if not chosen:
            return "`exact` is empty, but some of the constructions do keep every digit."
        for letter in sorted(chosen - _EXACT):
            return _WHY_NOT[letter]
        missing = len(_EXACT - chosen)
        if missing:
            return (f"everything you chose keeps every digit, but you left out {missing} more "
                    f"construction{'s' if missing > 1 else ''} that do{'es' if missing == 1 else ''} too.")
        return None


q1 = KeepsEveryDigit(
    "exact",
    hints=[
        "Two questions for each option: what type is the tensor when it is first made, and can "
        "a later conversion bring back digits that were dropped? (It cannot.)",
        "With PyTorch at hand, try each one on x = 6.8813735870195432 and print it with "
        "`.item()` and 16 decimals. A Python float is float64, and NumPy arrays of Python floats are "
        "float64 too; PyTorch's default type is float32.",
    ],
    solution='exact = {"c", "d", "e"}',
    explanation=("c and d ask for float64 when the tensor is made. e converts a NumPy array, which "
                 "holds float64 already, and `torch.from_numpy` keeps its type. a, b and f all pass "
                 "through float32 on the way."),
)


# -- q2: gradients from PyTorch -----------------------------------------------------

GRADIENT_INPUTS: dict[str, float] = {"a": 0.5, "b": -1.5, "c": 2.0}


def _gradient_expression(a: Any, b: Any, c: Any) -> Any:
    """L = a·tanh(a·b + c) + b²  (works on Values and on tensors)."""
    inner = a * b + c
    return a * inner.tanh() + b * b


def _engine_gradients() -> tuple[float, float]:
    a, b, c = (Value(GRADIENT_INPUTS[k]) for k in "abc")
    _gradient_expression(a, b, c).backward()
    return a.grad, b.grad


def _only_second_use() -> tuple[float, float]:
    """The gradients a learner gets if each of a and b counted only once (the chain
    through tanh), as if they were not used twice."""
    a, b, c = (GRADIENT_INPUTS[k] for k in "abc")
    t = math.tanh(a * b + c)
    return a * (1 - t * t) * b, a * (1 - t * t) * a


class TorchGradients(NumberProblem):
    """``grad_a`` and ``grad_b``: ∂L/∂a and ∂L/∂b to 1e-12, as numbers."""

    def _grade(self, *answers: Any) -> str | None:
        for name, answer in zip(self.variables, answers):
            if type(answer).__name__ == "Tensor":
                raise Wrong(f"`{name}` is a PyTorch tensor; store the number inside it with `.item()`.")
        return super()._grade(*answers)


_GRAD_A, _GRAD_B = _engine_gradients()
_HALF_A, _HALF_B = _only_second_use()


def _to_7_digits_only(ga: float, gb: float) -> bool:
    near = all(math.isclose(g, e, rel_tol=1e-5) for g, e in ((ga, _GRAD_A), (gb, _GRAD_B)))
    exact = all(math.isclose(g, e, rel_tol=1e-12) for g, e in ((ga, _GRAD_A), (gb, _GRAD_B)))
    return near and not exact


q2 = TorchGradients(
    ("grad_a", "grad_b"),
    (_GRAD_A, _GRAD_B),
    rel_tol=1e-12,
    abs_tol=1e-15,
    hints=[
        "Make a, b and c with `torch.tensor(value, dtype=torch.float64, requires_grad=True)`, "
        "compute L with `torch.tanh`, call `L.backward()`, and read `a.grad` and `b.grad`.",
        "Store plain numbers: `grad_a = a.grad.item()`. Both a and b appear twice in L; "
        "`backward()` adds up the contributions of both uses for you.",
    ],
    solution='''\
import torch

a = torch.tensor(0.5, dtype=torch.float64, requires_grad=True)
b = torch.tensor(-1.5, dtype=torch.float64, requires_grad=True)
c = torch.tensor(2.0, dtype=torch.float64, requires_grad=True)
L = a * torch.tanh(a * b + c) + b * b
L.backward()
grad_a = a.grad.item()
grad_b = b.grad.item()''',
    explanation=("The same L built from `nnscratch.Value`s gives the same two gradients to the last "
                 "digit or two: that agreement is what this chapter is about."),
    mistakes=[
        (_to_7_digits_only,
         "your gradients agree with nnscratch's to about 7 significant digits, not 12: a float32 crept "
         "in somewhere. Make every tensor with dtype=torch.float64."),
        (lambda ga, gb: math.isclose(ga, _HALF_A, rel_tol=1e-9) or math.isclose(gb, _HALF_B, rel_tol=1e-9),
         "that counts only the path through tanh. a and b each appear twice in L, and a gradient "
         "adds up the contributions of every use."),
    ],
)


# -- q3: which gradients does the buggy engine get wrong ----------------------------

SUSPECT_INPUTS: dict[str, float] = {"x1": 1.5, "x2": -0.5, "w1": 0.8, "w2": -1.2, "b": 0.3}


class _SuspectValue:
    """A scalar engine like Part I's, with one mistake in the backward pass of ``*``."""

    def __init__(self, data: float, children: tuple = ()) -> None:
        self.data = data
        self.grad = 0.0
        self.children = children
        self._backward = lambda: None

    def __add__(self, other: _SuspectValue) -> _SuspectValue:
        out = _SuspectValue(self.data + other.data, (self, other))

        def backward() -> None:
            self.grad += out.grad
            other.grad += out.grad

        out._backward = backward
        return out

    def __mul__(self, other: _SuspectValue) -> _SuspectValue:
        out = _SuspectValue(self.data * other.data, (self, other))

        def backward() -> None:
            self.grad += other.data * out.grad
            other.grad += other.data * out.grad   # the mistake: should be self.data

        out._backward = backward
        return out

    def tanh(self) -> _SuspectValue:
        t = math.tanh(self.data)
        out = _SuspectValue(t, (self,))

        def backward() -> None:
            self.grad += (1 - t * t) * out.grad

        out._backward = backward
        return out

    def backward(self) -> None:
        order: list[_SuspectValue] = []
        seen: set[int] = set()

        def visit(v: _SuspectValue) -> None:
            if id(v) not in seen:
                seen.add(id(v))
                for child in v.children:
                    visit(child)
                order.append(v)

        visit(self)
        self.grad = 1.0
        for v in reversed(order):
            v._backward()


def suspect_gradients() -> dict[str, float]:
    """The gradients of o = tanh(x1·w1 + x2·w2 + b) at `SUSPECT_INPUTS`, from an engine
    with a bug: {"x1": ∂o/∂x1, ...}."""
    leaves = {name: _SuspectValue(v) for name, v in SUSPECT_INPUTS.items()}
    o = (leaves["x1"] * leaves["w1"] + leaves["x2"] * leaves["w2"] + leaves["b"]).tanh()
    o.backward()
    return {name: leaf.grad for name, leaf in leaves.items()}


def _true_gradients() -> dict[str, float]:
    leaves = {name: Value(v) for name, v in SUSPECT_INPUTS.items()}
    o = (leaves["x1"] * leaves["w1"] + leaves["x2"] * leaves["w2"] + leaves["b"]).tanh()
    o.backward()
    return {name: leaf.grad for name, leaf in leaves.items()}


def _differing() -> frozenset[str]:
    truth = _true_gradients()
    return frozenset(n for n, g in suspect_gradients().items() if not math.isclose(g, truth[n], rel_tol=1e-12))


class WrongGradients(Problem):
    """``wrong`` must be the set of names whose gradients in `suspect_gradients` are wrong."""

    def _grade(self, wrong: Any) -> str | None:
        chosen = _as_letters(wrong, "wrong", SUSPECT_INPUTS)
        differing = _differing()
        if not chosen:
            return "`wrong` is empty, but some of the suspect gradients differ from PyTorch's."
        for name in sorted(chosen - differing):
            return (f"the gradient of {name} from the suspect engine agrees with PyTorch's: "
                    "that one is right.")
        missing = len(differing - chosen)
        if missing:
            return (f"each gradient you named is indeed wrong, but {missing} more "
                    f"{'differs' if missing == 1 else 'differ'} from PyTorch's.")
        return None


q3 = WrongGradients(
    "wrong",
    hints=[
        "Compute o = tanh(x1·w1 + x2·w2 + b) at SUSPECT_INPUTS in PyTorch, in float64, call "
        "backward(), and compare each of the five gradients with suspect_gradients(). Without "
        "PyTorch, compare with nnscratch's Value, which this chapter checked against PyTorch.",
        "The wrong ones have something in common: look at where each of them sits in the two "
        "products x1·w1 and x2·w2.",
    ],
    solution='''\
import torch

t = {name: torch.tensor(v, dtype=torch.float64, requires_grad=True)
     for name, v in SUSPECT_INPUTS.items()}
o = torch.tanh(t["x1"] * t["w1"] + t["x2"] * t["w2"] + t["b"])
o.backward()
suspect = suspect_gradients()
wrong = {name for name in t if abs(t[name].grad.item() - suspect[name]) > 1e-12}''',
    explanation=("The wrong gradients are those of w1 and w2, the right-hand operands of the two "
                 "products: the suspect engine's `*` gives the right-hand operand its own value "
                 "times the output's gradient, where it should use the *other* operand's value "
                 "(∂(xw)/∂w = x)."),
)


# -- q4 (open-ended): the best step for a central difference ------------------------
# tests/test_exercises_pytorch_check.py reruns the experiment and checks the numbers
# the discussion states.

q4 = OpenEnded(
    hints=[
        "Write o as a function of plain floats, with `math.tanh`, and nudge w1 (the third "
        "input) by ±h: `(o(w1 + h) - o(w1 - h)) / (2 * h)`. The exact gradient is "
        "`ours[1][2]`, from `backward()`.",
        "`hs = [10.0 ** -k for k in range(1, 14)]`; plot the errors against `hs` with "
        "`ax.loglog`. For float32, make every number `np.float32`, h included, and use "
        "`np.tanh`, which keeps the type.",
    ],
    discussion="""\
For ∂o/∂w1 in float64, the error is 6.5 × 10⁻³ at h = 0.1 and falls a hundredfold for every
tenfold smaller h, down to about 10⁻¹⁰ near h = 10⁻⁵: that is the h² of the central
difference, the error of replacing a curve by a straight line across a distance 2h. Below
that the error climbs again, about tenfold for every tenfold smaller h, to around 10⁻³ at
h = 10⁻¹³. That side is rounding. Each value of o is off by up to about 10⁻¹⁶ of itself,
f(x + h) − f(x − h) keeps that error while the difference itself shrinks with h, and the
division by 2h magnifies it by 1/(2h). The two errors balance where h² is about
10⁻¹⁶ / h, near the cube root of float64's relative gap, about 6 × 10⁻⁶: that is why
10⁻⁵ or 10⁻⁶ is the usual choice (`nnscratch.gradcheck` uses 10⁻⁶).

In float32 the gap is about 10⁻⁷, so the balance moves to h near 10⁻² or 10⁻³, and the
best error is only about 10⁻⁵ to 10⁻⁴, a hundred thousand times worse or more. A gradient
check in float32 cannot tell a small bug from rounding: one more reason to check gradients
in float64.""",
)
