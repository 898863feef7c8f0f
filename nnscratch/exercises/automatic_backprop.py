"""Exercises for chapter 04, *Automatic backpropagation*.

* ``q1``: write ``sigmoid`` for the chapter's `Value`, with its ``_backward``.
* ``q2``: the order backward() walks, root first, found by counting uses (no recursion).
* ``q3``: what the engine that assigns (``=``) instead of accumulating (``+=``)
  reports for g = a·a + a, and what the truth is.
* ``q4``, open-ended: can the engine differentiate the gradient it computed (a second
  derivative), and what would it take?

The checks of ``q1`` and ``q2`` run the learner's function on small graphs and say
which graph went wrong and how, never what the right numbers are.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from typing import Any

from .core import OpenEnded, Problem, Unattempted, as_number, describe_number_error, mentions_blank

__all__ = ["q1", "q2", "q3", "q4"]


def _close(x: float, y: float) -> bool:
    return math.isclose(x, y, rel_tol=1e-6, abs_tol=1e-9)


def _sigma(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-x))


# -- q1: sigmoid with its _backward ------------------------------------------------------

class SigmoidBackward(Problem):
    """``sigmoid(v)`` for the notebook's `Value` class: forward value, child, and a
    ``_backward`` that applies the chain rule and accumulates."""

    def _grade(self, sigmoid: Any, value_class: Any) -> str | None:
        if not callable(sigmoid) or isinstance(sigmoid, type):
            return f"`sigmoid` should be a function, but it is a {type(sigmoid).__name__}."
        if not isinstance(value_class, type):
            return "`Value` should be the chapter's Value class: run the cell that defines it."
        if mentions_blank(sigmoid):
            raise Unattempted("`sigmoid` still has a ____ in it: fill it in, run that cell, "
                               "then check again.")
        V = value_class

        for x0 in (0.5, -1.2):
            x = V(x0)
            y = sigmoid(x)
            if y is None:
                return "sigmoid(x) returned None: did you forget `return out`?"
            if not isinstance(y, V):
                return f"sigmoid(x) should return a Value, but it returned a {type(y).__name__}."
            s = _sigma(x0)
            if not _close(y.data, s):
                return (f"sigmoid(Value({x0})).data is {y.data!r}, which is not σ({x0}): "
                        "the forward value is off.")
            if not any(c is x for c in y.children):
                return ("the output's `children` should hold the input, so that backward() "
                        "can reach it: make the output with Value(s, (self,), \"sigmoid\").")
            y.backward()
            local = s * (1.0 - s)
            g = x.grad
            if _close(g, local):
                continue
            where = f"after y = sigmoid(x) and y.backward() with x = {x0}, x.grad"
            if g == 0.0:
                return (f"{where} is still 0: does `_backward` add to `self.grad`, and is it "
                        "attached with `out._backward = _backward`?")
            if _close(g, s):
                return (f"{where} came out as σ(x) itself; the local derivative of σ has "
                        "one more factor.")
            if _close(g, x0 * (1.0 - x0)):
                return (f"{where} is off: the local derivative is written in terms of the "
                        "output s = σ(x), but yours uses the input x.")
            if _close(g, -local):
                return f"{where} has the wrong sign."
            return f"{where} is off: check the local derivative of σ."

        s = _sigma(0.5)
        local = s * (1.0 - s)
        x = V(0.5)
        z = sigmoid(x) * V(3.0)
        z.backward()
        if not _close(x.grad, 3.0 * local):
            if _close(x.grad, local):
                return ("right when sigmoid is the last operation, wrong when its output "
                        "feeds another one (z = sigmoid(x) * 3): the chain rule multiplies "
                        "the local derivative by `out.grad`.")
            return "after z = sigmoid(x) * 3 and z.backward(), x.grad is off."

        x = V(0.5)
        z = sigmoid(x) + x
        z.backward()
        if not _close(x.grad, 1.0 + local):
            if _close(x.grad, local) or _close(x.grad, 1.0):
                return ("when x is used twice, as in z = sigmoid(x) + x, x.grad must collect "
                        "both contributions: accumulate with `self.grad += ...`, not `=`.")
            return "after z = sigmoid(x) + x and z.backward(), x.grad is off."
        return None


q1 = SigmoidBackward(
    ("sigmoid", "Value"),
    hints=[
        "The local derivative of σ is σ(x)·(1 - σ(x)), and σ(x) is already computed: it is "
        "`s`. The chain rule multiplies it by the gradient arriving at the output, `out.grad`.",
        "Accumulate into the input's gradient, as every other operation does: "
        "`self.grad += ...`.",
    ],
    solution="""\
