"""Neurons, layers and multi-layer perceptrons built from `Value`.

A neuron with weights w, bias b and activation φ maps inputs x to

    φ(b + w₁x₁ + w₂x₂ + … + wₙxₙ)

A layer is a list of neurons that all see the same inputs; an MLP feeds each layer's
outputs to the next. Weights and biases start uniform in [-1, 1], drawn from a
`random.Random` seeded by the ``seed`` argument, so the same seed gives the same
network every time.

``fused=True`` computes each neuron's pre-activation b + Σ wᵢxᵢ as one node
(`nnscratch.engine.weighted_sum`) instead of 2n nodes of ``*`` and ``+``: the same
numbers, several times faster (chapter 12). Without it, the graph is exactly the one
the operators build, as in micrograd.

Calling a module pauses the garbage collector's full passes until the call returns
(`nnscratch.collector`): they would only walk the growing graph and find nothing.
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Sequence
from numbers import Integral
from operator import mul
from typing import Union

from .collector import pausing_full_collections
from .engine import Number, Value, _inputs, _weighted_sum

Seed = Union[int, random.Random]
Input = Union[Value, Number]

ACTIVATIONS = ("tanh", "relu", "sigmoid", "linear")

_ACTIVATE = {"tanh": Value.tanh, "relu": Value.relu, "sigmoid": Value.sigmoid, "linear": None}


def _rng(seed: Seed) -> random.Random:
    if isinstance(seed, random.Random):
        return seed
    if isinstance(seed, bool) or not isinstance(seed, Integral):
        raise TypeError(f"seed must be an int or a random.Random, got {type(seed).__name__} {seed!r}")
    return random.Random(int(seed))


def _check_activation(activation: str) -> str:
    if not isinstance(activation, str) or activation not in ACTIVATIONS:
        raise ValueError(f"activation must be one of {', '.join(ACTIVATIONS)}; got {activation!r}")
    return str(activation)


def _check_size(n: object, what: str) -> int:
    """``n`` as an int >= 1 (any whole-number type, such as numpy.int64), or ValueError naming ``what``."""
    if isinstance(n, bool) or not isinstance(n, Integral) or n < 1:
        raise ValueError(f"{what} must be a positive int, got {type(n).__name__} {n!r}")
    return int(n)


def _check_sizes(nouts: object) -> list[int]:
    if isinstance(nouts, (str, bytes)) or not isinstance(nouts, Iterable):
        raise ValueError(
            f"nouts must be a non-empty list of layer sizes such as [16, 16, 1], "
            f"got {type(nouts).__name__} {nouts!r}"
        )
    sizes = list(nouts)
    if not sizes:
        raise ValueError(f"nouts must be a non-empty list of layer sizes, got {nouts!r}")
    return [_check_size(n, f"nouts[{i}]") for i, n in enumerate(sizes)]


def _check_flag(flag: object, what: str) -> bool:
    if not isinstance(flag, bool):
        raise TypeError(f"{what} must be True or False, got {type(flag).__name__} {flag!r}")
    return flag


def _input_count(module: Module, x: Sequence[Input], nin: int) -> None:
    try:
        n = len(x)
    except TypeError:
        raise TypeError(f"{module!r} takes a list of {nin} inputs, got a {type(x).__name__}") from None
    if n != nin:
        raise ValueError(f"{module!r} takes {nin} inputs, got {n}")


class Module:
    """Anything with parameters: they can be listed and their gradients reset.

    Calling a module runs its ``forward`` with the collector's full passes paused.
    """

    def parameters(self) -> list[Value]:
        """Every trainable `Value`, in a fixed order."""
        return []

    def zero_grad(self) -> None:
        """Set every parameter's ``grad`` to 0 (gradients accumulate otherwise)."""
        for p in self.parameters():
            p.grad = 0.0

    @pausing_full_collections
    def __call__(self, x: Sequence[Input]) -> Value | list[Value]:
        return self.forward(x)

    def forward(self, x: Sequence[Input]) -> Value | list[Value]:
        raise NotImplementedError(f"{type(self).__name__} does not define forward()")


