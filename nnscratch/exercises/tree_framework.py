"""Exercises for chapter 08, *The recursive tree framework*.

* ``q1``: the depth of a tree, recursively (``depth``).
* ``q2``: Celsius to Fahrenheit as a tree, F = 1.8·C + 32 (``c_to_f``).
* ``q3``: the derivatives that reach w and b in one backward pass (``dL_dw``, ``dL_db``).
* ``q4``: a new operation, tanh, with its local derivative (``Tanh``).
* ``q5``: open-ended: a parameter used twice, stepped through with the tree player.

The checks work with the chapter's own node classes and with `nnscratch.tree`'s: they
use only ``children``, ``forward()``, ``grad()`` and ``predict()``.
"""

from __future__ import annotations

import math
from typing import Any, Optional

from ..tree import Add, Input, Multiply, NeuralNetNode, Parameter, ReLU, Sigmoid
from ..tree.checks import show
from ..tree.graph import walk
from .core import NumberProblem, OpenEnded, Problem, Unattempted, as_number, is_blank

__all__ = ["q1", "q2", "q3", "q4", "q5"]


def _close(a: float, b: float, rel: float = 1e-9, abs_: float = 1e-9) -> bool:
    return math.isclose(a, b, rel_tol=rel, abs_tol=abs_)


# -- q1: the depth of a tree ---------------------------------------------------------------


def reference_depth(node: Any) -> int:
    """1 for a leaf; 1 + the largest depth among the children otherwise."""
    return 1 + max((reference_depth(c) for c in node.children), default=0)


def _count(node: Any) -> int:
    return 1 + sum(_count(c) for c in node.children)


def _first_child_depth(node: Any) -> int:
    return 1 + (_first_child_depth(node.children[0]) if node.children else 0)


def _depth_cases() -> list[tuple[str, NeuralNetNode]]:
    p = Parameter
    classifier = Sigmoid([Add([Multiply([p(0.5), ReLU([Add([Multiply([p(0.1), Input()]),
                                                             Multiply([p(0.2), Input()]), p(0.3)])])]), p(0.4)])])
    return [
        ("Parameter(1.0)", p(1.0)),
        ("Add([Parameter(1.0), Parameter(2.0)])", Add([p(1.0), p(2.0)])),
        ("Add([Parameter(1.0), Multiply([Parameter(2.0), Sigmoid([Input()])])])",
         Add([p(1.0), Multiply([p(2.0), Sigmoid([Input()])])])),
        ("the chapter's classifier", classifier),
    ]


class Depth(Problem):
    def __init__(self) -> None:
        super().__init__(
            "depth",
            hints=[
                "A leaf (no children) is a tree of depth 1. Otherwise the node sits on top of "
                "its deepest child: 1 + the depth of that child.",
                "Call `depth` on every child and keep the largest: `max(depth(c) for c in "
                "node.children)`. Mind the leaf, whose children list is empty (max of nothing "
                "fails; `max(..., default=0)` does not).",
            ],
            solution="""\
def depth(node):
    return 1 + max((depth(child) for child in node.children), default=0)""",
            explanation="The function calls itself on smaller and smaller trees until it reaches the "
            "leaves, which answer without calling anything: the same shape as forward(), which "
            "asks its children for their values and combines them.",
            praise="recursion: a leaf answers directly, every other node asks its children.",
        )

    def _grade(self, fn: Any) -> Optional[str]:
        if not callable(fn):
            return f"`depth` should be a function, but it is a {type(fn).__name__}."
        for text, tree in _depth_cases():
            got = fn(tree)
            if is_blank(got):
                raise Unattempted("`depth` still returns ____: fill in its body, run that cell, then check again.")
            if got is None:
                return f"depth({text}) returned None: did you forget `return`?"
            if isinstance(got, bool) or not isinstance(got, int):
                return f"depth({text}) returned a {type(got).__name__}; a depth is a whole number."
            want = reference_depth(tree)
            if got == want:
                continue
            if not tree.children:
                return (f"depth({text}) returned {show(got)}: a single leaf is a tree of depth 1 "
                        "(it is one level high).")
            if got == want - 1:
                return f"depth({text}) is one short: count the leaf's level too (a leaf has depth 1)."
            if got == _count(tree):
                return f"depth({text}) counts every node; the depth is the length of the longest path down."
            if got == _first_child_depth(tree):
                return (f"depth({text}) follows only the first child; the depth is set by the deepest "
                        "child, whichever it is.")
            return f"depth({text}) returned {show(got)}, which is not right."
        return None


