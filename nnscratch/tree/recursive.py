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
"""

from __future__ import annotations

from typing import Any

from .nodes import NeuralNetNode

__all__ = ["backward_single_parent"]


def backward_single_parent(node: NeuralNetNode, derivative_from_parent: Any, update: bool = True) -> None:
    """The recursive backward pass (see the module notes); sets ``node.derivative`` on
    every visit and, with ``update=True``, lets each parameter step as it is reached."""
    node.derivative = derivative_from_parent
    if update:
        node.on_backward(derivative_from_parent)
    if node.children:
        for child, d in zip(node.children, node.child_derivatives(derivative_from_parent)):
            backward_single_parent(child, d, update)