def sigmoid(self):
    s = 1 / (1 + math.exp(-self.data))
    out = Value(s, (self,), "sigmoid")

    def _backward():
        self.grad += s * (1 - s) * out.grad

    out._backward = _backward
    return out

Value.sigmoid = sigmoid""",
    explanation="Like tanh, σ's local derivative is cheapest written in terms of its own "
    "output, which the closure remembers.",
)


# -- q2: the backward order, by counting uses --------------------------------------------

class _Node:
    """A bare graph node for checking an order of a graph: only ``children`` matters."""

    __slots__ = ("label", "children", "data", "grad", "op")

    def __init__(self, label: str, *children: _Node) -> None:
        self.label = label
        self.children = tuple(children)
        self.data = 0.0
        self.grad = 0.0
        self.op = "+" if children else ""

    def __repr__(self) -> str:
        return self.label


def _reachable(root: _Node) -> list[_Node]:
    seen, stack, out = {id(root)}, [root], []
    while stack:
        node = stack.pop()
        out.append(node)
        for child in node.children:
            if id(child) not in seen:
                seen.add(id(child))
                stack.append(child)
    return out


_DEPTH = 10_000  # deeper than Python's default recursion limit (1000) allows


def _graphs() -> Iterable[tuple[str, _Node]]:
    """Small graphs, each with a word on what it is, and one deep chain."""
    a = _Node("a")
    yield "a single leaf a", a

    a, b = _Node("a"), _Node("b")
    yield "b = a + a", _Node("b", a, a)

    a, b = _Node("a"), _Node("b")
    p, q = _Node("a·b", a, b), _Node("a+b", a, b)
    yield "f = (a·b)·(a + b)", _Node("f", p, q)

    a = _Node("a")
    inner = _Node("tanh(a)", a)
    yield "h = a + tanh(tanh(a))", _Node("h", a, _Node("tanh(tanh(a))", inner))

    x1, w1, x2, w2, b = (_Node(k) for k in ("x1", "w1", "x2", "w2", "b"))
    s = _Node("x1w1+x2w2", _Node("x1w1", x1, w1), _Node("x2w2", x2, w2))
    n = _Node("n", s, b)
    yield "the neuron o = tanh(x1·w1 + x2·w2 + b)", _Node("o", n)

    node = _Node("x0")
    for i in range(1, _DEPTH + 1):
        node = _Node(f"x{i}", node)
    yield f"a chain {_DEPTH:,} operations deep", node


def _check_order(order: Any, root: _Node, graph: str) -> str | None:
    """Why ``order`` is not a backward order of ``root``'s graph (None if it is one)."""
    if order is None:
        return f"on {graph}, backward_order returned None: did you forget `return order`?"
    if isinstance(order, (str, bytes)) or not isinstance(order, Iterable):
        return f"backward_order should return a list of nodes, but it returned a {type(order).__name__}."
    order = list(order)
    nodes = _reachable(root)
    in_graph = {id(n) for n in nodes}
    position: dict[int, int] = {}
    for i, node in enumerate(order):
        if id(node) not in in_graph:
            return f"on {graph}, the order contains {node!r}, which is not a node of the graph."
        if id(node) in position:
            return (f"on {graph}, the order lists {node!r} more than once. Each node belongs "
                    "in the order once, however many times it is used.")
        position[id(node)] = i
    missing = [n for n in nodes if id(n) not in position]
    if missing:
        return (f"on {graph}, the order leaves out {len(missing)} of the {len(nodes)} nodes "
                f"(for example {missing[0]!r}): it should hold every node the root depends "
                "on, the root and the leaves included.")
    early = [(c, n) for n in order for c in n.children if position[id(c)] < position[id(n)]]
    if early:
        if all(position[id(c)] < position[id(n)] for n in order for c in n.children):
            return (f"on {graph}, the order is reversed: that is a topological order, leaves "
                    "first. backward() needs the opposite, the root first, so that a node's "
                    "gradient is complete before it is passed on.")
        child, node = early[0]
        return (f"on {graph}, {child!r} comes before {node!r}, which uses it. A node is "
                "ready only once every node that uses it has passed its gradient on.")
    return None


