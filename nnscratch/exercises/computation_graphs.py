"""Exercises for chapter 02, *Values and computation graphs*.

The answers are built with the chapter's own ``Value`` class (fields ``data``,
``grad``, ``label``, ``op``, ``children``), so the checks only rely on those fields.

* ``q1``: build a neuron's weighted sum n = x1·w1 + x2·w2 + b as Values (``n``).
* ``q2``: predict what ``draw_dot`` draws for a small graph (``n_values``, ``n_ops``, ``n_arrows``).
* ``q3``: give ``Value`` a ``__sub__`` method (reads the class ``Value``).
"""

from __future__ import annotations

import math
from collections import Counter
from typing import Any

from .core import NumberProblem, Problem, Wrong, Unattempted, describe_number_error, is_blank

__all__ = ["q1", "q2", "q3"]


def _is_value(x: Any) -> bool:
    return all(hasattr(x, field) for field in ("data", "op", "children"))


def _walk(root: Any) -> list[Any]:
    """Every value ``root`` depends on (itself included), each once, children first."""
    seen: set[int] = set()
    order: list[Any] = []
    stack = [root]
    while stack:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        order.append(node)
        stack.extend(node.children)
    return order


# -- q1: build an expression as Values -------------------------------------------------

_INPUTS = {"x1": 2.0, "x2": 0.0, "w1": -3.0, "w2": 1.0, "b": 6.8813735870195432}
_N = _INPUTS["x1"] * _INPUTS["w1"] + _INPUTS["x2"] * _INPUTS["w2"] + _INPUTS["b"]


class BuildNeuronSum(Problem):
    """n = x1·w1 + x2·w2 + b, built from the five given leaves with * and +."""

    def __init__(self) -> None:
        super().__init__(
            "n",
            hints=[
                "Combine the five Values with * and +, exactly as you would combine plain "
                "numbers. Do not use `.data`: the result must be a Value that remembers "
                "how it was made.",
                "Multiply each input by its weight, add the two products, then add the "
                "bias. Labelling the intermediate results (say `x1w1.label = \"x1*w1\"`) "
                "makes the drawing easier to read.",
            ],
            solution="""\
x1w1 = x1 * w1; x1w1.label = "x1*w1"
x2w2 = x2 * w2; x2w2.label = "x2*w2"
x1w1x2w2 = x1w1 + x2w2; x1w1x2w2.label = "x1*w1 + x2*w2"
n = x1w1x2w2 + b; n.label = "n"
draw_dot(n, show_grad=False)""",
            explanation="n.data is about 0.8814. The next chapter, *Backpropagation by hand*, "
            "sends this n through tanh to make the output of a neuron, then asks how that "
            "output depends on each weight.",
            praise="five leaves, two multiplications, two additions: a neuron's weighted sum.",
        )

    def _grade(self, n: Any) -> str | None:
        if not _is_value(n):
            if isinstance(n, (int, float)):
                return ("`n` is a plain number. Build it from the Values x1, w1, x2, w2, b "
                        "with * and + (no `.data`), so that it remembers how it was made.")
            return f"`n` should be a Value, but it is a {type(n).__name__}."
        if not n.children:
            return ("`n` is a leaf: it has no children, so it does not remember how it was "
                    "made. Build it from the five given Values with * and +.")
        nodes = _walk(n)
        leaves = [v for v in nodes if not v.children]
        ops = Counter(v.op for v in nodes if v.children)
        leaf_data = sorted(float(v.data) for v in leaves)
        if leaf_data != sorted(_INPUTS.values()):
            return ("the leaves of your graph are not the five given Values x1, x2, w1, w2 "
                    "and b: build n from those five, each used once, with no extra numbers.")
        if ops["*"] != 2 or ops["+"] != 2 or sum(ops.values()) != 4:
            names = {"*": "multiplication", "+": "addition"}
            found = " and ".join(
                f"{k} {names.get(op, f'{op!r} operation')}{'s' * (k != 1)}" for op, k in sorted(ops.items())
            )
            return (f"your graph has {found}; x1·w1 + x2·w2 + b needs two multiplications "
                    "and two additions.")
        if not math.isclose(n.data, _N, rel_tol=1e-12, abs_tol=1e-12):
            return describe_number_error("n.data", float(n.data), _N) + (
                " Check which Values you multiplied together.")
        return None


q1 = BuildNeuronSum()


# -- q2: predict the drawing -------------------------------------------------------------

# p = a * b;  q = p + b;  r = q * p
_COUNTS = (5, 3, 9)  # values a b p q r; ovals * + *; 6 arrows operand -> oval, 3 oval -> value

