"""Walks over a model: every node once, the inputs, the order of the backward pass.

A model may share nodes (a node with two parents), so each walk remembers what it has
seen and visits every node once. The walks use an explicit stack rather than recursion,
so they work at any depth, and visit children in order, so the same model always gives
the same lists.

They need nothing from a node but its ``children`` (the nodes it is computed from, in
order), and for `ancestors` its ``parents``; `find_input_nodes` keeps the nodes whose
class says ``is_input = True``. So they work on the chapters' own node classes too.
"""

from __future__ import annotations

from typing import Any, Optional

__all__ = ["walk", "find_input_nodes", "topological_order", "ancestors", "depth", "path_count",
           "find_cycle", "total_forward_calls", "reset_forward_calls"]

Node = Any  # anything with `children`


def walk(root: Node) -> list[Node]:
    """Every node below ``root`` (``root`` first), each once, in the order a recursive
    left-to-right walk first reaches them: a node before its children, a left child's
    subtree before its right sibling."""
    order: list[Node] = []
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


def find_input_nodes(root: Node) -> list[Node]:
    """The `Input` nodes below ``root``, left to right, each once (even if shared)."""
    return [node for node in walk(root) if getattr(node, "is_input", False)]


def topological_order(root: Node) -> list[Node]:
    """Every node below ``root``, each once, every node before all of its children.

    It is the reverse of a depth-first post-order (children finished before their
    parent), so by the time the backward pass reaches a node, every parent of that
    node has already handed it its share of the derivative. A graph with a cycle has
    no such order: that is a ValueError.
    """
    post: list[Node] = []
    seen = {id(root)}
    done: set[int] = set()
    stack = [(root, iter(root.children))]
    while stack:
        node, children = stack[-1]
        for child in children:
            if id(child) not in seen:
                seen.add(id(child))
                stack.append((child, iter(child.children)))
                break
            if id(child) not in done:  # met again before it is finished: it is its own descendant
                raise ValueError(f"the model contains a cycle: a {type(child).__name__} node is below itself")
        else:
            stack.pop()
            done.add(id(node))
            post.append(node)
    post.reverse()
    return post


def ancestors(node: Node) -> list[Node]:
    """Every node above ``node`` (its parents, their parents, ...), each once, nearest
    first: the nodes whose value depends on ``node``, so whose cached value must go
    when ``node`` changes."""
    found: list[Node] = []
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


def depth(root: Node) -> int:
    """The number of levels below ``root``: 1 for a leaf, else 1 + the deepest child's."""
    levels: dict[int, int] = {}
    for node in reversed(topological_order(root)):  # children before parents
        levels[id(node)] = 1 + max((levels[id(c)] for c in node.children), default=0)
    return levels[id(root)]


def path_count(root: Node) -> int:
    """How many visits a recursion that never remembers anything makes below ``root``:
    one per path from ``root`` to each node (a node shared by two parents counts twice,
    and everything below it twice too). On a tree it is the number of nodes."""
    paths = {id(root): 1}
    for node in topological_order(root):  # parents before children
        n = paths[id(node)]
        for child in node.children:
            paths[id(child)] = paths.get(id(child), 0) + n
    return sum(paths.values())


def find_cycle(root: Node) -> Optional[list[Node]]:
    """The nodes of a cycle below ``root`` (a node that is its own descendant), in order
    along the cycle, or None. A model built from its leaves up has none; a `Macro`
    whose expansion contains the macro itself would make one."""
    state: dict[int, int] = {id(root): 1}  # 1: on the current path, 2: finished
    path = [root]
    stack = [iter(root.children)]
    while stack:
        for child in stack[-1]:
            s = state.get(id(child))
            if s == 1:
                return path[next(i for i, n in enumerate(path) if n is child):]
            if s is None:
                state[id(child)] = 1
                path.append(child)
                stack.append(iter(child.children))
                break
        else:
            state[id(path.pop())] = 2
            stack.pop()
    return None


def total_forward_calls(root: Node) -> int:
    """How many times ``forward()`` has been called on the nodes below ``root``, in all."""
    return sum(node.forward_calls for node in walk(root))


def reset_forward_calls(root: Node) -> None:
    """Set every node's ``forward_calls`` below ``root`` back to 0."""
    for node in walk(root):
        node.forward_calls = 0
