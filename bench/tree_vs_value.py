"""The recursive tree framework (nnscratch.tree) against the Value engine, measured.

1. Training: the above/below-the-line classifier, σ(v · ReLU(w₁x + w₂y + c) + d),
   one epoch of stochastic gradient descent over 1000 points, from the same starting
   parameters, three ways: the tree without its forward cache, the tree with it, and
   the Value engine (the graph rebuilt for every example, then SGD). The runs alternate,
   so all three see the machine in the same state. The cached and uncached trees must
   end at bit-identical parameters, and Value within 1e-12, or the script stops.
2. The forward() calls per example, with and without the cache (exact counts).
3. Depth: a chain of sigmoids, one predict + backward, at growing depths.
4. How deep a chain each design can evaluate at all.

    python bench/tree_vs_value.py            # the full run
    python bench/tree_vs_value.py --quick    # fewer repeats, to see that it works
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from nnscratch import Value
from nnscratch.data import above_below_line
from nnscratch.losses import binary_cross_entropy
from nnscratch.optim import SGD
from nnscratch.tree import (Input, Multiply, Parameter, Sigmoid, above_below_classifier, bce_loss, bce_loss_grad,
                            manual_seed, reset_forward_calls, total_forward_calls, train_model)

SEED = 1
LEARNING_RATE = 0.1


def tree_epoch(data: list, cache: bool) -> tuple[list[float], int]:
    """One epoch with nnscratch.tree; returns the parameters and the forward() calls."""
    manual_seed(SEED)
    model = above_below_classifier().compile(cache=cache)
    reset_forward_calls(model)
    train_model(model, bce_loss, bce_loss_grad, data, epochs=1, print_every=None, learning_rate=LEARNING_RATE)
    return [p.value for p in model.parameters()], total_forward_calls(model)


def value_epoch(data: list) -> list[float]:
    """The same epoch with Value: build the graph for each example, backward, SGD step."""
    manual_seed(SEED)
    params = [Value(p.value) for p in above_below_classifier().parameters()]
    v, w1, w2, c, d = params
    optimizer = SGD(params, lr=LEARNING_RATE)
    for (x, y), label in data:
        p = (v * (w1 * x + w2 * y + c).relu() + d).sigmoid()
        loss = binary_cross_entropy([p], [label])
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    return [p.data for p in params]


def timed(run: Callable[[], object]) -> float:
    start = time.perf_counter()
    run()
    return time.perf_counter() - start


def training(repeats: int) -> None:
    points, labels = above_below_line(1000, seed=0)
    data = list(zip(points, labels))
    uncached, calls_uncached = tree_epoch(data, cache=False)
    cached, calls_cached = tree_epoch(data, cache=True)
    with_value = value_epoch(data)
    if uncached != cached:
        sys.exit("the cached and uncached trees trained differently")
    gap = max(abs(a - b) for a, b in zip(cached, with_value))
    if gap > 1e-12:
        sys.exit(f"the tree and Value trained differently (largest gap {gap:.3g})")
    print(f"parameters agree: cached = uncached bit for bit; Value within {gap:.1e}")

    runs = {"tree, no cache": lambda: tree_epoch(data, False),
            "tree, cached": lambda: tree_epoch(data, True),
            "Value": lambda: value_epoch(data)}
    times: dict[str, list[float]] = {name: [] for name in runs}
    for _ in range(repeats):
        for name, run in runs.items():
            times[name].append(timed(run))
    print(f"\n1. one epoch, {len(data)} examples, median of {repeats} (alternating runs); "
          "the spread is the ratio within each repetition")
    base = statistics.median(times["Value"])
    for name, ts in times.items():
        t = statistics.median(ts)
        each = [a / b for a, b in zip(ts, times["Value"])]
        print(f"   {name:<16} {1e6 * t / len(data):7.1f} µs per example   {t / base:5.2f}x Value's time"
              f"   ({min(each):.2f}-{max(each):.2f})")

    print("\n2. forward() calls per example")
    print(f"   tree, no cache   {calls_uncached / len(data):7.1f}")
    print(f"   tree, cached     {calls_cached / len(data):7.1f}")


def sigmoid_chain(depth: int) -> Sigmoid:
    node = Multiply([Parameter(0.5, learning_rate=0.0), Input()])
    for _ in range(depth):
        node = Sigmoid([node])
    return node


def value_chain(depth: int) -> None:
    x = Value(1.0)
    node = x * 0.5
    for _ in range(depth):
        node = node.sigmoid()
    node.backward()


def depth(repeats: int) -> None:
    print(f"\n3. a chain of sigmoids: one predict + backward, median of {repeats}")
    print(f"   {'depth':>6} {'tree, no cache':>16} {'tree, cached':>14} {'Value':>10}")
    for d in (10, 40, 160, 320):
        row = []
        for cache in (False, True):
            model = sigmoid_chain(d).compile(cache=cache)

            def step(model: Sigmoid = model) -> None:
                model.predict([1.0])
                model.backward(1.0)

            row.append(statistics.median(timed(step) for _ in range(repeats)))
        row.append(statistics.median(timed(lambda: value_chain(d)) for _ in range(repeats)))
        print(f"   {d:>6} " + " ".join(f"{1e6 * t:>12.0f} µs" for t in row))


def deepest(limit: int) -> None:
    low, high = 1, limit
    while low < high:  # the deepest chain whose forward() does not overflow the recursion limit
        mid = (low + high + 1) // 2
        try:
            sigmoid_chain(mid).predict([1.0])
            low = mid
        except RecursionError:
            high = mid - 1
    value_chain(100_000)
    print("\n4. the deepest chain that can be evaluated")
    print(f"   tree   {low:,} sigmoids (Python's recursion limit is {sys.getrecursionlimit():,})")
    print("   Value  100,000 sigmoids, and deeper: its backward pass is iterative (largest tried)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer repeats, to check that it runs")
    args = parser.parse_args()
    repeats = 1 if args.quick else 7
    print(f"Python {sys.version.split()[0]}")
    training(repeats)
    depth(1 if args.quick else 15)
    deepest(5000)


if __name__ == "__main__":
    main()
