"""Exercises for chapter 12, *Why the scalar engine is slow, and making it fast*.

* ``q1``: ``count_nodes(root)``, the number of distinct nodes in a graph, for graphs
  with shared nodes and a chain too deep for recursion;
* ``q2``: ``mul(a, b)`` for an engine without closures: children and local derivatives;
* ``q3``: ``hinge_loss_and_grad(scores, labels)``, the hinge loss and its gradient on arrays.
"""

from __future__ import annotations

import math
import numbers
from typing import Any

from .._extras import require

np = require("numpy", "nnscratch.exercises.speed")

from ..engine import Value
from .core import Problem, Wrong, Unattempted, is_blank
from .layers import as_answer_array, has

__all__ = ["q1", "q2", "q3"]


# -- q1: counting nodes -------------------------------------------------------


def _graphs() -> list[tuple[str, Value, int, int]]:
    """(description, root, distinct nodes, nodes counted once per path)."""
    a, b, c = Value(2.0), Value(-3.0), Value(10.0)
    simple = a * b + c                                   # a, b, a*b, c, + : 5
    x = Value(1.5) * Value(2.0)
    shared = x + x                                       # 2 leaves, x, the sum: 4 (paths: 7)
    p, q = Value(0.5), Value(4.0)
    e = p + q
    f = e * e
    diamond = f + e                                      # p, q, e, f, g: 5 (paths: 3 + 2·3 + 3 + 1 = 13)
    return [
        ("a·b + c", simple, 5, 5),
        ("x + x with x = a·b", shared, 4, 7),
        ("(e·e) + e with e = p + q", diamond, 5, 13),
    ]


def _chain(depth: int) -> Value:
    x = Value(0.5)
    for _ in range(depth):
        x = x * 1.0                                      # each step: a constant leaf and a node
    return x


class CountNodes(Problem):
    """``count_nodes(root)``: how many distinct nodes ``root`` depends on, itself included."""

    DEPTH = 5000

    def _grade(self, count_nodes: Any) -> str | None:
        if not callable(count_nodes):
            return f"`count_nodes` should be a function, but it is a {type(count_nodes).__name__}."
        for description, root, distinct, paths in _graphs():
            got = self._count(count_nodes, root, description)
            if got == distinct:
                continue
            if got == paths:
                return (f"for {description}, `count_nodes` counts a node once for every path that reaches "
                        "it. Keep a set of the nodes already seen, and count each one once.")
            if got == distinct - 1:
                return f"for {description}, `count_nodes` is one short: count the root itself too."
            return f"for {description}, `count_nodes` returned {got}, which is not the number of distinct nodes."
        root = _chain(self.DEPTH)
        try:
            got = self._count(count_nodes, root, "a deep chain")
        except RecursionError:
            return (f"on a chain {self.DEPTH:,} operations deep, `count_nodes` hits Python's recursion limit. "
                    "Walk the graph with a stack instead: a list you append the nodes to visit to, "
                    "and pop from until it is empty.")
        if got != 2 * self.DEPTH + 1:
            return f"on a chain {self.DEPTH:,} operations deep, `count_nodes` returned {got}, which is not right."
        return None

    @staticmethod
    def _count(count_nodes: Any, root: Value, description: str) -> int:
        got = count_nodes(root)
        if is_blank(got):
            raise Unattempted("`count_nodes` still returns ____: fill in its body, run that cell, then check again.")
        if got is None:
            raise Wrong(f"for {description}, `count_nodes` returned None: did you forget `return`?")
        if isinstance(got, bool) or not isinstance(got, numbers.Integral):
            raise Wrong(f"for {description}, `count_nodes` returned a {type(got).__name__}; it should return a whole number.")
        n = int(got)
        if n < 0:
            raise Wrong(f"for {description}, `count_nodes` returned a negative number; a count starts at 0.")
        if n > 10 ** 12:
            raise Wrong(f"for {description}, `count_nodes` returned an enormous number, far more than the graph "
                        "has nodes.")
        return n


