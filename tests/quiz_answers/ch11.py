"""Chapter 11, *A digit classifier on real data*: the right numeric answers of its questions."""

from __future__ import annotations

import math

import numpy as np

import nnscratch.layers as nl

from . import computes


def loss_and_gradient(scores: list[float], label: int) -> tuple[float, np.ndarray]:
    """The softmax cross-entropy of one example, and its gradient with respect to the scores."""
    loss = nl.SoftmaxCrossEntropy()
    value = float(loss(np.array([scores]), np.array([label])).data)
    loss.backward()
    return value, loss.args[0].g[0]


@computes
def probability_ratio_for_scores_3_and_1() -> float:
    # For n = 1 and a label in a third class, the gradient of the first two scores is
    # their probability.
    _, gradient = loss_and_gradient([3.0, 1.0, 0.5, -2.0], label=3)
    return float(gradient[0] / gradient[1])


@computes
def cross_entropy_at_probability_0_25() -> float:
    value, _ = loss_and_gradient([math.log(0.25), math.log(0.75)], label=0)
    return value


@computes
def cross_entropy_gradient_on_the_true_score_at_0_7() -> float:
    _, gradient = loss_and_gradient([math.log(0.7), math.log(0.3)], label=0)
    return float(gradient[0])


@computes
def steps_per_epoch_on_1347_images() -> float:
    x, y = np.zeros((1347, 64)), np.zeros(1347)
    return float(sum(1 for _ in nl.batches(x, y, 32, seed=0, drop_last=True)))
