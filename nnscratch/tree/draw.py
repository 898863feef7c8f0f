"""Drawing a model as the tree it is: the root at the top, the leaves at the bottom.

Operations are ovals with their symbol (+, *, ReLU, sigmoid, ...), parameters green boxes
with their value, inputs blue boxes with their name and value. A node shared by two
parents is drawn once, with two lines up to them. Nodes are named ``t0, t1, ...`` in
the order a left-to-right walk meets them, so the same model always gives the same
drawing (its text form is the DOT source, as for `nnscratch.viz.draw_dot`).

Works for any tree of objects with ``children``, such as the classes built in the
chapters: a node is labelled by its class name, and ``value`` and ``name`` attributes
are shown when it has them.
"""

from __future__ import annotations

from typing import Any

from .checks import as_count, show
from .graph import walk

__all__ = ["draw_tree", "tree_graph", "node_kind", "symbol"]

# ASCII only: the pip-installed layout program has no font metrics for other characters.
_SYMBOLS = {"Add": "+", "Multiply": "*", "Sigmoid": "sigmoid", "ReLU": "ReLU", "Softmax": "softmax",
            "Output": "output"}
PARAMETER_FILL, INPUT_FILL, OPERATION_FILL = "#d9f2d9", "#dbe8fb", "#f2f2f2"


def _number(x: float, precision: int) -> str:
    return format(x, f".{precision}g")


def tree_graph(rankdir: str = "TB", **edge_attr: str) -> Any:
    """An empty `nnscratch.viz.GraphDrawing` with the look of every tree drawing:
    compact, on white, and never wider than about 5 inches (a phone's page is narrow)."""
    from ..viz import GraphDrawing

    return GraphDrawing(
        format="svg",
        graph_attr={"rankdir": rankdir, "bgcolor": "white", "pad": "0.1", "nodesep": "0.15",
                    "ranksep": "0.3", "size": "5,12"},
        node_attr={"fontname": "Helvetica", "fontsize": "12", "color": "#444444", "style": "filled",
                   "fontcolor": "black", "fillcolor": "white", "margin": "0.06,0.03",
                   "height": "0.3", "width": "0.4"},
        edge_attr={"color": "#444444", "arrowhead": "none", **edge_attr},
    )


def node_kind(node: Any) -> str:
    """How a drawing shows ``node``: ``"parameter"`` (a green box with its value),
    ``"input"`` (a blue box with its name and value) or ``"operation"`` (a grey oval
    with its symbol). A childless node with a numeric value that is not an `Input`
    is drawn as a parameter."""
    kind = type(node).__name__
    value = getattr(node, "value", None)
    if kind == "Parameter" or (not node.children and kind != "Input" and isinstance(value, (int, float))):
        return "parameter"
    if kind == "Input":
        return "input"
    return "operation"


def symbol(node: Any) -> str:
    """An operation's symbol in a drawing: +, *, ReLU, sigmoid, ..., else its class name."""
    kind = type(node).__name__
    return _SYMBOLS.get(kind, kind)


def is_macro(node: Any) -> bool:
    return any(cls.__name__ == "Macro" for cls in type(node).__mro__)


def draw_tree(root: Any, *, show_derivatives: bool = False, precision: int = 4,
              rankdir: str = "TB", max_nodes: int = 200) -> Any:
    """Draw the model rooted at ``root``; returns a `nnscratch.viz.GraphDrawing`.

    ``show_derivatives=True`` adds each node's ``derivative`` (∂L/∂node from the last
    backward pass), labelled dL/dn. ``precision`` is the number of significant digits shown.
    """
    from ..viz import _use_dot

    if not isinstance(rankdir, str) or rankdir not in ("TB", "LR", "BT", "RL"):
        raise ValueError(f"rankdir must be 'TB', 'LR', 'BT' or 'RL', got {show(rankdir)}")
    if not isinstance(show_derivatives, bool):
        raise TypeError(f"show_derivatives must be True or False, got {show(show_derivatives)}")
    precision = as_count(precision, "precision", minimum=1)
    if precision > 17:
        raise ValueError(f"precision must be at most 17 (a float has 17 significant digits), got {precision}")
    max_nodes = as_count(max_nodes, "max_nodes", minimum=1)
    nodes = walk(root)
    if len(nodes) > max_nodes:
        raise ValueError(f"draw_tree: {len(nodes)} nodes is more than max_nodes={max_nodes}; "
                         "a drawing that size is unreadable. Pass max_nodes to draw it anyway.")
    _use_dot()
    names = {id(node): f"t{i}" for i, node in enumerate(nodes)}
    dot = tree_graph(rankdir)
    for node in nodes:
        kind = node_kind(node)
        lines = []
        value = getattr(node, "value", None)
        if kind == "parameter":
            lines.append(_number(value, precision))
            style = {"shape": "box", "style": "rounded,filled", "fillcolor": PARAMETER_FILL}
        elif kind == "input":
            name = getattr(node, "name", None)
            lines.append(f"{name or 'input'} = {_number(value, precision)}")
            style = {"shape": "box", "style": "filled", "fillcolor": INPUT_FILL}
        else:
            lines.append(symbol(node))
            style = {"shape": "ellipse", "fillcolor": OPERATION_FILL}
            if is_macro(node):
                style["style"] = "dashed,filled"
        if show_derivatives:
            d = getattr(node, "derivative", None)
            if isinstance(d, (int, float)):
                lines.append(f"dL/dn = {_number(d, precision)}")
            elif d is not None:
                lines.append("dL/dn = [" + ", ".join(_number(x, precision) for x in d) + "]")
        dot.node(names[id(node)], "\\n".join(lines), **style)
    for node in nodes:
        for child in node.children:
            dot.edge(names[id(node)], names[id(child)])
    return dot