q1 = Depth()


# -- q2: Celsius to Fahrenheit as a tree -------------------------------------------------------


def _class_names(tree: Any) -> list[str]:
    return [type(n).__name__ for n in walk(tree)]


class CelsiusToFahrenheit(Problem):
    temperatures = (0.0, 100.0, -40.0, 37.0)

    def __init__(self) -> None:
        super().__init__(
            "c_to_f",
            hints=[
                "It is the same shape as the Fahrenheit-to-Celsius model: a product of a weight "
                "and the input, added to a bias. Only the numbers change: weight 1.8, bias 32.",
                "Build it from the inside out: `Multiply([Parameter(1.8), Input()])` is 1.8·C; "
                "an Add of that and `Parameter(32.0)` is the whole model.",
            ],
            solution="""\
c_to_f = Add([Multiply([Parameter(1.8), Input()]), Parameter(32.0)])
c_to_f.predict([100.0])   # 212.0""",
            explanation="The weight and the bias are parameters, not constants: start them elsewhere and "
            "train on pairs of temperatures, and the model finds 1.8 and 32 by itself, as the chapter's "
            "model found 5/9 and −160/9.",
            praise="water boils at 212 °F, and −40 is the same in both scales.",
        )

    def _grade(self, model: Any) -> Optional[str]:
        try:  # an answer whose attribute lookup raises is not a tree either
            a_tree = hasattr(model, "children") and callable(getattr(model, "predict", None))
        except Exception:
            a_tree = False
        if not a_tree:
            return ("`c_to_f` should be the root of a tree of nodes, such as Add([...]), with a "
                    f"predict method; it is a {type(model).__name__}.")
        names = _class_names(model)
        inputs, params = names.count("Input"), names.count("Parameter")
        if inputs != 1:
            return (f"`c_to_f` has {inputs} Input nodes; it needs exactly one, for the temperature in "
                    "Celsius. The fixed numbers 1.8 and 32 belong in Parameter nodes.")
        if params < 2:
            return ("`c_to_f` should hold 1.8 and 32 in Parameter nodes, so that a model of this shape "
                    f"could learn them; it has {params} Parameter node{'s' * (params != 1)}.")
        got = {}
        for c in self.temperatures:
            out = model.predict([c])
            got[c] = as_number(out, f"c_to_f.predict([{c}])")
        if all(_close(got[c], 1.8 * c + 32.0) for c in self.temperatures):
            return None
        if _close(got[0.0], 1.8) and _close(got[100.0], 3201.8):
            return "the weight and the bias are swapped: 1.8 multiplies the temperature, 32 is added."
        if all(_close(got[c], (c - 32.0) * 5 / 9) for c in self.temperatures):
            return "this converts Fahrenheit to Celsius, the chapter's direction; the exercise asks the other way."
        if _close(got[0.0], 32.0):
            return f"0 °C comes out right, but 100 °C gives {got[100.0]:g}: check the weight."
        if _close(got[100.0] - got[0.0], 180.0):
            return f"the slope is right, but 0 °C gives {got[0.0]:g}: check the bias."
        return f"c_to_f.predict([100.0]) gives {got[100.0]:g}, which is not the boiling point in Fahrenheit."


q2 = CelsiusToFahrenheit()


