"""Exercises for chapter 12, *Why the scalar engine is slow, and making it fast*.

* ``q1``: ``count_nodes(root)``, the number of distinct nodes in a graph, for graphs
  with shared nodes and a chain too deep for recursion;
* ``q2``: ``mul(a, b)`` for an engine without closures: children and local derivatives;
* ``q3``: ``hinge_loss_and_grad(scores, labels)``, the hinge loss and its gradient on arrays;
* ``q4``: ``fused_sum(ws, xs, b)``, a fused node: one node for b + Σ wᵢxᵢ, with its local derivatives;
* ``q5``: ``no_full_passes()``, a context manager that pauses the collector's full passes and
  restores its settings, also after an exception;
* ``q6``: open-ended, the memory of a training step.
"""

from __future__ import annotations

import gc
import math
import numbers
from typing import Any

from .._extras import require

np = require("numpy", "nnscratch.exercises.speed")

from ..engine import Value
from .core import OpenEnded, Problem, Wrong, Unattempted, is_blank, mentions_blank
from .layers import as_answer_array, has

__all__ = ["q1", "q2", "q3", "q4", "q5", "q6"]


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
    explanation=("`_walk` in `nnscratch.engine` walks the graph the same way, with an explicit stack "
                 "instead of recursion and a set so that a shared node is visited once; it also notes "
                 "when each node is finished, which gives the order of the backward pass."),
)


# -- q2: a multiplication without closures ------------------------------------------


def _not_a_node(out: Any, name: str) -> str | None:
    """What is wrong with ``out``, what the learner's ``name`` returned, as a Node with
    ``data``, ``children`` and ``local_grads``; None if nothing. A blank left in it makes
    the exercise unattempted."""
    if is_blank(out):
        raise Unattempted(f"`{name}` still returns ____: fill in its body, run that cell, then check again.")
    if out is None:
        return f"`{name}` returned None: did you forget `return`?"
    for field in ("data", "children", "local_grads"):
        if not has(out, field):
            return f"`{name}` should return a Node, but what it returned has no `{field}`."
        if is_blank(getattr(out, field)):
            raise Unattempted(f"the result's `{field}` is still ____: fill it in, run that cell, then check again.")
    return None


class ClosureFreeMul(Problem):
    """``mul(a, b)`` returns ``Node(a.data * b.data, children=(a, b), local_grads=(b.data, a.data))``."""

    def _grade(self, Node: Any, mul: Any) -> str | None:  # noqa: N803 - the chapter's class name
        if not isinstance(Node, type):
            return f"`Node` should be the class defined above the exercise, but it is a {type(Node).__name__}; run that cell again."
        if not callable(mul):
            return f"`mul` should be a function, but it is a {type(mul).__name__}."
        a, b = Node(3.0), Node(-2.0)
        out = mul(a, b)
        problem = _not_a_node(out, "mul")
        if problem:
            return problem
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
    explanation=("Backpropagation then needs no function per node: for each node, in reverse "
                 "topological order, `child.grad += local * node.grad` for every (child, local) pair. "
                 "Nothing points from a child back to its parent, so there is no cycle."),
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


# -- q4: a fused node -----------------------------------------------------------------


class FusedNode(Problem):
    """``fused_sum(ws, xs, b)``: one Node with children (*ws, *xs, b) and local derivatives
    (*xs' data, *ws' data, 1.0), in some order that pairs each child with its own derivative."""

    def _grade(self, Node: Any, fused_sum: Any) -> str | None:  # noqa: N803 - the chapter's names
        if not isinstance(Node, type):
            return f"`Node` should be the class defined for the exercise before, but it is a {type(Node).__name__}; run that cell again."
        if not callable(fused_sum):
            return f"`fused_sum` should be a function, but it is a {type(fused_sum).__name__}."
        ws = [Node(0.5), Node(-2.0), Node(3.0)]
        xs = [Node(4.0), Node(1.5), Node(-1.0)]
        b = Node(0.25)
        out = fused_sum(ws, xs, b)
        problem = _not_a_node(out, "fused_sum")
        if problem:
            return problem
        if not (isinstance(out.data, numbers.Real) and math.isclose(out.data, 0.25 + 2.0 - 3.0 - 3.0)):
            return "the result's `data` is not b + Σ wᵢxᵢ."
        try:
            children = tuple(out.children)
            local = tuple(out.local_grads)
        except TypeError:
            return "`children` and `local_grads` should each be a tuple."
        if any(isinstance(c, (list, tuple)) for c in children):
            return ("`children` holds lists or tuples: it should be one flat tuple of Nodes. Unpack the "
                    "weights and the inputs into it: `(*ws, *xs, b)`.")
        if not all(isinstance(c, Node) for c in children):
            return "`children` should hold the Nodes themselves: the weights, the inputs and the bias."
        everyone = [*ws, *xs, b]
        if len(children) != len(everyone) or any(not any(c is n for c in children) for n in everyone):
            missing = "the bias" if not any(c is b for c in children) else (
                "the inputs" if not any(c is x for x in xs for c in children) else
                "the weights" if not any(c is w for w in ws for c in children) else "every Node once")
            return (f"`children` should list all 2n + 1 operands, each once: the weights, the inputs and the "
                    f"bias. Check {missing}.")
        if len(local) != len(children):
            return f"`local_grads` has {len(local)} numbers for {len(children)} children: give one per child."
        if any(isinstance(g, Node) for g in local):
            return ("`local_grads` holds Nodes. Store plain numbers (a Node's .data): nothing in a node should "
                    "refer to other nodes except `children`.")
        want = {id(w): x.data for w, x in zip(ws, xs)}
        want.update({id(x): w.data for w, x in zip(ws, xs)})
        want[id(b)] = 1.0
        pairs = [(c, g) for c, g in zip(children, local)]
        if all(isinstance(g, numbers.Real) and g == c.data for c, g in pairs if c is not b):
            return ("each weight's and input's local derivative is its own value. ∂(w·x)/∂w is the *other* "
                    "factor: xᵢ for wᵢ, and wᵢ for xᵢ.")
        for c, g in pairs:
            if not isinstance(g, numbers.Real) or isinstance(g, bool):
                return "`local_grads` should hold numbers, one per child."
            if c is b and g != 1.0:
                return "the bias's local derivative is not right: b is added once, so ∂z/∂b = 1."
        if any(not math.isclose(g, want[id(c)]) for c, g in pairs):
            return ("some local derivatives are not paired with their own child: the i-th entry of "
                    "`local_grads` belongs to the i-th child. ∂z/∂wᵢ = xᵢ, ∂z/∂xᵢ = wᵢ, ∂z/∂b = 1.")
        return None


