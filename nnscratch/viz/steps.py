"""The backward pass, one step at a time, as the engine really runs it.

A step is the chain rule applied at one operation node: it takes the node's gradient
``g`` and passes it to each operand ``c``::

    c.grad += (d node / d c) * g

`backprop_steps(root)` records every step in the order the engine takes them, with
what each one wrote into which ``grad``. Three kinds of engine are understood:

* `nnscratch.Value`: the steps are replayed from its ``backward_order`` and
  ``local_grads``, in exactly the order and arithmetic of ``backward()``.
* An engine whose nodes carry ``_backward`` closures, as the chapters build: its own
  ``backward()`` is run, with each node's ``_backward`` watched, so every write to a
  ``grad`` is seen as it happens, whether it adds (``+=``) or overwrites (``=``). A
  buggy engine is recorded doing exactly what it does.
* Any other value-like class with ``local_grads``: the steps are those of reverse
  topological order.

``order=[...]`` runs the nodes' steps in a hand-chosen order instead (say, a wrong
one). Whatever the engine, the caller's gradients are as they were when the call
returns, and its ``_backward`` functions too.
"""

from __future__ import annotations

import inspect
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Callable, Iterator

from ..engine import Value as EngineValue
from ..engine import backward_order
from .dot import check_count, trace

__all__ = ["Change", "Step", "BackpropSteps", "backprop_steps", "GraphTooBigError"]

STARTS = ("zero", "current")


class GraphTooBigError(ValueError):
    """The graph has more values than the cap allows; ``values`` says how many."""

    def __init__(self, message: str, values: int) -> None:
        super().__init__(message)
        self.values = values


@dataclass(frozen=True)
class Change:
    """One write into the ``grad`` of a value.

    ``added`` is True for ``grad += amount`` and False for ``grad = amount`` (which
    throws away what was there). ``local`` is the local derivative the step multiplied
    by, ``amount = local * g``; None when it cannot be told (the gradient ``g`` being
    passed on was 0). ``slot`` is which operand of the step's node the value is
    (its index in ``children``), None if it is not one.
    """

    value: Any
    before: float
    after: float
    amount: float
    added: bool = True
    local: float | None = None
    slot: int | None = None

    @property
    def lost(self) -> bool:
        """True when an ``=`` threw away a gradient that was already there."""
        return not self.added and self.before != 0


@dataclass(frozen=True)
class Step:
    """The backward step of one operation node: ``node`` passed on ``grad``, which
    made ``changes``. ``node`` is None for changes made outside any node's step."""

    node: Any
    grad: float
    changes: tuple[Change, ...]


@dataclass(frozen=True)
class BackpropSteps(Sequence):
    """The steps of one backward pass (a sequence of `Step`), with the graph they ran on.

    ``values`` and ``edges`` are the graph as `trace` lists it; ``start`` holds every
    value's ``grad`` before the first step (in the order of ``values``); ``setup`` the
    changes made before it (``root.grad = 1``, and any reset). ``engine`` says which
    kind of engine ran; ``given_order`` whether the order was chosen by hand;
    ``start_from`` is ``"zero"`` or ``"current"``.
    """

    root: Any
    values: tuple[Any, ...]
    edges: tuple[tuple[Any, Any], ...]
    start: tuple[float, ...]
    setup: tuple[Change, ...]
    steps: tuple[Step, ...]
    engine: str
    given_order: bool
    start_from: str
    _index: dict[int, int] = field(repr=False, compare=False, default_factory=dict)

    def __post_init__(self) -> None:
        if not self._index:
            object.__setattr__(self, "_index", {id(v): i for i, v in enumerate(self.values)})

    def __len__(self) -> int:
        return len(self.steps)

    def __getitem__(self, k):  # type: ignore[override]
        return self.steps[k]

    def __iter__(self) -> Iterator[Step]:
        return iter(self.steps)

    def position(self, value: Any) -> int:
        """Where ``value`` is in ``values``."""
        return self._index[id(value)]

    def steps_changing(self, value: Any) -> list[int]:
        """The numbers (from 1, as the player counts frames) of the steps that wrote
        into ``value.grad``: where it receives its gradient, contribution by
        contribution. An exercise can ask for one and check it with this."""
        return [k for k, step in enumerate(self.steps, start=1)
                if any(change.value is value for change in step.changes)]

    def grads(self) -> Iterator[tuple[float, ...]]:
        """Every value's grad after the set-up, then after each step, in turn."""
        current = list(self.start)
        for change in self.setup:
            current[self.position(change.value)] = change.after
        yield tuple(current)
        for step in self.steps:
            for change in step.changes:
                current[self.position(change.value)] = change.after
            yield tuple(current)

    @property
    def final(self) -> tuple[float, ...]:
        """Every value's grad after the last step."""
        *_, last = self.grads()
        return last


