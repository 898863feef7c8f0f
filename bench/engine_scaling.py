"""Time per graph node against the size of the graph, in the ordinary training loop.

The loop is the one the course teaches: a forward pass per example through an
MLP(2, [w, w, 1]) (ReLU, linear output), the hinge loss + 1e-4 · L2 from
`nnscratch.losses`, ``zero_grad``, ``backward``, an `nnscratch.optim.SGD` step, on 100
two-moons points. The width w runs from 8 to 64, so a step's graph grows from about
20,000 nodes to about 900,000. Time per node that does not grow with w means a step
costs in proportion to its graph.

Each width runs in three settings, alternating in rounds:

* ``gc on``: Python's garbage collector as it is, with nnscratch pausing its full
  passes while a graph is built (`nnscratch.collector`), as in any program;
* ``no pause``: the collector on and the pause switched off
  (``nnscratch.collector.PAUSE_FULL_COLLECTIONS = False``), as the engine was before;
* ``gc off``: the collector switched off (``gc.disable()``) for the timed steps only.

For each, the median time per node over the steps, the smallest and largest round's
median, and the collector's full passes per step (counted through ``gc.callbacks``).
Then the same for the fused engine (``MLP(..., fused=True)``), per *edge* (a child of a
node): a fused node has 2n + 1 children, so its cost grows with n, and the time per
edge is what should stay flat. (An unfused node has at most two.)

    python bench/engine_scaling.py            # the full run
    python bench/engine_scaling.py --quick    # small widths, to see that it works
"""

from __future__ import annotations

import argparse
import gc
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import nnscratch
import nnscratch.collector as collector
from nnscratch import MLP
from nnscratch.collector import CollectorLog
from nnscratch.data import make_moons
from nnscratch.losses import hinge, l2
from nnscratch.optim import SGD

SETTINGS = ("gc on", "no pause", "gc off")


def count(root) -> tuple[int, int]:
    """(nodes, edges) of the graph under ``root``."""
    seen = {id(root)}
    stack = [root]
    edges = 0
    while stack:
        children = stack.pop().children
        edges += len(children)
        for c in children:
            if id(c) not in seen:
                seen.add(id(c))
                stack.append(c)
    return len(seen), edges


class Run:
    """One model and its optimiser, trained step by step in the ordinary loop."""

    def __init__(self, width: int, fused: bool) -> None:
        self.X, self.y = make_moons(100, noise=0.1, seed=1337, signed=True)
        self.model = MLP(2, [width, width, 1], activation="relu", linear_output=True, seed=1337, fused=fused)
        self.opt = SGD(self.model.parameters(), lr=0.01)
        loss = self.step()
        self.nodes, self.edges = count(loss)

    def step(self):
        model, opt = self.model, self.opt
        scores = [model(x) for x in self.X]
        loss = hinge(scores, self.y) + 1e-4 * l2(model.parameters())
        opt.zero_grad()
        loss.backward()
        opt.step()
        return loss


def timed_steps(run: Run, setting: str, steps: int) -> tuple[list[float], float]:
    """Seconds per step in ``setting``, and full collections per step."""
    was_enabled, was_pausing = gc.isenabled(), collector.PAUSE_FULL_COLLECTIONS
    gc.collect()
    times = []
    try:
        collector.PAUSE_FULL_COLLECTIONS = setting != "no pause"
        if setting == "gc off":
            gc.disable()
        with CollectorLog() as log:
            for _ in range(steps):
                start = time.perf_counter()
                loss = run.step()
                times.append(time.perf_counter() - start)
                del loss
    finally:
        collector.PAUSE_FULL_COLLECTIONS = was_pausing
        if was_enabled:
            gc.enable()
    return times, log.counts[2] / steps


def measure(widths: list[int], fused: bool, rounds: int, steps: int) -> dict:
    runs = {w: Run(w, fused) for w in widths}
    unit = "edge" if fused else "node"
    size = {w: runs[w].edges if fused else runs[w].nodes for w in widths}
    per_node: dict = {(w, s): [] for w in widths for s in SETTINGS}
    rounds_median: dict = {(w, s): [] for w in widths for s in SETTINGS}
    fulls: dict = {(w, s): [] for w in widths for s in SETTINGS}
    for r in range(rounds):
        order = SETTINGS if r % 2 == 0 else SETTINGS[::-1]
        for w in widths:
            for s in order:
                times, full = timed_steps(runs[w], s, steps)
                ns = [t / size[w] * 1e9 for t in times]
                per_node[w, s].extend(ns)
                rounds_median[w, s].append(statistics.median(ns))
                fulls[w, s].append(full)
    title = "fused engine, MLP(..., fused=True)" if fused else "unfused engine (the graph micrograd builds)"
    print(f"\nTime per {unit}, {title}: {rounds} rounds of {steps} steps per width and setting")
    header = "".join(f" {s:>25}" for s in SETTINGS)
    print(f"  {'width':>5} {unit + 's/step':>11}{header}")
    for w in widths:
        cells = []
        for s in SETTINGS:
            m = statistics.median(per_node[w, s])
            lo, hi = min(rounds_median[w, s]), max(rounds_median[w, s])
            full = statistics.mean(fulls[w, s])
            cells.append(f"{m:>5.0f} ns ({lo:.0f}-{hi:.0f}) {full:>4.1f} full")
        print(f"  {w:>5} {size[w]:>11,}" + "".join(f" {c:>25}" for c in cells))
    small, large = widths[0], widths[-1]
    for s in SETTINGS:
        ratios = [b / a for a, b in zip(rounds_median[small, s], rounds_median[large, s])]
        print(f"  {s:>8}: time per {unit} at width {large} / width {small}: "
              f"{statistics.median(ratios):.2f} (rounds {min(ratios):.2f}-{max(ratios):.2f})")
    return rounds_median


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=3, help="rounds over all settings (default 3)")
    parser.add_argument("--steps", type=int, default=3, help="timed steps per width, setting and round (default 3)")
    parser.add_argument("--quick", action="store_true", help="widths 4 and 8, one round")
    args = parser.parse_args()
    widths = [4, 8] if args.quick else [8, 16, 32, 64]
    rounds, steps = (1, 1) if args.quick else (args.rounds, args.steps)
    print(f"Python {sys.version.split()[0]}, nnscratch {nnscratch.__version__}, "
          f"garbage collector {'on' if gc.isenabled() else 'off'}, gc.get_threshold() = {gc.get_threshold()}")
    measure(widths, fused=False, rounds=rounds, steps=steps)
    measure(widths, fused=True, rounds=rounds, steps=steps)


if __name__ == "__main__":
    main()