class BackwardOrder(Problem):
    """``backward_order(root)``: every node once, each before its children, no recursion."""

    def _grade(self, backward_order: Any) -> str | None:
        if not callable(backward_order):
            return (f"`backward_order` should be a function, but it is a "
                    f"{type(backward_order).__name__}.")
        if mentions_blank(backward_order):
            raise Unattempted("`backward_order` still has a ____ in it: write its body, "
                               "run that cell, then check again.")
        for graph, root in _graphs():
            try:
                order = backward_order(root)
            except RecursionError:
                return (f"on {graph}, Python ran out of recursion depth: the function (or "
                        "one it calls) still calls itself once per level. Keep the nodes "
                        "still to visit in a list used as a stack instead.")
            problem = _check_order(order, root, graph)
            if problem:
                return problem
        return None


q2 = BackwardOrder(
    ("backward_order",),
    hints=[
        "Two passes. First walk the whole graph with a stack (no recursion) and count, "
        "for every node, how many times it is used: once per arrow into an operation, so "
        "in b = a + a, a is used twice. Then start with `ready = [root]`.",
        "Second pass: while something is ready, pop a node, append it to the order, and "
        "for each of its children subtract one use. A child whose count reaches 0 has "
        "heard from every node that uses it: it is ready.",
    ],
    solution="""\
def backward_order(root):
    uses = {root: 0}                  # node -> how many times it is used
    stack = [root]
    while stack:                      # pass 1: count every node's uses
        node = stack.pop()
        for child in node.children:
            if child not in uses:
                uses[child] = 0
                stack.append(child)
            uses[child] += 1
    order, ready = [], [root]
    while ready:                      # pass 2: ready once its users are done
        node = ready.pop()
        order.append(node)
        for child in node.children:
            uses[child] -= 1
            if uses[child] == 0:
                ready.append(child)
    return order""",
    explanation="This is Kahn's algorithm, run from the root towards the leaves. It gives "
    "the order backward() walks directly, with no reversing, and it never recurses.",
)


# -- q3: the used-twice bug -------------------------------------------------------------

_A = 3.0


def _buggy_grad(a: float) -> float:
    """a.grad for g = a·a + a from the engine whose _backward assigns instead of adds.

    backward() runs g's _backward, then that of p = a·a (reverse topological order):
    g's (+) writes 1 into a.grad; p's (×) then writes a·1, twice.
    """
    grad = 1.0       # g = p + a:  other.grad = out.grad
    grad = a * 1.0   # p = a * a:  self.grad = other.data * out.grad
    grad = a * 1.0   #             other.grad = self.data * out.grad
    return grad


