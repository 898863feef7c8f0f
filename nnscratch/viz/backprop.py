"""The backprop player: the backward pass, stepped frame by frame over one drawing.

Frame 0 is the graph before any step runs; frame k shows it after step k, with the
node whose step it is highlighted, the arrows to the operands it updates, every
gradient filled in so far, and a caption with the step's arithmetic::

    a.grad += b · e.grad = (−3)·(−2) = 6

The steps are `backprop_steps`'s: those the engine really runs, so a chapter's own
engine is shown doing exactly what it does, bugs included (an ``=`` that throws away a
contribution is captioned and drawn as lost; a step run before its node's gradient
is complete is shown passing on 0).
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from .dot import _use_dot, build_drawing, check_count, check_rankdir, number_text, shown_text
from .player import Frame, Player, check_seconds, widest
from .steps import BackpropSteps, Change, GraphTooBigError, Step, backprop_steps

__all__ = ["backprop_player", "BackpropPlayer"]


@dataclass(frozen=True, repr=False)
class BackpropPlayer(Player):
    """A `Player` of a backward pass; ``steps`` holds the `BackpropSteps` it shows."""

    steps: BackpropSteps | None = field(default=None, repr=False, compare=False)


def backprop_player(
    root: Any,
    *,
    order: Iterable[Any] | None = None,
    start: str = "zero",
    rankdir: str = "TB",
    title: str | None = None,
    max_values: int = 100,
    seconds_per_step: float = 1.2,
) -> BackpropPlayer:
    """Step through the backward pass from ``root``, one frame per step, in a notebook
    or the book: ``first``, ``previous``, ``play``, ``next``, ``last``, a slider, and
    the arrow keys when the player has focus.

    ``order`` and ``start`` are as for `backprop_steps`: a hand-chosen order of steps,
    and whether grads start at zero (the default) or where they are. The caller's
    gradients are left as they were. ``title`` is shown above the drawing (useful
    side by side, see `side_by_side`). Graphs of more than ``max_values`` values are
    refused: stepping through them is no longer useful, and `draw_dot` shows the
    whole graph at once.
    """
    check_rankdir(rankdir)
    check_count(max_values, "max_values")
    if title is not None and not isinstance(title, str):
        raise TypeError(f"title must be a string, got {type(title).__name__}")
    check_seconds(seconds_per_step, "seconds_per_step")
    try:
        steps = backprop_steps(root, order=order, start=start, max_values=max_values)
    except GraphTooBigError as too_big:
        n = too_big.values
        raise ValueError(
            f"backprop_player: this graph has {n} values, more than max_values={max_values}: "
            "too many steps to follow one by one. Step through a smaller part of it (say, one "
            "neuron), draw the whole graph at once with draw_dot(root), or pass "
            f"max_values={n} to build the player anyway."
        ) from None
    n = len(steps.values)
    frames = _frames(steps)
    # Each record is laid out with the widest gradient it will show, so every frame fits.
    slots = tuple((f"v{i}", widest([frame.texts[i] for frame in frames])) for i in range(n))
    drawing = build_drawing(steps.values, steps.edges, rankdir=rankdir, ids=True,
                            grads=[text.removeprefix("grad ") for _, text in slots])
    _use_dot()
    return BackpropPlayer(
        drawing=drawing, slots=slots, frames=tuple(frames),
        description=f"The backward pass from {_Names(steps.values)[steps.root]}, step by step",
        heading=title, seconds_per_frame=seconds_per_step, steps=steps,
    )


# -- names of values in captions ----------------------------------------------------------


_INFIX = ("+", "-", "*", "/")


class _Names:
    """What a caption calls each value: its label, or for an unlabelled value the
    expression that made it (``a*b``), or for an unlabelled leaf its number."""

    def __init__(self, values: Iterable[Any]) -> None:
        self.names: dict[int, str] = {}
        for value in values:  # children first, so a child's name is ready for its parent
            self.names[id(value)] = self._name(value)

    def __getitem__(self, value: Any) -> str:
        return self.names[id(value)]

    def _name(self, value: Any) -> str:
        label = shown_text(getattr(value, "label", None))
        if label is not None:
            return " ".join(label.split())  # a label's line breaks and tabs as spaces
        if not value.children:
            return number(value.data) if _is_number(value.data) else "?"
        expression = self.formula(value, compact=True)
        return expression if len(expression) <= 16 else f"[{shown_text(value.op) or '?'}]"

    def part(self, value: Any) -> str:
        """The name as an operand of a bigger expression (in brackets if compound)."""
        name = self[value]
        return name if _simple(name) else f"({name})"

    def grad(self, value: Any) -> str:
        """``name.grad``, with the name in brackets unless it is a plain name."""
        name = self[value]
        plain = _simple(name) and not name[0].isdigit()
        return f"{name}.grad" if plain else f"({name}).grad"

    def formula(self, value: Any, compact: bool = False) -> str:
        """The operation that made ``value``, in terms of its operands' names."""
        op = shown_text(value.op) or "?"
        parts = [self.part(c) for c in value.children]
        space = "" if compact else " "
        if op in _INFIX and len(parts) == 2:
            return f"{parts[0]}{space}{op}{space}{parts[1]}"
        if op.startswith("**") and len(parts) == 1:
            return f"{parts[0]}{op}"
        if op.endswith("**") and len(parts) == 1:
            return f"{op}{parts[0]}"
        if op == "neg" and len(parts) == 1:
            return f"-{parts[0]}"
        args = [self[c] for c in value.children]  # a call's brackets already group them
        if len(args) > 4:
            args = args[:3] + ["…", args[-1]]
        return f"{op}({', '.join(args)})"


