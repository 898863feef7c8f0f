"""nnscratch.layers against PyTorch on the CPU: the same small network trained the same way.

The workload is the digit classifier of chapter 11: scikit-learn's 8×8 handwritten
digits (pixels scaled to [0, 1], the chapter's stratified 75/25 split into the images
it trains on and the test set), an MLP 64 → 128 → 64 → 10 with ReLU and softmax
cross-entropy, plain SGD with a learning rate falling linearly from 0.2 (one of the
rates the chapter tries) towards 0.005, mini-batches of 32 (the short last batch
dropped), 30 epochs.

What makes the comparison fair:

* the same numbers: both engines compute in float64, start from the same weights
  (He initialisation, drawn once and copied into both), see the same batches in the
  same order and use the same learning rates, so they follow the same training
  trajectory (the script checks that the final losses agree) and reach the same
  accuracy; the weights and batch order are drawn here, not taken from the chapter,
  so the accuracy is close to the chapter's but need not equal it;
* idiomatic code on each side: ``torch.nn.Sequential``, ``nn.CrossEntropyLoss`` and
  ``torch.optim.SGD`` with ``zero_grad`` / ``backward`` / ``step``, against
  ``Model`` / ``backward`` / ``SGD.step``;
* one thread each: ``torch.set_num_threads(1)`` and, through threadpoolctl (which
  scikit-learn installs), one BLAS thread for NumPy. The matrices are at most
  128 × 64, too small for threads to help, and a shared machine makes threads noisy;
* alternating runs in one process (the order reverses every repetition),
  several repetitions, medians reported; a warm-up run of each is not timed.

PyTorch float32, its default, is timed too for reference (its trajectory differs
in the last bits, so its accuracy may differ slightly).

At this size each step is a few dozen tiny array operations, so the time goes into
per-call overhead rather than arithmetic: NumPy's per-call overhead is lower than
PyTorch's dispatcher plus autograd bookkeeping. With large batches or wide layers
the arithmetic dominates and the picture changes.

    python bench/layers_vs_torch.py            # the full run
    python bench/layers_vs_torch.py --quick    # one epoch, two repetitions: to see that it works
"""

from __future__ import annotations

import argparse
import contextlib
import platform
import statistics
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split

import nnscratch
from nnscratch.layers import SGD, Lin, Model, ReLU, SoftmaxCrossEntropy, he

try:
    import torch
except ImportError:
    torch = None

try:
    from threadpoolctl import threadpool_limits
except ImportError:
    threadpool_limits = None

SIZES = (64, 128, 64, 10)
BATCH = 32
SEED = 0


def learning_rate(epoch: int, epochs: int) -> float:
    """Linear decay from 0.2 towards 0.005, the schedule of chapter 11."""
    return 0.2 * (1 - epoch / epochs) + 0.005


def steps_of(order: np.ndarray):
    """The row indices of each full batch of one epoch (the short last batch is dropped)."""
    for first in range(0, len(order) - len(order) % BATCH, BATCH):
        yield order[first:first + BATCH]


def data() -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    digits = load_digits()
    return train_test_split(digits.data / 16.0, digits.target, test_size=0.25, random_state=SEED, stratify=digits.target)


def run_nnscratch(weights, x, y, x_test, y_test, orders) -> tuple[float, float, float]:
    """Train; return (seconds, last batch loss, test accuracy)."""
    layers = []
    for w in weights:
        layers += [Lin.from_arrays(w, np.zeros(w.shape[1])), ReLU()]
    model = Model(layers[:-1], SoftmaxCrossEntropy())
    opt = SGD(model.parameters(), lr=0.2)
    start = time.perf_counter()
    for epoch, order in enumerate(orders):
        opt.lr = learning_rate(epoch, len(orders))
        for rows in steps_of(order):
            loss = model(x[rows], y[rows])
            model.backward()
            opt.step()
    seconds = time.perf_counter() - start
    accuracy = float(np.mean(model.predict(x_test).argmax(axis=1) == y_test))
    return seconds, loss, accuracy


