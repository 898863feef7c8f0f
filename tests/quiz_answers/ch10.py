"""Chapter 10, *Layers and matrices*: the right numeric answers of its questions."""

from __future__ import annotations

import math

import numpy as np

import nnscratch.layers as nl

from . import computes

# The chapter's little example: two examples, three inputs, two neurons.
X = np.array([[1.0, 2.0, 3.0], [0.0, -1.0, 0.5]])
W = np.array([[0.1, -0.2], [0.4, 0.3], [-0.5, 0.2]])
B = np.array([0.1, -0.1])


def backward_through(lin: nl.Lin, x: np.ndarray, g: np.ndarray) -> None:
    """Run the layer on x, and its backward pass from ∂L/∂y = g."""
    out = lin(x)
    out.g = g
    lin.backward()


@computes
def dx_entries_for_a_batch_of_32_by_64() -> float:
    lin = nl.Lin(64, 10, seed=0)
    backward_through(lin, np.ones((32, 64)), np.ones((32, 10)))
    return float(lin.args[0].g.size)


@computes
def bias_gradient_with_second_row_4_1() -> float:
    lin = nl.Lin.from_arrays(W, B)
    backward_through(lin, X, np.array([[1.0, -2.0], [4.0, 1.0]]))
    return float(lin.b.g[0])


@computes
def stable_learning_rate_at_the_start() -> float:
    """2/λ, with λ the largest eigenvalue of the last layer's Hessian (2/n) AᵀA for the
    chapter's parabola network at its starting weights."""
    rng = np.random.default_rng(2)
    x = rng.standard_normal((200, 1))
    y = x[:, 0] ** 2
    nh = 100
    w1 = rng.standard_normal((1, nh)) * math.sqrt(2 / (1 + nh))
    w2 = rng.standard_normal((nh, 1)) * math.sqrt(2 / (nh + 1))
    model = nl.Model([nl.Lin.from_arrays(w1, np.zeros(nh)), nl.Sigmoid(),
                      nl.Lin.from_arrays(w2, np.zeros(1))], nl.Mse())
    model(x, y)
    hidden = model.layers[1].out.data
    a = np.hstack([hidden, np.ones((len(hidden), 1))])
    curvature = np.linalg.eigvalsh(2 / len(a) * a.T @ a)[-1]
    return float(2 / curvature)
