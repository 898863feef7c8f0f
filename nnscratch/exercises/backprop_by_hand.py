"""Exercises for chapter 03, *Backpropagation by hand*.

* ``q1``: every gradient of L = s·t, s = x + y, t = z·w, by hand.
* ``q2``: L = (a·b + c)·f after one step of gradient descent of size 0.1.
* ``q3``: the output and gradients of the chapter's neuron with the bias b = 6.
* ``q4``: the steps of the backward pass, in the player, in which w1 and b receive
  their gradients.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from .core import NumberProblem, Problem, Wrong, as_number, describe_number_error

__all__ = ["q1", "q2", "q3", "q4", "GradientsByHand", "Gradient"]


def _close(x: float, y: float) -> bool:
    return math.isclose(x, y, rel_tol=1e-6, abs_tol=1e-9)


@dataclass(frozen=True)
class Gradient:
    """One number a learner fills in: a gradient (or a value) of a small graph.

    For the gradient of an operation's input, ``local`` is the local derivative of the
    operation with respect to that input, and the gradient arriving at the
    operation's output is ``upstream`` (the name of the variable that holds it) or,
    next to the root of the graph, the number ``upstream_value``; the right answer is
    local × upstream. For an input of a product, ``own`` is the input's own value:
    using it instead of the other factor is the classic mix-up.
    """

    name: str
    expected: float
    local: float | None = None
    upstream: str | None = None
    upstream_value: float = 1.0
    own: float | None = None


class GradientsByHand(Problem):
    """Several numbers from one graph, checked from the root back, each wrong one
    explained.

    A gradient that is wrong only because the one it is computed from is wrong is
    reported as such ("follows from your ..."), so the learner knows where to start
    fixing.
    ``whole_mistakes`` are ``(test, message)`` pairs, each test taking the dict of
    answers by name; they are tried first.
    """

    def __init__(
        self,
        gradients: Sequence[Gradient],
        hints: Sequence[str],
        solution: str,
        whole_mistakes: Sequence[tuple[Callable[[dict[str, float]], bool], str]] = (),
        praise: str = "",
        explanation: str = "",
    ) -> None:
        super().__init__([g.name for g in gradients], hints, solution, praise, explanation)
        self.gradients = tuple(gradients)
        self.whole_mistakes = tuple(whole_mistakes)

    def _grade(self, *answers: Any) -> str | None:
        got = {g.name: as_number(a, g.name) for g, a in zip(self.gradients, answers)}
        expected = {g.name: g.expected for g in self.gradients}
        wrong = [g for g in self.gradients if not _close(got[g.name], g.expected)]
        if not wrong:
            return None
        for test, message in self.whole_mistakes:
            if test(got):
                return message
        return _explain(wrong, got, expected)


def _names(names: list[str]) -> str:
    """`a`, `a` and `b`, `a`, `b` and `c`."""
    quoted = [f"`{n}`" for n in names]
    return quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " and " + quoted[-1]


def _explain(wrong: list[Gradient], got: dict[str, float], expected: dict[str, float]) -> str:
    """Why the ``wrong`` answers are wrong, as specifically as can be told without
    giving the answers away; answers wrong for the same reason share one sentence."""
    reasons: dict[tuple[str, str], list[str]] = {}  # (kind, detail) -> names, in order
    for g in wrong:
        value = got[g.name]
        kind, detail = "other", describe_number_error(g.name, value, g.expected)
        if g.local is not None:
            theirs = got[g.upstream] if g.upstream else g.upstream_value
            right = expected[g.upstream] if g.upstream else g.upstream_value
            if not _close(theirs, right) and _close(value, g.local * theirs):
                kind, detail = "follows", g.upstream or ""
            elif g.own is not None and not _close(g.own, g.local) and _close(value, g.own * right):
                kind, detail = "own", ""
            elif not _close(right, 1.0) and _close(value, g.local):
                kind, detail = "local", g.upstream or ""
        reasons.setdefault((kind, detail), []).append(g.name)
    sentences = []
    for (kind, detail), names in reasons.items():
        one = len(names) == 1
        if kind == "other":
            sentences.append(detail)
        elif kind == "follows":
            sentences.append(f"{_names(names)} {'follows' if one else 'follow'} correctly from "
                             f"your `{detail}`, so {'it' if one else 'they'} will come right "
                             "when that one does.")
        elif kind == "own":
            sentences.append(f"{_names(names)} {'uses its' if one else 'use their'} own value as "
                             "the local derivative, but at a × node the local derivative with "
                             "respect to one input is the *other* input.")
        else:
            sentences.append(f"{_names(names)} {'is' if one else 'are'} the local derivative "
                             f"alone; the chain rule multiplies {'it' if one else 'each'} by the "
                             f"gradient arriving from the output's side (`{detail}`).")
    return " ".join(sentences)


# -- q1: L = s·t with s = x + y, t = z·w ----------------------------------------------

_x, _y, _z, _w = 1.0, 2.0, -3.0, 4.0
_s, _t = _x + _y, _z * _w

q1 = GradientsByHand(
    [
        Gradient("dL_ds", _t * 1.0, local=_t, own=_s),
        Gradient("dL_dt", _s * 1.0, local=_s, own=_t),
        Gradient("dL_dx", 1.0 * _t, local=1.0, upstream="dL_ds"),
        Gradient("dL_dy", 1.0 * _t, local=1.0, upstream="dL_ds"),
        Gradient("dL_dz", _w * _s, local=_w, upstream="dL_dt", own=_z),
        Gradient("dL_dw", _z * _s, local=_z, upstream="dL_dt", own=_w),
    ],
    hints=[
        "Work out s and t first. Then start at L itself, where ∂L/∂L = 1. L = s·t is a "
        "product, so ∂L/∂s is the *other* factor times 1, and the same for ∂L/∂t.",
        "Work back one operation at a time. s = x + y: a + node hands its gradient on "
        "unchanged, so ∂L/∂x = ∂L/∂y = ∂L/∂s. t = z·w: ∂L/∂z = w·∂L/∂t and "
        "∂L/∂w = z·∂L/∂t.",
    ],
    solution="""\
