"""Drawing a computation graph: `trace` lists it, `draw_dot` renders it with Graphviz.

Each value is drawn as a record ``label | data | grad``; the operation that made it is
a small oval in front of it, with arrows from the operands. Nodes are named by their
position in a fixed traversal (``v0``, ``v1``, ...), never by memory address, so the
same graph always gives the same drawing.

`draw_dot` works with any value-like object that has ``data``, ``grad``, ``label``,
``op`` and ``children`` (a tuple), such as the `Value` classes built in the chapters.

Rendering needs a ``dot`` program: the system Graphviz when installed, otherwise the
``graphviz-pure`` program that ``pip install graphviz-pure`` provides.
"""

from __future__ import annotations

import pathlib
import shutil
import sys
import sysconfig
from typing import Any

from ._extras import require

graphviz = require("graphviz", "nnscratch.viz (draw_dot)")

__all__ = ["trace", "draw_dot", "GraphDrawing", "GraphvizNotFoundError"]

INSTALL_HELP = """\
draw_dot needs Graphviz's `dot` program to lay out the graph, and none was found.
Install one of these, then restart the kernel:
  pip install graphviz-pure                  any system: a self-contained dot-compatible program
  sudo apt install graphviz                  Debian, Ubuntu
  brew install graphviz                      macOS
  conda install -c conda-forge graphviz      conda environments"""


class GraphvizNotFoundError(RuntimeError):
    """Neither a system ``dot`` nor ``graphviz-pure`` could be found."""


def find_dot() -> str:
    """The ``dot`` program to use: the system one if on PATH, else ``graphviz-pure``.

    Looks for ``graphviz-pure`` on PATH and next to the running Python (where pip puts
    scripts, which a Jupyter kernel's PATH may not include).
    """
    system_dot = shutil.which("dot")
    if system_dot:
        return system_dot
    places = [None, str(pathlib.Path(sys.executable).parent), sysconfig.get_path("scripts")]
    for place in places:
        found = shutil.which("graphviz-pure", path=place)
        if found:
            return found
    raise GraphvizNotFoundError(INSTALL_HELP)


def _use_dot() -> None:
    """Point the graphviz package at the ``dot`` program that `find_dot` chooses."""
    graphviz.backend.dot_command.DOT_BINARY = pathlib.Path(find_dot())


def trace(root: Any) -> tuple[list[Any], list[tuple[Any, Any]]]:
    """Every value that ``root`` depends on, and every edge ``(child, parent)``.

    Values come children first (a topological order, found by a depth-first search
    that visits each node's children in order), ``root`` last; edges in the order the
    search meets them. Iterative, so deep graphs are fine.
    """
    nodes: list[Any] = []
    edges: list[tuple[Any, Any]] = []
    seen = {id(root)}
    stack = [(root, iter(root.children))]
    while stack:
        node, children = stack[-1]
        for child in children:
            edges.append((child, node))
            if id(child) not in seen:
                seen.add(id(child))
                stack.append((child, iter(child.children)))
                break
        else:
            stack.pop()
            nodes.append(node)
    return nodes, edges


class GraphDrawing(graphviz.Digraph):
    """A `graphviz.Digraph` whose text form is its DOT source (not a memory address).

    Notebooks show the picture; the text form is what a terminal prints and what a
    test can compare.
    """

    def __repr__(self) -> str:
        return self.source

    def _repr_image_svg_xml(self) -> str:
        # quiet: graphviz's built-in font metrics warn about every non-ASCII character
        # (say, a label "x1·w1"), and the warning would land in the notebook's output.
        return self.pipe(format="svg", encoding="utf-8", quiet=True)


def _number(x: float) -> str:
    if x == 0 or 1e-4 <= abs(x) < 1e6:
        return f"{x:.4f}"
    return f"{x:.3e}"


def _escape(text: str) -> str:
    """Escape the characters that have a meaning inside a Graphviz record label."""
    for ch in "\\{}|<>\"":
        text = text.replace(ch, "\\" + ch)
    return text


def draw_dot(
    root: Any,
    *,
    rankdir: str = "TB",
    show_grad: bool = True,
    max_values: int = 500,
    format: str = "svg",
) -> GraphDrawing:
    """Draw the computation graph that produced ``root``.

    ``rankdir="TB"`` lays it out top to bottom, which fits a page; ``"LR"`` left to
    right, which suits short, wide screens. Graphs with
    more than ``max_values`` values are refused with a message, since they would be
    unreadable; raise the cap to draw them anyway.
    """
    if rankdir not in ("LR", "RL", "TB", "BT"):
        raise ValueError(f"rankdir must be 'LR', 'RL', 'TB' or 'BT', got {rankdir!r}")
    nodes, edges = trace(root)
    if len(nodes) > max_values:
        raise ValueError(
            f"draw_dot: this graph has {len(nodes)} values, more than max_values={max_values}; "
            "a drawing that size is unreadable. Draw a smaller part of it (say, one neuron), "
            f"or pass max_values={len(nodes)} to draw it anyway."
        )
    _use_dot()
    names = {id(node): f"v{i}" for i, node in enumerate(nodes)}

    dot = GraphDrawing(
        format=format,
        graph_attr={"rankdir": rankdir, "bgcolor": "white", "pad": "0.2", "nodesep": "0.25"},
        node_attr={"fontname": "Helvetica", "fontsize": "12", "color": "#444444",
                   "style": "filled", "fillcolor": "white", "fontcolor": "black"},
        edge_attr={"color": "#444444", "arrowsize": "0.7"},
    )
    for node in nodes:
        name = names[id(node)]
        fields = [_escape(str(node.label))] if node.label else []  # a label may be any object
        fields.append(f"data {_number(node.data)}")
        if show_grad:
            fields.append(f"grad {_number(node.grad)}")
        dot.node(name, "{ " + " | ".join(fields) + " }", shape="record")
        if node.op:
            dot.node(f"{name}_op", node.op, shape="ellipse", fillcolor="#eef3fb",
                     fontsize="11", height="0.3", margin="0.04,0.02")
            dot.edge(f"{name}_op", name)
    for child, parent in edges:
        dot.edge(names[id(child)], f"{names[id(parent)]}_op")
    return dot