def _simple(name: str) -> bool:
    """A name that reads as one thing next to an operator: ``x1``, ``2``, ``0.5``,
    ``[*]``, ``exp(y)``; not ``a*b`` or ``−2``."""
    if name.isidentifier() or name.startswith("["):
        return True
    if re.fullmatch(r"\d+(\.\d+)?(e[−+]?\d+)?", name):
        return True
    call = re.fullmatch(r"\w+\((.*)\)", name)
    if call is None:
        return False
    depth = 0
    for ch in call[1]:  # the call's own brackets must enclose everything after the name
        depth += {"(": 1, ")": -1}.get(ch, 0)
        if depth < 0:
            return False
    return depth == 0


def _is_number(x: Any) -> bool:
    try:
        number_text(x)
    except TypeError:
        return False
    return True


def number(x: Any) -> str:
    """A number as a caption writes it: short (``6``, ``0.5``, ``−2.25``, ``1.5e−07``),
    with a true minus sign; zero is ``0`` whatever its sign."""
    f = float(x)
    if f == 0.0:
        return "0"
    if math.isnan(f) or math.isinf(f):
        text = str(f)
    elif f.is_integer() and abs(f) < 1e15:
        text = str(int(f))
    elif 1e-4 <= abs(f) < 1e6:
        text = f"{f:.4f}".rstrip("0").rstrip(".")
    else:
        text = f"{f:.3e}"
    return text.replace("-", "\u2212")


def _factor(x: Any) -> str:
    text = number(x)
    return f"({text})" if text.startswith("\u2212") else text


# -- the local derivative each operation should have, in words -----------------------------


def _symbol(names: _Names, node: Any, slot: int, local: float | None) -> str:
    """How a caption writes ∂node/∂operand: the rule for the operation (``b`` for
    ``a*b``, ``(1 − o²)`` for tanh), when the step's number agrees with the rule;
    otherwise the derivative's own name."""
    fallback = f"∂{names.part(node)}/∂{names.part(node.children[slot])}"
    rule = _rule(names, node, slot)
    if rule is None:
        return fallback
    text, expected = rule
    if local is None or expected is None:
        return text
    if math.isclose(local, expected, rel_tol=1e-9, abs_tol=1e-12):
        return text
    return fallback