# forward: s = x + y = 3, t = z·w = -12, L = s·t = -36
dL_ds = -12.0   # t · ∂L/∂L = -12 · 1
dL_dt = 3.0     # s · ∂L/∂L =   3 · 1
dL_dx = -12.0   # 1 · ∂L/∂s
dL_dy = -12.0   # 1 · ∂L/∂s
dL_dz = 12.0    # w · ∂L/∂t = 4 · 3
dL_dw = -9.0    # z · ∂L/∂t = -3 · 3""",
    explanation="Check one by nudging: with z = -3 + h, L = (1 + 2)·((-3 + h)·4) = -36 + 12h, "
    "so L moves 12 times as fast as z.",
)


# -- q2: one step of gradient descent on L = (a·b + c)·f -------------------------------

def _L_at(a: float, b: float, c: float, f: float) -> float:
    return (a * b + c) * f


_leaves = (2.0, -3.0, 10.0, -2.0)
_grads = (6.0, -4.0, -2.0, 4.0)  # ∂L/∂a, ∂L/∂b, ∂L/∂c, ∂L/∂f at the leaves above


def _stepped(step: float) -> float:
    """L after moving every leaf by -step · its gradient (descent for step > 0)."""
    return _L_at(*(v - step * g for v, g in zip(_leaves, _grads)))


_L_before = _L_at(*_leaves)
_straight_line = _L_before - 0.1 * sum(g * g for g in _grads)