def backprop_steps(
    root: Any,
    *,
    order: Iterable[Any] | None = None,
    start: str = "zero",
    max_values: int = 2000,
) -> BackpropSteps:
    """The steps of the backward pass from ``root``, in the order the engine runs them.

    There is one `Step` per operation node (leaves have none), ``root`` first. Each
    records the node, the gradient ``g`` it passes on, and one `Change` per write to a
    ``grad``: for `nnscratch.Value`, one per operand, ``child.grad += local · g``.

    ``start="zero"`` (the default) runs the pass with every grad in the graph set to 0
    first, as on a freshly built graph. ``start="current"`` runs it on the grads the
    graph has, as calling ``backward()`` again would, so an engine that accumulates
    shows the piling up. Either way the caller's grads are restored before returning.

    ``order`` is a hand-chosen order of operation nodes whose steps are run instead of
    the engine's, after ``root.grad = 1`` (as chapter 04 does by hand); a node may
    appear more than once.
    """
    engine = _engine_of(root)
    if start not in STARTS:
        raise ValueError(f"start must be 'zero' or 'current', got {start!r}")
    check_count(max_values, "max_values")
    nodes, edges = trace(root)
    if len(nodes) > max_values:
        raise GraphTooBigError(
            f"backprop_steps: this graph has {len(nodes)} values, more than "
            f"max_values={max_values}; pass max_values={len(nodes)} to record it anyway.",
            len(nodes),
        )
    index = {id(node): i for i, node in enumerate(nodes)}
    for node in nodes:
        _check_value(node)
    chosen = None if order is None else _check_order(order, index, engine)
    if engine == "closures":
        start_grads, setup, steps = _run_closures(root, nodes, index, chosen, start)
    else:
        start_grads, setup, steps = _replay(root, nodes, index, chosen, start, engine)
    return BackpropSteps(
        root=root, values=tuple(nodes), edges=tuple(edges), start=start_grads,
        setup=tuple(setup), steps=tuple(steps), engine=engine,
        given_order=order is not None, start_from=start,
    )


# -- checks ------------------------------------------------------------------------------


def _engine_of(root: Any) -> str:
    if isinstance(root, EngineValue):
        return "nnscratch.Value"
    if not all(hasattr(root, a) for a in ("data", "grad", "children")):
        raise TypeError(
            "expected a value to backpropagate from: an nnscratch.Value or a chapter's own "
            "Value class (with data, grad, label, op and children), got "
            f"{type(root).__name__} {_short(root)}"
        )
    if hasattr(root, "_backward"):
        return "closures"
    if hasattr(root, "local_grads"):
        return "local_grads"
    raise TypeError(
        f"backprop_steps cannot tell how a {type(root).__name__} backpropagates: its nodes "
        "need either _backward steps (closures, as the chapters build) or local_grads "
        "(the local derivatives, in the order of children)"
    )


def _check_value(node: Any) -> None:
    for attribute in ("data", "grad"):
        if not hasattr(node, attribute):
            raise TypeError(
                f"backprop_steps: a {type(node).__name__} in the graph has no {attribute!r}"
            )


def _check_order(order: Iterable[Any], index: dict[int, int], engine: str) -> list[Any]:
    if isinstance(order, (str, bytes)) or not isinstance(order, Iterable):
        raise TypeError(f"order must be a list of the graph's nodes, got {type(order).__name__}")
    chosen = list(order)
    for k, node in enumerate(chosen):
        if id(node) not in index:
            raise ValueError(f"order[{k}] is not a value of this graph: {_short(node)}")
        if not node.children:
            raise ValueError(
                f"order[{k}] is a leaf ({_short(node)}): a leaf has no backward step to run"
            )
        if engine == "closures" and not hasattr(node, "_backward"):
            raise TypeError(f"order[{k}] has no _backward step to run: {_short(node)}")
    return chosen


def _short(x: Any) -> str:
    r = repr(x)
    return r if len(r) <= 60 else r[:57] + "..."


# -- engines whose local derivatives are known: replayed ---------------------------------