def run_torch(weights, x, y, x_test, y_test, orders, dtype) -> tuple[float, float, float]:
    modules = []
    for w in weights:
        linear = torch.nn.Linear(*w.shape, dtype=dtype)
        with torch.no_grad():
            linear.weight.copy_(torch.tensor(w.T))
            linear.bias.zero_()
        modules += [linear, torch.nn.ReLU()]
    net = torch.nn.Sequential(*modules[:-1])
    loss_fn = torch.nn.CrossEntropyLoss()
    opt = torch.optim.SGD(net.parameters(), lr=0.2)
    x, y = torch.tensor(x, dtype=dtype), torch.tensor(y)
    batches = [[torch.tensor(rows) for rows in steps_of(order)] for order in orders]
    start = time.perf_counter()
    for epoch, epoch_batches in enumerate(batches):
        for group in opt.param_groups:
            group["lr"] = learning_rate(epoch, len(batches))
        for rows in epoch_batches:
            opt.zero_grad()
            loss = loss_fn(net(x[rows]), y[rows])
            loss.backward()
            opt.step()
    seconds = time.perf_counter() - start
    with torch.inference_mode():
        predicted = net(torch.tensor(x_test, dtype=dtype)).argmax(dim=1).numpy()
    return seconds, loss.item(), float(np.mean(predicted == y_test))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--epochs", type=int, default=30)
    parser.add_argument("--repeats", type=int, default=7, help="timed runs of each (default 7)")
    parser.add_argument("--quick", action="store_true", help="one epoch, two repetitions")
    args = parser.parse_args()
    epochs, repeats = (1, 2) if args.quick else (args.epochs, args.repeats)

    x, x_test, y, y_test = data()
    rng = np.random.default_rng(SEED)
    weights = [he(a, b, rng) for a, b in zip(SIZES, SIZES[1:])]
    orders = [rng.permutation(len(x)) for _ in range(epochs)]
    steps = epochs * (len(x) // BATCH)

    runners = {"nnscratch.layers": lambda: run_nnscratch(weights, x, y, x_test, y_test, orders)}
    if torch is not None:
        torch.set_num_threads(1)
        runners["PyTorch float64"] = lambda: run_torch(weights, x, y, x_test, y_test, orders, torch.float64)
        runners["PyTorch float32"] = lambda: run_torch(weights, x, y, x_test, y_test, orders, torch.float32)

    limit = threadpool_limits(limits=1) if threadpool_limits else contextlib.nullcontext()
    versions = f"Python {platform.python_version()}, NumPy {np.__version__}, nnscratch {nnscratch.__version__}"
    versions += f", PyTorch {torch.__version__}" if torch is not None else " (PyTorch not installed)"
    print(versions)
    print(f"Digits: {len(x)} training and {len(x_test)} test images; MLP {' -> '.join(map(str, SIZES))}, ReLU, "
          f"softmax cross-entropy, SGD lr 0.2 -> 0.005, batch {BATCH}, {epochs} epochs = {steps} steps")
    print(f"One thread each (torch.set_num_threads(1), NumPy BLAS limited to 1 thread"
          f"{'' if threadpool_limits else ': threadpoolctl missing, not limited'}); "
          f"same initial weights and batch order; {repeats} alternating runs, medians\n")

    times: dict[str, list[float]] = {name: [] for name in runners}
    results: dict[str, tuple[float, float, float]] = {}
    with limit:
        for run in runners.values():  # warm-up, not timed
            run()
        names = list(runners)
        for r in range(repeats):
            for name in names if r % 2 == 0 else reversed(names):
                results[name] = runners[name]()
                times[name].append(results[name][0])

    ours = statistics.median(times["nnscratch.layers"])
    print(f"  {'':18} {'median':>9} {'per step':>10} {'last loss':>20} {'test accuracy':>14}")
    for name in runners:
        median = statistics.median(times[name])
        _, loss, accuracy = results[name]
        print(f"  {name:18} {median:>7.3f} s {median / steps * 1e6:>7.0f} µs {loss:>20.15f} {accuracy:>13.2%}")
    if torch is not None:
        ours_loss, theirs_loss = results["nnscratch.layers"][1], results["PyTorch float64"][1]
        if abs(ours_loss - theirs_loss) > 1e-8 * abs(theirs_loss):
            sys.exit(f"the float64 runs diverged: last losses {ours_loss!r} and {theirs_loss!r}")
        print(f"\n  nnscratch.layers and PyTorch float64 end on the same loss (within 1e-8) and accuracy")
        for name in ("PyTorch float64", "PyTorch float32"):
            ratio = statistics.median(times[name]) / ours
            # The spread: the same ratio within each repetition, where both ran back to back.
            each = [t / o for t, o in zip(times[name], times["nnscratch.layers"])]
            print(f"  {name} / nnscratch.layers = {ratio:.2f} (nnscratch.layers is {ratio:.1f}x "
                  f"{'faster' if ratio >= 1 else 'slower'}; repetitions {min(each):.2f}-{max(each):.2f})")


if __name__ == "__main__":
    main()
