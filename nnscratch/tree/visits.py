"""The backward pass of a tree model, watched visit by visit.

`backward_visits(root, derivative)` runs the model's own ``backward`` and records every
*visit*: each time a node receives a derivative ∂L/∂node and acts on it. It watches two
calls that every backward pass of the tree framework makes at each node, whichever
way it is written (the recursion of the framework's first version, `nnscratch.tree`'s
parents-first loop, or `backward_single_parent`):

* ``node.on_backward(d)``: the node has received ``d``; a `Parameter` learns here;
* ``node.grad()``: its local derivatives ∂node/∂child, one per child.

So a visit holds the node, the derivative it received, its value before and after
(a parameter steps), and the share ∂L/∂node · ∂node/∂child it hands each child. Each
visit is also matched to the arrows its derivative came down: one parent's share in a
recursion, the sum of every parent's share in a pass that visits parents first.

Nothing is left changed: the values, derivatives and forward-call counts of the nodes
are put back afterwards, so recording a pass does not train the model. The methods are
watched by wrapping them on their classes for the length of the call, and unwrapped
again, even when the pass raises.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, Optional

from .checks import as_finite, show
from .graph import topological_order, walk

__all__ = ["Visit", "BackwardVisits", "backward_visits"]

Node = Any


@dataclass
class Visit:
    """One visit of the backward pass: ``node`` received ``derivative``.

    ``value_before`` and ``value_after`` are the node's ``value`` around the visit (None
    for a node without one); ``local`` holds what its ``grad()`` returned (None if it was
    not called), and ``shares`` the derivative handed to each child, ∂L/∂node · local.
    ``came_from`` lists the arrows (indices into `BackwardVisits.edges`) whose shares this
    derivative is made of; it is empty for the root's first visit, whose derivative comes
    from the loss. ``expected`` is what those shares add up to (the derivative itself
    for the root).
    """

    node: Node
    derivative: float
    value_before: Optional[float]
    value_after: Optional[float] = None
    local: Optional[tuple[float, ...]] = None
    shares: tuple[float, ...] = ()
    came_from: tuple[int, ...] = ()
    expected: float = 0.0

    @property
    def learned(self) -> bool:
        """Whether the node's value changed during the visit (a parameter stepped)."""
        return self.value_before is not None and self.value_after != self.value_before


@dataclass
class BackwardVisits:
    """The visits of one backward pass from ``root``, in the order they happened.

    ``nodes`` are the model's nodes in the order `walk` meets them, and ``edges`` its
    arrows as ``(parent, slot, child)``: the parent's child number ``slot``, in the
    same order (a node's arrows together, left to right).
    """

    root: Node
    derivative: float
    nodes: tuple[Node, ...]
    edges: tuple[tuple[Node, int, Node], ...]
    visits: tuple[Visit, ...] = field(default=())

    def __len__(self) -> int:
        return len(self.visits)

    def __iter__(self) -> Iterator[Visit]:
        return iter(self.visits)

    def __getitem__(self, k: int) -> Visit:
        return self.visits[k]

    def visits_of(self, node: Node) -> list[int]:
        """The numbers (1, 2, ...) of the visits to ``node``, which a player shows as
        frames 1, 2, ...: the frame in which a parameter learns, say."""
        return [k for k, v in enumerate(self.visits, start=1) if v.node is node]


def backward_visits(root: Node, derivative: Any = 1.0, *,
                    backward: Optional[Callable[[Node, float], Any]] = None) -> BackwardVisits:
    """Run the backward pass from ``root``, handing it ``derivative`` (∂L/∂root), and
    record every visit (see the module notes); then put the model back as it was.

    ``backward(root, derivative)`` runs the pass; by default ``root.backward(derivative)``,
    the model's own. `nnscratch.tree.backward_single_parent` gives the recursive pass
    of the framework's first version on `nnscratch.tree`'s nodes.
    """
    if not hasattr(root, "children"):
        raise TypeError(f"backward_visits needs the root node of a tree model, got {type(root).__name__} "
                        f"{show(root)}")
    if getattr(type(root), "_is_root_only", lambda: False)():
        raise TypeError(f"the root is a {type(root).__name__}, which gives a list: the player steps models "
                        "with one output, whose loss hands the root one derivative")
    d = as_finite(derivative, "backward_visits: the derivative handed to the root")
    if backward is None:
        if not callable(getattr(root, "backward", None)):
            raise TypeError(f"a {type(root).__name__} has no backward() method to watch")

        def backward(node: Node, value: float) -> Any:
            return node.backward(value)
    elif not callable(backward):
        raise TypeError(f"backward must be a function of (root, derivative), got {type(backward).__name__}")
    nodes = walk(root)
    topological_order(root)  # a cycle is refused here, with its message
    edges = tuple((p, slot, c) for p in nodes for slot, c in enumerate(p.children))
    recorder = _Recorder({id(n) for n in nodes})
    saved = [_State(n) for n in nodes]
    try:
        with recorder.watching({type(n) for n in nodes}):
            backward(root, d)
    finally:
        for state in saved:
            state.restore()
    if not recorder.visits:
        raise ValueError(
            "the backward pass made no visit that could be seen: the player watches each node's "
            "on_backward(derivative) and grad(), which the tree framework's backward() calls at "
            "every node")
    visits = BackwardVisits(root, d, tuple(nodes), edges, tuple(recorder.visits))
    _match(visits)
    return visits


# -- watching the calls -----------------------------------------------------------------------


