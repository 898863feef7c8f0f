"""`nnscratch.collector`: full collections paused while a graph is built, and only then;
the collector's settings always restored; collections counted."""

from __future__ import annotations

import gc

import pytest

import nnscratch.collector as collector
from nnscratch import MLP, Module, Value
from nnscratch.collector import PAUSED, CollectorLog, full_collections_paused, pausing_full_collections
from nnscratch.losses import binary_cross_entropy, hinge, l2, mse

pytestmark = pytest.mark.skipif(not collector._GENERATIONAL, reason="this Python's collector has no full passes to pause")


@pytest.fixture(autouse=True)
def restore_collector():
    was_enabled, thresholds = gc.isenabled(), gc.get_threshold()
    yield
    gc.set_threshold(*thresholds)
    (gc.enable if was_enabled else gc.disable)()


class Spy(Module):
    """A module that records the collector's thresholds while it runs."""

    def __init__(self, fail: bool = False) -> None:
        self.seen: list[tuple[int, int, int]] = []
        self.fail = fail

    def forward(self, x):
        self.seen.append(gc.get_threshold())
        if self.fail:
            raise RuntimeError("forward failed")
        return Value(1.0)


def test_a_module_call_pauses_full_collections_and_restores_the_thresholds():
    gc.set_threshold(500, 7, 9)
    spy = Spy()
    spy([1.0])
    assert spy.seen == [(500, 7, PAUSED)]
    assert gc.get_threshold() == (500, 7, 9)


def test_the_thresholds_are_restored_when_the_call_raises():
    gc.set_threshold(600, 10, 10)
    with pytest.raises(RuntimeError, match="forward failed"):
        Spy(fail=True)([1.0])
    assert gc.get_threshold() == (600, 10, 10)


def test_nested_pauses_restore_only_at_the_outermost():
    gc.set_threshold(700, 10, 10)
    with full_collections_paused():
        with full_collections_paused():
            assert gc.get_threshold()[2] == PAUSED
        assert gc.get_threshold()[2] == PAUSED
    assert gc.get_threshold() == (700, 10, 10)


@pytest.mark.parametrize("setup", ["disabled", "threshold zero", "switched off"])
def test_nothing_is_changed_when_there_is_nothing_to_pause(setup, monkeypatch):
    gc.set_threshold(700, 10, 10)
    if setup == "disabled":
        gc.disable()
    elif setup == "threshold zero":
        gc.set_threshold(0, 10, 10)
    else:
        monkeypatch.setattr(collector, "PAUSE_FULL_COLLECTIONS", False)
    before = gc.get_threshold()
    spy = Spy()
    spy([1.0])
    assert spy.seen == [before] and gc.get_threshold() == before
    assert gc.isenabled() == (setup != "disabled")


def test_the_losses_pause_too():
    gc.set_threshold(700, 10, 10)
    seen = []

    class Probe(Value):
        __slots__ = ()

        def __sub__(self, other):
            seen.append(gc.get_threshold()[2])
            return Value.__sub__(self, other)

    mse([Probe(1.0)], [0.0])
    assert seen == [PAUSED] and gc.get_threshold() == (700, 10, 10)
    for loss, args in ((hinge, ([0.5], [1])), (binary_cross_entropy, ([0.5], [1])), (l2, ([Value(1.0)],))):
        loss(*args)
        assert gc.get_threshold() == (700, 10, 10)


def test_the_decorator_keeps_the_name_and_the_result():
    @pausing_full_collections
    def square(x):
        """Doc."""
        return x * x

    assert square(3) == 9 and square.__name__ == "square" and square.__doc__ == "Doc."


def _grow(n: int) -> list:
    return [[i] for i in range(n)]  # containers that stay alive, so they reach the old generation


def test_no_full_collection_starts_while_paused_and_one_starts_after():
    gc.collect()
    heap = len(gc.get_objects())  # a full pass is due once the old generation grows by a quarter
    gc.set_threshold(100, 2, 2)
    kept = []
    with CollectorLog() as log:
        with full_collections_paused():
            kept.append(_grow(max(50_000, heap)))
    assert log.counts[0] > 10 and log.counts[1] > 3  # young collections went on
    assert log.counts[2] == 0
    with CollectorLog() as after:
        kept.append(_grow(5_000))  # the caller's own allocations
    assert after.counts[2] >= 1, after  # the full collection that fell due has run
    del kept


def test_a_training_step_inside_a_model_call_has_no_full_collection():
    gc.collect()
    gc.set_threshold(100, 2, 2)  # a full pass would be due every few hundred objects
    model = MLP(2, [16, 16, 1], seed=0)
    with CollectorLog() as log:
        outs = [model([0.1 * i, -0.2 * i]) for i in range(20)]
    assert log.counts[0] > 50 and log.counts[2] == 0, log
    del outs


def test_collector_log_counts_and_times_collections_and_stops_listening():
    with CollectorLog() as log:
        gc.collect()
        gc.collect(0)
    assert log.counts[2] == 1 and log.counts[0] == 1
    assert log.seconds[2] > 0.0 and log.total_seconds >= log.seconds[2]
    assert log._callback not in gc.callbacks
    assert "CollectorLog(counts=" in repr(log)


@pytest.mark.parametrize("version, generational", [
    ((3, 10, 0), True), ((3, 13, 9), True), ((3, 14, 0), False), ((3, 14, 4), False),
    ((3, 14, 5), True), ((3, 15, 0), True),
])
def test_the_pause_applies_to_every_generational_collector(version, generational):
    assert collector._is_generational(version) is generational