q4 = FusedNode(
    ("Node", "fused_sum"),
    hints=[
        "`children` is one flat tuple of all the operands: `(*ws, *xs, b)`. `local_grads` lists, in the "
        "same order, the derivative of z = b + Σ wᵢxᵢ with respect to each.",
        "∂z/∂wᵢ = xᵢ, ∂z/∂xᵢ = wᵢ and ∂z/∂b = 1: `(*[x.data for x in xs], *[w.data for w in ws], 1.0)`.",
    ],
    solution='''\
def fused_sum(ws, xs, b):
    data = b.data + sum(w.data * x.data for w, x in zip(ws, xs))
    return Node(data, children=(*ws, *xs, b),
                local_grads=(*[x.data for x in xs], *[w.data for w in ws], 1.0))''',
    explanation=("One node instead of 2n: n products and n sums never become nodes, and backward "
                 "makes one pass over 2n + 1 (child, local derivative) pairs. "
                 "`nnscratch.engine.weighted_sum` is this node, for `Value`."),
)


# -- q5: a scoped pause of the collector's full passes -----------------------------------

#: the third threshold the exercise asks for, and the least the check accepts
PAUSED = 1_000_000_000
_LEAST = 1_000_000


class _Raised(Exception):
    """Raised inside the learner's block, to see that the thresholds come back after it."""


def _third_threshold_sticks() -> bool:
    """Whether this Python keeps a third threshold that is set (a collector without full
    passes may ignore it)."""
    saved = gc.get_threshold()
    try:
        gc.set_threshold(saved[0], saved[1], 12345)
        return gc.get_threshold()[2] == 12345
    finally:
        gc.set_threshold(*saved)