class _Recorder:
    def __init__(self, tracked: set[int]) -> None:
        self.tracked = tracked
        self.visits: list[Visit] = []
        self.open: list[Node] = []      # nodes whose on_backward is running
        self.in_grad: list[Node] = []   # nodes whose grad is running

    def watching(self, classes: set[type]) -> _Patches:
        patches = _Patches()
        for name, make in (("on_backward", self._on_backward), ("grad", self._grad)):
            for cls in sorted(classes, key=lambda c: (c.__module__, c.__qualname__)):
                owner = next((k for k in cls.__mro__ if name in vars(k)), None)
                if owner is None or owner is object:
                    if name == "on_backward":
                        raise TypeError(f"a {cls.__name__} node has no on_backward(): the player watches it to "
                                        "see each visit of the backward pass")
                    continue
                original = vars(owner)[name]
                if isinstance(original, (staticmethod, classmethod)) or not callable(original):
                    raise TypeError(f"{owner.__name__}.{name} must be a plain method for the player to watch it")
                patches.add(owner, name, original, make)
        return patches

    def _on_backward(self, original: Callable) -> Callable:
        @functools.wraps(original)
        def on_backward(node: Node, derivative: Any, *args: Any, **kwargs: Any) -> Any:
            if id(node) not in self.tracked or (self.open and self.open[-1] is node):
                return original(node, derivative, *args, **kwargs)  # a super() call, or not ours
            visit = Visit(node, derivative, _value(node))
            self.visits.append(visit)
            self.open.append(node)
            try:
                return original(node, derivative, *args, **kwargs)
            finally:
                self.open.pop()
                visit.value_after = _value(node)
        return on_backward

    def _grad(self, original: Callable) -> Callable:
        @functools.wraps(original)
        def grad(node: Node, *args: Any, **kwargs: Any) -> Any:
            outer = not (self.in_grad and self.in_grad[-1] is node)
            self.in_grad.append(node)
            try:
                result = original(node, *args, **kwargs)
            finally:
                self.in_grad.pop()
            if outer and id(node) in self.tracked:
                for visit in reversed(self.visits):
                    if visit.node is node:
                        if visit.local is None:
                            visit.local = tuple(result)
                        break
            return result
        return grad


class _Patches:
    """Methods wrapped on their classes while a pass runs, unwrapped on leaving."""

    def __init__(self) -> None:
        self.wanted: dict[tuple[type, str], tuple[Any, Callable]] = {}
        self.done: list[tuple[type, str, Any]] = []

    def add(self, owner: type, name: str, original: Any, make: Callable) -> None:
        self.wanted.setdefault((owner, name), (original, make))

    def __enter__(self) -> _Patches:
        try:
            for (owner, name), (original, make) in self.wanted.items():
                setattr(owner, name, make(original))
                self.done.append((owner, name, original))
        except BaseException:
            self.__exit__()
            raise
        return self

    def __exit__(self, *exc: Any) -> None:
        for owner, name, original in reversed(self.done):
            setattr(owner, name, original)
        self.done.clear()


def _value(node: Node) -> Optional[float]:
    value = getattr(node, "value", None)
    return value if isinstance(value, (int, float)) and not isinstance(value, bool) else None


class _State:
    """What a pass may change on a node, kept to be put back: its value, its
    derivative and its count of forward calls."""

    ATTRIBUTES = ("value", "derivative", "forward_calls")

    def __init__(self, node: Node) -> None:
        self.node = node
        self.saved = {}
        for name in self.ATTRIBUTES:
            try:
                self.saved[name] = getattr(node, name)
            except AttributeError:
                pass

    def restore(self) -> None:
        for name in self.ATTRIBUTES:
            if name in self.saved:
                if getattr(self.node, name, None) is not self.saved[name]:
                    setattr(self.node, name, self.saved[name])
            elif hasattr(self.node, name) and name in getattr(self.node, "__dict__", {}):
                delattr(self.node, name)


# -- which arrows each derivative came down ---------------------------------------------------


def _match(visits: BackwardVisits) -> None:
    """Fill in each visit's shares, and the arrows its derivative came down.

    A child's derivative is made of shares its parents have handed it and that no
    earlier visit of it used up: in a recursion, the one share just handed (the last);
    in a parents-first pass, all of them, summed."""
    edge_index = {(id(p), slot): k for k, (p, slot, _) in enumerate(visits.edges)}
    waiting: dict[int, list[tuple[int, float]]] = {}
    root_seen = False
    for visit in visits.visits:
        node, d = visit.node, visit.derivative
        here = waiting.get(id(node), [])
        if node is visits.root and not root_seen:
            root_seen = True
            visit.expected = visits.derivative
        elif here:
            total = math.fsum(share for _, share in here)
            if len(here) == 1 or _same(d, total):
                taken = list(here)
            elif _same(d, here[-1][1]):
                taken = [here[-1]]
            else:
                taken = list(here)
            for item in taken:
                here.remove(item)
            visit.came_from = tuple(k for k, _ in taken)
            visit.expected = math.fsum(share for _, share in taken)
        else:
            visit.expected = math.nan  # no parent handed this node anything
        if visit.local is not None and node.children:
            shares = []
            for slot, (child, local) in enumerate(zip(node.children, visit.local)):
                share = d * local
                shares.append(share)
                waiting.setdefault(id(child), []).append((edge_index[(id(node), slot)], share))
            visit.shares = tuple(shares)


def _same(a: float, b: float) -> bool:
    return math.isclose(a, b, rel_tol=1e-12, abs_tol=1e-300)