class Neuron(Module):
    """φ(b + Σ wᵢxᵢ) with activation φ in ``tanh``, ``relu``, ``sigmoid`` or ``linear``."""

    def __init__(self, nin: int, activation: str = "tanh", seed: Seed = 0, fused: bool = False) -> None:
        self.nin = _check_size(nin, "nin")
        self.activation = _check_activation(activation)
        self.fused = _check_flag(fused, "fused")
        rng = _rng(seed)
        self.w = [Value(rng.uniform(-1.0, 1.0)) for _ in range(self.nin)]
        self.b = Value(rng.uniform(-1.0, 1.0))

    def forward(self, x: Sequence[Input]) -> Value:
        _input_count(self, x, self.nin)
        if self.fused:
            return self._activate(_weighted_sum(self.w, self.b, *_inputs(x)))
        return self._activate(sum(map(mul, self.w, x), self.b))

    def _activate(self, z: Value) -> Value:
        phi = _ACTIVATE[self.activation]
        return z if phi is None else phi(z)

    def parameters(self) -> list[Value]:
        return self.w + [self.b]

    def __repr__(self) -> str:
        fused = ", fused" if self.fused else ""
        return f"Neuron({self.nin}, {self.activation}{fused})"


class Layer(Module):
    """``nout`` neurons that each see the same ``nin`` inputs; returns their outputs."""

    def __init__(
        self, nin: int, nout: int, activation: str = "tanh", seed: Seed = 0, fused: bool = False
    ) -> None:
        nout = _check_size(nout, "nout")
        rng = _rng(seed)
        self.neurons = [Neuron(nin, activation, rng, fused) for _ in range(nout)]

    def forward(self, x: Sequence[Input]) -> list[Value]:
        first = self.neurons[0]
        if not first.fused:
            return [n.forward(x) for n in self.neurons]
        _input_count(self, x, first.nin)
        xd, xs, positions = _inputs(x)  # read once for every neuron
        return [n._activate(_weighted_sum(n.w, n.b, xd, xs, positions)) for n in self.neurons]

    def parameters(self) -> list[Value]:
        return [p for n in self.neurons for p in n.parameters()]

    def __repr__(self) -> str:
        first = self.neurons[0]
        fused = ", fused" if first.fused else ""
        return f"Layer({first.nin} -> {len(self.neurons)}, {first.activation}{fused})"


class MLP(Module):
    """A multi-layer perceptron: ``MLP(3, [4, 4, 1])`` maps 3 inputs through layers of
    4, 4 and 1 neurons.

    Hidden layers use ``activation``; the last layer uses it too unless
    ``linear_output=True``. Calling the MLP returns a `Value` when the last layer has
    one neuron, and a list of values otherwise. ``fused=True`` makes one node per
    neuron's weighted sum (the same numbers, fewer nodes).
    """

    def __init__(
        self,
        nin: int,
        nouts: Sequence[int],
        activation: str = "tanh",
        linear_output: bool = False,
        seed: Seed = 0,
        fused: bool = False,
    ) -> None:
        sizes = [_check_size(nin, "nin"), *_check_sizes(nouts)]
        _check_activation(activation)
        _check_flag(linear_output, "linear_output")
        _check_flag(fused, "fused")
        rng = _rng(seed)
        last = len(sizes) - 2
        self.layers = [
            Layer(
                sizes[i],
                sizes[i + 1],
                "linear" if (linear_output and i == last) else activation,
                rng,
                fused,
            )
            for i in range(len(sizes) - 1)
        ]

    def forward(self, x: Sequence[Input]) -> Value | list[Value]:
        for layer in self.layers:
            x = layer.forward(x)
        return x[0] if len(x) == 1 else x

    def parameters(self) -> list[Value]:
        return [p for layer in self.layers for p in layer.parameters()]

    def __repr__(self) -> str:
        sizes = " -> ".join(str(n) for n in [self.layers[0].neurons[0].nin] + [len(l.neurons) for l in self.layers])
        hidden = self.layers[0].neurons[0].activation
        out = self.layers[-1].neurons[0].activation
        acts = hidden if out == hidden else f"{hidden}, {out} output"
        fused = ", fused" if self.layers[0].neurons[0].fused else ""
        return f"MLP({sizes}, {acts}{fused}, {len(self.parameters())} parameters)"
