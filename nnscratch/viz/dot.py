"""Drawing a computation graph: `trace` lists it, `draw_dot` renders it with Graphviz.

Each value is drawn as a record ``label | data | grad``; the operation that made it is
a small oval in front of it, with arrows from the operands. An operation with more
than two operands (a fused node, such as a neuron's whole weighted sum) is drawn as a
box with one numbered slot per operand, so each arrow lands in its own slot, in
operand order. Nodes are named by their position in a fixed traversal (``v0``,
``v1``, ...), never by memory address, so the same graph always gives the same drawing.

`draw_dot` works with any value-like object that has ``data``, ``grad``, ``label``,
``op`` and ``children`` (a tuple), such as the `Value` classes built in the chapters.

Rendering needs a ``dot`` program: the system Graphviz when installed, otherwise the
``graphviz-pure`` program that ``pip install graphviz-pure`` provides.
"""

from __future__ import annotations

import math
import pathlib
import shutil
import sys
import sysconfig
from collections.abc import Sequence
from decimal import Decimal
from numbers import Real
from typing import Any

from .._extras import require

graphviz = require("graphviz", "nnscratch.viz (draw_dot)")

__all__ = ["trace", "draw_dot", "GraphDrawing", "GraphvizNotFoundError", "number_text"]

INSTALL_HELP = """\
draw_dot needs Graphviz's `dot` program to lay out the graph, and none was found.
Install one of these, then restart the kernel:
  pip install graphviz-pure                  any system: a self-contained dot-compatible program
  sudo apt install graphviz                  Debian, Ubuntu
  brew install graphviz                      macOS
  conda install -c conda-forge graphviz      conda environments"""

RANKDIRS = ("LR", "RL", "TB", "BT")

# The side of a fused operation's box that its operands' arrows come in from.
_INPUT_SIDE = {"TB": "n", "BT": "s", "LR": "w", "RL": "e"}


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


def _children(node: Any) -> Sequence[Any]:
    """``node.children``, checked: it must exist and keep its order (not a set)."""
    try:
        children = node.children
    except AttributeError:
        raise TypeError(
            f"expected a value with data, grad, label, op and children, "
            f"got {type(node).__name__} {_short_repr(node)}"
        ) from None
    if isinstance(children, (set, frozenset)) or not isinstance(children, Sequence):
        raise TypeError(
            f"the children of a {type(node).__name__} must be a tuple (or list), in operand "
            f"order, got {type(children).__name__}: a set's order changes from run to run"
        )
    return children


def trace(root: Any) -> tuple[list[Any], list[tuple[Any, Any]]]:
    """Every value that ``root`` depends on, and every edge ``(child, parent)``.

    Values come children first (a topological order, found by a depth-first search
    that visits each node's children in order), ``root`` last; edges in the order the
    search meets them. Iterative, so deep graphs are fine.
    """
    nodes: list[Any] = []
    edges: list[tuple[Any, Any]] = []
    seen = {id(root)}
    stack = [(root, iter(_children(root)))]
    while stack:
        node, children = stack[-1]
        for child in children:
            edges.append((child, node))
            if id(child) not in seen:
                seen.add(id(child))
                stack.append((child, iter(_children(child))))
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
        return self.svg()

    def svg(self) -> str:
        """The drawing laid out by ``dot``, as SVG text."""
        # quiet: graphviz's built-in font metrics warn about every non-ASCII character
        # (say, a label "x1·w1"), and the warning would land in the notebook's output.
        return self.pipe(format="svg", encoding="utf-8", quiet=True)


# -- text in a drawing -------------------------------------------------------------------


