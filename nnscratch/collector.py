"""Python's cyclic garbage collector while a computation graph is built.

CPython frees most objects by reference counting. Its *cyclic* collector exists for
the rest, objects that refer to each other in a cycle, and runs in generations: a
*young* collection every 700 or so new container objects (it scans only those), and
now and then a *full* collection, which scans every object in the program.

A training step builds a graph of hundreds of thousands of nodes and keeps all of them
alive until the step is over. Every full collection during the step walks the whole
graph so far and finds nothing to free: `Value` graphs hold no cycles, so reference
counting frees them. The larger the graph, the more full collections fall inside one
step and the more each one costs (a full pass touches every node, and a large graph
no longer fits in the processor's caches), so the time per node grows with the size
of the model.

`full_collections_paused` keeps full collections from *starting* while nnscratch
builds a graph (inside a `Module` call or a loss function). Young collections go on
as usual. A full collection that falls due meanwhile starts with the first young
collection after the block, in the caller's own code, which is also the only place
where cyclic garbage can come from: nnscratch's own objects never form cycles. The
collector's settings are restored when the block ends, whether it returns or raises,
and nothing is paused when the collector is switched off or already paused. (The
settings belong to the interpreter: while a block runs, no other thread starts a full
collection either.)

How it is done: ``gc.set_threshold`` raises the third threshold (the number of young
collections between full ones) for the duration of the block, and puts the caller's
value back afterwards. Python 3.14.0 to 3.14.4 shipped an incremental collector, which
has no such threshold and needs no help, so there the block does nothing; 3.14.5
brought the generational collector back, and with it the pause. Setting `PAUSE_FULL_COLLECTIONS` to
False turns the pause off everywhere, to measure what it saves.

`CollectorLog` counts collections and the time spent in them, for measuring.
"""

from __future__ import annotations

import functools
import gc
import sys
import time
from collections.abc import Callable
from typing import Any, TypeVar

__all__ = ["full_collections_paused", "pausing_full_collections", "CollectorLog"]

F = TypeVar("F", bound=Callable[..., Any])

#: the third threshold while paused: more young collections than a program makes
PAUSED = 2**31 - 1

#: set to False to let full collections run inside nnscratch's graph building too
PAUSE_FULL_COLLECTIONS = True


def _is_generational(version: tuple[int, int, int]) -> bool:
    """Whether CPython ``version``'s collector is generational, so that its third threshold
    gates full passes: every version but 3.14.0 to 3.14.4, whose incremental collector
    3.14.5 replaced by the generational one again."""
    return not ((3, 14, 0) <= version < (3, 14, 5))


_GENERATIONAL = _is_generational(sys.version_info[:3])


class full_collections_paused:  # noqa: N801 - used like a function: `with full_collections_paused():`
    """A ``with`` block in which the cyclic collector makes no full pass.

    Nested blocks, and blocks entered while the collector is disabled or already paused,
    change nothing; the outermost block restores what it found.
    """

    __slots__ = ("_saved",)

    def __enter__(self) -> full_collections_paused:
        self._saved = _pause()
        return self

    def __exit__(self, *exc: object) -> None:
        saved = self._saved
        if saved is not None:
            gc.set_threshold(*saved)


def _pause() -> tuple[int, int, int] | None:
    """Pause full collections; return the thresholds to restore, or None if nothing changed."""
    if not (PAUSE_FULL_COLLECTIONS and _GENERATIONAL) or not gc.isenabled():
        return None
    saved = gc.get_threshold()
    if saved[0] == 0 or saved[2] == PAUSED:  # collection off by threshold, or already paused
        return None
    gc.set_threshold(saved[0], saved[1], PAUSED)
    return saved


def pausing_full_collections(function: F) -> F:
    """Decorate ``function`` so that each call runs in `full_collections_paused`."""

    @functools.wraps(function)
    def paused(*args: Any, **kwargs: Any) -> Any:
        saved = _pause()
        if saved is None:
            return function(*args, **kwargs)
        try:
            return function(*args, **kwargs)
        finally:
            gc.set_threshold(*saved)

    return paused  # type: ignore[return-value]


class CollectorLog:
    """Count the collector's passes in a ``with`` block, and the time they take.

        with CollectorLog() as log:
            train_step()
        log.counts   # {0: young passes, 1: middle, 2: full}
        log.seconds  # the same, in seconds spent collecting

    Listens through ``gc.callbacks``, and stops listening when the block ends.
    """

    def __init__(self) -> None:
        self.counts = {0: 0, 1: 0, 2: 0}
        self.seconds = {0: 0.0, 1: 0.0, 2: 0.0}
        self._started = 0.0

    def _callback(self, phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            self._started = time.perf_counter()
            return
        generation = info["generation"]
        self.counts[generation] = self.counts.get(generation, 0) + 1
        self.seconds[generation] = self.seconds.get(generation, 0.0) + time.perf_counter() - self._started

    def __enter__(self) -> CollectorLog:
        gc.callbacks.append(self._callback)
        return self

    def __exit__(self, *exc: object) -> None:
        gc.callbacks.remove(self._callback)

    @property
    def total_seconds(self) -> float:
        return sum(self.seconds.values())

    def __repr__(self) -> str:
        return f"CollectorLog(counts={self.counts}, seconds={ {g: round(s, 6) for g, s in self.seconds.items()} })"