q2 = NumberProblem(
    "L_after",
    _stepped(0.1),
    hints=[
        "Descent moves every leaf *against* its gradient: a becomes a - 0.1·∂L/∂a, and "
        "the same for b, c and f. Then compute L = (a·b + c)·f from the moved leaves.",
        "The gradients are the ones this chapter found: ∂L/∂a = 6, ∂L/∂b = -4, "
        "∂L/∂c = -2, ∂L/∂f = 4. The function `L_at(a, b, c, f)` does the arithmetic.",
    ],
    solution="""\
step = 0.1
L_after = L_at(2.0 - step * 6.0, -3.0 - step * -4.0,
               10.0 - step * -2.0, -2.0 - step * 4.0)""",
    explanation="The moved leaves are a = 1.4, b = -2.6, c = 10.2, f = -2.4, and L falls from "
    "-8 to -15.744. The straight-line estimate L - 0.1·(6² + 4² + 2² + 4²) = -15.2 is "
    "close but not equal: L is curved, and a step this big shows it.",
    mistakes=[
        (lambda L: _close(L, _stepped(-0.1)),
         "that is where a step *up* the gradient lands: L went up. Descent moves each leaf "
         "against its gradient (subtract step × gradient)."),
        (lambda L: _close(L, _stepped(0.01)),
         "that is the step of 0.01 from the chapter; this exercise takes a step of 0.1."),
        (lambda L: _close(L, _L_before),
         "that is L before the step: move the leaves first, then recompute L."),
        (lambda L: _close(L, _straight_line),
         "that is the straight-line estimate L - 0.1·Σ grad². It is close, but L is "
         "curved: compute L exactly from the moved leaves."),
        (lambda L: any(_close(L, _L_at(*(v - 0.1 * g if i == j else v
                                          for j, (v, g) in enumerate(zip(_leaves, _grads)))))
                       for i in range(4)),
         "it looks like only one leaf moved. A step moves all four leaves a, b, c and f, "
         "each by -0.1 × its own gradient."),
    ],
)


# -- q3: the neuron with b = 6 ----------------------------------------------------------

_x1, _x2, _w1, _w2 = 2.0, 0.0, -3.0, 1.0


def _neuron(bias: float) -> dict[str, float]:
    o = math.tanh(_x1 * _w1 + _x2 * _w2 + bias)
    do_dn = 1.0 - o * o
    return {"o_value": o, "do_dn": do_dn, "do_dx1": _w1 * do_dn, "do_dw1": _x1 * do_dn,
            "do_dx2": _w2 * do_dn, "do_dw2": _x2 * do_dn}


_b6 = _neuron(6.0)
_chapter = _neuron(6.8813735870195432)

q3 = GradientsByHand(
    [
        Gradient("o_value", _b6["o_value"]),
        Gradient("do_dn", _b6["do_dn"]),
        Gradient("do_dx1", _b6["do_dx1"], local=_w1, upstream="do_dn", own=_x1),
        Gradient("do_dw1", _b6["do_dw1"], local=_x1, upstream="do_dn", own=_w1),
        Gradient("do_dx2", _b6["do_dx2"], local=_w2, upstream="do_dn", own=_x2),
        Gradient("do_dw2", _b6["do_dw2"], local=_x2, upstream="do_dn", own=_w2),
    ],
    whole_mistakes=[
        (lambda got: all(_close(got[k], _chapter[k]) for k in got),
         "these are the numbers for the chapter's bias, b = 6.8813...; with b = 6 the sum n "
         "is different, and so are o and the local derivative of tanh."),
    ],
    hints=[
        "First the forward pass: n = x1·w1 + x2·w2 + b with b = 6, then o = tanh(n). "
        "Then ∂o/∂n = 1 - o², the local derivative of tanh.",
        "The two + nodes hand ∂o/∂n on unchanged to x1·w1 and x2·w2. Each × node "
        "then hands each input the *other* input times ∂o/∂n: ∂o/∂x1 = w1·∂o/∂n, and so on.",
    ],
    solution="""\
# n = 2·(-3) + 0·1 + 6 = 0, so o = tanh(0) = 0
o_value = 0.0
do_dn = 1.0    # 1 - o² = 1 - 0²
do_dx1 = -3.0  # w1 · ∂o/∂n
do_dw1 = 2.0   # x1 · ∂o/∂n
do_dx2 = 1.0   # w2 · ∂o/∂n
do_dw2 = 0.0   # x2 · ∂o/∂n""",
    explanation="At n = 0, tanh is at its steepest (slope 1), so every gradient is exactly "
    "the local derivative of its × node: twice the chapter's, where the slope was 1/2.",
)


