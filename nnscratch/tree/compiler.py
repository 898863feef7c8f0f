"""Compiling a model: the work that `predict` and `backward` would otherwise redo on
every call, done once.

1. Expand every `Macro` into the elementary operations it stands for.
2. Find the inputs, in order, each once, and name the unnamed ones ``x1, x2, ...``.
3. Work out the order of the backward pass (parents before children).
4. Turn forward caching on (or off) in every node, with nothing cached yet.
"""

from __future__ import annotations

from dataclasses import dataclass

from .graph import find_input_nodes, topological_order
from .macro import Macro
from .nodes import Input, NeuralNetNode

__all__ = ["Compiled", "compile_model", "expand_macros", "input_names"]


@dataclass(frozen=True)
class Compiled:
    """What `compile` found out about a model, kept on its root."""

    inputs: tuple[Input, ...]
    order: tuple[NeuralNetNode, ...]
    cache: bool


def compile_model(root: NeuralNetNode, cache: bool = True) -> NeuralNetNode:
    """Compile the model rooted at ``root`` (see the module notes); returns the root to
    use, which is ``root`` unless ``root`` is a `Macro`."""
    if not isinstance(cache, bool):
        raise TypeError(f"cache must be True or False, got {cache!r}")
    root = expand_macros(root)
    inputs = find_input_nodes(root)
    for node, name in zip(inputs, input_names(inputs)):
        node.name = name
    order = topological_order(root)
    for node in order:
        node._caching = cache
        node._fresh = False
    root._compiled = Compiled(tuple(inputs), tuple(order), cache)
    return root


def _resolve(node: NeuralNetNode) -> NeuralNetNode:
    """``node``, or if it is a macro, what it finally expands to."""
    while isinstance(node, Macro):
        node = node.expansion()
    return node


def expand_macros(root: NeuralNetNode) -> NeuralNetNode:
    """Replace every `Macro` below ``root`` by its expansion (macros inside expansions
    too); returns the new root (``root`` itself unless it is a macro)."""
    root = _resolve(root)
    stack = [root]
    seen = {id(root)}
    while stack:
        node = stack.pop()
        children = node._children
        if any(isinstance(child, Macro) for child in children):
            new_children = []
            for child in children:
                if isinstance(child, Macro):
                    child._parents.remove(node)
                    child = _resolve(child)
                    child._parents.append(node)
                new_children.append(child)
            node._children = tuple(new_children)
        for child in node._children:
            if id(child) not in seen:
                seen.add(id(child))
                stack.append(child)
    return root


def input_names(inputs: list[Input]) -> list[str]:
    """The name of each input: its own, or ``x1, x2, ...`` by position for an unnamed
    one (skipping names already taken). Two different inputs may not share a name."""
    taken: dict[str, int] = {}
    for i, node in enumerate(inputs):
        if node.name is not None:
            if node.name in taken:
                raise ValueError(f"two different inputs (number {taken[node.name] + 1} and {i + 1}) "
                                 f"are both named {node.name!r}")
            taken[node.name] = i
    names = []
    for i, node in enumerate(inputs, start=1):
        name = node.name
        if name is None:
            name = f"x{i}"
            k = i
            while name in taken:
                k += 1
                name = f"x{k}"
            taken[name] = i - 1
        names.append(name)
    return names
