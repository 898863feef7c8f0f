"""`Model`: layers and a loss. Forward runs them in order; backward runs them in reverse.

    L = loss(layer_k(… layer_2(layer_1(x)) …), target)

Backward starts at the loss (∂L/∂L = 1) and visits the layers last to first; each
turns ∂L/∂(its output) into ∂L/∂(its input), which is ∂L/∂(output) of the layer
before it: the chain rule, one layer at a time.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from .module import Loss, Module, numpy_raises
from .tensor import Tensor

__all__ = ["Model"]


class Model:
    """``Model([Lin(1, 100), Sigmoid(), Lin(100, 1)], Mse())``.

    ``model(x, target)`` returns the loss as a float, ``model.backward()`` fills the
    ``.g`` of every parameter, ``model.predict(x)`` runs the layers alone.
    """

    def __init__(self, layers: Sequence[Module], loss: Loss) -> None:
        layers = list(layers)
        if not layers:
            raise ValueError("Model needs at least one layer")
        for i, layer in enumerate(layers):
            if not isinstance(layer, Module) or isinstance(layer, Loss):
                raise TypeError(f"Model: layer {i} is {layer!r}, not a layer Module")
            if any(layer is other for other in layers[:i]):
                raise ValueError(f"Model: layer {i} ({layer!r}) appears twice; each layer saves its own input, so use a new one")
        if not isinstance(loss, Loss):
            raise TypeError(f"Model: the loss must be a Loss module (Mse, SoftmaxCrossEntropy, ...), got {loss!r}")
        self.layers = layers
        self.loss = loss
        self._params = [p for layer in layers for p in layer.parameters()]
        self._ready = False

    def __call__(self, x: Any, target: Any) -> float:
        return self.forward(x, target)

    def forward(self, x: Any, target: Any) -> float:
        """The loss of the model on inputs ``x`` and targets ``target``."""
        self._ready = False
        with numpy_raises():  # once for all the layers
            for layer in self.layers:
                x = layer._call((x,))
            loss = float(self.loss._call((x, target)).data)
        self._ready = True
        return loss

    def backward(self) -> None:
        """Fill ``.g`` of every parameter with ∂L/∂parameter for the last forward pass."""
        if not self._ready:
            raise RuntimeError("Model.backward(): compute the loss with model(x, target) first")
        self.loss.out.set_g_unchecked(np.ones(()))  # ∂L/∂L = 1
        with numpy_raises():
            self.loss._backward()
            for layer in reversed(self.layers):
                layer._backward()

    def predict(self, x: Any) -> np.ndarray:
        """The output of the last layer for inputs ``x`` (no loss, no backward after it)."""
        self._ready = False
        with numpy_raises():
            for layer in self.layers:
                x = layer._call((x,))
        return x.data

    def parameters(self) -> list[Tensor]:
        """Every trainable tensor, layer by layer."""
        return list(self._params)

    def __repr__(self) -> str:
        inner = ", ".join(repr(layer) for layer in self.layers)
        count = sum(p.data.size for p in self._params)
        return f"Model([{inner}], {self.loss!r}, {count} parameters)"
