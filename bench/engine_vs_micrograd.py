"""nnscratch's scalar engine, unfused and fused, against micrograd 0.1.0, in one process.

The workload is micrograd's own demo: an MLP(2, [16, 16, 1]) with ReLU hidden layers
and a linear output, 100 two-moons points, hinge loss + 1e-4 · L2, plain SGD with a
learning rate falling from 1.0 to 0.1. The three engines start from the same weights
and see the same data; their training steps alternate in blocks, so all run on the
machine in the same state, with Python's garbage collector on as the user has it.
Every step's loss must agree: nnscratch with micrograd to 1e-9 relative (the same
graph), fused with unfused to 1e-12, or the script stops with an error.

"full gc/step" counts the garbage collector's full passes (``gc.callbacks``). Here the
loss is written out with operators, as in micrograd's demo, outside any `Module` call
or `nnscratch.losses` function, so a full pass that falls due can start there.

Each speed-up is given as the median over blocks of (micrograd's median step in the
block) / (nnscratch's median step in the same round of blocks), with the smallest and
largest block's ratio beside it.

Then: memory per node, build and backward time per node on a 100,000-node graph, and
the deepest chain each engine can differentiate.

    python bench/engine_vs_micrograd.py            # the full run
    python bench/engine_vs_micrograd.py --quick    # a few steps, to see that it works
"""

from __future__ import annotations

import argparse
import gc
import random
import statistics
import sys
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import nnscratch
from nnscratch import MLP, Value
from nnscratch.collector import CollectorLog
from nnscratch.data import make_moons

try:
    import micrograd
    from micrograd.engine import Value as MicrogradValue
    from micrograd.nn import MLP as MicrogradMLP
except ImportError:
    sys.exit("micrograd is not installed: pip install -r bench/requirements.txt")

ALPHA = 1e-4
SEED = 1337
ENGINES = ("micrograd", "nnscratch", "nnscratch fused")


def loss_of(value: type, model: Callable, X: list[list[float]], y: list[int], params: list) -> object:
    """micrograd's demo loss: mean hinge loss over the batch plus ALPHA · Σ p²."""
    inputs = [[value(a), value(b)] for a, b in X]
    scores = [model(x) for x in inputs]
    losses = [(1 + -yi * si).relu() for yi, si in zip(y, scores)]
    data_loss = sum(losses) * (1.0 / len(losses))
    return data_loss + ALPHA * sum(p * p for p in params)


def step(value: type, model, params: list, X, y, k: int, steps: int) -> tuple[float, float, object]:
    """One training step; returns (seconds, loss, the loss node)."""
    start = time.perf_counter()
    loss = loss_of(value, model, X, y, params)
    for p in params:
        p.grad = 0.0
    loss.backward()
    lr = 1.0 - 0.9 * k / steps
    for p in params:
        p.data -= lr * p.grad
    return time.perf_counter() - start, loss.data, loss


def count_nodes(root, children: Callable) -> int:
    seen = {id(root)}
    stack = [root]
    while stack:
        for c in children(stack.pop()):
            if id(c) not in seen:
                seen.add(id(c))
                stack.append(c)
    return len(seen)


def spread(ratios: list[float]) -> str:
    return f"{statistics.median(ratios):.1f}x (blocks {min(ratios):.1f}-{max(ratios):.1f}x)"