def _rule(names: _Names, node: Any, slot: int) -> tuple[str, float | None] | None:
    op = shown_text(node.op) or ""
    kids = node.children
    me = names.part(node)
    try:
        out = float(node.data)
        x = float(kids[slot].data)
        other = float(kids[1 - slot].data) if len(kids) == 2 else None
    except (TypeError, ValueError, OverflowError):
        return None
    if op == "+":
        return "1", 1.0
    if op == "-" and len(kids) == 2:
        return ("1", 1.0) if slot == 0 else ("−1", -1.0)
    if op == "*" and len(kids) == 2:
        return names.part(kids[1 - slot]), other
    if op == "/" and len(kids) == 2:
        a, b = names.part(kids[0]), names.part(kids[1])
        if slot == 0:
            return f"1/{b}", (1.0 / other if other else None)
        return f"−{a}/{b}²", (-other / (x * x) if x else None)
    if op == "neg":
        return "−1", -1.0
    if op == "tanh":
        return f"(1 − {me}²)", 1.0 - out * out
    if op == "exp":
        return me, out
    if op == "sigmoid":
        return f"{me}·(1 − {me})", out * (1.0 - out)
    if op == "relu":
        return ("1", 1.0) if x > 0 else ("0", 0.0)
    if op == "log":
        return f"1/{names.part(kids[0])}", (1.0 / x if x else None)
    if op.startswith("**") and len(kids) == 1:
        try:
            k = float(op[2:])
        except ValueError:
            return None
        base = names.part(kids[0])
        if k == 2:
            return f"2·{base}", 2.0 * x
        try:
            expected = k * x ** (k - 1)
        except (OverflowError, ZeroDivisionError):
            expected = None
        if isinstance(expected, complex):  # a negative base to a fractional power
            expected = None
        return f"{_factor(k)}·{base}^{_factor(k - 1)}", expected
    return None


# -- frames ----------------------------------------------------------------------------------


def _frames(steps: BackpropSteps) -> list[Frame]:
    names = _Names(steps.values)
    grads = list(steps.grads())
    final = grads[-1]
    pos = steps.position
    edge_of = {}  # (parent, operand slot) -> index of the arrow in steps.edges
    count: dict[int, int] = {}
    for k, (child, parent) in enumerate(steps.edges):
        slot = count.get(id(parent), 0)
        count[id(parent)] = slot + 1
        edge_of[(id(parent), slot)] = f"e{k}"
    total = len(steps)

    def texts(g: tuple[float, ...]) -> tuple[str, ...]:
        try:
            return tuple("grad " + number_text(x) for x in g)
        except TypeError as err:
            raise TypeError(
                f"backprop_player: a grad in the graph is not a number: {err}") from None

    frames = [_first_frame(steps, names, texts(grads[0]))]
    for k, step in enumerate(steps, start=1):
        frames.append(_step_frame(step, k, total, names, texts(grads[k]), pos, edge_of, final))
    return frames


def _first_frame(steps: BackpropSteps, names: _Names, texts: tuple[str, ...]) -> Frame:
    root = steps.root
    lines: list[tuple[str, str]] = []
    if steps.start_from == "zero":
        if any(_nonzero(v.grad) for v in steps.values):
            lines.append(("note", "Every grad starts at 0 (start='zero'); the graph's own "
                                  "gradients are set aside, and put back afterwards."))
        else:
            lines.append(("note", "Every grad starts at 0."))
    else:
        held = [f"{names.grad(v)} = {number(g)}" for v, g in zip(steps.values, steps.start)
                if _nonzero(g)]
        if held:
            shown = ", ".join(held[:6]) + (f" and {len(held) - 6} more" if len(held) > 6 else "")
            lines.append(("note", "Every grad starts where it was (start='current'), so the "
                                  f"steps add on top: {shown}."))
        else:
            lines.append(("note", "Every grad starts where it was (start='current'): all 0."))
    who = "The player" if steps.given_order else "backward()"
    for change in steps.setup:
        lines.append(_setup_line(change, who, names, root))
    root_grad = steps.start[steps.position(root)]
    for change in steps.setup:
        if change.value is root:
            root_grad = change.after
    if not root.children:
        title = f"Nothing to propagate: {names[root]} is a leaf"
        lines.append(("note", f"No operation made {names[root]}, so there are no steps: "
                              f"its own gradient is all there is."))
    elif not len(steps):
        title = "Before the first step; no steps to run"
    else:
        title = "Before the first step"
        if steps.given_order:
            lines.append(("note", f"Then the steps run in the order given, {len(steps)} of them."))
        if not _nonzero(root_grad):
            lines.append(("lost", f"{names.grad(root)} is 0, so every step will pass on 0."))
    changed = tuple(f"v{steps.position(c.value)}" for c in steps.setup)
    return Frame(texts=texts, label="Start", title=title, lines=tuple(lines),
                 changed=tuple(dict.fromkeys(changed)))