# -- q4: the steps of the neuron's player in which w1 and b receive their gradients ------

def _player_neuron() -> tuple[Any, dict[str, Any]]:
    """The chapter's neuron built with `nnscratch.Value` as the cell of its player builds
    it, value by value in the same order: the output o, and every value by label."""
    from ..engine import Value

    def named(value: Value, label: str) -> Value:
        value.label = label
        return value

    x1, w1 = Value(2.0, label="x1"), Value(-3.0, label="w1")
    x2, w2 = Value(0.0, label="x2"), Value(1.0, label="w2")
    b = Value(6.8813735870195432, label="b")
    x1w1 = named(x1 * w1, "x1*w1")
    x2w2 = named(x2 * w2, "x2*w2")
    s = named(x1w1 + x2w2, "x1*w1 + x2*w2")
    n = named(s + b, "n")
    o = named(n.tanh(), "o")
    return o, {v.label: v for v in (x1, w1, x2, w2, b, x1w1, x2w2, s, n, o)}


def _player_steps() -> list[list[str]]:
    """For each step of the neuron's player (from 1), the labels of the values whose
    gradient it changes: what the player's captions show, from `backprop_steps`."""
    from ..viz.steps import backprop_steps

    o, _ = _player_neuron()
    return [[change.value.label for change in step.changes] for step in backprop_steps(o)]


class PlayerSteps(Problem):
    """Step numbers, as the player counts them, in which named values receive their
    gradients; a wrong step is answered with what that step does change."""

    def __init__(self, targets: dict[str, str], **kwargs: Any) -> None:
        super().__init__(tuple(targets), **kwargs)
        self.targets = dict(targets)  # variable -> label of the value it asks about

    def _grade(self, *answers: Any) -> str | None:
        steps = _player_steps()
        problems = []
        for name, answer in zip(self.variables, answers):
            label = self.targets[name]
            k = as_number(answer, name)
            if k != int(k):
                raise Wrong(f"`{name}` should be a whole number: steps are counted 1, 2, 3, ...")
            k = int(k)
            if k in [i for i, changed in enumerate(steps, 1) if label in changed]:
                continue
            if k == 0:
                problems.append(f"`{name}`: frame 0 is the graph before the first step, when "
                                "only the output's gradient is set.")
            elif not 1 <= k <= len(steps):
                problems.append(f"`{name}`: the player has no step {k}; its counter, "
                                "\"Step k of n\", says how many there are.")
            else:
                changed = steps[k - 1]
                whose = f"{changed[0]} its gradient" if len(changed) == 1 else \
                    f"{' and '.join(changed)} their gradients"
                problems.append(f"`{name}`: step {k} gives {whose}, not {label}.")
        return " ".join(problems) or None


q4 = PlayerSteps(
    {"w1_step": "w1", "b_step": "b"},
    hints=[
        "Frame 0 is the graph before any step; frame k shows it after step k, with the node "
        "whose step it was highlighted and the step's arithmetic underneath. Step forward "
        "until a caption line begins with w1.grad (then b.grad).",
        "A leaf receives its gradient in the step of the operation it feeds: w1 feeds x1*w1, "
        "and b feeds n = (x1*w1 + x2*w2) + b. In which steps do those two operations pass "
        "their gradients on?",
    ],
    solution="""\
w1_step = 5   # the last step, x1*w1's:  w1.grad += x1 · (x1*w1).grad
b_step = 2    # the second step, n's:    b.grad += 1 · n.grad""",
    explanation="A leaf receives its gradient in the step of the operation it feeds, and "
    "that operation can take its step only once its own gradient is complete, after every "
    "operation between it and the output. b is added straight into n, which is next to the "
    "output's tanh, so it is done in step 2. w1 feeds x1*w1, which must wait for both sums, "
    "and which this engine takes after x2*w2: step 5. `backprop_steps(o).steps_changing(w1)` "
    "gives the same numbers as data.",
    praise="a leaf waits for every operation between it and the output.",
)