# -- q3: the derivatives that reach w and b ---------------------------------------------------
# ŷ = w·x + b with w = 0.5, b = 1, x = 4, target y = 2, squared error L = (y − ŷ)².

_W, _B, _X, _Y = 0.5, 1.0, 4.0, 2.0
_PRED = _W * _X + _B
_DL_DPRED = 2.0 * (_PRED - _Y)

q3 = NumberProblem(
    ("dL_dw", "dL_db"),
    (_DL_DPRED * _X, _DL_DPRED),
    hints=[
        "Go down the tree. The root, Add, receives ∂L/∂ŷ = 2(ŷ − y) from the loss. An Add passes "
        "what it receives unchanged to each child. A Multiply passes it to one child multiplied "
        "by the value of the other child.",
        "ŷ = 0.5 · 4 + 1 = 3, so ∂L/∂ŷ = 2(3 − 2) = 2. The bias is a child of the Add; the weight is "
        "a child of the Multiply, whose other child is the input x = 4.",
    ],
    solution="""\
w, b, x, y = 0.5, 1.0, 4.0, 2.0
prediction = w * x + b          # 3.0
dL_dpred = 2 * (prediction - y) # 2.0: what Add receives from the loss
dL_db = dL_dpred * 1            # Add passes it on unchanged
dL_dw = dL_dpred * x            # Multiply: times the other child, x
# dL_dw = 8.0, dL_db = 2.0""",
    explanation="Both derivatives are positive: the prediction is too high, so gradient descent lowers "
    "both w and b. w moves four times as fast as b, because it is multiplied by x = 4: a change in w "
    "changes the prediction four times as much.",
    mistakes=[
        (lambda w, b: _close(w, _DL_DPRED / 2 * _X) and _close(b, _DL_DPRED / 2),
         "both are half as large as they should be: the derivative of (y − ŷ)² with respect to ŷ "
         "has a factor 2."),
        (lambda w, b: _close(w, -_DL_DPRED * _X) and _close(b, -_DL_DPRED),
         "both have the wrong sign: ∂/∂ŷ (y − ŷ)² = −2(y − ŷ) = 2(ŷ − y), which is positive here "
         "because the prediction is above the target."),
        (lambda w, b: _close(w, _DL_DPRED) and _close(b, _DL_DPRED * _X),
         "the two are swapped: the weight's derivative picks up the input x, the bias's does not."),
        (lambda w, b: _close(w, _DL_DPRED * _W),
         "`dL_dw` was multiplied by w itself; a Multiply passes each child the value of the *other* child."),
    ],
    praise="the prediction is too high, so both derivatives are positive and both parameters will drop.",
)


# -- q4: a new operation: tanh ------------------------------------------------------------------


class _Leaf:
    """A stand-in leaf for node classes written in a notebook: it has a value and no children."""

    def __init__(self, value: float) -> None:
        self.value = value
        self.children: list[Any] = []

    def forward(self) -> float:
        return self.value

    def __call__(self) -> float:
        return self.value

    def __repr__(self) -> str:
        return f"Parameter({self.value!r})"


