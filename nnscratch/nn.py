"""Neurons, layers and multi-layer perceptrons built from `Value`.

A neuron with weights w, bias b and activation φ maps inputs x to

    φ(b + w₁x₁ + w₂x₂ + … + wₙxₙ)

A layer is a list of neurons that all see the same inputs; an MLP feeds each layer's
outputs to the next. Weights and biases start uniform in [-1, 1], drawn from a
`random.Random` seeded by the ``seed`` argument, so the same seed gives the same
network every time.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from typing import Union

from .engine import Number, Value

Seed = Union[int, random.Random]
Input = Union[Value, Number]

ACTIVATIONS = ("tanh", "relu", "sigmoid", "linear")


def _rng(seed: Seed) -> random.Random:
    if isinstance(seed, random.Random):
        return seed
    if isinstance(seed, bool) or not isinstance(seed, int):
        raise TypeError(f"seed must be an int or a random.Random, got {type(seed).__name__} {seed!r}")
    return random.Random(seed)


def _check_activation(activation: str) -> str:
    if activation not in ACTIVATIONS:
        raise ValueError(f"activation must be one of {', '.join(ACTIVATIONS)}; got {activation!r}")
    return activation


def _check_size(n: object, what: str) -> int:
    if isinstance(n, bool) or not isinstance(n, int) or n < 1:
        raise ValueError(f"{what} must be a positive int, got {n!r}")
    return n


class Module:
    """Anything with parameters: they can be listed and their gradients reset."""

    def parameters(self) -> list[Value]:
        """Every trainable `Value`, in a fixed order."""
        return []

    def zero_grad(self) -> None:
        """Set every parameter's ``grad`` to 0 (gradients accumulate otherwise)."""
        for p in self.parameters():
            p.grad = 0.0


class Neuron(Module):
    """φ(b + Σ wᵢxᵢ) with activation φ in ``tanh``, ``relu``, ``sigmoid`` or ``linear``."""

    def __init__(self, nin: int, activation: str = "tanh", seed: Seed = 0) -> None:
        self.nin = _check_size(nin, "nin")
        self.activation = _check_activation(activation)
        rng = _rng(seed)
        self.w = [Value(rng.uniform(-1.0, 1.0)) for _ in range(nin)]
        self.b = Value(rng.uniform(-1.0, 1.0))

    def __call__(self, x: Sequence[Input]) -> Value:
        if len(x) != self.nin:
            raise ValueError(f"{self!r} takes {self.nin} inputs, got {len(x)}")
        act = sum((wi * xi for wi, xi in zip(self.w, x)), self.b)
        if self.activation == "linear":
            return act
        return getattr(act, self.activation)()

    def parameters(self) -> list[Value]:
        return self.w + [self.b]

    def __repr__(self) -> str:
        return f"Neuron({self.nin}, {self.activation})"


class Layer(Module):
    """``nout`` neurons that each see the same ``nin`` inputs; returns their outputs."""

    def __init__(self, nin: int, nout: int, activation: str = "tanh", seed: Seed = 0) -> None:
        _check_size(nout, "nout")
        rng = _rng(seed)
        self.neurons = [Neuron(nin, activation, rng) for _ in range(nout)]

    def __call__(self, x: Sequence[Input]) -> list[Value]:
        return [n(x) for n in self.neurons]

    def parameters(self) -> list[Value]:
        return [p for n in self.neurons for p in n.parameters()]

    def __repr__(self) -> str:
        first = self.neurons[0]
        return f"Layer({first.nin} -> {len(self.neurons)}, {first.activation})"


class MLP(Module):
    """A multi-layer perceptron: ``MLP(3, [4, 4, 1])`` maps 3 inputs through layers of
    4, 4 and 1 neurons.

    Hidden layers use ``activation``; the last layer uses it too unless
    ``linear_output=True``. Calling the MLP returns a `Value` when the last layer has
    one neuron, and a list of values otherwise.
    """

    def __init__(
        self,
        nin: int,
        nouts: Sequence[int],
        activation: str = "tanh",
        linear_output: bool = False,
        seed: Seed = 0,
    ) -> None:
        _check_size(nin, "nin")
        if isinstance(nouts, (int, str)) or len(nouts) == 0:
            raise ValueError(f"nouts must be a non-empty list of layer sizes, got {nouts!r}")
        _check_activation(activation)
        rng = _rng(seed)
        sizes = [nin, *nouts]
        last = len(nouts) - 1
        self.layers = [
            Layer(
                sizes[i],
                sizes[i + 1],
                "linear" if (linear_output and i == last) else activation,
                rng,
            )
            for i in range(len(nouts))
        ]

    def __call__(self, x: Sequence[Input]) -> Value | list[Value]:
        for layer in self.layers:
            x = layer(x)
        return x[0] if len(x) == 1 else x

    def parameters(self) -> list[Value]:
        return [p for layer in self.layers for p in layer.parameters()]

    def __repr__(self) -> str:
        sizes = " -> ".join(str(n) for n in [self.layers[0].neurons[0].nin] + [len(l.neurons) for l in self.layers])
        hidden = self.layers[0].neurons[0].activation
        out = self.layers[-1].neurons[0].activation
        acts = hidden if out == hidden else f"{hidden}, {out} output"
        return f"MLP({sizes}, {acts}, {len(self.parameters())} parameters)"