def _replay(root: Any, nodes: list[Any], index: dict[int, int], chosen: list[Any] | None,
            start: str, engine: str) -> tuple[tuple[float, ...], list[Change], list[Step]]:
    """The steps of an engine with ``local_grads``, computed without touching its grads.

    For `nnscratch.Value` the set-up is ``backward()``'s: the grads of the operation
    nodes are reset to 0 and ``root.grad`` set to 1 (a leaf root adds 1); then every
    step adds ``local · g`` into each operand's grad, in the same order and with the
    same arithmetic. For another class: ``root.grad = 1``, then the steps.
    """
    grads = [node.grad if start == "current" else 0.0 for node in nodes]
    start_grads = tuple(grads)
    setup: list[Change] = []

    def write(node: Any, value: float, added: bool) -> None:
        i = index[id(node)]
        before = grads[i]
        grads[i] = value
        setup.append(Change(node, before, value, value - before if added else value, added))

    if engine == "nnscratch.Value":
        order = backward_order(root) if chosen is None else chosen
        if not root.children:
            write(root, grads[index[id(root)]] + 1.0, True)
        else:
            for node in (backward_order(root) if chosen is None else ()):
                if node is not root and grads[index[id(node)]] != 0.0:
                    write(node, 0.0, False)
            write(root, 1.0, False)
    else:
        order = [n for n in reversed(nodes) if n.children] if chosen is None else chosen
        write(root, 1.0, False)

    steps = []
    for node in order:
        g = grads[index[id(node)]]
        children, locals_ = node.children, tuple(node.local_grads)
        if len(locals_) != len(children):
            raise ValueError(
                f"a node has {len(children)} children but {len(locals_)} local_grads: "
                f"{_short(node)}"
            )
        changes = []
        for slot, (child, local) in enumerate(zip(children, locals_)):
            i = index[id(child)]
            before = grads[i]
            amount = local * g
            grads[i] = before + amount
            changes.append(Change(child, before, grads[i], amount, True, local, slot))
        steps.append(Step(node, g, tuple(changes)))
    return start_grads, setup, steps


# -- engines of closures: run, and watched ------------------------------------------------


class _Watch:
    """Records every read and write of ``grad`` on the graph's values while the
    engine runs, and which node's ``_backward`` each write happened in."""

    def __init__(self, index: dict[int, int]) -> None:
        self.index = index
        self.raw_get: dict[type, Callable[[Any], Any]] = {}
        self.setup: list[Change] = []
        self.steps: list[Step] = []
        self.stack: list[Any] = []      # the nodes whose _backward is running, innermost last
        self.writes: list[Change] | None = None
        self.segment_node: Any = None
        self.segment_grad: float = 0.0
        self.read: set[int] = set()     # values whose grad was read since their last write
        self.used_slots: dict[int, list[int]] = {}  # operand slots each running node has written
        self.write_count = 0
        self.started = False            # has the first step begun?
        self.between = False            # is the last step writes made between steps?

    def grad_of(self, node: Any) -> Any:
        return self.raw_get[type(node)](node)

    # called by the watching properties
    def on_read(self, node: Any) -> None:
        self.read.add(id(node))

    def on_write(self, node: Any, before: Any, after: Any) -> None:
        self.write_count += 1
        added = id(node) in self.read
        self.read.discard(id(node))
        if self.writes is None:  # outside any _backward
            change = Change(node, before, after, _amount(before, after, added), added)
            if not self.started:
                self.setup.append(change)
            elif self.between:  # one more write in the same gap between two steps
                last = self.steps[-1]
                self.steps[-1] = Step(None, 0.0, last.changes + (change,))
            else:
                self.steps.append(Step(None, 0.0, (change,)))
                self.between = True
            return
        amount = _amount(before, after, added)
        local = _ratio(amount, self.segment_grad)
        slot = self._slot(self.segment_node, node)
        self.writes.append(Change(node, before, after, amount, added, local, slot))

    def _slot(self, parent: Any, child: Any) -> int | None:
        used = self.used_slots.setdefault(id(parent), [])
        for k, c in enumerate(parent.children):
            if c is child and k not in used:
                used.append(k)
                return k
        return None

    # called by the watching _backward wrappers
    def begin(self, node: Any) -> None:
        self.started = True
        self.between = False
        self._close()
        self.stack.append(node)
        self._open(node)
        self.used_slots[id(node)] = []

    def end(self, node: Any, wrote_nothing: bool) -> None:
        self._close(keep_empty=wrote_nothing and bool(node.children))
        self.stack.pop()
        if self.stack:
            self._open(self.stack[-1])

    def _open(self, node: Any) -> None:
        self.segment_node = node
        self.segment_grad = self.grad_of(node)
        self.writes = []
        self.read = set()

    def _close(self, keep_empty: bool = False) -> None:
        if self.writes is not None and (self.writes or keep_empty):
            self.steps.append(Step(self.segment_node, self.segment_grad, tuple(self.writes)))
        self.writes = None
        self.between = False


