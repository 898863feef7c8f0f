"""Walks over a model: every node once, the inputs, the order of the backward pass.

A model may share nodes (a node with two parents), so each walk remembers what it has
seen and visits every node once. The walks use an explicit stack rather than recursion,
and visit children in order, so the same model always gives the same lists.
"""

from __future__ import annotations

from .nodes import Input, NeuralNetNode

__all__ = ["walk", "find_input_nodes", "topological_order", "ancestors",
           "total_forward_calls", "reset_forward_calls"]


def walk(root: NeuralNetNode) -> list[NeuralNetNode]:
    """Every node below ``root`` (``root`` first), each once, in the order a recursive
    left-to-right walk first reaches them: a node before its children, a left child's
    subtree before its right sibling. Works for any node class with ``children``."""
    order: list[NeuralNetNode] = []
    seen: set[int] = set()
    stack = [root]
    while stack:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        order.append(node)
        stack.extend(reversed(node.children))
    return order


def find_input_nodes(root: NeuralNetNode) -> list[Input]:
    """The `Input` nodes below ``root``, left to right, each once (even if shared)."""
    return [node for node in walk(root) if isinstance(node, Input)]


def topological_order(root: NeuralNetNode) -> list[NeuralNetNode]:
    """Every node below ``root``, each once, every node before all of its children.

    It is the reverse of a depth-first post-order (children finished before their
    parent), so by the time the backward pass reaches a node, every parent of that
    node has already handed it its share of the derivative.
    """
    post: list[NeuralNetNode] = []
    seen = {id(root)}
    stack = [(root, iter(root.children))]
    while stack:
        node, children = stack[-1]
        for child in children:
            if id(child) not in seen:
                seen.add(id(child))
                stack.append((child, iter(child.children)))
                break
        else:
            stack.pop()
            post.append(node)
    post.reverse()
    return post


def ancestors(node: NeuralNetNode) -> list[NeuralNetNode]:
    """Every node above ``node`` (its parents, their parents, ...), each once, nearest
    first: the nodes whose value depends on ``node``, so whose cached value must go
    when ``node`` changes."""
    found: list[NeuralNetNode] = []
    seen: set[int] = set()
    frontier = [node]
    while frontier:
        following = []
        for current in frontier:
            for parent in current.parents:
                if id(parent) not in seen:
                    seen.add(id(parent))
                    found.append(parent)
                    following.append(parent)
        frontier = following
    return found


def total_forward_calls(root: NeuralNetNode) -> int:
    """How many times ``forward()`` has been called on the nodes below ``root``, in all."""
    return sum(node.forward_calls for node in walk(root))


def reset_forward_calls(root: NeuralNetNode) -> None:
    """Set every node's ``forward_calls`` below ``root`` back to 0."""
    for node in walk(root):
        node.forward_calls = 0