q2 = NumberProblem(
    ("n_values", "n_ops", "n_arrows"),
    _COUNTS,
    hints=[
        "Draw it by hand first: one box per Value object (a, b, p, q, r), one oval per "
        "operation, an arrow from each operand into its oval, and one from each oval to "
        "the value it made.",
        "p and b are each used twice, but each is still ONE Value, drawn once, with two "
        "arrows leaving it. Then run `draw_dot(r, show_grad=False)` and count.",
    ],
    solution="""\
n_values = 5    # a, b, p, q, r: each Value object once
n_ops = 3       # *, +, *
n_arrows = 9    # 2 into each of the 3 ovals, and 1 out of each""",
    explanation="Written as an expression, r = (a·b + b)·(a·b): a tree would show a·b twice "
    "and b three times. The graph holds each Value once, so p and b each have two arrows "
    "leaving them: one per use.",
    mistakes=[
        (lambda v, o, a: v in (7, 9),
         "`n_values` counts a value once for every time it is used, as an expression tree "
         "would. draw_dot draws each Value object once, however many times it is used."),
        (lambda v, o, a: v == 3,
         "`n_values` counts only the results of operations: the leaves a and b get boxes too."),
        (lambda v, o, a: a == 6,
         "`n_arrows` counts the arrows into the operation ovals, but each oval also has an "
         "arrow to the value it makes."),
        (lambda v, o, a: a == 3,
         "`n_arrows` counts only the arrows from the ovals to their results: the operands "
         "have arrows into the ovals too."),
    ],
    praise="each Value drawn once, with one arrow per use.",
)


# -- q3: subtraction ------------------------------------------------------------------------


class AddSubtraction(Problem):
    """``Value.__sub__``: a new Value with data self.data − other.data, children
    (self, other) in that order, and op "-"."""

    def __init__(self) -> None:
        super().__init__(
            "Value",
            hints=[
                "Model it on `__add__`: compute the number, and wrap it in a new Value that "
                "records where it came from.",
                "The new Value gets data `self.data - other.data`, children `(self, other)` "
                "(in that order: a − b is not b − a) and op `\"-\"`.",
            ],
            solution="""\
def value_sub(self, other):
    return Value(self.data - other.data, (self, other), "-")

Value.__sub__ = value_sub""",
            explanation="Python turns `a - b` into `a.__sub__(b)`, so once the class has the "
            "method, `-` works on Values and records its graph like + and * do.",
            praise="a − b now builds a graph node, like + and *.",
        )

    def _subtract(self, cls: Any, x: float, y: float, same: bool = False) -> tuple[Any, Any, Any]:
        a = cls(x)
        b = a if same else cls(y)
        out = a - b
        if is_blank(out):
            raise Unattempted("your subtraction still returns ____: fill in its body, run "
                               "that cell, then check again.")
        shown = "a - a" if same else "a - b"
        if out is None:
            raise Wrong(f"{shown} returned None: did you forget `return`?")
        if isinstance(out, (int, float)):
            raise Wrong(f"{shown} returned a plain number. Return a new Value that records "
                        "its children and op, as __add__ does.")
        if not _is_value(out):
            raise Wrong(f"{shown} returned a {type(out).__name__}; it should return a new Value.")
        if out is a or out is b:
            raise Wrong(f"{shown} returned one of its operands. Make a new Value for the result "
                        "and leave a and b as they were.")
        if a.data != x or b.data != (x if same else y):
            raise Wrong(f"{shown} changed an operand's data. Leave a and b as they were and "
                        "put the difference in a new Value.")
        return a, b, out

    def _grade(self, cls: Any) -> str | None:
        if not isinstance(cls, type):
            return "`Value` should be the chapter's Value class, but it is not a class."
        if not hasattr(cls, "__sub__"):
            return ("`Value` has no `__sub__` yet: define the function, attach it with "
                    "`Value.__sub__ = value_sub`, and run that cell.")
        for x, y, same in ((5.0, 3.0, False), (3.0, 5.0, False), (-1.5, -1.5, True), (0.25, -2.0, False)):
            a, b, out = self._subtract(cls, x, y, same)
            shown = "a - a" if same else "a - b"
            values = f"with a = {x!r}" if same else f"with a = {x!r} and b = {y!r}"
            want = x - y
            if not math.isclose(float(out.data), want, rel_tol=1e-12, abs_tol=1e-12):
                if math.isclose(float(out.data), -want, rel_tol=1e-12):
                    return (f"{shown} {values} gave the value of b - a: subtract other from "
                            "self, not the other way round.")
                return f"{shown} {values} gave data {out.data!r}, which is not right."
            children = out.children
            if not children:
                return (f"{shown} has no children, so it does not remember where it came from: "
                        "give the new Value the children (self, other).")
            if not isinstance(children, tuple):
                return (f"{shown} keeps its children in a {type(children).__name__}; keep them "
                        "in a tuple, (self, other), so their order is fixed.")
            if len(children) == 2 and children[0] is b and children[1] is a and not same:
                return (f"{shown} records its children as (other, self). Keep them in the "
                        "order of the expression, (self, other): a − b is not b − a.")
            if len(children) != 2 or children[0] is not a or children[1] is not b:
                return (f"{shown} should record exactly its two operands as children, "
                        "(self, other).")
            if out.op != "-":
                return f"{shown} records op {out.op!r}; a subtraction should record \"-\"."
        return None


q3 = AddSubtraction()
