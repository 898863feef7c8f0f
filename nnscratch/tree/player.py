"""The tree player: the backward pass of a tree model, stepped visit by visit.

The tree is drawn as `draw_tree` draws it, root on top, with the loss above the root.
Frame 0 is the tree before the pass; then one frame per visit (see
`nnscratch.tree.visits`), in the order the model's own ``backward`` makes them. In each
frame the node being visited is highlighted, and so are the lines down to its
children, each labelled with the derivative it hands that child; a parameter shows
its new value once it has learnt. The caption gives the visit's arithmetic:

    ∂L/∂w1 = ∂L/∂(w1*x) · x = 1.5·2 = 3
    w1 ← w1 − η·∂L/∂w1 = 0.5 − 0.1·3 = 0.2

It is a `nnscratch.viz.Player`, so it has the backprop player's controls and needs, as
that one does, no kernel, no network and no file beside it; the same model gives the
same HTML on every run.
"""

from __future__ import annotations

import dataclasses
import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Optional

from ..viz import _use_dot
from ..viz.player import Frame, Player, check_seconds, widest
from .checks import as_count, show
from .draw import INPUT_FILL, OPERATION_FILL, PARAMETER_FILL, is_macro, node_kind, symbol, tree_graph
from .graph import topological_order, walk
from .visits import BackwardVisits, Visit, backward_visits

__all__ = ["tree_player", "TreePlayer"]

Node = Any


@dataclass(frozen=True, repr=False)
class TreePlayer(Player):
    """A `Player` of a tree's backward pass; ``visits`` holds the `BackwardVisits` it shows."""

    visits: Optional[BackwardVisits] = field(default=None, repr=False, compare=False)


def tree_player(
    root: Node,
    derivative: Any = 1.0,
    *,
    names: Optional[Mapping[str, Node]] = None,
    backward: Optional[Callable[[Node, float], Any]] = None,
    title: Optional[str] = None,
    precision: int = 4,
    max_nodes: int = 100,
    seconds_per_visit: float = 1.2,
) -> TreePlayer:
    """Step through the backward pass from ``root``, which receives ``derivative``
    (∂L/∂ŷ, from the loss), one frame per visit: ``first``, ``previous``, ``play``,
    ``next``, ``last``, a slider, and the arrow keys when the player has focus.

    The pass is the model's own (``root.backward(derivative)``, or ``backward(root,
    derivative)`` if given), so a chapter's classes are shown doing what they do; the
    model is left as it was (see `backward_visits`). ``names`` maps a name to a node
    (``{"w1": w1}``) for the captions and the drawing; other parameters are called p1,
    p2, ..., inputs by their ``name`` or x1, x2, ..., operations by the formula they
    compute when it is short, and the root ŷ. ``precision`` is the number of
    significant digits shown. Trees of more than ``max_nodes`` nodes are refused:
    `draw_tree` shows them whole.
    """
    if title is not None and not isinstance(title, str):
        raise TypeError(f"title must be a string, got {type(title).__name__}")
    precision = as_count(precision, "precision", minimum=1)
    if precision > 17:
        raise ValueError(f"precision must be at most 17 (a float has 17 significant digits), got {precision}")
    max_nodes = as_count(max_nodes, "max_nodes", minimum=1)
    check_seconds(seconds_per_visit, "seconds_per_visit")
    if not hasattr(root, "children"):
        raise TypeError(f"tree_player needs the root node of a tree model, got {type(root).__name__} {show(root)}")
    n = len(walk(root))
    if n > max_nodes:
        raise ValueError(
            f"tree_player: this tree has {n} nodes, more than max_nodes={max_nodes}: too many visits to "
            "follow one by one. Step through a smaller model, draw this one whole with draw_tree(root), "
            f"or pass max_nodes={n} to build the player anyway.")
    label = _Labels(root, names)  # before the pass, so that bad names fail fast
    visits = backward_visits(root, derivative, backward=backward)
    fmt = _Numbers(precision)
    frames, slots = _frames(visits, label, fmt)
    _use_dot()
    drawing = _drawing(visits, label, fmt, dict(slots))
    return TreePlayer(
        drawing=drawing, slots=tuple(slots), frames=tuple(frames),
        description=f"The backward pass of the tree from its root, {label[root]}, visit by visit",
        heading=title, seconds_per_frame=seconds_per_visit, visits=visits,
    )


# -- numbers and names ------------------------------------------------------------------------