q1 = CountNodes(
    "count_nodes",
    hints=[
        "Keep a set of the nodes seen so far and a list of nodes still to visit, starting with the "
        "root. Take a node from the list; for each of its `children` not yet seen, mark it seen and "
        "add it to the list.",
        "When the list is empty, every node has been seen exactly once: the answer is the size of "
        "the set. A loop with a list (not a recursive function) never hits Python's recursion limit.",
    ],
    solution='''\
def count_nodes(root):
    seen = {root}
    stack = [root]
    while stack:
        node = stack.pop()
        for child in node.children:
            if child not in seen:
                seen.add(child)
                stack.append(child)
    return len(seen)''',
    explanation=("This is the walk that `_newest_first` in `nnscratch.engine` does before sorting: "
                 "an explicit stack instead of recursion, and a set so that a shared node is visited once."),
)


# -- q2: a multiplication without closures ------------------------------------------


class ClosureFreeMul(Problem):
    """``mul(a, b)`` returns ``Node(a.data * b.data, children=(a, b), local_grads=(b.data, a.data))``."""

    def _grade(self, Node: Any, mul: Any) -> str | None:  # noqa: N803 - the chapter's class name
        if not isinstance(Node, type):
            return f"`Node` should be the class defined above the exercise, but it is a {type(Node).__name__}; run that cell again."
        if not callable(mul):
            return f"`mul` should be a function, but it is a {type(mul).__name__}."
        a, b = Node(3.0), Node(-2.0)
        out = mul(a, b)
        if is_blank(out):
            raise Unattempted("`mul` still returns ____: fill in its body, run that cell, then check again.")
        if out is None:
            return "`mul` returned None: did you forget `return`?"
        for field in ("data", "children", "local_grads"):
            if not has(out, field):
                return f"`mul` should return a Node, but what it returned has no `{field}`."
            if is_blank(getattr(out, field)):
                raise Unattempted(f"the result's `{field}` is still ____: fill it in, run that cell, then check again.")
        if out.data != -6.0:
            return "the result's `data` is not a·b."
        children = tuple(out.children)
        if len(children) != 2 or not all(isinstance(c, Node) for c in children):
            return "`children` should hold the two operands, the Nodes a and b themselves."
        if children[0] is b and children[1] is a:
            return "`children` lists b before a. Keep the operands in order: a first."
        if not (children[0] is a and children[1] is b):
            return "`children` should hold the two operands, the Nodes a and b themselves (not copies)."
        local = tuple(out.local_grads)
        if len(local) != 2:
            return "`local_grads` should hold two numbers: d(a·b)/da and d(a·b)/db."
        if any(isinstance(g, Node) for g in local):
            return ("`local_grads` holds Nodes. Store plain numbers (a Node's .data): the point is that "
                    "nothing in a node refers back to other nodes except `children`.")
        if local == (-2.0, 3.0):
            return self._backward_check(Node, mul)
        if local == (3.0, -2.0):
            return ("`local_grads` are swapped. The first belongs to the first child a: how much does a·b "
                    "change per unit change of a?")
        if local == (1.0, 1.0):
            return "`local_grads` are those of addition. For a product, each operand's slope is the other operand."
        return "`local_grads` are not d(a·b)/da and d(a·b)/db."

    @staticmethod
    def _backward_check(Node: Any, mul: Any) -> str | None:  # noqa: N803
        """Backpropagate through f = (x·y)·x with the learner's nodes: ∂f/∂x = 2xy, ∂f/∂y = x²."""
        x, y = Node(1.5), Node(4.0)
        f = mul(mul(x, y), x)
        grads = {id(f): 1.0}
        order = [f, f.children[0]]
        for node in order:
            g = grads.get(id(node), 0.0)
            for child, local in zip(node.children, node.local_grads):
                grads[id(child)] = grads.get(id(child), 0.0) + local * g
        if not (math.isclose(grads.get(id(x), 0.0), 12.0) and math.isclose(grads.get(id(y), 0.0), 2.25)):
            return "one product works, but backpropagating through (x·y)·x with your nodes gives wrong gradients."
        return None