def training(steps: int, block: int) -> dict[str, list[float]]:
    """Train the three models in lock-step, alternating blocks of ``block`` steps.

    Within a block an engine runs as in a real training loop: the garbage collector
    runs whenever Python decides, and an engine whose graphs are reference cycles pays
    for collecting them. Between blocks the heap is cleared outside the timing, so
    no engine pays for another's garbage (micrograd's last cycles of each block are
    collected for free: the comparison is, if anything, kind to it).
    """
    X, y = make_moons(100, noise=0.1, seed=SEED, signed=True)
    ours = MLP(2, [16, 16, 1], activation="relu", linear_output=True, seed=SEED)
    fused = MLP(2, [16, 16, 1], activation="relu", linear_output=True, seed=SEED, fused=True)
    theirs = MicrogradMLP(2, [16, 16, 1])
    for p, q in zip(ours.parameters(), theirs.parameters()):
        q.data = p.data
    engines = {
        "micrograd": (MicrogradValue, theirs, theirs.parameters(), lambda v: v._prev),
        "nnscratch": (Value, ours, ours.parameters(), lambda v: v.children),
        "nnscratch fused": (Value, fused, fused.parameters(), lambda v: v.children),
    }
    times: dict[str, list[float]] = {name: [] for name in engines}
    blocks: dict[str, list[float]] = {name: [] for name in engines}
    losses: dict[str, list[float]] = {name: [] for name in engines}
    nodes: dict[str, int] = {}
    full: dict[str, int] = {name: 0 for name in engines}
    for first in range(0, steps, block):
        for name, (value, model, params, children) in engines.items():
            gc.collect()
            these = []
            with CollectorLog() as log:
                for k in range(first, min(first + block, steps)):
                    seconds, loss, root = step(value, model, params, X, y, k, steps)
                    if k == 0:
                        nodes[name] = count_nodes(root, children)
                    del root
                    these.append(seconds)
                    losses[name].append(loss)
            full[name] += log.counts[2]
            times[name].extend(these)
            blocks[name].append(statistics.median(these))

    worst = {"nnscratch": 0.0, "nnscratch fused": 0.0}
    for name, peer, tolerance in (("nnscratch", "micrograd", 1e-9), ("nnscratch fused", "nnscratch", 1e-12)):
        for k, (ours_k, theirs_k) in enumerate(zip(losses[name], losses[peer])):
            rel = abs(ours_k - theirs_k) / abs(theirs_k)
            worst[name] = max(worst[name], rel)
            if rel > tolerance:
                sys.exit(f"step {k}: losses differ: {name} {ours_k!r}, {peer} {theirs_k!r}")

    print(f"Training step: MLP(2, [16, 16, 1]), 100 moons points, hinge + {ALPHA}·L2, "
          f"{steps} SGD steps, alternating blocks of {block}")
    print(f"  {'':16} {'median step':>12} {'total':>9} {'nodes/step':>11} {'full gc/step':>13} {'final loss':>20}")
    for name in engines:
        print(f"  {name:16} {statistics.median(times[name]) * 1e3:>9.1f} ms {sum(times[name]):>7.2f} s "
              f"{nodes[name]:>11,} {full[name] / steps:>13.2f} {losses[name][-1]:>20.15f}")
    print(f"  losses agree at every step (largest relative difference: nnscratch vs micrograd "
          f"{worst['nnscratch']:.1e}, fused vs unfused {worst['nnscratch fused']:.1e})")
    slow = blocks["micrograd"]
    for name in ("nnscratch", "nnscratch fused"):
        ratios = [m / o for m, o in zip(slow, blocks[name])]
        print(f"  {name} is {spread(ratios)} faster per step than micrograd")
    ratios = [u / f for u, f in zip(blocks["nnscratch"], blocks["nnscratch fused"])]
    print(f"  fusion alone: {spread(ratios)} faster per step than unfused")
    return blocks