class _Numbers:
    """Numbers to ``precision`` significant digits: ASCII in the drawing (the layout
    program measures ASCII only), with true minus signs in the captions."""

    def __init__(self, precision: int) -> None:
        self.precision = precision

    def drawn(self, x: float) -> str:
        text = format(float(x), f".{self.precision}g")
        return "0" if text in ("0", "-0") else text

    def text(self, x: float) -> str:
        return self.drawn(x).replace("-", "\u2212")

    def factor(self, x: float) -> str:
        t = self.text(x)
        return f"({t})" if t.startswith("\u2212") else t


_WORD = re.compile(r"[\w\u0177.\u2212-]+|\[[^\]]*\]")
_CALL = re.compile(r"(?:\w+|\u03c3)\((.*)\)")


def _simple(name: str) -> bool:
    """A name that reads as one thing beside an operator or after ∂: ``w1``, ``ŷ``,
    ``[+]``, ``relu(w1*x+b1)``; not ``w1*x``."""
    if _WORD.fullmatch(name):
        return True
    call = _CALL.fullmatch(name)
    if call is None:
        return False
    depth = 0
    for ch in call[1]:  # the call's brackets must enclose everything after its name
        depth += {"(": 1, ")": -1}.get(ch, 0)
        if depth < 0:
            return False
    return depth == 0


class _Labels:
    """What the captions and the drawing call each node."""

    def __init__(self, root: Node, given: Optional[Mapping[str, Node]]) -> None:
        nodes = walk(root)
        ids = {id(n) for n in nodes}
        self.names: dict[int, str] = {}
        self.given: set[int] = set()
        if given is not None:
            if not isinstance(given, Mapping):
                raise TypeError(f"names must map a name to a node, such as {{'w1': w1}}; got "
                                f"{type(given).__name__}")
            for name, node in given.items():
                if not isinstance(name, str) or not name.strip() or any(c in name for c in "\n\r\t"):
                    raise ValueError(f"names: {show(name)} is not a name (a short string on one line)")
                if id(node) not in ids:
                    raise ValueError(f"names: {name!r} is not a node of this tree (got {type(node).__name__} "
                                     f"{show(node)})")
                if id(node) in self.names:
                    raise ValueError(f"names: one node has two names, {self.names[id(node)]!r} and {name!r}")
                self.names[id(node)] = name
                self.given.add(id(node))
        taken = set(self.names.values())
        if id(root) not in self.names:
            self.names[id(root)] = "\u0177"  # ŷ: the prediction
        inputs = [n for n in nodes if node_kind(n) == "input" and id(n) not in self.names]
        own = [getattr(n, "name", None) for n in inputs]
        for node, name in zip(inputs, own):
            if isinstance(name, str) and name and name not in taken:
                self.names[id(node)] = name
                taken.add(name)
        unnamed = [n for n in inputs if id(n) not in self.names]
        self._number(unnamed, "x", taken, alone="x" if len(inputs) == 1 and unnamed else None)
        self._number([n for n in nodes if node_kind(n) == "parameter" and id(n) not in self.names], "p", taken)
        for node in reversed(topological_order(root)):  # children first
            if id(node) not in self.names:
                self.names[id(node)] = self._formula(node)

    def _number(self, nodes: list, prefix: str, taken: set[str], alone: Optional[str] = None) -> None:
        if alone is not None and alone not in taken:
            self.names[id(nodes[0])] = alone
            taken.add(alone)
            return
        k = 0
        for node in nodes:
            k += 1
            while f"{prefix}{k}" in taken:
                k += 1
            self.names[id(node)] = f"{prefix}{k}"
            taken.add(f"{prefix}{k}")

    def _formula(self, node: Node) -> str:
        parts = [self[c] for c in node.children]
        kind = type(node).__name__
        if kind == "Add":
            text = "+".join(parts)
        elif kind == "Multiply":
            text = "*".join(p if "+" not in p or _simple(p) else f"({p})" for p in parts)
        elif kind in ("ReLU", "Sigmoid"):
            text = f"{'relu' if kind == 'ReLU' else 'σ'}({', '.join(parts)})"
        else:
            text = ""
        return text if text and len(text) <= 16 else f"[{symbol(node)}]"

    def __getitem__(self, node: Node) -> str:
        return self.names[id(node)]

    def part(self, node: Node) -> str:
        """The name as it reads after ∂ or beside an operator: in brackets if compound."""
        name = self[node]
        return name if _simple(name) else f"({name})"

    def drawn(self, node: Node) -> Optional[str]:
        """The name the drawing shows for an operation, if it was given one."""
        return self.names[id(node)] if id(node) in self.given else None


# -- frames -----------------------------------------------------------------------------------