def _setup_line(change: Change, who: str, names: _Names, root: Any) -> tuple[str, str]:
    g = names.grad(change.value)
    if change.added:
        return ("add", f"{who} adds {number(change.amount)}: {g} = {number(change.after)}")
    text = f"{who} sets {g} = {number(change.after)}"
    if change.value is root and change.after == 1:
        text += f", since ∂{names.part(root)}/∂{names.part(root)} = 1"
    elif change.before != 0:
        text += f" (it was {number(change.before)})"
    return ("set", text)


def _step_frame(step: Step, k: int, total: int, names: _Names, texts: tuple[str, ...],
                pos: Any, edge_of: dict, final: tuple[float, ...]) -> Frame:
    label = f"Step {k} of {total}"
    if step.node is None:
        lines = tuple(_outside_line(c, names) for c in step.changes)
        changed = tuple(f"v{pos(c.value)}" for c in step.changes)
        return Frame(texts=texts, label=label, title="Changes made outside any node's step",
                     lines=lines, changed=tuple(dict.fromkeys(changed)))
    node, g = step.node, step.grad
    me = names[node]
    formula = names.formula(node)
    same = _bare(me) == _bare(formula) or me.startswith("[")
    head = me if same else f"{me} = {formula}"
    title = f"{head} passes on {names.grad(node)} = {number(g)}"
    lines: list[tuple[str, str]] = []
    for change in step.changes:
        lines.append(_change_line(change, node, g, names))
    if not step.changes:
        lines.append(("note", "This step changed no gradient."))
    i = pos(node)
    if not _nonzero(g) and _nonzero(final[i]):
        lines.append(("lost", f"{names.grad(node)} is still 0 when this step runs: not every "
                              "step between it and the output has passed its gradient on "
                              "yet, so it passes on nothing."))
    lost = [f"v{pos(c.value)}" for c in step.changes if c.lost]
    changed = [f"v{pos(c.value)}" for c in step.changes if not c.lost]
    edges = [edge_of[(id(node), c.slot)] for c in step.changes
             if c.slot is not None and (id(node), c.slot) in edge_of]
    current = (f"v{i}", f"v{i}_op") if node.children else (f"v{i}",)
    if node.children:
        edges.insert(0, f"v{i}_out")
    if not _nonzero(g) and _nonzero(final[i]):
        lost.append(f"v{i}_op")
    return Frame(texts=texts, label=label, title=title, lines=tuple(lines), current=current,
                 changed=tuple(dict.fromkeys(c for c in changed if c not in lost)),
                 lost=tuple(dict.fromkeys(lost)), edges=tuple(dict.fromkeys(edges)))


def _change_line(change: Change, node: Any, g: float, names: _Names) -> tuple[str, str]:
    target = names.grad(change.value)
    if change.slot is None:
        return _outside_line(change, names, f" (not an operand of {names[node]})")
    symbol = _symbol(names, node, change.slot, change.local)
    through = f"{symbol} · {names.grad(node)}"
    if change.local is None:  # g == 0: the factor cannot be read off the step
        product = f"0, since {names.grad(node)} is 0"
    else:
        product = f"{_factor(change.local)}·{_factor(g)} = {number(change.amount)}"
    if change.added:
        text = f"{target} += {through} = {product}"
        if _nonzero(change.before):
            text += (f"  →  {target} = {number(change.before)} + {_factor(change.amount)}"
                     f" = {number(change.after)}")
        return ("add", text)
    text = f"{target} = {through} = {product}"
    if change.lost:
        return ("lost", text + f"  (overwrites {number(change.before)}: that contribution is lost)")
    return ("set", text)


def _outside_line(change: Change, names: _Names, why: str = "") -> tuple[str, str]:
    target = names.grad(change.value)
    if change.added:
        return ("add", f"{target} += {number(change.amount)}  →  {number(change.after)}{why}")
    if change.lost:
        return ("lost", f"{target} = {number(change.after)}{why}  (overwrites "
                        f"{number(change.before)}: that contribution is lost)")
    return ("set", f"{target} = {number(change.after)}{why}")


def _bare(text: str) -> str:
    return "".join(ch for ch in text if ch not in " ()")


def _nonzero(x: Any) -> bool:
    try:
        return float(x) != 0.0
    except (TypeError, ValueError):
        return True