def number_text(x: Any) -> str:
    """A number as a drawing shows it: four decimals, or three significant digits in
    scientific notation when it is far from 1 (below 1e-4 or from 1e6 up).

    Zero is ``0.0000`` whatever its sign (``-0.0`` equals 0); ``inf`` and ``nan`` are
    shown as such; an int too large for a float is still written out. Anything that is
    not a real number raises TypeError.
    """
    if isinstance(x, bool) or not isinstance(x, Real):
        raise TypeError(f"expected a real number, got {type(x).__name__} {_short_repr(x)}")
    try:
        f = float(x)
    except OverflowError:  # an int (or Fraction) beyond the float range
        exact = Decimal(x) if isinstance(x, int) else Decimal(x.numerator) / Decimal(x.denominator)
        return f"{exact:.3e}"
    if f == 0.0:
        return "0.0000"
    if math.isnan(f) or math.isinf(f):
        return str(f)
    if 1e-4 <= abs(f) < 1e6:
        return f"{f:.4f}"
    return f"{f:.3e}"


def shown_text(value: Any) -> str | None:
    """A label or op as text, or None when there is none to show (None or "")."""
    if value is None:
        return None
    text = value if isinstance(value, str) else str(value)  # a label may be any object
    return text if text != "" else None


def _visible(text: str) -> str:
    """``text`` with line breaks as ``\\n``, tabs as a space, and other control
    characters written out (``\\x01``): Graphviz would drop them, gluing words."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n")
    out = []
    for ch in text:
        if ch == "\n":
            out.append("\n")
        elif ch == "\t":
            out.append(" ")
        elif ord(ch) < 32 or ord(ch) == 127:
            out.append(f"\\x{ord(ch):02x}")
        else:
            out.append(ch)
    return "".join(out)


def record_field(text: str) -> str:
    """``text`` as one field of a Graphviz record label, shown as written."""
    text = _visible(text)
    for ch in "\\{}|<>\"":
        text = text.replace(ch, "\\" + ch)
    return text.replace("\n", "\\n")


def plain_label(text: str) -> str:
    """``text`` as the label of a plain (non-record) Graphviz node, shown as written."""
    text = _visible(text).replace("\\", "\\\\").replace('"', '\\"')
    return text.replace("\n", "\\n")


def _short_repr(x: Any) -> str:
    r = repr(x)
    return r if len(r) <= 40 else r[:37] + "..."


def _name_for_errors(node: Any, name: str) -> str:
    label = shown_text(getattr(node, "label", None))
    return f"{name} (label {label!r})" if label else name


def _field(node: Any, attribute: str, name: str) -> Any:
    try:
        return getattr(node, attribute)
    except AttributeError:
        raise TypeError(
            f"draw_dot: value {name}, a {type(node).__name__}, has no {attribute!r}; a value "
            "needs data, grad, label, op and children"
        ) from None


def _number_field(node: Any, attribute: str, name: str) -> str:
    x = _field(node, attribute, name)
    try:
        return number_text(x)
    except TypeError:
        raise TypeError(
            f"draw_dot: the {attribute} of value {_name_for_errors(node, name)} is "
            f"{type(x).__name__} {_short_repr(x)}, not a real number"
        ) from None


# -- the drawing ------------------------------------------------------------------------


def value_record(node: Any, name: str, grad: str | None) -> str:
    """The record label ``{ label | data … | grad … }`` of a value; ``grad`` is the text
    of its gradient, or None to leave the field out."""
    label = shown_text(_field(node, "label", name))
    fields = [record_field(label)] if label is not None else []
    fields.append(f"data {_number_field(node, 'data', name)}")
    if grad is not None:
        fields.append(f"grad {grad}")
    return "{ " + " | ".join(fields) + " }"


def build_drawing(
    nodes: Sequence[Any],
    edges: Sequence[tuple[Any, Any]],
    *,
    rankdir: str = "TB",
    grads: Sequence[str] | None = None,
    show_grad: bool = True,
    ids: bool = False,
    format: str = "svg",
) -> GraphDrawing:
    """The drawing of a traced graph (``nodes`` and ``edges`` as `trace` gives them).

    ``grads`` gives the text of each node's gradient field (by default its ``grad``);
    ``ids=True`` gives every element of the SVG an id: ``v3`` for a value's record,
    ``v3_op`` for its operation, ``v3_out`` for the arrow from one to the other, and
    ``e5`` for the arrow of ``edges[5]``. `draw_dot` draws without ids; the backprop
    player uses them to find what to change from frame to frame.
    """
    names = {id(node): f"v{i}" for i, node in enumerate(nodes)}
    dot = GraphDrawing(
        format=format,
        graph_attr={"rankdir": rankdir, "bgcolor": "white", "pad": "0.2", "nodesep": "0.25"},
        node_attr={"fontname": "Helvetica", "fontsize": "12", "color": "#444444",
                   "style": "filled", "fillcolor": "white", "fontcolor": "black"},
        edge_attr={"color": "#444444", "arrowsize": "0.7"},
    )
    fused = set()
    for i, node in enumerate(nodes):
        name = names[id(node)]
        if grads is not None:
            grad = grads[i]
        else:
            grad = _number_field(node, "grad", name) if show_grad else None
        dot.node(name, value_record(node, name, grad), shape="record", **_id(ids, name))
        op = shown_text(_field(node, "op", name))
        if op is None:
            continue
        children = _children(node)
        if len(children) > 2:
            fused.add(name)
            slots = "|".join(f"<i{k}> {k + 1}" for k in range(len(children)))
            dot.node(f"{name}_op", "{ {" + slots + "} | " + record_field(op) + " }",
                     shape="record", fillcolor="#eef3fb", fontsize="9", height="0.3",
                     **_id(ids, f"{name}_op"))
        else:
            dot.node(f"{name}_op", plain_label(op), shape="ellipse", fillcolor="#eef3fb",
                     fontsize="11", height="0.3", margin="0.04,0.02", **_id(ids, f"{name}_op"))
        dot.edge(f"{name}_op", name, **_id(ids, f"{name}_out"))
    slot_of: dict[int, int] = {}  # the next operand slot of each fused node
    for k, (child, parent) in enumerate(edges):
        head = f"{names[id(parent)]}_op"
        if names[id(parent)] in fused:
            slot = slot_of.get(id(parent), 0)
            slot_of[id(parent)] = slot + 1
            head = f"{head}:i{slot}:{_INPUT_SIDE[rankdir]}"
        dot.edge(names[id(child)], head, **_id(ids, f"e{k}"))
    return dot


def _id(ids: bool, name: str) -> dict[str, str]:
    return {"id": name} if ids else {}


def check_rankdir(rankdir: Any) -> None:
    if rankdir not in RANKDIRS:
        raise ValueError(f"rankdir must be 'LR', 'RL', 'TB' or 'BT', got {rankdir!r}")


def check_count(value: Any, name: str) -> None:
    """``value`` must be a whole number of at least 1 (a size cap)."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{name} must be an int, got {type(value).__name__} {value!r}")
    if value < 1:
        raise ValueError(f"{name} must be at least 1, got {value}")


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
    right, which suits short, wide screens, and graphs with a fused node (a whole
    neuron's weighted sum), whose many operands then stack in a column instead of
    spreading in a row. Graphs with more than ``max_values`` values are refused with a
    message, since they would be unreadable; raise the cap to draw them anyway.
    """
    check_rankdir(rankdir)
    if not isinstance(show_grad, bool):
        raise TypeError(f"show_grad must be True or False, got {show_grad!r}")
    check_count(max_values, "max_values")
    nodes, edges = trace(root)
    if len(nodes) > max_values:
        raise ValueError(
            f"draw_dot: this graph has {len(nodes)} values, more than max_values={max_values}; "
            "a drawing that size is unreadable. Draw a smaller part of it (say, one neuron), "
            f"or pass max_values={len(nodes)} to draw it anyway."
        )
    _use_dot()
    return build_drawing(nodes, edges, rankdir=rankdir, show_grad=show_grad, format=format)
