"""A layer-level engine on NumPy arrays: whole layers, not single numbers, know their
derivatives.

Each `Module` computes its output from whole arrays in ``forward`` and, in ``bwd``,
the gradient with respect to its input from the gradient with respect to its output.
A `Model` chains layers and a loss. Everything is float64 and seeded.

    from nnscratch.layers import Lin, ReLU, SoftmaxCrossEntropy, Model, SGD, batches

    model = Model([Lin(64, 32, init="he", seed=rng), ReLU(), Lin(32, 10, init="he", seed=rng)],
                  SoftmaxCrossEntropy())
    loss = model(x, y)
    model.backward()
    SGD(model.parameters(), lr=0.1).step()
"""

from .._extras import require

require("numpy", "nnscratch.layers")

from .activations import ReLU, Sigmoid, sigmoid
from .init import he, make_rng, xavier
from .linear import Lin
from .losses import Hinge, Mse, SoftmaxCrossEntropy
from .model import Model
from .module import Loss, Module
from .tensor import Tensor, as_float_array
from .training import SGD, batches

__all__ = [
    "Tensor",
    "as_float_array",
    "Module",
    "Loss",
    "Lin",
    "ReLU",
    "Sigmoid",
    "sigmoid",
    "Mse",
    "SoftmaxCrossEntropy",
    "Hinge",
    "Model",
    "SGD",
    "batches",
    "xavier",
    "he",
    "make_rng",
]