class UsedTwice(Problem):
    """Two numbers: a.grad from the buggy engine, and the true ∂g/∂a."""

    def _grade(self, buggy_grad: Any, true_grad: Any) -> str | None:
        buggy, true = as_number(buggy_grad, "buggy_grad"), as_number(true_grad, "true_grad")
        expected_buggy, expected_true = _buggy_grad(_A), 2 * _A + 1
        problems = []
        if not _close(buggy, expected_buggy):
            if _close(buggy, expected_true):
                problems.append("`buggy_grad` is what a correct engine gives; the buggy one "
                                "loses contributions, because each `=` overwrites what an "
                                "earlier `_backward` wrote into a.grad.")
            elif _close(buggy, 1.0):
                problems.append("`buggy_grad`: the + node does write 1 into a.grad, but its "
                                "`_backward` is not the last one to write there. In which order "
                                "does backward() call them?")
            elif _close(buggy, 2 * _A):
                problems.append("`buggy_grad`: that adds up the two contributions from a·a, "
                                "but with `=` the second assignment replaces the first instead "
                                "of adding to it.")
            else:
                problems.append(describe_number_error("buggy_grad", buggy, expected_buggy)
                                + " Trace the `_backward` calls in order, writing down a.grad "
                                "after each assignment.")
        if not _close(true, expected_true):
            if _close(true, 2 * _A):
                problems.append("`true_grad`: that is ∂(a·a)/∂a alone, but g = a·a + a has a third "
                                "use of a: the + a.")
            else:
                problems.append(describe_number_error("true_grad", true, expected_true)
                                + " a appears three times in g, and each use contributes.")
        return " ".join(problems) or None


q3 = UsedTwice(
    ("buggy_grad", "true_grad"),
    hints=[
        "For true_grad: g = a² + a, so ∂g/∂a = 2a + 1; or run the fixed engine. For "
        "buggy_grad: p = a * a is made first, then g = p + a, so backward() calls g's "
        "`_backward` first and p's after it; a is a leaf and does nothing.",
        "g's `_backward` (a +) sets p.grad = 1 and a.grad = 1. Then p's `_backward` (a ×) "
        "sets a.grad = other.data · p.grad, and then, since other is a too, sets it again.",
    ],
    solution="""\
buggy_grad = 3.0   # the last write, from p = a·a, wins: a · p.grad = 3 · 1
true_grad = 7.0    # 2a + 1: a·a contributes a + a = 6, and + a adds 1""",
    explanation="With `+=` the three contributions add up: 1 (from + a) + 3 + 3 (from a·a) = 7.",
)


# -- q4, open-ended: a second derivative --------------------------------------------------

q4 = OpenEnded(
    hints=[
        "After `y = x ** 3` and `y.backward()` at x = 3, look at `x.grad`: what type is it? "
        "Has it `children`, a `_backward`, anything `backward()` could follow?",
        "In `__mul__`, the step computes `other.data * out.grad` with plain floats. What if "
        "it computed with the Values themselves, `other * out.grad`, and `backward()` seeded "
        "the root with `Value(1.0)`? Which other local derivatives would have to change?",
    ],
    discussion="""\
`x.grad` is a plain float, 27.0 (dy/dx = 3x² = 27). The backward pass computed it from
the `.data` fields, with ordinary arithmetic, and recorded nothing: there is no graph
behind the gradient, so there is nothing to backpropagate through, and the engine cannot
differentiate its own result. Calling `backward()` on 27.0 fails: a float has no such
method.

To make it possible, the backward pass must build a graph of its own, as the forward
pass does. Each step computes its contribution from Values,
`self.grad = self.grad + other * out.grad`, with the root seeded as `Value(1.0)`; and
every local derivative must be written with Value operations too: `**` as
`k * self ** (k - 1)`, and tanh's `1 - t * t` from the output Value, not from the float
`t` the closure keeps now. Then `x.grad` is a Value whose graph records how the gradient
was computed. Keep it, `g = x.grad`, set the gradients of g's graph back to 0 (x is in
it), and call `g.backward()`: x.grad becomes d²y/dx² = 6x = 18, which a central
difference of the first derivative confirms. PyTorch works this way when asked:
`torch.autograd.grad(y, x, create_graph=True)` returns a gradient with a graph.

The price is a bigger backward pass: it now makes as many nodes as the forward pass, so
time and memory roughly double. And one such pass gives second derivatives along one
direction only: a full matrix of second derivatives (the Hessian) for n parameters needs
n of them, which is why training uses first derivatives, and methods that want
curvature use Hessian-vector products, one extra pass each.""",
)