def _frames(visits: BackwardVisits, label: _Labels, fmt: _Numbers) -> tuple[list[Frame], list[tuple[str, str]]]:
    nodes = list(visits.nodes)
    index = {id(n): i for i, n in enumerate(nodes)}
    params = [n for n in nodes if node_kind(n) == "parameter"]
    values = {id(p): _first_value(visits, p) for p in params}
    arrows = ["" for _ in visits.edges]
    out_edges: dict[int, list[int]] = {}
    for k, (parent, _, _) in enumerate(visits.edges):
        out_edges.setdefault(id(parent), []).append(k)

    def texts() -> tuple[str, ...]:
        return tuple(_param_text(label, p, values[id(p)], fmt) for p in params) + tuple(arrows)

    frames = [_start(visits, label, fmt, texts())]
    seen: dict[int, int] = {}
    total = len(visits)
    for k, visit in enumerate(visits, start=1):
        node = visit.node
        seen[id(node)] = seen.get(id(node), 0) + 1
        if id(node) in values and visit.value_after is not None:
            values[id(node)] = visit.value_after
        handed = out_edges.get(id(node), []) if visit.shares else []
        for e, share in zip(handed, visit.shares):
            arrows[e] = fmt.drawn(share)
        title, lines = _caption(visit, visits, label, fmt, seen[id(node)])
        mine = f"t{index[id(node)]}"
        lost = (mine,) if any(kind == "lost" for kind, _ in lines) else ()
        frames.append(Frame(texts=texts(), label=f"Visit {k} of {total}", title=title, lines=tuple(lines),
                            current=() if lost else (mine,), lost=lost,
                            edges=tuple(f"e{e}" for e in handed)))
    # A slot for each parameter, and for each arrow that is handed a derivative at all.
    keys = [f"t{index[id(p)]}" for p in params] + [f"e{k}" for k in range(len(arrows))]
    kept = [i for i, key in enumerate(keys) if any(f.texts[i] for f in frames)]
    slots = [(keys[i], widest([f.texts[i] for f in frames])) for i in kept]
    frames = [dataclasses.replace(f, texts=tuple(f.texts[i] for i in kept)) for f in frames]
    return frames, slots


def _first_value(visits: BackwardVisits, node: Node) -> float:
    for visit in visits:
        if visit.node is node and visit.value_before is not None:
            return visit.value_before
    return node.value


def _param_text(label: _Labels, node: Node, value: float, fmt: _Numbers) -> str:
    return f"{label[node]} = {fmt.drawn(value)}"


def _start(visits: BackwardVisits, label: _Labels, fmt: _Numbers, texts: tuple[str, ...]) -> Frame:
    root = visits.root
    lines = [("note", f"The loss hands the root, {label[root]}, ∂L/∂{label.part(root)} = "
                      f"{fmt.text(visits.derivative)}.")]
    if not root.children:
        lines.append(("note", f"The root, {label[root]}, is a leaf: one visit, and nothing to pass on."))
    rates = [getattr(n, "learning_rate", None) for n in visits.nodes if node_kind(n) == "parameter"]
    if any(isinstance(r, (int, float)) and r > 0 for r in rates):
        lines.append(("note", "Each parameter steps as soon as its derivative reaches it: "
                              "p ← p − η·∂L/∂p, with η its learning rate."))
    return Frame(texts=texts, label="Start", title="Before the backward pass", lines=tuple(lines))


