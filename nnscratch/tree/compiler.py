"""Compiling a model: the work that `predict` and `backward` would otherwise redo on
every call, done once.

1. Expand every `Macro` into the elementary operations it stands for, and refuse a
   macro whose expansion contains itself, or that never stops expanding.
2. Find the inputs, in order, each once, and name the unnamed ones ``x1, x2, ...``.
3. Work out the order of the backward pass (parents before children).
4. Turn forward caching on (or off) in every node, with nothing cached yet.

Everything here is a walk with an explicit stack, so a model of any depth compiles.
The module works on the nodes of `nnscratch.tree.nodes` through what every node has:
``_children``, ``_parents``, the caching flags, ``is_macro`` and a macro's
``expansion()``; it does not import the node classes (they import it).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .errors import ModelError
from .graph import find_cycle, find_input_nodes, path_count, topological_order

__all__ = ["Compiled", "compile_model", "expand_macros", "input_names", "MAX_MACRO_NESTING",
           "MAX_UNCACHED_VISITS"]

#: How many macros may sit inside each other's expansions along one path of a model.
#: Far more than any model that runs (its forward pass recurses once per level); an
#: expand() that keeps building macros gets there in a moment.
MAX_MACRO_NESTING = 10_000

#: Without caching, one forward pass visits a shared node once per path to it. Above
#: this many visits per pass, `compile(cache=False)` refuses the model.
MAX_UNCACHED_VISITS = 10_000_000

Node = Any


@dataclass(frozen=True)
class Compiled:
    """What `compile` found out about a model, kept on its root."""

    inputs: tuple[Node, ...]
    order: tuple[Node, ...]
    cache: bool


def compile_model(root: Node, cache: bool = True) -> Node:
    """Compile the model rooted at ``root`` (see the module notes); returns the root to
    use, which is ``root`` unless ``root`` is a `Macro`."""
    if not isinstance(cache, bool):
        raise TypeError(f"cache must be True or False, got {cache!r}")
    root = expand_macros(root)
    inputs = find_input_nodes(root)
    for node, name in zip(inputs, input_names(inputs)):
        node.name = name
    order = topological_order(root)
    if not cache:
        visits = path_count(root)
        if visits > MAX_UNCACHED_VISITS:
            raise ModelError(
                f"compile(cache=False): without caching, one forward pass of this model calls "
                f"forward() {visits:,} times, once for every path to every node, because "
                f"nodes are shared (it has {len(order):,} nodes). Compile it with cache=True.")
    for node in order:
        node._caching = cache
        node._fresh = False
    root._compiled = Compiled(tuple(inputs), tuple(order), cache)
    return root


def _resolve(node: Node, nesting: int, made_by: dict[int, Node]) -> tuple[Node, int]:
    """``node``, or if it is a macro, what it finally expands to, and the nesting level
    reached; ``made_by`` records which macro each expansion came from."""
    while node.is_macro:
        if nesting >= MAX_MACRO_NESTING:
            raise ModelError(
                f"compile: macros nest more than {MAX_MACRO_NESTING:,} deep, the last of them of class "
                f"{type(node).__name__}: its expand() probably builds another {type(node).__name__} "
                "instead of elementary operations, so the expansion never ends.")
        expansion = node.expansion()
        made_by.setdefault(id(expansion), node)
        node = expansion
        nesting += 1
    return node, nesting


def expand_macros(root: Node) -> Node:
    """Replace every `Macro` below ``root`` by its expansion (macros inside expansions
    too); returns the new root (``root`` itself unless it is a macro)."""
    made_by: dict[int, Node] = {}
    root, level = _resolve(root, 0, made_by)
    nesting = {id(root): level}  # how many macros were expanded on the way to a node
    stack = [root]
    while stack:
        node = stack.pop()
        here = nesting[id(node)]
        children = node._children
        if any(child.is_macro for child in children):
            new_children = []
            for child in children:
                if child.is_macro:
                    child._parents.remove(node)
                    child, level = _resolve(child, here, made_by)
                    child._parents.append(node)
                    if id(child) not in nesting:
                        nesting[id(child)] = level
                        stack.append(child)
                new_children.append(child)
            node._children = tuple(new_children)
        for child in node._children:
            if id(child) not in nesting:
                nesting[id(child)] = here
                stack.append(child)
    cycle = find_cycle(root)
    if cycle is not None:
        macro = next((made_by[id(n)] for n in cycle if id(n) in made_by), None)
        which = (f"the expansion of {type(macro).__name__} contains that {type(macro).__name__} itself"
                 if macro is not None else "it contains a cycle, left by a macro that contained itself")
        raise ModelError(
            f"compile: {which} (directly or through another macro), so the model would be its own "
            "child. A macro's expand() must build a tree of other nodes over self.children.")
    return root


def input_names(inputs: list[Node]) -> list[str]:
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