class TanhOperation(Problem):
    points = (-2.0, -0.5, 0.0, 0.3, 1.7)

    def __init__(self) -> None:
        super().__init__(
            "Tanh",
            hints=[
                "`op(self, x)` gets the list of the children's values; Tanh has one child, so "
                "its value is x[0]. `grad(self)` returns a list with one local derivative per "
                "child, here a list of one number.",
                "tanh′(u) = 1 − tanh²(u). In grad, get u from the child: "
                "`u = self.children[0].forward()`.",
            ],
            solution="""\
class Tanh(Operation):
    def op(self, x):
        return math.tanh(x[0])

    def grad(self):
        t = math.tanh(self.children[0].forward())
        return [1 - t * t]""",
            explanation="Nothing else changes: forward and backward are written once, in the base class, "
            "and call op and grad. A new operation is two small methods.",
            praise="one new node type, and forward and backward work with it unchanged.",
        )

    def _make(self, cls: type, value: float) -> Any:
        if isinstance(cls, type) and issubclass(cls, NeuralNetNode):
            return cls([Parameter(value)])
        return cls([_Leaf(value)])

    def _grade(self, cls: Any) -> Optional[str]:
        if not isinstance(cls, type):
            return f"`Tanh` should be a class (class Tanh(Operation): ...), but it is a {type(cls).__name__}."
        for u in self.points:
            node = self._make(cls, u)
            call = f"Tanh([Parameter({u})])"
            out = node.op([u])  # what the learner wrote (forward() only adds the recursion)
            if is_blank(out):
                raise Unattempted("`Tanh.op` still returns ____: fill it in, run that cell, then check again.")
            if isinstance(out, (list, tuple)):
                return f"{call}: op returned a list; op should return one number, the tanh of x[0]."
            value = as_number(out, f"what {call}'s op returned")
            if not _close(value, math.tanh(u), rel=1e-9, abs_=1e-12):
                return f"{call}: op returned {value!r}, which is not tanh({u})."
            g = node.grad()
            if is_blank(g) or (isinstance(g, (list, tuple)) and any(is_blank(v) for v in g)):
                raise Unattempted("`Tanh.grad` still returns ____: fill it in, run that cell, then check again.")
            if not isinstance(g, (list, tuple)):
                return (f"{call}.grad() returned a {type(g).__name__}; grad returns a list with one "
                        "derivative per child: a list of one number.")
            if len(g) != 1:
                return f"{call}.grad() returned {len(g)} derivatives; Tanh has one child, so one derivative."
            d = as_number(g[0], f"{call}.grad()[0]")
            t = math.tanh(u)
            if _close(d, 1 - t * t, rel=1e-9, abs_=1e-12):
                continue
            if _close(d, t, abs_=1e-12):
                return f"{call}.grad() gives tanh({u}) itself; grad is the derivative of tanh, not its value."
            if _close(d, 1 - t, abs_=1e-12):
                return f"{call}.grad() gives 1 − tanh({u}); the derivative has tanh squared."
            return f"{call}.grad() returned [{d!r}], which is not the derivative of tanh at {u}."
        return None


q4 = TanhOperation()


# -- q5: open-ended: a parameter used twice ---------------------------------------------------------

q5 = OpenEnded(
    hints=[
        "Step through the first tree with `tree_player(twice, 1.0, names=...)`: how many times is w "
        "visited, with what derivative each time, and where does w end up? Compare with one "
        "gradient-descent step, w − 0.1 · ∂ŷ/∂w, where ∂ŷ/∂w = x₁ + x₂.",
        "In the second tree, a local derivative is computed after w has already moved: which one? "
        "The sigmoid's grad() calls forward(), and forward() reads w as it is at that moment.",
    ],
    discussion="""In the first tree, the recursion visits w twice, once from each product: first with
x₁ = 1, then with x₂ = 2. w steps at each visit, so it ends at 0.5 − 0.1·1 − 0.1·2 = 0.2,
exactly one step with the whole derivative, x₁ + x₂ = 3: the two products hand w their
inputs, which do not depend on w. Only w.derivative is misleading: it holds 2, the last
share, not 3.

In the second tree the sigmoid's local derivative depends on w, and the recursion works it
out after w's first step. So the second share is σ′(0.4 · 2) · 2 ≈ 0.428 instead of
σ′(0.5 · 2) · 2 ≈ 0.393, and w ends at about 0.3572 instead of 0.3607, the gradient step
from 0.5. The recursion is right on a tree because nothing reads a parameter after it has
stepped; a node with two parents breaks that. The chapter *Seven exercises: growing the
tree framework* fixes it by visiting every parent before its children, so that each node
hears from all its parents first, and each parameter steps once.""",
)