class NoFullPasses(Problem):
    """``no_full_passes()``: a context manager that raises the third threshold to at least
    ``_LEAST``, keeps the first two, and restores what it found on every exit."""

    MINE = (600, 9, 8)  # thresholds a program might have set, to tell them from Python's defaults

    def _grade(self, no_full_passes: Any) -> str | None:
        if not callable(no_full_passes):
            return f"`no_full_passes` should be a function, but it is a {type(no_full_passes).__name__}."
        if mentions_blank(no_full_passes):
            raise Unattempted("`no_full_passes` still has a ____ in it: fill in its body, run that cell, "
                              "then check again.")
        saved, enabled = gc.get_threshold(), gc.isenabled()
        try:
            gc.enable()
            return self._check(no_full_passes)
        finally:
            gc.set_threshold(*saved)
            if enabled:
                gc.enable()
            else:
                gc.disable()

    def _check(self, no_full_passes: Any) -> str | None:
        sticks = _third_threshold_sticks()
        mine = self.MINE if sticks else (*self.MINE[:2], gc.get_threshold()[2])
        gc.set_threshold(*mine)
        try:
            block = no_full_passes()
            enter, leave = block.__enter__, block.__exit__
        except AttributeError:
            return ("`no_full_passes()` is not a context manager: decorate the function with "
                    "`@contextlib.contextmanager` and `yield` once inside it.")
        except Exception as exc:  # noqa: BLE001 - whatever the learner's code raises
            return f"calling `no_full_passes()` raised {type(exc).__name__}: {exc}"
        try:
            enter()
        except Exception as exc:  # noqa: BLE001
            return f"entering the block raised {type(exc).__name__}: {exc}"
        inside, on = gc.get_threshold(), gc.isenabled()
        try:
            leave(None, None, None)
        except Exception as exc:  # noqa: BLE001
            return f"leaving the block raised {type(exc).__name__}: {exc}"
        after = gc.get_threshold()
        gc.enable()
        if not on:
            return ("inside the block the collector is switched off altogether. `gc.disable()` stops the "
                    "young passes too, which are cheap and do free cyclic garbage; raise the third "
                    "threshold instead, with `gc.set_threshold`.")
        if inside[0] == 0:
            return "a first threshold of 0 switches the collector off altogether. Keep the first two as they were."
        if inside[:2] != mine[:2]:
            return "inside the block the first two thresholds changed: keep them as they were, and raise only the third."
        if sticks and inside[2] < _LEAST:
            if inside == mine:
                return "inside the block the thresholds are unchanged: raise the third one."
            return (f"inside the block the third threshold is {inside[2]:,}: make it large enough that no full "
                    f"pass comes due, {PAUSED:,}.")
        if after != mine:
            if after == (700, 10, 10):
                return ("after the block the thresholds are Python's defaults, not the ones the block found. "
                        "Save `gc.get_threshold()` when the block starts and put that back: a program may "
                        "have set its own.")
            return "after the block the thresholds are not the ones it found: save them first, and put them back at the end."
        gc.set_threshold(*mine)
        try:
            with no_full_passes():
                raise _Raised
        except _Raised:
            pass
        except Exception as exc:  # noqa: BLE001
            return f"an exception in the block came out as {type(exc).__name__}: {exc}"
        else:
            return ("an exception raised in the block disappeared: let it reach the caller (`try` ... "
                    "`finally`, with no `except`).")
        if gc.get_threshold() != mine:
            return ("after an exception in the block, the thresholds were not put back. Restore them in a "
                    "`finally:` around the `yield`, which runs however the block ends.")
        gc.set_threshold(*mine)
        with no_full_passes():
            with no_full_passes():
                pass
            still = gc.get_threshold()
        if sticks and still[2] < _LEAST:
            return "after an inner block ends, an outer one is no longer paused: each block should restore what it found."
        if gc.get_threshold() != mine:
            return "after two nested blocks the thresholds are not the ones the outer block found."
        return None


q5 = NoFullPasses(
    "no_full_passes",
    hints=[
        "Read the thresholds with `saved = gc.get_threshold()`, then "
        "`gc.set_threshold(saved[0], saved[1], 1_000_000_000)`. When the block ends, "
        "`gc.set_threshold(*saved)`.",
        "The block's code runs at the `yield`. Put the `yield` inside `try:` and the restoring in "
        "`finally:`, so that it runs whether the block returns or raises.",
    ],
    solution='''\
@contextlib.contextmanager
def no_full_passes():
    saved = gc.get_threshold()
    gc.set_threshold(saved[0], saved[1], 1_000_000_000)
    try:
        yield
    finally:
        gc.set_threshold(*saved)''',
    explanation=("This is the heart of `nnscratch.collector.full_collections_paused`, which also does "
                 "nothing when the collector is switched off or already paused, and nothing on Python "
                 "3.14.0 to 3.14.4, whose incremental collector has no full passes to pause."),
)


# -- q6 (open-ended): the memory of a training step ---------------------------------------

q6 = OpenEnded(
    hints=[
        "`tracemalloc.start()`, then `tracemalloc.reset_peak()` just before each part of the step; "
        "`tracemalloc.get_traced_memory()` returns (now, peak) in bytes. Measure after the forward pass "
        "(the loss computed) and after `backward()`.",
        "The graph is alive from the moment the loss is computed until the step ends. Count its nodes "
        "(`trace(loss)` or your `count_nodes`) and compare the memory with nodes × the bytes per node "
        "measured in the chapter.",
        "A fused node holds two tuples of 2n + 1 entries, so compare the fused engine per edge (a "
        "child of a node) as well as per node.",
    ],
    discussion="""\
The memory of a step is, first of all, its graph. Reverse mode has to keep every node until
backward has used it: a node's children and local derivatives are needed on the way back, so
nothing can be freed until the last step of the forward pass is done. With `nnscratch.Value`
that is about 120 bytes per node: for `MLP(2, [16, 16, 1])` on 100 points, some 69,000 nodes,
about 8 MB; at width 64, some 900,000 nodes, over 100 MB.

The peak comes during `backward()`, not after the forward pass: the backward pass adds its own
bookkeeping, the list of nodes in order and the set of nodes visited, about one entry of each per
node. Expect the peak to be a third to a half above the graph alone, unfused. Then the step ends,
reference counting frees the whole graph at once, and the memory falls back.

Fused, a step has several times fewer nodes, each larger (its two tuples grow with the number of
inputs), and several times less memory in all: the products and sums that are no longer nodes
are no longer stored.

Scale it up. A network of a million parameters trained this way, unfused, on 100 examples per
step, builds about 2 × 10⁸ nodes per step: tens of gigabytes, before the time even matters. The
layer engine of Part IV keeps one array per layer instead: the memory of a step is its
activations, batch × width numbers per layer, not one node per multiplication. Frameworks go
further: they free each saved array as soon as backward has used it, and *checkpointing* keeps
only some activations and recomputes the rest during backward, trading time for memory.""",
)