def _caption(visit: Visit, visits: BackwardVisits, label: _Labels, fmt: _Numbers,
             nth: int) -> tuple[str, list[tuple[str, str]]]:
    node, d = visit.node, visit.derivative
    me, part = label[node], label.part(node)
    lines: list[tuple[str, str]] = []
    uses = [p for p, _, c in visits.edges if c is node]
    if len({id(p) for p in uses}) == len(uses):
        users, whole, one = f"has {len(uses)} parents", "all of them", "one of them"
    else:  # a parent that uses the node twice, as in Multiply([h, h])
        users, whole, one = f"is used {len(uses)} times", "every use", "one use"
    if len(visit.came_from) > 1:
        terms = " + ".join(fmt.factor(s) for s in _taken(visit, visits))
        lines.append(("note", f"{me} {users}, and has heard from {whole}: "
                              f"∂L/∂{part} = {terms} = {fmt.text(d)}."))
    elif len(uses) > 1:
        lines.append(("note", f"{me} {users}; this visit brings the share of {one} only "
                              f"(visit {nth} of {me})."))
    if not math.isnan(visit.expected) and not math.isclose(d, visit.expected, rel_tol=1e-9, abs_tol=1e-12):
        lines.append(("lost", f"The chain rule hands {me} {fmt.text(visit.expected)}, but it received "
                              f"{fmt.text(d)}."))
    title = f"{me} receives ∂L/∂{part} = {fmt.text(d)}"
    if node.children:
        if visit.local is None:
            lines.append(("note", f"{me} passes nothing on: its grad() was not called."))
        for slot, (child, local, share) in enumerate(zip(node.children, visit.local or (), visit.shares)):
            rule = _rule(node, slot, local, label)
            lines.append(("set", f"∂L/∂{label.part(child)} = ∂L/∂{part} · {rule} = "
                                 f"{fmt.factor(d)}·{fmt.factor(local)} = {fmt.text(share)}"))
        if visit.local is not None and len(visit.local) != len(node.children):
            lines.append(("lost", f"{me} has {len(node.children)} children, but its grad() gave "
                                  f"{len(visit.local)} local derivatives."))
        return title, lines
    if visit.learned:
        old, new = visit.value_before, visit.value_after
        rate = getattr(node, "learning_rate", None)
        if isinstance(rate, (int, float)) and math.isclose(new, old - rate * d, rel_tol=1e-9, abs_tol=1e-12):
            lines.append(("set", f"{me} ← {me} − η·∂L/∂{part} = {fmt.text(old)} − {fmt.text(rate)}·"
                                 f"{fmt.factor(d)} = {fmt.text(new)}"))
        else:
            lines.append(("set", f"{me} changes from {fmt.text(old)} to {fmt.text(new)}"))
        return f"{title} and learns", lines
    if node_kind(node) == "parameter":
        rate = getattr(node, "learning_rate", None)
        why = "its learning rate is 0" if rate == 0 else "the step is 0" if d == 0 else "it does not learn here"
        lines.append(("note", f"{me} stays at {fmt.text(visit.value_before)}: {why}."))
    elif node_kind(node) == "input":
        lines.append(("note", f"An input does not learn: the derivative stops at {me}."))
    else:
        lines.append(("note", f"{me} is a leaf: the derivative stops here."))
    return title, lines


def _taken(visit: Visit, visits: BackwardVisits) -> list[float]:
    """The shares that made up this visit's derivative, in the order they were handed."""
    shares = {}
    for earlier in visits:
        if earlier is visit:
            break
        if earlier.shares:
            ks = [k for k, (p, _, _) in enumerate(visits.edges) if p is earlier.node]
            shares.update(zip(ks, earlier.shares))
    return [shares[k] for k in visit.came_from if k in shares]


def _rule(node: Node, slot: int, local: float, label: _Labels) -> str:
    """∂node/∂child in words: the operation's rule, where the number agrees with it."""
    kind = type(node).__name__
    children = node.children
    fallback = f"∂{label.part(node)}/∂{label.part(children[slot])}"
    if kind == "Add":
        return "1" if local == 1 else fallback
    if kind == "Multiply":
        others = [label.part(c) for i, c in enumerate(children) if i != slot]
        return "·".join(others) if len(others) <= 2 else "(the product of the others)"
    if kind == "ReLU":
        return {1.0: "1 (its input is positive)", 0.0: "0 (its input is not positive)"}.get(local, fallback)
    if kind == "Sigmoid":
        me = label.part(node)
        return f"{me}·(1 − {me})"
    return fallback


# -- the drawing ------------------------------------------------------------------------------


def _drawing(visits: BackwardVisits, label: _Labels, fmt: _Numbers, slots: dict[str, str]) -> Any:
    dot = tree_graph("TB", fontname="Helvetica", fontsize="11", fontcolor="#7c2d12")
    dot.graph_attr.update(nodesep="0.3", ranksep="0.35")  # room for the arrows' labels
    dot.node("loss", "loss", shape="plaintext", style="", fontcolor="#444444", id="loss")
    nodes = list(visits.nodes)
    for i, node in enumerate(nodes):
        key = f"t{i}"
        kind = node_kind(node)
        if kind == "parameter":
            # square corners: the player's highlight fills polygons and ovals
            dot.node(key, slots[key], shape="box", style="filled", fillcolor=PARAMETER_FILL, id=key)
        elif kind == "input":
            dot.node(key, f"{label[node]} = {fmt.drawn(node.value)}", shape="box", style="filled",
                     fillcolor=INPUT_FILL, id=key)
        else:
            name = label.drawn(node)
            text = symbol(node) if name is None else f"{name}: {symbol(node)}"
            dot.node(key, text, shape="ellipse", fillcolor=OPERATION_FILL, id=key,
                     **({"style": "dashed,filled"} if is_macro(node) else {}))
    dot.edge("loss", "t0", label=fmt.drawn(visits.derivative), style="dashed", id="e_loss")
    index = {id(n): i for i, n in enumerate(nodes)}
    for k, (parent, _, child) in enumerate(visits.edges):
        text = {"label": slots[f"e{k}"]} if f"e{k}" in slots else {}
        dot.edge(f"t{index[id(parent)]}", f"t{index[id(child)]}", id=f"e{k}", **text)
    return dot
