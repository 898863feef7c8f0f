"""Small, seeded data sets. Each function returns ``(X, y)``: a list of input rows and a
list of targets, the same on every call with the same seed. Standard library only.
"""

from __future__ import annotations

import math
import random
from numbers import Integral

from .engine import _finite_real


def _rng(n_samples: int, seed: int) -> tuple[int, random.Random]:
    """Check ``n_samples`` and ``seed`` (any whole-number types); return the count and a
    generator seeded by ``seed``."""
    if isinstance(seed, bool) or not isinstance(seed, Integral):
        # random.Random(None) would seed from the clock: different data on every run.
        raise TypeError(f"seed must be an int, got {type(seed).__name__} {seed!r}")
    if isinstance(n_samples, bool) or not isinstance(n_samples, Integral) or n_samples < 2:
        raise ValueError(f"n_samples must be an int >= 2, got {type(n_samples).__name__} {n_samples!r}")
    return int(n_samples), random.Random(int(seed))


def _all_finite(X: list[list[float]], what: str) -> None:
    if not all(math.isfinite(v) for row in X for v in row):
        raise ValueError(f"{what}: some points are not finite floats")


def make_moons(
    n_samples: int = 100, noise: float = 0.1, seed: int = 0, signed: bool = False
) -> tuple[list[list[float]], list[int]]:
    """Two interleaving half circles in the plane, a classic non-linear problem.

    The upper moon (label 0) is the half circle (cos t, sin t), t in [0, π]; the lower
    moon (label 1) is (1 - cos t, 1/2 - sin t). Gaussian noise with standard deviation
    ``noise`` is added to each coordinate and the points are shuffled.
    ``signed=True`` gives labels -1 and +1 instead of 0 and 1 (for the hinge loss).
    """
    n_samples, rng = _rng(n_samples, seed)
    noise = _finite_real(noise, "noise")
    if noise < 0:
        raise ValueError(f"noise must be >= 0, got {noise!r}")
    if not isinstance(signed, bool):
        raise TypeError(f"signed must be True or False, got {type(signed).__name__} {signed!r}")
    n_upper = n_samples // 2
    n_lower = n_samples - n_upper
    points: list[tuple[float, float, int]] = []
    for i in range(n_upper):
        t = math.pi * i / (n_upper - 1) if n_upper > 1 else 0.0
        points.append((math.cos(t), math.sin(t), 0))
    for i in range(n_lower):
        t = math.pi * i / (n_lower - 1) if n_lower > 1 else 0.0
        points.append((1.0 - math.cos(t), 0.5 - math.sin(t), 1))
    rng.shuffle(points)
    X = [[x + rng.gauss(0.0, noise), y + rng.gauss(0.0, noise)] for x, y, _ in points]
    _all_finite(X, f"make_moons(noise={noise!r})")
    labels = [label for _, _, label in points]
    if signed:
        labels = [2 * label - 1 for label in labels]
    return X, labels


def fahrenheit_celsius(
    n_samples: int = 1000, seed: int = 0, low: float = -1.0, high: float = 1.0
) -> tuple[list[list[float]], list[float]]:
    """Temperatures in Fahrenheit, uniform in [low, high], and the same in Celsius:
    c = (f - 32) · 5/9. A straight line with weight 5/9 and bias -160/9."""
    n_samples, rng = _rng(n_samples, seed)
    low, high = _finite_real(low, "low"), _finite_real(high, "high")
    if not low < high:
        raise ValueError(f"need low < high, got low={low!r}, high={high!r}")
    if not (math.isfinite(high - low) and math.isfinite((low - 32.0) * 5.0) and math.isfinite((high - 32.0) * 5.0)):
        raise ValueError(f"low={low!r} and high={high!r} are too far apart for floats")
    X = [[rng.uniform(low, high)] for _ in range(n_samples)]
    y = [(f - 32.0) * 5.0 / 9.0 for (f,) in X]
    return X, y


def above_below_line(n_samples: int = 1000, seed: int = 0) -> tuple[list[list[float]], list[int]]:
    """Points (x, y) uniform in the square [-1, 1]², labelled 1 above the line y = x
    and 0 below it."""
    n_samples, rng = _rng(n_samples, seed)
    X = [[rng.uniform(-1.0, 1.0), rng.uniform(-1.0, 1.0)] for _ in range(n_samples)]
    labels = [1 if y > x else 0 for x, y in X]
    return X, labels