def wide_graph(value: type, n: int):
    """A graph of about n nodes: n/3 squares summed pairwise, so it is shallow
    (micrograd's recursive sort cannot go deeper than Python's recursion limit)."""
    rng = random.Random(0)
    level = [x * x for x in (value(rng.uniform(-1, 1)) for _ in range(n // 3))]
    while len(level) > 1:
        pairs = [level[i] + level[i + 1] for i in range(0, len(level) - 1, 2)]
        level = pairs + level[len(pairs) * 2:]
    return level[0]


def bytes_of(build: Callable[[], object]) -> tuple[int, object]:
    """Bytes allocated by ``build()`` and still held by what it returns (tracemalloc)."""
    gc.collect()
    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    kept = build()
    after = tracemalloc.get_traced_memory()[0]
    tracemalloc.stop()
    return after - before, kept


def memory() -> None:
    """Bytes per node of a training step's graph, built and kept (before backward)."""
    X, y = make_moons(100, noise=0.1, seed=SEED, signed=True)
    models = {
        "micrograd": (MicrogradValue, MicrogradMLP(2, [16, 16, 1]), lambda v: v._prev),
        "nnscratch": (Value, MLP(2, [16, 16, 1], activation="relu", linear_output=True), lambda v: v.children),
        "nnscratch fused": (Value, MLP(2, [16, 16, 1], activation="relu", linear_output=True, fused=True),
                            lambda v: v.children),
    }
    print("\nMemory of one training step's graph (tracemalloc; everything the graph holds)")
    print(f"  {'':16} {'nodes':>9} {'bytes':>12} {'per node':>9}")
    for name, (value, model, children) in models.items():
        size, loss = bytes_of(lambda: loss_of(value, model, X, y, model.parameters()))
        n = count_nodes(loss, children)
        print(f"  {name:16} {n:>9,} {size:>12,} {size / n:>7.0f} B")
        del loss


def per_node(n: int) -> None:
    print(f"\nA graph of about {n:,} nodes (a pairwise sum of {n // 3:,} squares)")
    print(f"  {'':12} {'build/node':>11} {'backward/node':>14} {'memory/node':>12}")
    for name, value in (("micrograd", MicrogradValue), ("nnscratch", Value)):
        builds, backs = [], []
        for _ in range(3):
            t0 = time.perf_counter()
            root = wide_graph(value, n)
            t1 = time.perf_counter()
            root.backward()
            t2 = time.perf_counter()
            builds.append(t1 - t0)
            backs.append(t2 - t1)
            del root
        size, root = bytes_of(lambda: wide_graph(value, n))
        del root
        print(f"  {name:12} {min(builds) / n * 1e9:>8.0f} ns {min(backs) / n * 1e9:>11.0f} ns "
              f"{size / n:>9.0f} B")


def chain(value: type, depth: int):
    v = value(0.5)
    x = v
    for _ in range(depth):
        x = x * 1.0
    return v, x


def deepest_chain(value: type, limit: int) -> tuple[int, str]:
    """The deepest chain x → x·1 → x·1 → ... whose backward() works, up to limit."""
    def works(depth: int) -> bool:
        try:
            leaf, root = chain(value, depth)
            root.backward()
            return leaf.grad == 1.0
        except RecursionError:
            return False

    if works(limit):
        return limit, "largest tried"
    lo, hi = 1, limit
    while lo + 1 < hi:
        mid = (lo + hi) // 2
        lo, hi = (mid, hi) if works(mid) else (lo, mid)
    return lo, f"RecursionError at depth {hi:,}"


def depth(limit: int) -> None:
    print(f"\nDeepest chain that backward() handles (recursion limit {sys.getrecursionlimit()})")
    for name, value in (("micrograd", MicrogradValue), ("nnscratch", Value)):
        d, note = deepest_chain(value, limit)
        print(f"  {name:12} {d:>11,}  ({note})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--steps", type=int, default=60, help="training steps (default 60)")
    parser.add_argument("--block", type=int, default=5, help="steps per engine before switching (default 5)")
    parser.add_argument("--quick", action="store_true", help="a few steps and small graphs")
    args = parser.parse_args()
    steps, nodes, limit = (4, 3_000, 20_000) if args.quick else (args.steps, 100_000, 1_000_000)
    block = 2 if args.quick else args.block
    print(f"Python {sys.version.split()[0]}, nnscratch {nnscratch.__version__}, "
          f"micrograd {getattr(micrograd, '__version__', '0.1.0')}, garbage collector "
          f"{'on' if gc.isenabled() else 'off'}, gc.get_threshold() = {gc.get_threshold()}\n")
    training(steps, block)
    memory()
    per_node(nodes)
    depth(limit)


if __name__ == "__main__":
    main()