q2 = ClosureFreeMul(
    ("Node", "mul"),
    hints=[
        "`children` are the operands, in order: a tuple of the two Nodes. `local_grads` are the "
        "derivatives of the result with respect to each child, in the same order.",
        "d(a·b)/da = b and d(a·b)/db = a. Store the numbers, `b.data` and `a.data`, not the nodes.",
    ],
    solution='''\
def mul(a, b):
    return Node(a.data * b.data, children=(a, b), local_grads=(b.data, a.data))''',
    explanation=("Backpropagation then needs no function per node: for each node, newest first, "
                 "`child.grad += local * node.grad` for every (child, local) pair. Nothing points "
                 "from a child back to its parent, so there is no cycle."),
)


# -- q3: the hinge loss on arrays ---------------------------------------------------


class HingeOnArrays(Problem):
    """``hinge_loss_and_grad(scores, labels)`` = (mean(max(0, 1 − y·s)), −y/n where 1 − y·s > 0)."""

    def _grade(self, hinge_loss_and_grad: Any) -> str | None:
        if not callable(hinge_loss_and_grad):
            return f"`hinge_loss_and_grad` should be a function, but it is a {type(hinge_loss_and_grad).__name__}."
        scores = np.array([0.3, -2.0, 1.7, 0.2, -0.4, 1.0, 2.5])
        labels = np.array([1, 1, 1, -1, -1, 1, -1])
        n = len(scores)
        margins = 1 - labels * scores
        want_loss = np.maximum(margins, 0).mean()
        want_grad = np.where(margins > 0, -labels, 0) / n
        result = hinge_loss_and_grad(scores.copy(), labels.copy())
        if is_blank(result):
            raise Unattempted("`hinge_loss_and_grad` still returns ____: fill in its body, run that cell, then check again.")
        if not isinstance(result, (tuple, list)) or len(result) != 2:
            return "`hinge_loss_and_grad` should return two things: the loss (a number) and the gradient (an array)."
        loss = as_answer_array(result[0], "the loss")
        grad = as_answer_array(result[1], "the gradient")
        if loss.shape != ():
            return f"the loss should be one number, but it has shape {loss.shape}."
        loss = float(loss)
        if not math.isclose(loss, want_loss, rel_tol=1e-9):
            if math.isclose(loss, want_loss * n, rel_tol=1e-9):
                return "the loss is the sum over the examples; the hinge loss here is the mean."
            if math.isclose(loss, margins.mean(), rel_tol=1e-9):
                return "the loss averages 1 − y·s without clipping at 0: a point beyond the margin should cost nothing."
            return "the loss is not the mean of max(0, 1 − y·s)."
        if grad.shape != scores.shape:
            return f"the gradient should have one entry per score, shape {scores.shape}; yours has shape {grad.shape}."
        if np.allclose(grad, want_grad, rtol=1e-9, atol=1e-12):
            return None
        if np.allclose(grad, want_grad * n):
            return "the gradient is n times too large: the loss is a mean, so divide by n."
        if np.allclose(grad, -want_grad):
            return "the gradient has the wrong sign."
        if np.allclose(grad, np.where(margins >= 0, -labels, 0) / n):
            return ("the gradient is right except at a margin of exactly 0 (the point with s = 1, y = 1). "
                    "Use the same convention as the engine's relu: slope 0 at 0, so count only margins > 0.")
        if np.allclose(grad, -labels / n):
            return "the gradient is −y/n everywhere; it should be 0 for points whose margin 1 − y·s is not positive."
        return "the gradient is not right: the slope of max(0, 1 − y·s) with respect to s is −y where 1 − y·s > 0, else 0."


q3 = HingeOnArrays(
    "hinge_loss_and_grad",
    hints=[
        "margins = 1 − labels · scores, element by element. The loss is the mean of "
        "`np.maximum(margins, 0)`.",
        "Where a margin is positive, the loss term is 1 − y·s, whose slope in s is −y; elsewhere it is "
        "0. `np.where(margins > 0, -labels, 0)` picks, and the mean divides everything by n.",
    ],
    solution='''\
def hinge_loss_and_grad(scores, labels):
    n = len(scores)
    margins = 1 - labels * scores
    loss = np.maximum(margins, 0).mean()
    grad = np.where(margins > 0, -labels, 0) / n
    return loss, grad''',
    explanation=("Five array operations replace the hundreds of scalar nodes that the same loss costs "
                 "in the Value engine; `nnscratch.layers.Hinge` is this, as a module."),
)