def _watching_class(cls: type, watch: _Watch) -> type:
    """A subclass of ``cls`` whose ``grad`` reports every read and write to ``watch``."""
    base = inspect.getattr_static(cls, "grad", None)
    if hasattr(base, "__get__") and hasattr(base, "__set__"):  # a slot, or a property
        def raw_get(node: Any) -> Any:
            return base.__get__(node, cls)

        def raw_set(node: Any, value: Any) -> None:
            base.__set__(node, value)
    else:  # kept in the instance's __dict__ (with, perhaps, a default on the class)
        def raw_get(node: Any) -> Any:
            return node.__dict__["grad"] if "grad" in node.__dict__ else base

        def raw_set(node: Any, value: Any) -> None:
            node.__dict__["grad"] = value

    def get(node: Any) -> Any:
        watch.on_read(node)
        return raw_get(node)

    def put(node: Any, value: Any) -> None:
        before = raw_get(node)
        raw_set(node, value)
        watch.on_write(node, before, value)

    watching = type(cls.__name__, (cls,), {"__slots__": (), "grad": property(get, put),
                                            "__module__": cls.__module__})
    watch.raw_get[watching] = raw_get
    watch.raw_get[cls] = raw_get
    return watching


def _watched(node: Any, original: Callable[..., Any], watch: _Watch) -> Callable[..., Any]:
    def step(*args: Any, **kwargs: Any) -> Any:
        writes_before = watch.write_count
        watch.begin(node)
        try:
            return original(*args, **kwargs)
        finally:
            watch.end(node, wrote_nothing=watch.write_count == writes_before)
    return step


def _run_closures(root: Any, nodes: list[Any], index: dict[int, int],
                  chosen: list[Any] | None, start: str
                  ) -> tuple[tuple[float, ...], list[Change], list[Step]]:
    """Run the engine's ``backward()`` (or the chosen order of ``_backward`` calls) with
    every grad access watched, then put back the grads, classes and ``_backward``s."""
    if chosen is None and not callable(getattr(root, "backward", None)):
        raise TypeError(
            f"{type(root).__name__} has no backward() method to run; pass order=[...] to "
            "say in which order to run the nodes' _backward steps"
        )
    saved = [node.grad for node in nodes]
    classes = [type(node) for node in nodes]
    wrapped: list[tuple[Any, bool, Any]] = []  # node, was it the instance's own, original
    watch = _Watch(index)
    watching: dict[type, type] = {}
    try:
        if start == "zero":
            for node in nodes:
                node.grad = 0.0
        start_grads = tuple(node.grad for node in nodes)
        for node in nodes:
            cls = type(node)
            if cls not in watching:
                watching[cls] = _watching_class(cls, watch)
            try:
                node.__class__ = watching[cls]
            except TypeError as err:
                raise TypeError(
                    f"backprop_steps cannot watch the grads of a {cls.__name__}: {err}"
                ) from None
        for node in nodes:
            if hasattr(node, "_backward"):
                own = _owns_backward(node)
                original = node._backward
                wrapped.append((node, own, original))
                node._backward = _watched(node, original, watch)
        if chosen is None:
            root.backward()
        else:
            root.grad = 1.0
            for node in chosen:
                node._backward()
        _unseen_changes(watch, nodes, start_grads)
    finally:
        for node, own, original in wrapped:
            if own:
                node._backward = original
            else:
                del node._backward
        for node, cls in zip(nodes, classes):
            node.__class__ = cls
        for node, grad in zip(nodes, saved):
            node.grad = grad
    return start_grads, watch.setup, watch.steps


def _owns_backward(node: Any) -> bool:
    """Whether ``node._backward`` is the node's own (in its ``__dict__`` or a slot),
    rather than a method of its class that wrapping would shadow."""
    if "_backward" in getattr(node, "__dict__", {}):
        return True
    return hasattr(inspect.getattr_static(type(node), "_backward", None), "__set__")


def _unseen_changes(watch: _Watch, nodes: list[Any], start_grads: tuple[float, ...]) -> None:
    """Record, as a last step, any grad that ended different from what the watched
    writes say (a write that went around the ``grad`` attribute)."""
    seen = list(start_grads)
    for change in watch.setup:
        seen[watch.index[id(change.value)]] = change.after
    for step in watch.steps:
        for change in step.changes:
            seen[watch.index[id(change.value)]] = change.after
    unseen = tuple(
        Change(node, seen[i], watch.grad_of(node), watch.grad_of(node), False)
        for i, node in enumerate(nodes)
        if not _same(watch.grad_of(node), seen[i])
    )
    if unseen:
        watch.steps.append(Step(None, 0.0, unseen))


def _amount(before: Any, after: Any, added: bool) -> Any:
    """What a write put in: the difference for ``+=``, the value for ``=``."""
    if not added:
        return after
    try:
        return after - before
    except TypeError:  # not numbers: the player says so, naming them
        return after


def _ratio(amount: Any, g: Any) -> float | None:
    try:
        return amount / g if g != 0 else None
    except TypeError:
        return None


def _same(x: Any, y: Any) -> bool:
    return x == y or (x != x and y != y)  # nan equals nan here
