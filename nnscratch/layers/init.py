"""Initial weights: random, with a spread chosen so that signals neither fade nor blow up.

A layer y = x @ W sums ``nin`` products. If the inputs have variance 1 and the
weights are independent with mean 0 and variance s², each output has variance
nin · s². Choosing s² = 1/nin keeps it at 1 on the way forward; the backward pass
multiplies by Wᵀ and would like s² = 1/nout. The two classic compromises:

* Xavier (Glorot & Bengio, 2010):  s² = 2 / (nin + nout), for tanh and sigmoid;
* He (He et al., 2015):            s² = 2 / nin, for ReLU, which zeroes half its
  inputs and so halves the variance.

Both draw from a normal distribution with a seeded `numpy.random.Generator`; biases
start at zero.
"""

from __future__ import annotations

import math

import numpy as np

__all__ = ["xavier", "he", "make_rng", "INITS", "Seed"]

Seed = int | np.random.Generator


def make_rng(seed: Seed) -> np.random.Generator:
    """A generator from an int seed (or the generator itself, to share one stream)."""
    if isinstance(seed, np.random.Generator):
        return seed
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)):
        raise TypeError(f"seed must be an int or a numpy.random.Generator, got {type(seed).__name__} {seed!r}")
    if seed < 0:
        raise ValueError(f"seed must be an int >= 0, got {seed!r}")
    return np.random.default_rng(int(seed))


#: The most weights one layer may have (8 GB of float64): a bigger request is a slip.
MAX_WEIGHTS = 10 ** 9


def _check_sizes(nin: int, nout: int) -> None:
    for name, n in (("nin", nin), ("nout", nout)):
        if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 1:
            raise ValueError(f"{name} must be a positive int, got {n!r}")
    if int(nin) * int(nout) > MAX_WEIGHTS:
        raise ValueError(f"a layer of {nin} x {nout} = {int(nin) * int(nout):,} weights is more than "
                         f"{MAX_WEIGHTS:,} ({8 * MAX_WEIGHTS // 10 ** 9} GB of float64)")


def xavier(nin: int, nout: int, seed: Seed = 0) -> np.ndarray:
    """An (nin, nout) array of normal weights with variance 2 / (nin + nout)."""
    _check_sizes(nin, nout)
    return make_rng(seed).standard_normal((nin, nout)) * math.sqrt(2.0 / (nin + nout))


def he(nin: int, nout: int, seed: Seed = 0) -> np.ndarray:
    """An (nin, nout) array of normal weights with variance 2 / nin."""
    _check_sizes(nin, nout)
    return make_rng(seed).standard_normal((nin, nout)) * math.sqrt(2.0 / nin)


INITS = {"xavier": xavier, "he": he}
