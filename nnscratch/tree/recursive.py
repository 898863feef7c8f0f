"""The first backward pass: plain recursion, right only when every node has one parent.

    backward(node, ∂L/∂node):
        node learns from ∂L/∂node                 (a Parameter steps)
        for each child:  backward(child, ∂L/∂node · ∂node/∂child)

On a tree this is exactly the chain rule: there is one path from the root to each
node, and the derivative arrives along it. A node with two parents, though, is
visited twice, each time with only the part of the derivative that came through one
parent: its ``derivative`` ends up holding whichever part came last, and a parameter
below it steps twice, the second time with a derivative computed *after* its first
step moved it. `NeuralNetNode.backward` visits the nodes in a topological order
instead; the chapters compare the two. Kept here for that comparison.

Being a recursion, it goes only as deep as Python's recursion limit (past it, a
`DepthError` says so), and on shared nodes it makes one visit per path: a model whose
paths number more than `MAX_VISITS` is refused before the pass starts, since it
would run for hours.
"""

from __future__ import annotations

from typing import Any

from .checks import as_finite, not_finite
from .errors import DepthError, ModelError
from .graph import path_count
from .nodes import NeuralNetNode

__all__ = ["backward_single_parent", "MAX_VISITS"]

#: The most visits `backward_single_parent` makes in one pass.
MAX_VISITS = 1_000_000


def backward_single_parent(node: NeuralNetNode, derivative_from_parent: Any, update: bool = True) -> None:
    """The recursive backward pass (see the module notes); sets ``node.derivative`` on
    every visit and, with ``update=True``, lets each parameter step as it is reached."""
    if not isinstance(update, bool):
        raise TypeError(f"update must be True or False, got {update!r}")
    visits = path_count(node)
    if visits > MAX_VISITS:
        raise ModelError(f"backward_single_parent would visit nodes {visits:,} times, once for every path "
                         "from the root, because nodes are shared; model.backward() visits each node once")
    try:
        _visit(node, node._check_derivative(derivative_from_parent), update)
    except RecursionError as exc:
        if isinstance(exc, DepthError):
            raise
        raise DepthError("backward_single_parent()") from None


def _visit(node: NeuralNetNode, derivative: Any, update: bool) -> None:
    node.derivative = derivative
    if update:
        node.on_backward(derivative)
    if node.children:
        for i, (child, d) in enumerate(zip(node.children, node.child_derivatives(derivative))):
            if type(d) is not float or d - d:
                what = f"backward_single_parent: the derivative that {type(node).__name__} passes to child {i}"
                if isinstance(d, float):
                    raise not_finite(what, d)
                d = as_finite(d, what)
            _visit(child, d, update)
